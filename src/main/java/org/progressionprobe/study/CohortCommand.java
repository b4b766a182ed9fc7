package org.progressionprobe.study;

import java.io.File;
import java.io.IOException;
import java.util.List;

import org.progressionprobe.align.AtlasSource;
import org.progressionprobe.align.RoiBox;
import org.progressionprobe.command.ParameterLists;
import org.progressionprobe.volume.AtlasResolution;
import org.scijava.app.StatusService;
import org.scijava.command.Command;
import org.scijava.log.LogService;
import org.scijava.plugin.Attr;
import org.scijava.plugin.Parameter;
import org.scijava.widget.FileWidget;

/**
 * The parameters that Cohort Features and Run Study share: the cohort, the atlas, how the scans are
 * cropped and pooled, how model features are read, and how many threads and pairs run at once. Each
 * default is its settings class's. SciJava lists inherited parameters first, so the cohort and
 * the atlas (the inputs) lead each dialog, before the command's own output and choices; the shared
 * advanced settings wait in the advanced dialog before the command's own.
 */
public abstract class CohortCommand implements Command {

	@Parameter(label = "Cohort file", style = FileWidget.OPEN_STYLE, description = "CSV: subject, baseline, followup, label")
	protected File cohort;

	@Parameter(label = "Atlas template", required = false, style = FileWidget.OPEN_STYLE)
	private File atlas;

	@Parameter(label = "Atlas labels", required = false, style = FileWidget.OPEN_STYLE)
	private File atlas_labels;

	@Parameter(label = "Atlas label names", required = false, style = FileWidget.OPEN_STYLE)
	private File atlas_names;

	@Parameter(label = "ROI labels", required = false, description = "atlas label names or patterns of the region of interest",
			attrs = @Attr(name = "group", value = "Advanced"))
	private String roi_labels = StudyPlan.DEFAULT_ROI_LABELS;

	@Parameter(label = "ROI margin (mm)", required = false, min = "0", attrs = @Attr(name = "group", value = "Advanced"))
	private double margin_mm = RoiBox.DEFAULT_MARGIN_MM;

	@Parameter(label = "Pooling", required = false, description = "model feature pooling: gap, gmp, roi, grid",
			attrs = { @Attr(name = "group", value = "Advanced"), @Attr(name = "options", value = "gap,gmp,roi,grid") })
	private String pooling = StudyPlan.ModelOptions.defaults().pooling();

	@Parameter(label = "Pooling regions", required = false, choices = { "grid", "atlas" }, attrs = @Attr(name = "group", value = "Advanced"),
			description = "regions of none and pair settings without a crop: a 3x3x3 grid, or the atlas regions carried onto the baseline")
	private String pooling_regions = StudySetting.Regions.GRID.key();

	@Parameter(label = "Combine", required = false, description = "single-scan models: diff, concat or both", choices = { "diff", "concat", "both" },
			attrs = @Attr(name = "group", value = "Advanced"))
	private String combine = StudyPlan.ModelOptions.defaults().combine();

	@Parameter(label = "Device", required = false, choices = { "cpu", "gpu" }, attrs = @Attr(name = "group", value = "Advanced"))
	private String device = StudyPlan.ModelOptions.defaults().device();

	@Parameter(label = "Atlas voxel size (mm)", required = false, attrs = @Attr(name = "group", value = "Advanced"),
			description = "voxel size of atlas space for alignment=atlas: blank = the scans' (never finer than the atlas), a size in mm, or 'atlas' for the atlas's own grid")
	private String atlas_voxel_mm = "";

	@Parameter(label = "Threads", required = false, attrs = @Attr(name = "group", value = "Advanced"), min = "0", description = "worker threads (0 = one per core); results do not depend on it")
	protected int threads = 0;

	@Parameter(label = "Pairs at once", required = false, attrs = @Attr(name = "group", value = "Advanced"), min = "1",
			description = "pairs prepared and extracted at the same time (memory grows with it); results do not depend on it")
	protected int parallel_pairs = 1;

	@Parameter
	protected LogService log;

	@Parameter
	protected StatusService status;

	/**
	 * The feature settings of these parameters over a grid of alignments, crop options and extractors,
	 * with the model {@code layers} and the change extractor's {@code prealign} of the command.
	 */
	protected List<StudySetting> settings(final List<String> alignments, final List<String> roi, final List<String> extractors, final String layers,
			final String prealign) throws IOException {
		final StudyPlan plan = new StudyPlan(alignments, roi, ParameterLists.split(roi_labels), margin_mm, extractors,
				new StudyPlan.ModelOptions(layers, pooling, combine, device, prealign), AtlasSource.of(atlas, atlas_labels, atlas_names),
				AtlasResolution.parse(atlas_voxel_mm));
		return StudySetting.withRegions(plan.settings(), StudySetting.Regions.parse(pooling_regions));
	}
}
