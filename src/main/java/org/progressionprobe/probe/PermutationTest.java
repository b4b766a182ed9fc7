package org.progressionprobe.probe;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;

/**
 * A permutation test of "this probe is above chance": the labels are shuffled between groups
 * (each subject keeps one label for all its rows; groups trade label sequences only with groups of
 * the same size), and the probe's cross-validation is rerun on the shuffled labels (a new
 * stratified grouped split, the probe refitted in each fold) on the same cached feature table; no
 * feature is recomputed. To keep 200 permutations of a grid of dozens of settings at minutes, C is
 * not chosen again in each permutation (that would cost 30 times more fits) but fixed at the
 * median of the C values the true-label run chose in its folds. The statistic is the pooled
 * out-of-fold AUC on the default split; p = (1 + number of permutations reaching the observed AUC)
 * / (1 + permutations). Seeded.
 *
 * @param observed AUC with the true labels
 * @param permuted AUC of each permutation
 * @param p permutation p-value
 */
public record PermutationTest(double observed, double[] permuted, double p) {

	public PermutationTest {
		permuted = permuted.clone();
	}

	@Override
	public double[] permuted() {
		return permuted.clone();
	}

	/**
	 * Runs the test.
	 *
	 * @param trueRun {@code trainer}'s cross-validation of {@code data} on the default split with the true labels
	 * @param permutations number of shuffles, at least 1
	 */
	public static PermutationTest run(final ProbeTrainer trainer, final ProbeData data, final CrossValidationResult trueRun, final int permutations,
			final long seed) {
		if (permutations < 1)
			throw new IllegalArgumentException("permutations must be at least 1, got " + permutations);
		final double observed = trueRun.evaluation().pooled(Metric.AUC).value();
		final double[] c = trueRun.cPerFold();
		java.util.Arrays.sort(c);
		final ProbeTrainer quiet = new ProbeTrainer(trainer.settings().withC(c[c.length / 2]), trainer.progress()).quiet();
		final Map<String, List<Integer>> byGroup = new LinkedHashMap<>();
		for (int i = 0; i < data.rowCount(); i++)
			byGroup.computeIfAbsent(data.groups().get(i), g -> new ArrayList<>()).add(i);
		final Map<Integer, List<List<Integer>>> bySize = new LinkedHashMap<>();
		for (final List<Integer> rows : byGroup.values())
			bySize.computeIfAbsent(rows.size(), n -> new ArrayList<>()).add(rows);
		final int[] labels = data.labels();
		final SplittableRandom random = new SplittableRandom(seed);
		final double[] permuted = new double[permutations];
		int reached = 0;
		for (int k = 0; k < permutations; k++) {
			trainer.progress().checkCancelled();
			trainer.progress().report("Permutation test of " + data.source(), k, permutations);
			final int[] shuffled = new int[labels.length];
			for (final List<List<Integer>> groups : bySize.values()) {
				final int[] order = shuffle(groups.size(), random);
				for (int g = 0; g < groups.size(); g++) {
					final List<Integer> to = groups.get(g), from = groups.get(order[g]);
					for (int q = 0; q < to.size(); q++)
						shuffled[to.get(q)] = labels[from.get(q)];
				}
			}
			final ProbeData d = new ProbeData(data.source() + " (labels permuted)", data.features(), data.x(), shuffled, data.subjects(),
					data.groups(), data.provenance(), List.of());
			permuted[k] = quiet.crossValidate(d, quiet.folds(shuffled, data.groups(), 0)).evaluation().pooled(Metric.AUC).value();
			if (permuted[k] >= observed - 1e-12)
				reached++;
		}
		trainer.progress().report("Permutation test of " + data.source(), permutations, permutations);
		return new PermutationTest(observed, permuted, (1.0 + reached) / (1.0 + permutations));
	}

	private static int[] shuffle(final int n, final SplittableRandom random) {
		final int[] order = new int[n];
		for (int i = 0; i < n; i++)
			order[i] = i;
		for (int i = n - 1; i > 0; i--) {
			final int j = random.nextInt(i + 1);
			final int t = order[i];
			order[i] = order[j];
			order[j] = t;
		}
		return order;
	}
}
