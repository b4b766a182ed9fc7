package org.progressionprobe.report;

import java.io.File;
import java.nio.file.Path;
import java.util.List;

import org.progressionprobe.command.ParameterLists;
import org.progressionprobe.command.CommandFailure;
import org.progressionprobe.command.OverallProgress;
import org.progressionprobe.probe.ProbeSettings;
import org.progressionprobe.study.CohortCommand;
import org.progressionprobe.study.FeatureTableBuilder;
import org.progressionprobe.study.Study;
import org.progressionprobe.study.StudyPlan;
import org.progressionprobe.study.StudyResult;
import org.progressionprobe.study.StudySetting;
import org.progressionprobe.study.StudyStatistics;
import org.progressionprobe.table.Cohort;
import org.scijava.ItemIO;
import org.scijava.command.Command;
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
public class RunStudyCommand extends CohortCommand {

	@Parameter(label = "Output folder", style = FileWidget.DIRECTORY_STYLE)
	private File output_dir;

	@Parameter(label = "Alignments", required = false, description = "comma-separated: none, pair, atlas",
			attrs = @Attr(name = "options", value = "none,pair,atlas"))
	private String alignments = StudyPlan.DEFAULT_ALIGNMENTS;

	@Parameter(label = "ROI crop", required = false, description = "comma-separated: off, on", attrs = @Attr(name = "options", value = "off,on"))
	private String roi = StudyPlan.DEFAULT_ROI;

	@Parameter(label = "Extractors", required = false, description = "comma-separated: change, model packages, or built-in models (builtin-unet, builtin-registration)")
	private String extractors = StudySetting.CHANGE;

	@Parameter(label = "Layers", required = false, description = "feature layers of the models (empty = all declared)")
	private String layers = "";

	@Parameter(label = "Change features: pre-registration", required = false, choices = { "affine", "rigid", "none" },
			description = "the change extractor's own registration of the follow-up onto the baseline before the deformable one")
	private String prealign = StudyPlan.DEFAULT_PREALIGN;

	@Parameter(label = "Folds", required = false, min = "" + ProbeSettings.MIN_FOLDS, attrs = @Attr(name = "group", value = "Advanced"))
	private int folds = ProbeSettings.defaults().folds();

	@Parameter(label = "Seed", required = false, attrs = @Attr(name = "group", value = "Advanced"))
	private long seed = ProbeSettings.defaults().seed();

	@Parameter(label = "Bootstrap replicates", required = false, min = "0", attrs = @Attr(name = "group", value = "Advanced"))
	private int bootstrap = ProbeSettings.defaults().bootstrap();

	@Parameter(label = "C (empty = inner cross-validation)", required = false, attrs = @Attr(name = "group", value = "Advanced"))
	private String c = "";

	@Parameter(label = "Cross-validation repeats", required = false, attrs = @Attr(name = "group", value = "Advanced"), min = "" + StudyStatistics.MIN_REPEATS, description = "new grouped stratified splits; AUC = mean over repeats (5 recommended)")
	private int repeats = StudyStatistics.defaults().repeats();

	@Parameter(label = "Permutations", required = false, attrs = @Attr(name = "group", value = "Advanced"), min = "0", description = "label permutations per setting for the above-chance test (0 = none)")
	private int permutations = StudyStatistics.defaults().permutations();

	@Parameter(label = "Nested cross-validation", required = false, attrs = @Attr(name = "group", value = "Advanced"), description = "an honest estimate of the best setting, beside the naive best")
	private boolean nested = StudyStatistics.defaults().nested();

	@Parameter(type = ItemIO.OUTPUT, label = "Comparison")
	private String table;

	@Override
	public void run() {
		CommandFailure.guard("Run Study", log, () -> {
			final List<StudySetting> settings = settings(ParameterLists.split(alignments), ParameterLists.split(roi), ParameterLists.split(extractors),
					layers, prealign);
			final ProbeSettings probe = ProbeSettings.defaults().withFolds(folds).withSeed(seed).withBootstrap(bootstrap).withC(ProbeSettings.parseC(c));
			final Path out = output_dir.toPath();
			final Cohort c = Cohort.readLabelled(cohort.toPath());
			final OverallProgress progress = new OverallProgress("Run Study", status, log);
			final FeatureTableBuilder tables = FeatureTableBuilder.cachedIn(out, progress, threads, parallel_pairs);
			final List<StudyResult> results = new Study(settings, probe, tables, progress)
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
