package org.progressionprobe.align;

import java.io.File;

import org.progressionprobe.command.ParameterLists;
import org.progressionprobe.command.CommandFailure;
import org.progressionprobe.command.StatusProgress;
import org.progressionprobe.volume.Grid;
import org.scijava.ItemIO;
import org.scijava.app.StatusService;
import org.scijava.command.Command;
import org.scijava.log.LogService;
import org.scijava.plugin.Menu;
import org.scijava.plugin.Parameter;
import org.scijava.plugin.Plugin;
import org.scijava.widget.FileWidget;

/** Crops an image to the box around chosen labels (plus a margin) or to a box in world coordinates. */
@Plugin(type = Command.class, menu = { @Menu(label = "Plugins"), @Menu(label = "Progression Probe"), @Menu(label = "Alignment", weight = 2),
		@Menu(label = "Crop To ROI", weight = 3) }, headless = true,
		description = "Crop an image to the bounding box of chosen labels plus a margin in mm, or to a world box (mm, RAS)")
public class CropToRoiCommand implements Command {

	@Parameter(label = "Image", style = FileWidget.OPEN_STYLE)
	private File input;

	@Parameter(label = "Output image", style = FileWidget.SAVE_STYLE)
	private File output;

	@Parameter(label = "Label image", style = FileWidget.OPEN_STYLE, required = false,
			description = "labels in the image's world, e.g. labels_in_input.nii.gz from Align To Atlas")
	private File labels;

	@Parameter(label = "Label names", style = FileWidget.OPEN_STYLE, required = false, description = "'value name' lines, to choose labels by name")
	private File label_names;

	@Parameter(label = "Region labels", required = false,
			description = "comma-separated label names, regular expressions (e.g. Hippocampus_.*) or values")
	private String roi_labels = "";

	@Parameter(label = "Margin (mm)", required = false, description = "added around the labels' bounding box on every side (the study's crop uses 10)")
	private double margin_mm = RoiBox.DEFAULT_MARGIN_MM;

	@Parameter(label = "World box min (mm)", required = false, description = "x,y,z (RAS), instead of labels")
	private String box_min_mm = "";

	@Parameter(label = "World box max (mm)", required = false, description = "x,y,z (RAS), instead of labels")
	private String box_max_mm = "";

	@Parameter(type = ItemIO.OUTPUT, label = "Crop grid")
	private String grid;

	@Parameter
	private StatusService status;

	@Parameter
	private LogService log;

	@Override
	public void run() {
		CommandFailure.guard("Crop To ROI", log, () -> {
			final Grid g = new AlignmentFiles(new StatusProgress(status, log)).cropToRoi(input.toPath(), output.toPath(),
					CommandSettings.path(labels), CommandSettings.path(label_names), ParameterLists.split(roi_labels), margin_mm,
					CommandSettings.point(box_min_mm, "box_min_mm"), CommandSettings.point(box_max_mm, "box_max_mm"));
			grid = g.toString();
			log.info("Crop To ROI: " + grid + " -> " + output);
		});
	}
}
