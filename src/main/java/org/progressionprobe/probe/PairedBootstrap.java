package org.progressionprobe.probe;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;

import org.progressionprobe.stats.Percentile;

/**
 * The paired bootstrap of an AUC difference: subjects (groups) are resampled with replacement and
 * both scores' AUCs recomputed on the same resample, so the interval reflects that the two
 * settings saw the same subjects. Percentile 95% interval; two-sided p-value twice the smaller
 * share of replicates on either side of 0 (at least 1 / replicates). Seeded; replicates with one
 * class only are left out.
 *
 * @param difference AUC(a) - AUC(b) on all rows
 * @param low 2.5th percentile of the replicates
 * @param high 97.5th percentile of the replicates
 * @param p two-sided bootstrap p-value for "no difference"
 * @param replicates replicates in which both AUCs were defined
 */
public record PairedBootstrap(double difference, double low, double high, double p, int replicates) {

	/** Bootstraps AUC(a) - AUC(b) over the groups. */
	public static PairedBootstrap aucDifference(final int[] labels, final double[] a, final double[] b, final List<String> groups,
			final int replicates, final long seed) {
		if (a.length != labels.length || b.length != labels.length || groups.size() != labels.length)
			throw new IllegalArgumentException("Labels, scores and groups differ in number");
		final double[] d = replicates(labels, a, b, groups, replicates, seed);
		final double observed = Metric.auc(labels, a) - Metric.auc(labels, b);
		if (d.length == 0)
			return new PairedBootstrap(observed, Double.NaN, Double.NaN, Double.NaN, 0);
		int below = 0, above = 0;
		for (final double v : d) {
			if (v <= 0)
				below++;
			if (v >= 0)
				above++;
		}
		final double p = Math.min(1, Math.max(1.0 / d.length, 2.0 * Math.min(below, above) / d.length));
		return new PairedBootstrap(observed, Percentile.of(d, 2.5), Percentile.of(d, 97.5), p, d.length);
	}

	/** The sorted replicate differences. */
	static double[] replicates(final int[] labels, final double[] a, final double[] b, final List<String> groups, final int replicates,
			final long seed) {
		final Map<String, List<Integer>> byGroup = new LinkedHashMap<>();
		for (int i = 0; i < labels.length; i++)
			byGroup.computeIfAbsent(groups.get(i), g -> new ArrayList<>()).add(i);
		final int[][] groupRows = byGroup.values().stream().map(l -> l.stream().mapToInt(Integer::intValue).toArray()).toArray(int[][]::new);
		final SplittableRandom random = new SplittableRandom(seed);
		final double[] out = new double[replicates];
		int kept = 0;
		final List<Integer> rows = new ArrayList<>();
		for (int r = 0; r < replicates; r++) {
			rows.clear();
			for (int g = 0; g < groupRows.length; g++)
				for (final int i : groupRows[random.nextInt(groupRows.length)])
					rows.add(i);
			final int[] l = new int[rows.size()];
			final double[] sa = new double[l.length], sb = new double[l.length];
			int positives = 0;
			for (int q = 0; q < l.length; q++) {
				l[q] = labels[rows.get(q)];
				sa[q] = a[rows.get(q)];
				sb[q] = b[rows.get(q)];
				positives += l[q];
			}
			if (positives == 0 || positives == l.length)
				continue;
			out[kept++] = Metric.auc(l, sa) - Metric.auc(l, sb);
		}
		final double[] d = Arrays.copyOf(out, kept);
		Arrays.sort(d);
		return d;
	}
}
