package org.progressionprobe.ij1;

import java.io.File;
import java.util.Locale;

import org.progressionprobe.command.CommandFailure;
import org.progressionprobe.command.StatusProgress;
import org.progressionprobe.io.AtomicOutput;
import org.progressionprobe.io.VolumeIO;
import org.progressionprobe.volume.Volume;
import org.scijava.ItemIO;
import org.scijava.app.StatusService;
import org.scijava.command.Command;
import org.scijava.log.LogService;
import org.scijava.plugin.Parameter;
import org.scijava.plugin.Plugin;
import org.scijava.widget.FileWidget;

/**
 * Test-only command exercising every kind of parameter the bridges must carry: a file in, a number,
 * text with spaces, a boolean, a file out, and number and file outputs. Writes
 * {@code sum=<factor * sum of voxels (or of their absolute values)> note=<note>} to {@code output}.
 */
@Plugin(type = Command.class, menuPath = "Plugins>Progression Probe>Test Scaled Sum", headless = true,
		description = "Test only: factor times the voxel sum of a volume, written to a text file")
public class ScaledSumTestCommand implements Command {

	@Parameter(style = FileWidget.OPEN_STYLE)
	private File input;

	@Parameter(required = false)
	private double factor = 1;

	@Parameter(required = false)
	private String note = "";

	@Parameter(required = false)
	private boolean absolute = false;

	@Parameter(style = FileWidget.SAVE_STYLE)
	private File output;

	@Parameter(type = ItemIO.OUTPUT)
	private double sum;

	@Parameter(type = ItemIO.OUTPUT)
	private File written;

	@Parameter
	private LogService log;

	@Parameter
	private StatusService status;

	@Override
	public void run() {
		CommandFailure.guard("Test Scaled Sum", log, () -> {
			final Volume v = VolumeIO.read(input.toPath());
			final StatusProgress progress = new StatusProgress(status, log);
			double s = 0;
			final float[] d = v.data();
			for (int i = 0; i < d.length; i++)
				s += absolute ? Math.abs(d[i]) : d[i];
			progress.report("summing " + input.getName(), 1, 1);
			sum = factor * s;
			AtomicOutput.writeString(output.toPath(), String.format(Locale.ROOT, "sum=%s note=%s%n", sum, note));
			written = output.getAbsoluteFile();
		});
	}
}
