package org.progressionprobe.report;

import java.io.File;
import java.nio.file.Path;
import java.util.List;

import org.progressionprobe.align.AtlasSource;
import org.progressionprobe.align.TransformCache;
import org.progressionprobe.command.ParameterLists;
import org.progressionprobe.command.CommandFailure;
import org.progressionprobe.command.OverallProgress;
import org.progressionprobe.features.model.ScanFeatureCache;
import org.progressionprobe.probe.ProbeSettings;
import org.progressionprobe.study.FeatureTableBuilder;
import org.progressionprobe.study.Study;
import org.progressionprobe.study.StudyPlan;
import org.progressionprobe.study.StudyResult;
import org.progressionprobe.study.StudySetting;
import org.progressionprobe.study.StudyStatistics;
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
 * Runs the study grid on a cohort: every combination of the chosen alignments, crop options and
 * extractors, a cross-validated probe for each (repeated, permutation-tested), the comparison
 * table, the paired comparisons, nested cross-validation and the report ({@code report.html}).
 */
@Plugin(type = Command.class, menu = { @Menu(label = "Plugins"), @Menu(label = "Progression Probe"), @Menu(label = "Study", weight = 5),
		@Menu(label = "Run Study", weight = 2) }, headless = true,
		description = "Compare alignments, crops, extractors and layers on a cohort: feature tables, cross-validated probes, comparison table, paired comparisons, nested best-of-grid estimate and report.html")
public class RunStudyCommand implements Command {

	@Parameter(label = "Cohort file", style = FileWidget.OPEN_STYLE, description = "CSV: subject, baseline, followup, label")
	private File cohort;

	@Parameter(label = "Output folder", style = FileWidget.DIRECTORY_STYLE)
	private File output_dir;

	@Parameter(label = "Alignments", required = false, description = "comma-separated: none, pair, atlas",
			attrs = @Attr(name = "options", value = "none,pair,atlas"))
	private String alignments = "none,pair,atlas";

	@Parameter(label = "ROI crop", required = false, description = "comma-separated: off, on", attrs = @Attr(name = "options", value = "off,on"))
	private String roi = "off";

	@Parameter(label = "ROI labels", required = false, description = "atlas label names or patterns of the region of interest",
			attrs = @Attr(name = "group", value = "Advanced"))
	private String roi_labels = StudyPlan.DEFAULT_ROI_LABELS;

	@Parameter(label = "ROI margin (mm)", required = false, min = "0", attrs = @Attr(name = "group", value = "Advanced"))
	private double margin_mm = StudyPlan.DEFAULT_MARGIN_MM;

	@Parameter(label = "Extractors", required = false, description = "comma-separated: change, model packages, or built-in models (builtin-unet, builtin-registration)")
	private String extractors = StudySetting.CHANGE;

	@Parameter(label = "Layers", required = false, description = "feature layers of the models (empty = all declared)")
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

	@Parameter(label = "Folds", required = false, min = "2", attrs = @Attr(name = "group", value = "Advanced"))
	private int folds = 5;

	@Parameter(label = "Seed", required = false, attrs = @Attr(name = "group", value = "Advanced"))
	private long seed = 0;

	@Parameter(label = "Bootstrap replicates", required = false, min = "0", attrs = @Attr(name = "group", value = "Advanced"))
	private int bootstrap = 1000;

	@Parameter(label = "C (empty = inner cross-validation)", required = false, attrs = @Attr(name = "group", value = "Advanced"))
	private String c = "";

	@Parameter(label = "Cross-validation repeats", required = false, attrs = @Attr(name = "group", value = "Advanced"), min = "1", description = "new grouped stratified splits; AUC = mean over repeats (5 recommended)")
	private int repeats = 1;

	@Parameter(label = "Permutations", required = false, attrs = @Attr(name = "group", value = "Advanced"), min = "0", description = "label permutations per setting for the above-chance test (0 = none)")
	private int permutations = 0;

	@Parameter(label = "Nested cross-validation", required = false, attrs = @Attr(name = "group", value = "Advanced"), description = "an honest estimate of the best setting, beside the naive best")
	private boolean nested = true;

	@Parameter(type = ItemIO.OUTPUT, label = "Comparison")
	private String table;

	@Parameter
	private LogService log;

	@Parameter
	private StatusService status;

	@Override
	public void run() {
		CommandFailure.guard("Run Study", log, () -> {
			final StudyPlan plan = new StudyPlan(ParameterLists.split(alignments), ParameterLists.split(roi), ParameterLists.split(roi_labels), margin_mm, ParameterLists.split(extractors),
					new StudyPlan.ModelOptions(layers, pooling, combine, device, prealign), AtlasSource.of(atlas, atlas_labels, atlas_names),
					AtlasResolution.parse(atlas_voxel_mm));
			final ProbeSettings probe = ProbeSettings.defaults().withFolds(folds).withSeed(seed).withBootstrap(bootstrap).withC(ProbeSettings.parseC(c));
			final Path out = output_dir.toPath();
			final Cohort c = Cohort.readLabelled(cohort.toPath());
			final OverallProgress progress = new OverallProgress("Run Study", status, log);
			final FeatureTableBuilder tables = FeatureTableBuilder.local(new TransformCache(out.resolve(Study.TRANSFORMS_DIR)),
					new ScanFeatureCache(out.resolve(Study.SCAN_FEATURES_DIR)), progress, threads, parallel_pairs);
			final List<StudyResult> results = new Study(StudySetting.withRegions(plan.settings(), StudySetting.Regions.parse(pooling_regions)), probe, tables, progress)
					.withStatistics(new StudyStatistics(repeats, permutations, nested)).run(c, out);
			table = Study.table(results);
			log.info("Run Study:\n" + table + "Report: " + new StudyReport(out).write());
			Study.requireSuccess(results);
			final String failed = Study.failures(results);
			if (failed != null)
				log.warn("Run Study: " + failed);
		});
	}

}
