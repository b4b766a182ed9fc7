package org.progressionprobe.probe;

import java.io.File;
import java.util.LinkedHashMap;
import java.util.Map;

import org.progressionprobe.command.CommandFailure;
import org.progressionprobe.table.FeatureTable;
import org.scijava.ItemIO;
import org.scijava.command.Command;
import org.scijava.log.LogService;
import org.scijava.plugin.Menu;
import org.scijava.plugin.Parameter;
import org.scijava.plugin.Plugin;
import org.scijava.widget.FileWidget;

/** Applies a saved probe to a feature table of new pairs and writes their predictions. */
@Plugin(type = Command.class, menu = { @Menu(label = "Plugins"), @Menu(label = "Progression Probe"), @Menu(label = "Probe", weight = 4),
		@Menu(label = "Apply Probe", weight = 2) }, headless = true,
		description = "Predicted probability of progression for each row of a feature table, from a probe saved by Train Probe")
public class ApplyProbeCommand implements Command {

	@Parameter(label = "Probe", style = FileWidget.OPEN_STYLE, description = "probe.tribuo written by Train Probe")
	private File probe;

	@Parameter(label = "Feature table", style = FileWidget.OPEN_STYLE, description = "CSV with subject and the probe's feature columns")
	private File features;

	@Parameter(label = "Predictions", style = FileWidget.SAVE_STYLE, description = "CSV: subject, probability, predicted (and label if present)")
	private File output;

	@Parameter(label = "Label column", required = false)
	private String label_column = ProbeColumns.LABEL;

	@Parameter(type = ItemIO.OUTPUT, label = "Summary")
	private String summary;

	@Parameter
	private LogService log;

	@Override
	public void run() {
		CommandFailure.guard("Apply Probe", log, () -> {
			final TrainedProbe p = TrainedProbe.load(probe.toPath());
			final FeatureTable table = FeatureTable.read(features.toPath());
			final Predictions predictions = p.predict(table, new ProbeColumns(ProbeColumns.SUBJECT, label_column, null), features.toString());
			final Map<String, String> prov = new LinkedHashMap<>(p.describe());
			prov.put("probe_file", probe.toString());
			prov.put("features_file", features.toString());
			table.provenance().forEach((k, v) -> prov.putIfAbsent(k, v));
			predictions.write(output.toPath(), prov);
			int positive = 0;
			for (final int v : predictions.predicted())
				positive += v;
			summary = predictions.subjects().size() + " rows, " + positive + " predicted to progress (probability >= " + p.threshold() + "); wrote "
					+ output;
			log.info(summary);
		});
	}
}
