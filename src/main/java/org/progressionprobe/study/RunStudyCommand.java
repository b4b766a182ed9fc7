package org.progressionprobe.study;

import java.io.File;
import java.nio.file.Path;
import java.util.List;

import org.progressionprobe.command.ParameterLists;
import org.progressionprobe.command.CommandFailure;
import org.progressionprobe.command.StatusProgress;
import org.progressionprobe.probe.ProbeSettings;
import org.progressionprobe.table.Cohort;
import org.scijava.ItemIO;
import org.scijava.app.StatusService;
import org.scijava.command.Command;
import org.scijava.log.LogService;
import org.scijava.plugin.Parameter;
import org.scijava.plugin.Plugin;
import org.scijava.widget.FileWidget;

/**
 * Runs the study grid on a cohort: every combination of the chosen alignments, crop options and
 * extractors, a cross-validated probe for each, and the comparison table and figure.
 */
@Plugin(type = Command.class, menuPath = "Plugins>Progression Probe>Run Study", headless = true,
		description = "Compare alignments, crops, extractors and layers on a cohort: feature tables, cross-validated probes, comparison table and plot")
public class RunStudyCommand implements Command {

	@Parameter(label = "Cohort file", style = FileWidget.OPEN_STYLE, description = "CSV: subject, baseline, followup, label")
	private File cohort;

	@Parameter(label = "Output folder", style = FileWidget.DIRECTORY_STYLE)
	private File output_dir;

	@Parameter(label = "Alignments", required = false, description = "comma-separated: none, pair, atlas")
	private String alignments = "none,pair,atlas";

	@Parameter(label = "ROI crop", required = false, description = "comma-separated: off, on")
	private String roi = "off";

	@Parameter(label = "ROI labels", required = false, description = "atlas label names or patterns of the region of interest")
	private String roi_labels = StudyPlan.DEFAULT_ROI_LABELS;

	@Parameter(label = "ROI margin (mm)", required = false, min = "0")
	private double margin_mm = StudyPlan.DEFAULT_MARGIN_MM;

	@Parameter(label = "Extractors", required = false, description = "comma-separated: change, model packages, or built-in models (builtin-unet, builtin-registration)")
	private String extractors = FeatureSetting.CHANGE;

	@Parameter(label = "Layers", required = false, description = "feature layers of the models (empty = all declared)")
	private String layers = "";

	@Parameter(label = "Pooling", required = false, description = "model feature pooling: gap, gmp, roi, grid")
	private String pooling = "gap";

	@Parameter(label = "Combine", required = false, description = "single-scan models: diff, concat or both")
	private String combine = "diff";

	@Parameter(label = "Device", required = false, choices = { "cpu", "gpu" })
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

	@Parameter(label = "Folds", required = false, min = "2")
	private int folds = 5;

	@Parameter(label = "Seed", required = false)
	private long seed = 0;

	@Parameter(label = "Bootstrap replicates", required = false, min = "0")
	private int bootstrap = 1000;

	@Parameter(label = "C (empty = inner cross-validation)", required = false)
	private String c = "";

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
					new StudyPlan.ModelOptions(layers, pooling, combine, device, prealign), AtlasSource.of(atlas, atlas_labels, atlas_names));
			final ProbeSettings probe = ProbeSettings.defaults().withFolds(folds).withSeed(seed).withBootstrap(bootstrap).withC(ProbeSettings.parseC(c));
			final Path out = output_dir.toPath();
			final Cohort c = Cohort.readLabelled(cohort.toPath());
			final List<StudyResult> results = new Study(plan.settings(), probe, new StatusProgress(status, log)).run(c, out);
			table = Study.table(results);
			log.info("Run Study:\n" + table);
			Study.requireSuccess(results);
			final String failed = Study.failures(results);
			if (failed != null)
				log.warn("Run Study: " + failed);
		});
	}

}
