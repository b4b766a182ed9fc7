package org.progressionprobe.probe;

import java.io.File;
import java.util.List;

import org.progressionprobe.command.CommandFailure;
import org.progressionprobe.command.ParameterValues;
import org.progressionprobe.command.StatusProgress;
import org.progressionprobe.io.AtlasFiles;
import org.progressionprobe.io.VolumeIO;
import org.progressionprobe.volume.Atlas;
import org.scijava.ItemIO;
import org.scijava.app.StatusService;
import org.scijava.command.Command;
import org.scijava.log.LogService;
import org.scijava.plugin.Attr;
import org.scijava.plugin.Menu;
import org.scijava.plugin.Parameter;
import org.scijava.plugin.Plugin;
import org.scijava.widget.FileWidget;

/** Trains a linear probe on a feature table: grouped cross-validated metrics, ROC, the probe fitted on all rows, weights and weight maps. */
@Plugin(type = Command.class, menu = { @Menu(label = "Plugins"), @Menu(label = "Progression Probe"), @Menu(label = "Probe", weight = 4),
		@Menu(label = "Train Probe", weight = 1) }, headless = true,
		description = "Z-scored, class-weighted logistic regression with grouped stratified cross-validation; writes the probe, metrics, ROC plot and weights")
public class TrainProbeCommand implements Command {

	@Parameter(label = "Feature table", style = FileWidget.OPEN_STYLE, description = "CSV with subject, label (0/1) and numeric feature columns")
	private File features;

	@Parameter(label = "Output folder", style = FileWidget.DIRECTORY_STYLE)
	private File output_dir;

	@Parameter(label = "Folds", min = "" + ProbeSettings.MIN_FOLDS, description = "outer cross-validation folds, grouped by subject")
	private int folds = ProbeSettings.defaults().folds();

	@Parameter(label = "Seed", required = false, attrs = @Attr(name = "group", value = "Advanced"))
	private long seed = ProbeSettings.defaults().seed();

	@Parameter(label = "C", required = false, description = "regularisation: a positive number, or empty/auto for inner cross-validation over 1e-3..1e2")
	private String c = "";

	@Parameter(label = "Bootstrap replicates", required = false, min = "0", attrs = @Attr(name = "group", value = "Advanced"))
	private int bootstrap = ProbeSettings.defaults().bootstrap();

	@Parameter(label = "Label column", required = false, attrs = @Attr(name = "group", value = "Advanced"))
	private String label_column = ProbeColumns.LABEL;

	@Parameter(label = "Group column", required = false, description = "rows of one group stay together; empty: group if present, else subject",
			attrs = @Attr(name = "group", value = "Advanced"))
	private String group_column = "";

	@Parameter(label = "Atlas labels", style = FileWidget.OPEN_STYLE, required = false, description = "label image for the weight map (optional)")
	private File labels;

	@Parameter(label = "Atlas label names", style = FileWidget.OPEN_STYLE, required = false, description = "'value name' lines (optional)")
	private File label_names;

	@Parameter(label = "Reference volume", style = FileWidget.OPEN_STYLE, required = false,
			description = "baseline or atlas template: background of the weight map, grid of cell columns (optional)")
	private File reference;

	@Parameter(label = "Grid cells", required = false, description = "cells along x,y,z for _cell_i_j_k columns, e.g. 4,4,4; empty: from the names",
			attrs = @Attr(name = "group", value = "Advanced"))
	private String grid_cells = "";

	@Parameter(type = ItemIO.OUTPUT, label = "Summary")
	private String summary;

	@Parameter(type = ItemIO.OUTPUT, label = "Probe file")
	private File probe;

	@Parameter
	private LogService log;

	@Parameter
	private StatusService status;

	@Override
	public void run() {
		CommandFailure.guard("Train Probe", log, () -> {
			final ProbeSettings settings = ProbeSettings.defaults().withFolds(folds).withSeed(seed).withC(ProbeSettings.parseC(c))
					.withBootstrap(bootstrap);
			final ProbeColumns columns = new ProbeColumns(ProbeColumns.SUBJECT, label_column, group_column);
			final ProbeData data = ProbeData.readForTraining(features.toPath(), columns, folds);
			final ProbeReport.MapSources maps = new ProbeReport.MapSources(labels == null ? null : VolumeIO.read(labels.toPath()),
					label_names == null ? null : AtlasFiles.readNames(label_names.toPath()), reference == null ? null : VolumeIO.read(reference.toPath()),
					parseCells(grid_cells));
			final ProbeTrainer.Training training = new ProbeTrainer(settings, new StatusProgress(status, log)).train(data);
			final List<String> notes = new ProbeReport(output_dir.toPath()).writeTraining(data, training, settings, maps);
			probe = output_dir.toPath().resolve(ProbeReport.PROBE).toFile();
			summary = training.crossValidation().evaluation().summary() + "; C=" + training.probe().c() + "; wrote "
					+ output_dir.toPath().resolve(ProbeReport.PROBE) + (notes.isEmpty() ? "" : "; " + String.join("; ", notes));
			log.info(summary);
		});
	}

	static int[] parseCells(final String text) {
		if (text == null || text.isBlank())
			return null;
		return ParameterValues.integers("grid_cells", text, 3, 1, Integer.MAX_VALUE);
	}
}
