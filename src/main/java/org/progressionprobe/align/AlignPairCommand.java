package org.progressionprobe.align;

import java.io.File;

import org.progressionprobe.command.CommandFailure;
import org.progressionprobe.command.StatusProgress;
import org.scijava.ItemIO;
import org.scijava.app.StatusService;
import org.scijava.command.Command;
import org.scijava.log.LogService;
import org.scijava.plugin.Attr;
import org.scijava.plugin.Menu;
import org.scijava.plugin.Parameter;
import org.scijava.plugin.Plugin;
import org.scijava.widget.FileWidget;

/** Affine registration of a moving image onto a fixed image; writes the aligned image, the transform (ITK and elastix) and a report. */
@Plugin(type = Command.class, menu = { @Menu(label = "Plugins"), @Menu(label = "Progression Probe"), @Menu(label = "Alignment", weight = 2),
		@Menu(label = "Align Pair", weight = 1) }, headless = true,
		description = "Affine (or rigid, translation) registration of a moving image onto a fixed image: aligned.nii.gz, transform.tfm,"
				+ " TransformParameters.0.txt, registration.json")
public class AlignPairCommand implements Command {

	@Parameter(label = "Fixed image", style = FileWidget.OPEN_STYLE)
	private File fixed;

	@Parameter(label = "Moving image", style = FileWidget.OPEN_STYLE)
	private File moving;

	@Parameter(label = "Output folder", style = FileWidget.DIRECTORY_STYLE)
	private File output_dir;

	@Parameter(label = "Transform", choices = { "affine", "rigid", "translation" }, required = false)
	private String transform_type = RegistrationSettings.defaults().transformType().key();

	@Parameter(label = "Metric", choices = { "ncc", "mi" }, required = false,
			description = "ncc (the default for two scans of one subject): normalised cross-correlation (same contrast); mi: Mattes mutual information (different contrasts)")
	private String metric = RegistrationSettings.PAIR_METRIC.key();

	@Parameter(label = "Initialisation", choices = { "com", "geometry", "moments", "none" }, required = false,
			description = "com: centres of mass; geometry: grid centres; moments: centres of mass and principal axes; none: identity",
			attrs = @Attr(name = "group", value = "Advanced"))
	private String init = RegistrationSettings.defaults().init().key();

	@Parameter(label = "Pyramid levels", min = "" + RegistrationSettings.MIN_LEVELS, max = "" + RegistrationSettings.MAX_LEVELS, required = false,
			attrs = @Attr(name = "group", value = "Advanced"))
	private int levels = RegistrationSettings.defaults().levels();

	@Parameter(label = "Iterations per level", min = "" + RegistrationSettings.MIN_ITERATIONS, required = false,
			attrs = @Attr(name = "group", value = "Advanced"))
	private int iterations = RegistrationSettings.defaults().iterations();

	@Parameter(label = "Samples per level", min = "" + RegistrationSettings.MIN_SAMPLES, required = false, description = "fixed voxels the metric uses per level",
			attrs = @Attr(name = "group", value = "Advanced"))
	private int samples = RegistrationSettings.defaults().samples();

	@Parameter(label = "Fixed mask", style = FileWidget.OPEN_STYLE, required = false, attrs = @Attr(name = "group", value = "Advanced"))
	private File fixed_mask;

	@Parameter(label = "Moving mask", style = FileWidget.OPEN_STYLE, required = false, attrs = @Attr(name = "group", value = "Advanced"))
	private File moving_mask;

	@Parameter(label = "Interpolation of the aligned image", choices = { "linear", "cubic" }, required = false,
			attrs = @Attr(name = "group", value = "Advanced"))
	private String interpolation = CommandSettings.key(CommandSettings.INTERPOLATION);

	@Parameter(label = "Seed", required = false, attrs = @Attr(name = "group", value = "Advanced"))
	private long seed = RegistrationSettings.defaults().seed();

	@Parameter(type = ItemIO.OUTPUT, label = "Final metric value")
	private double similarity;

	@Parameter(type = ItemIO.OUTPUT, label = "Converged")
	private boolean converged;

	@Parameter
	private StatusService status;

	@Parameter
	private LogService log;

	@Override
	public void run() {
		CommandFailure.guard("Align Pair", log, () -> {
			final RegistrationSettings s = CommandSettings.registration(RegistrationSettings.defaults(), transform_type, metric, init, levels, iterations, samples, seed);
			final RegistrationResult r = new AlignmentFiles(new StatusProgress(status, log)).alignPair(fixed.toPath(), moving.toPath(),
					CommandSettings.path(fixed_mask), CommandSettings.path(moving_mask), s, CommandSettings.interpolation(interpolation),
					output_dir.toPath());
			similarity = r.similarity();
			converged = r.converged();
			log.info(CommandSettings.summary(r, output_dir));
		});
	}
}
