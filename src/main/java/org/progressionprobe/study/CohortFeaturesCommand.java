package org.progressionprobe.study;

import java.io.File;
import java.util.List;

import org.progressionprobe.command.CommandFailure;
import org.progressionprobe.command.OverallProgress;
import org.progressionprobe.features.PairExtractor;
import org.progressionprobe.pipeline.FeatureBatch;
import org.progressionprobe.table.Cohort;
import org.scijava.ItemIO;
import org.scijava.command.Command;
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
public class CohortFeaturesCommand extends CohortCommand {

	@Parameter(label = "Output feature table", style = FileWidget.SAVE_STYLE)
	private File output;

	@Parameter(label = "Extractor", required = false, description = "change, a model package (folder or .zip), or a built-in model: builtin-unet, builtin-registration")
	private String extractor = StudySetting.CHANGE;

	@Parameter(label = "Alignment", required = false, choices = { "none", "pair", "atlas" })
	private String alignment = StudyPlan.DEFAULT_ALIGNMENT;

	@Parameter(label = "ROI crop", required = false, choices = { "off", "on" })
	private String roi = StudyPlan.DEFAULT_ROI;

	@Parameter(label = "Change features: pre-registration", required = false, choices = { "affine", "rigid", "none" },
			description = "the change extractor's own registration of the follow-up onto the baseline before the deformable one")
	private String prealign = StudyPlan.DEFAULT_PREALIGN;

	@Parameter(label = "Layers", required = false, description = "model feature layers (empty = all declared)",
			attrs = @Attr(name = "group", value = "Advanced"))
	private String layers = "";

	@Parameter(type = ItemIO.OUTPUT, label = "Summary")
	private String summary;

	@Override
	public void run() {
		CommandFailure.guard("Cohort Features", log, () -> {
			final StudySetting setting = settings(List.of(alignment), List.of(roi), List.of(extractor), layers, prealign).get(0);
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
