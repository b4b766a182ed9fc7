package org.progressionprobe.study;

import java.io.File;
import java.util.List;

import org.progressionprobe.command.ParameterLists;
import org.progressionprobe.command.CommandFailure;
import org.progressionprobe.command.StatusProgress;
import org.progressionprobe.features.PairFeatures;
import org.progressionprobe.pipeline.FeatureBatch;
import org.progressionprobe.table.Cohort;
import org.scijava.ItemIO;
import org.scijava.app.StatusService;
import org.scijava.command.Command;
import org.scijava.log.LogService;
import org.scijava.plugin.Parameter;
import org.scijava.plugin.Plugin;
import org.scijava.widget.FileWidget;

/**
 * The batch form of Change Features and Model Features: one feature row per subject of a cohort
 * file, after the chosen alignment and crop, into one feature table that Train Probe reads.
 * Resumable: run it again after a kill or a failed subject and only the missing rows are computed.
 */
@Plugin(type = Command.class, menuPath = "Plugins>Progression Probe>Cohort Features", headless = true,
		description = "Feature table of a cohort (change features or a network's layers), aligned and cropped as chosen; resumable")
public class CohortFeaturesCommand implements Command {

	@Parameter(label = "Cohort file", style = FileWidget.OPEN_STYLE, description = "CSV: subject, baseline, followup, label")
	private File cohort;

	@Parameter(label = "Output feature table", style = FileWidget.SAVE_STYLE)
	private File output;

	@Parameter(label = "Extractor", required = false, description = "change, a model package (folder or .zip), or a built-in model: builtin-unet, builtin-registration")
	private String extractor = FeatureSetting.CHANGE;

	@Parameter(label = "Alignment", required = false, choices = { "none", "pair", "atlas" })
	private String alignment = "none";

	@Parameter(label = "ROI crop", required = false, choices = { "off", "on" })
	private String roi = "off";

	@Parameter(label = "ROI labels", required = false, description = "atlas label names or patterns of the region of interest")
	private String roi_labels = StudyPlan.DEFAULT_ROI_LABELS;

	@Parameter(label = "ROI margin (mm)", required = false, min = "0")
	private double margin_mm = StudyPlan.DEFAULT_MARGIN_MM;

	@Parameter(label = "Atlas template", required = false, style = FileWidget.OPEN_STYLE)
	private File atlas;

	@Parameter(label = "Atlas labels", required = false, style = FileWidget.OPEN_STYLE)
	private File atlas_labels;

	@Parameter(label = "Atlas label names", required = false, style = FileWidget.OPEN_STYLE)
	private File atlas_names;

	@Parameter(label = "Layers", required = false, description = "model feature layers (empty = all declared)")
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
					new StudyPlan.ModelOptions(layers, pooling, combine, device, prealign), AtlasSource.of(atlas, atlas_labels, atlas_names));
			final FeatureSetting setting = plan.settings().get(0);
			final StatusProgress progress = new StatusProgress(status, log);
			final Cohort c = Cohort.read(cohort.toPath(), false);
			final FeatureBatch.Result r;
			try (PairFeatures features = setting.createFeatures(progress)) {
				r = new FeatureBatch(setting.createSource(progress), features, progress).run(c, output.toPath());
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
