package org.progressionprobe.builtin;

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

/**
 * Trains a built-in network (the task UNet or the registration network) from scratch on simulated
 * subjects (the phantom, or a real template with its label atlas) and writes a model package; the
 * shipped {@code builtin-unet} and {@code builtin-registration} are this command's output on
 * Colin27 and AAL (settings in TRAINING.md).
 */
@Plugin(type = Command.class, menu = { @Menu(label = "Plugins"), @Menu(label = "Progression Probe"), @Menu(label = "Built-in Networks", weight = 7),
		@Menu(label = "Train Built-in Network", weight = 1) }, headless = true,
		description = "Train the task UNet (segmentation) or the registration network on simulated scans and write a model package")
public class TrainBuiltinNetworkCommand implements Command {

	@Parameter(label = "Network", choices = { "unet", "registration" }, description = "unet: atlas labels from one scan; registration: displacement of a pair")
	private String network = "unet";

	@Parameter(label = "Output package", style = FileWidget.SAVE_STYLE, description = "a new folder, or a .zip")
	private File output;

	@Parameter(label = "Training subjects", min = "1", description = "simulated subjects to train on")
	private int subjects = 24;

	@Parameter(label = "Held-out subjects", min = "1", description = "simulated subjects (another seed) for Dice / end-point error",
			attrs = @Attr(name = "group", value = "Advanced"))
	private int held_out = 4;

	@Parameter(label = "Steps", min = "1", description = "optimiser steps (Adam)")
	private int steps = 1000;

	@Parameter(label = "Batch", min = "1", description = "samples per step", attrs = @Attr(name = "group", value = "Advanced"))
	private int batch = 1;

	@Parameter(label = "Seed", description = "same seed, same subjects, initial weights and sample order")
	private long seed = 1;

	@Parameter(label = "Voxel size (mm)", min = "1", max = "10", description = "of the simulated phantom scans")
	private double voxel_size_mm = 3;

	@Parameter(label = "Channels", min = "1", max = "64", description = "channels of the first level, doubling per level",
			attrs = @Attr(name = "group", value = "Advanced"))
	private int channels = 8;

	@Parameter(label = "Levels", min = "2", max = "4", description = "resolution levels of the UNet",
			attrs = @Attr(name = "group", value = "Advanced"))
	private int levels = 3;

	@Parameter(label = "Input size (z,y,x)", description = "network input; each divisible by 2^(levels-1)",
			attrs = @Attr(name = "group", value = "Advanced"))
	private String input_size = "32,40,32";

	@Parameter(label = "Learning rate", description = "Adam's initial step size, cosine-decayed to 5%")
	private double learning_rate = 2e-3;

	@Parameter(label = "Max rotation (deg)", min = "0", max = "30", description = "random head rotation of the training views, between simulated scans and (registration) of each view's follow-up",
			attrs = @Attr(name = "group", value = "Advanced"))
	private double max_rotation_deg = 10;

	@Parameter(label = "Max shift (mm)", min = "0", max = "50", description = "random head shift, likewise",
			attrs = @Attr(name = "group", value = "Advanced"))
	private double max_shift_mm = 10;

	@Parameter(label = "ROI views", min = "0", max = "1", stepSize = "0.1",
			description = "share of training views that are ROI crops of deep structures, three quarters of them the hippocampi and amygdalae (the rest whole or random crops)")
	private double roi_views = 0.5;

	@Parameter(label = "Aligned views", min = "0", max = "1", stepSize = "0.1", attrs = @Attr(name = "group", value = "Advanced"),
			description = "registration: share of training views whose follow-up is aligned to the baseline but for up to 1 degree / 1 mm, as pair or atlas alignment gives pairs (the rest moved at random)")
	private double aligned_views = 0;

	@Parameter(label = "Regional weight", min = "0", max = "100", attrs = @Attr(name = "group", value = "Advanced"),
			description = "registration: weight of each structure's mean volume change error next to the voxels' (0: voxels only)")
	private double regional_weight = 0;

	@Parameter(label = "Volume-change weight", min = "0", max = "100", attrs = @Attr(name = "group", value = "Advanced"),
			description = "registration: weight of the volume-change error next to the three displacement errors")
	private double volume_weight = RegistrationNet.VOLUME_WEIGHT;

	@Parameter(label = "Motion first", min = "0", max = "0.99", stepSize = "0.1", attrs = @Attr(name = "group", value = "Advanced"),
			description = "registration: share of the steps, at the start, trained on the displacement alone, so that the head motion is learnt before the volume change")
	private double motion_first = 0;

	@Parameter(label = "Global motion", attrs = @Attr(name = "group", value = "Advanced"),
			description = "registration: the head adds a global affine field, the affine part of a second (motion) head's field, to the local one: how it learns the head motion")
	private boolean global_motion = true;

	@Parameter(label = "Split motion", attrs = @Attr(name = "group", value = "Advanced"),
			description = "registration with global motion: the global field learns the target's affine part (the head motion), the local field the rest (the anatomy's change)")
	private boolean split_motion = true;

	@Parameter(label = "Template (optional)", required = false, style = FileWidget.OPEN_STYLE,
			description = "a real T1 template to simulate the subjects from, e.g. Colin27 ch2bet.nii.gz; empty: the phantom")
	private File template;

	@Parameter(label = "Atlas labels (optional)", required = false, style = FileWidget.OPEN_STYLE,
			description = "label image on the template's grid with AAL's names, e.g. aal.nii.gz")
	private File atlas;

	@Parameter(label = "Atlas label names (optional)", required = false, style = FileWidget.OPEN_STYLE, description = "'value name' lines, e.g. aal.nii.txt")
	private File atlas_names;

	@Parameter(label = "Threads", min = "0", description = "0: all cores; 1: a single thread, so that a rerun with the same seed gives bit-identical weights",
			attrs = @Attr(name = "group", value = "Advanced"))
	private int threads = 0;

	@Parameter(type = ItemIO.OUTPUT, label = "Summary")
	private String summary;

	@Parameter
	private LogService log;

	@Parameter(required = false)
	private StatusService status;

	@Override
	public void run() {
		CommandFailure.guard("Train Built-in Network", log, () -> {
			try {
				Class.forName("org.tensorflow.TensorFlow", false, TrainBuiltinNetworkCommand.class.getClassLoader());
			} catch (final ClassNotFoundException e) {
				throw new CommandFailure("training needs TensorFlow, which is not installed: in Fiji, enable the update site 'Progression Probe TensorFlow'"
						+ " (Help > Update... > Manage update sites)", e);
			}
			final TrainingSettings settings;
			try {
				settings = new TrainingSettings(network, seed, steps, batch, subjects, held_out, voxel_size_mm, channels, levels,
						TrainingSettings.inputSize(input_size),
						learning_rate, max_rotation_deg, max_shift_mm, roi_views, aligned_views, regional_weight, volume_weight, motion_first, global_motion,
						split_motion, path(template), path(atlas), path(atlas_names), threads);
			} catch (final IllegalArgumentException e) {
				throw new CommandFailure(e.getMessage(), e);
			}
			final NetworkTraining.Result r = new NetworkTraining(settings, new StatusProgress(status, log)).run(output.toPath());
			summary = "builtin-" + settings.network() + ": " + r.summary() + " -> " + output;
			log.info(summary);
		});
	}

	private static java.nio.file.Path path(final File f) {
		return f == null || f.getPath().isEmpty() ? null : f.toPath();
	}
}
