package org.progressionprobe.probe;

import java.util.List;

import org.progressionprobe.probe.Evaluation.Estimate;

/**
 * Cross-validation repeated on new grouped stratified splits: each repeat's outcome, the AUC as
 * the mean over repeats (its interval the mean of the repeats' bootstrap bounds), and each row's
 * out-of-fold probability averaged over the repeats, which paired comparisons of settings use.
 *
 * @param repeats one cross-validation per split, the first on the default split
 */
public record RepeatedCrossValidation(List<CrossValidationResult> repeats) {

	public RepeatedCrossValidation {
		if (repeats.isEmpty())
			throw new IllegalArgumentException("No repeats");
		repeats = List.copyOf(repeats);
	}

	/** The mean over repeats of a pooled metric, with the mean of the repeats' interval bounds. */
	public Estimate mean(final Metric metric) {
		double v = 0, lo = 0, hi = 0;
		for (final CrossValidationResult r : repeats) {
			final Estimate e = r.evaluation().pooled(metric);
			v += e.value();
			lo += e.low();
			hi += e.high();
		}
		final int n = repeats.size();
		return new Estimate(v / n, lo / n, hi / n);
	}

	/** Standard deviation of the pooled AUC over repeats (0 for one repeat): how much the split alone moves it. */
	public double aucSpread() {
		final double mean = mean(Metric.AUC).value();
		double s = 0;
		for (final CrossValidationResult r : repeats) {
			final double d = r.evaluation().pooled(Metric.AUC).value() - mean;
			s += d * d;
		}
		return repeats.size() < 2 ? 0 : Math.sqrt(s / (repeats.size() - 1));
	}

	/** Each row's out-of-fold probability averaged over the repeats. */
	public double[] meanProbabilities() {
		final double[] out = repeats.get(0).probabilities();
		for (int r = 1; r < repeats.size(); r++) {
			final double[] p = repeats.get(r).probabilities();
			for (int i = 0; i < out.length; i++)
				out[i] += p[i];
		}
		for (int i = 0; i < out.length; i++)
			out[i] /= repeats.size();
		return out;
	}

	/** The first repeat (the default split). */
	public CrossValidationResult first() {
		return repeats.get(0);
	}
}
