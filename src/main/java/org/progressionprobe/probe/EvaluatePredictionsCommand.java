package org.progressionprobe.probe;

import java.io.File;
import java.util.LinkedHashMap;
import java.util.Map;

import org.progressionprobe.command.CommandFailure;
import org.progressionprobe.table.FeatureTable;
import org.scijava.ItemIO;
import org.scijava.command.Command;
import org.scijava.log.LogService;
import org.scijava.plugin.Attr;
import org.scijava.plugin.Menu;
import org.scijava.plugin.Parameter;
import org.scijava.plugin.Plugin;
import org.scijava.widget.FileWidget;

/** Metrics with bootstrap intervals and a ROC plot for predictions made elsewhere. */
@Plugin(type = Command.class, menu = { @Menu(label = "Plugins"), @Menu(label = "Progression Probe"), @Menu(label = "Probe", weight = 4),
		@Menu(label = "Evaluate Predictions", weight = 3) }, headless = true,
		description = "AUC, F1, balanced accuracy, sensitivity, specificity with subject-bootstrap intervals, and the ROC plot, for a predictions CSV")
public class EvaluatePredictionsCommand implements Command {

	@Parameter(label = "Predictions", style = FileWidget.OPEN_STYLE, description = "CSV with a 0/1 label column and a probability column")
	private File predictions;

	@Parameter(label = "Output folder", style = FileWidget.DIRECTORY_STYLE)
	private File output_dir;

	@Parameter(label = "Label column", required = false)
	private String label_column = ProbeColumns.LABEL;

	@Parameter(label = "Probability column", required = false)
	private String probability_column = "probability";

	@Parameter(label = "Group column", required = false, description = "bootstrap unit; empty: group, else subject, else each row",
			attrs = @Attr(name = "group", value = "Advanced"))
	private String group_column = "";

	@Parameter(label = "Threshold", required = false, description = "probability from which a row counts as predicted 1")
	private double threshold = ProbeSettings.defaults().threshold();

	@Parameter(label = "Bootstrap replicates", required = false, min = "0", attrs = @Attr(name = "group", value = "Advanced"))
	private int bootstrap = ProbeSettings.defaults().bootstrap();

	@Parameter(label = "Seed", required = false, attrs = @Attr(name = "group", value = "Advanced"))
	private long seed = ProbeSettings.defaults().seed();

	@Parameter(type = ItemIO.OUTPUT, label = "Summary")
	private String summary;

	@Parameter
	private LogService log;

	@Override
	public void run() {
		CommandFailure.guard("Evaluate Predictions", log, () -> {
			final FeatureTable table = FeatureTable.read(predictions.toPath());
			final Evaluation evaluation = PredictionTable.of(table, label_column, probability_column, group_column, predictions.toString())
					.evaluate(threshold, bootstrap, seed);
			final Map<String, Object> extra = new LinkedHashMap<>();
			extra.put("predictions_file", predictions.toString());
			extra.put("seed", seed);
			new ProbeReport(output_dir.toPath()).writeEvaluation(evaluation, "ROC of " + predictions.getName(), extra);
			summary = evaluation.summary();
			log.info(summary);
		});
	}
}
