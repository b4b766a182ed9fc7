package org.progressionprobe.probe;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * An honest estimate of "the best setting, chosen on this cohort": nested cross-validation over
 * candidate feature sets of the same rows (settings and layers of a study). In each outer fold,
 * every candidate is cross-validated on the outer training part alone (its C chosen once by inner
 * cross-validation of that part, then fixed in the candidate's inner folds, which keeps a grid of
 * dozens of settings at about a minute), the one with the best inner AUC is refitted on the whole
 * training part with its C and scores the outer test part; nothing of the test part enters the choice; the AUC of these pooled outer predictions is the estimate. The
 * naive best (the largest of the candidates' own cross-validated AUCs) is optimistic because the
 * same predictions pick and score it.
 *
 * @param auc AUC of the pooled outer-fold predictions
 * @param chosen the candidate picked in each outer fold
 * @param probabilities outer out-of-fold probability per row
 */
public record NestedCrossValidation(double auc, List<String> chosen, double[] probabilities) {

	public NestedCrossValidation {
		chosen = List.copyOf(chosen);
		probabilities = probabilities.clone();
	}

	/**
	 * Runs nested cross-validation on the default split of {@code trainer}'s settings.
	 *
	 * @param candidates name to rows; all with the same subjects, groups and labels in the same order
	 */
	public static NestedCrossValidation run(final ProbeTrainer trainer, final Map<String, ProbeData> candidates) {
		if (candidates.isEmpty())
			throw new IllegalArgumentException("Nested cross-validation needs at least one candidate");
		final ProbeData first = candidates.values().iterator().next();
		for (final Map.Entry<String, ProbeData> c : candidates.entrySet())
			if (!c.getValue().subjects().equals(first.subjects()) || !c.getValue().groups().equals(first.groups())
					|| !java.util.Arrays.equals(c.getValue().labels(), first.labels()))
				throw new IllegalArgumentException("Candidate " + c.getKey() + " has other rows than " + first.source());
		final ProbeTrainer quiet = trainer.quiet();
		final int[] labels = first.labels();
		final int[] fold = quiet.folds(labels, first.groups(), 0);
		final int k = java.util.Arrays.stream(fold).max().orElse(-1) + 1;
		final double[] probabilities = new double[labels.length];
		final List<String> chosen = new ArrayList<>();
		for (int f = 0; f < k; f++) {
			final int[] train = StratifiedGroupFolds.rows(fold, f, false), test = StratifiedGroupFolds.rows(fold, f, true);
			String best = null;
			double bestAuc = Double.NEGATIVE_INFINITY;
			int done = 0;
			for (final Map.Entry<String, ProbeData> c : candidates.entrySet()) {
				trainer.progress().checkCancelled();
				trainer.progress().report("Nested cross-validation, outer fold " + (f + 1) + " of " + k, done++, candidates.size());
				final ProbeData part = c.getValue().rows(train);
				final ProbeTrainer fixed = new ProbeTrainer(quiet.settings().withC(quiet.chooseC(part)), quiet.progress());
				final double auc = fixed.crossValidate(part, fixed.folds(part.labels(), part.groups(), 0)).evaluation().pooled(Metric.AUC).value();
				if (auc > bestAuc + 1e-12) {
					bestAuc = auc;
					best = c.getKey();
				}
			}
			chosen.add(best);
			final ProbeData part = candidates.get(best).rows(train);
			final double[] p = quiet.fit(part, quiet.chooseC(part), Map.of()).probabilities(candidates.get(best).rows(test).x());
			for (int q = 0; q < test.length; q++)
				probabilities[test[q]] = p[q];
		}
		return new NestedCrossValidation(Metric.auc(labels, probabilities), chosen, probabilities);
	}

	/** How often each candidate was chosen, most often first. */
	public Map<String, Integer> choices() {
		final Map<String, Integer> count = new LinkedHashMap<>();
		for (final String c : chosen)
			count.merge(c, 1, Integer::sum);
		final Map<String, Integer> out = new LinkedHashMap<>();
		count.entrySet().stream().sorted((a, b) -> b.getValue() - a.getValue()).forEach(e -> out.put(e.getKey(), e.getValue()));
		return out;
	}
}
