package org.progressionprobe.study;

import java.io.File;
import java.util.List;

import org.progressionprobe.align.AtlasSource;
import org.progressionprobe.command.ParameterLists;
import org.progressionprobe.command.CommandFailure;
import org.progressionprobe.command.OverallProgress;
import org.progressionprobe.features.PairExtractor;
import org.progressionprobe.pipeline.FeatureBatch;
import org.progressionprobe.table.Cohort;
import org.progressionprobe.volume.AtlasResolution;
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
 * The batch form of Change Features and Model Features: one feature row per subject of a cohort
 * file, after the chosen alignment and crop, into one feature table that Train Probe reads.
 * Resumable: run it again after a kill or a failed subject and only the missing rows are computed.
 */
@Plugin(type = Command.class, menu = { @Menu(label = "Plugins"), @Menu(label = "Progression Probe"), @Menu(label = "Features", weight = 3),
		@Menu(label = "Cohort Features", weight = 3) }, headless = true,
		description = "Feature table of a cohort (change features or a network's layers), aligned and cropped as chosen; resumable")
public class CohortFeaturesCommand implements Command {

	@Parameter(label = "Cohort file", style = FileWidget.OPEN_STYLE, description = "CSV: subject, baseline, followup, label")
	private File cohort;

	@Parameter(label = "Output feature table", style = FileWidget.SAVE_STYLE)
	private File output;

	@Parameter(label = "Extractor", required = false, description = "change, a model package (folder or .zip), or a built-in model: builtin-unet, builtin-registration")
	private String extractor = StudySetting.CHANGE;

	@Parameter(label = "Alignment", required = false, choices = { "none", "pair", "atlas" })
	private String alignment = "none";

	@Parameter(label = "ROI crop", required = false, choices = { "off", "on" })
	private String roi = "off";

	@Parameter(label = "ROI labels", required = false, description = "atlas label names or patterns of the region of interest",
			attrs = @Attr(name = "group", value = "Advanced"))
	private String roi_labels = StudyPlan.DEFAULT_ROI_LABELS;

	@Parameter(label = "ROI margin (mm)", required = false, min = "0", attrs = @Attr(name = "group", value = "Advanced"))
	private double margin_mm = StudyPlan.DEFAULT_MARGIN_MM;

	@Parameter(label = "Atlas template", required = false, style = FileWidget.OPEN_STYLE)
	private File atlas;

	@Parameter(label = "Atlas labels", required = false, style = FileWidget.OPEN_STYLE)
	private File atlas_labels;

	@Parameter(label = "Atlas label names", required = false, style = FileWidget.OPEN_STYLE)
	private File atlas_names;

	@Parameter(label = "Atlas voxel size (mm)", required = false, attrs = @Attr(name = "group", value = "Advanced"),
			description = "voxel size of atlas space for alignment=atlas: blank = the scans' (never finer than the atlas), a size in mm, or 'atlas' for the atlas's own grid")
	private String atlas_voxel_mm = "";

	@Parameter(label = "Threads", required = false, attrs = @Attr(name = "group", value = "Advanced"), min = "0", description = "worker threads (0 = one per core); results do not depend on it")
	private int threads = 0;

	@Parameter(label = "Pairs at once", required = false, attrs = @Attr(name = "group", value = "Advanced"), min = "1",
			description = "pairs prepared and extracted at the same time (memory grows with it); results do not depend on it")
	private int parallel_pairs = 1;

	@Parameter(label = "Layers", required = false, description = "model feature layers (empty = all declared)",
			attrs = @Attr(name = "group", value = "Advanced"))
	private String layers = "";

	@Parameter(label = "Pooling", required = false, description = "model feature pooling: gap, gmp, roi, grid",
			attrs = { @Attr(name = "group", value = "Advanced"), @Attr(name = "options", value = "gap,gmp,roi,grid") })
	private String pooling = "gap";

	@Parameter(label = "Pooling regions", required = false, choices = { "grid", "atlas" }, attrs = @Attr(name = "group", value = "Advanced"),
			description = "regions of none and pair settings without a crop: a 3x3x3 grid, or the atlas regions carried onto the baseline")
	private String pooling_regions = "grid";

	@Parameter(label = "Combine", required = false, description = "single-scan models: diff, concat or both", choices = { "diff", "concat", "both" },
			attrs = @Attr(name = "group", value = "Advanced"))
	private String combine = "diff";

	@Parameter(label = "Device", required = false, choices = { "cpu", "gpu" }, attrs = @Attr(name = "group", value = "Advanced"))
	private String device = "cpu";

	@Parameter(label = "Change features: pre-registration", required = false, choices = { "affine", "rigid", "none" },
			description = "the change extractor's own registration of the follow-up onto the baseline before the deformable one")
	private String prealign = StudyPlan.DEFAULT_PREALIGN;

	@Parameter(type = ItemIO.OUTPUT, label = "Summary")
	private String summary;

	@Parameter
	private LogService log;

	@Parameter
	private StatusService status;

	@Override
	public void run() {
		CommandFailure.guard("Cohort Features", log, () -> {
			final StudyPlan plan = new StudyPlan(List.of(alignment), List.of(roi), ParameterLists.split(roi_labels), margin_mm, List.of(extractor),
					new StudyPlan.ModelOptions(layers, pooling, combine, device, prealign), AtlasSource.of(atlas, atlas_labels, atlas_names),
					AtlasResolution.parse(atlas_voxel_mm));
			final StudySetting setting = plan.settings().get(0).withRegions(StudySetting.Regions.parse(pooling_regions));
			final OverallProgress progress = new OverallProgress("Cohort Features", status, log);
			final Cohort c = Cohort.read(cohort.toPath(), false);
			final FeatureBatch.Result r;
			try (PairExtractor features = setting.createFeatures(progress)) {
				r = new FeatureBatch(setting.createSource(progress), features, progress, threads, parallel_pairs).run(c, output.toPath());
			}
			summary = r.computed() + " computed, " + r.reused() + " reused" + (r.complete() ? "; wrote " + output
					: "; " + r.failures().size() + " failed (see " + output + ".errors.csv)");
			log.info("Cohort Features: " + summary);
			if (!r.complete())
				throw new CommandFailure("Cohort Features: " + (r.failures().size() == c.size() ? "no subject succeeded, all " : "")
						+ r.failures().size() + " of " + c.size() + " subjects failed, e.g. " + r.failures().entrySet().iterator().next()
						+ (r.failures().size() == c.size() ? "" : "; the others are kept, run again to retry") + " (errors in " + output + ".errors.csv)");
		});
	}
}
