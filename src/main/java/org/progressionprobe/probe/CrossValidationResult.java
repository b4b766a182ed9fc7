package org.progressionprobe.probe;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import org.progressionprobe.table.Csv;

/**
 * The outcome of a probe's cross-validation: each row's fold and out-of-fold probability, the C
 * used in each fold, the evaluation of the pooled out-of-fold predictions, and the seconds spent
 * fitting the fold models (z-scoring and training, without choosing C).
 *
 * @param fold fold per row (0-based)
 * @param probabilities out-of-fold probability of class 1 per row
 * @param cPerFold C used in each fold
 * @param evaluation metrics with bootstrap intervals
 * @param fitSeconds time spent fitting the outer fold models
 */
public record CrossValidationResult(int[] fold, double[] probabilities, double[] cPerFold, Evaluation evaluation, double fitSeconds) {

	public CrossValidationResult {
		fold = fold.clone();
		probabilities = probabilities.clone();
		cPerFold = cPerFold.clone();
	}

	@Override
	public int[] fold() {
		return fold.clone();
	}

	@Override
	public double[] probabilities() {
		return probabilities.clone();
	}

	@Override
	public double[] cPerFold() {
		return cPerFold.clone();
	}

	/** CSV text of the out-of-fold predictions: subject, group, fold (1-based), label, probability, predicted. */
	public String predictionsCsv(final ProbeData data, final Map<String, String> provenance) {
		final StringBuilder sb = new StringBuilder();
		for (final Map.Entry<String, String> e : provenance.entrySet())
			sb.append("# ").append(e.getKey()).append(": ").append(e.getValue().replace('\n', ' ')).append('\n');
		sb.append("subject,group,fold,label,probability,predicted\n");
		final int[] labels = data.labels();
		for (int i = 0; i < probabilities.length; i++) {
			final List<String> row = new ArrayList<>(List.of(data.subjects().get(i), data.groups().get(i), Integer.toString(fold[i] + 1),
					Integer.toString(labels[i]), Csv.number(probabilities[i]), probabilities[i] >= evaluation.threshold() ? "1" : "0"));
			sb.append(Csv.join(row)).append('\n');
		}
		return sb.toString();
	}
}
