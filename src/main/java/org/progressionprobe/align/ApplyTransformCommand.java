package org.progressionprobe.align;

import java.io.File;

import org.progressionprobe.command.CommandFailure;
import org.progressionprobe.command.StatusProgress;
import org.scijava.app.StatusService;
import org.scijava.command.Command;
import org.scijava.log.LogService;
import org.scijava.plugin.Menu;
import org.scijava.plugin.Parameter;
import org.scijava.plugin.Plugin;
import org.scijava.widget.FileWidget;

/** Resamples an image onto a reference grid through an ITK or elastix transform file (reference world to image world). */
@Plugin(type = Command.class, menu = { @Menu(label = "Plugins"), @Menu(label = "Progression Probe"), @Menu(label = "Alignment", weight = 2),
		@Menu(label = "Apply Transform", weight = 4) }, headless = true,
		description = "Resample an image onto a reference grid through an ITK (.tfm) or elastix (TransformParameters) file")
public class ApplyTransformCommand implements Command {

	@Parameter(label = "Image", style = FileWidget.OPEN_STYLE)
	private File input;

	@Parameter(label = "Reference grid", style = FileWidget.OPEN_STYLE, required = false,
			description = "image whose grid the output takes; optional for an elastix file, which names its grid")
	private File reference;

	@Parameter(label = "Transform file", style = FileWidget.OPEN_STYLE, description = "maps reference-world points to image-world points")
	private File transform;

	@Parameter(label = "Output image", style = FileWidget.SAVE_STYLE)
	private File output;

	@Parameter(label = "Interpolation", choices = { "linear", "nearest", "cubic" }, required = false,
			description = "nearest for label images (written as integers)")
	private String interpolation = CommandSettings.key(CommandSettings.INTERPOLATION);

	@Parameter(label = "Invert the transform", required = false)
	private boolean invert = false;

	@Parameter
	private StatusService status;

	@Parameter
	private LogService log;

	@Override
	public void run() {
		CommandFailure.guard("Apply Transform", log, () -> {
			new AlignmentFiles(new StatusProgress(status, log)).applyTransform(input.toPath(), CommandSettings.path(reference), transform.toPath(),
					output.toPath(), CommandSettings.interpolation(interpolation), invert);
			log.info("Apply Transform: " + output);
		});
	}
}
