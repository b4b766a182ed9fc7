package org.progressionprobe.probe;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;

/**
 * Stratified k-fold splitting grouped by subject: all rows of a group land in the same fold, and
 * each fold's share of each class is kept as even as the groups allow. The algorithm is
 * scikit-learn's StratifiedGroupKFold with shuffling (groups in seeded random order, then those
 * with the most uneven class mix first, each put in the fold that keeps the per-class fold shares
 * most even, ties to the smaller fold); the random order differs from numpy's, so the folds
 * themselves differ from scikit-learn's for the same seed.
 */
public final class StratifiedGroupFolds {

	private StratifiedGroupFolds() {}

	/**
	 * The fold (0..k-1) of each row.
	 *
	 * @param labels class per row (0/1)
	 * @param groups group per row
	 * @param k number of folds, at least 2
	 * @param seed shuffling seed
	 */
	public static int[] assign(final int[] labels, final List<String> groups, final int k, final long seed) {
		if (k < 2)
			throw new IllegalArgumentException("Cross-validation needs at least 2 folds, got " + k);
		if (labels.length != groups.size())
			throw new IllegalArgumentException(labels.length + " labels for " + groups.size() + " groups");
		final Map<String, Integer> groupIndex = new LinkedHashMap<>();
		final int[] rowGroup = new int[labels.length];
		for (int i = 0; i < labels.length; i++)
			rowGroup[i] = groupIndex.computeIfAbsent(groups.get(i), g -> groupIndex.size());
		final int nGroups = groupIndex.size();
		if (nGroups < k)
			throw new IllegalArgumentException("Cannot split " + nGroups + " groups into " + k + " folds");
		final double[][] groupCounts = new double[nGroups][2];
		final double[] classCounts = new double[2];
		for (int i = 0; i < labels.length; i++) {
			groupCounts[rowGroup[i]][labels[i]]++;
			classCounts[labels[i]]++;
		}
		final List<Integer> order = new ArrayList<>();
		for (int g = 0; g < nGroups; g++)
			order.add(g);
		shuffle(order, new SplittableRandom(seed));
		order.sort((a, b) -> Double.compare(spread(groupCounts[b]), spread(groupCounts[a])));

		final double[][] foldCounts = new double[k][2];
		final int[] groupFold = new int[nGroups];
		for (final int g : order) {
			int best = -1;
			double bestEval = Double.POSITIVE_INFINITY;
			double bestSize = Double.POSITIVE_INFINITY;
			for (int f = 0; f < k; f++) {
				foldCounts[f][0] += groupCounts[g][0];
				foldCounts[f][1] += groupCounts[g][1];
				final double eval = meanStdOfShares(foldCounts, classCounts);
				foldCounts[f][0] -= groupCounts[g][0];
				foldCounts[f][1] -= groupCounts[g][1];
				final double size = foldCounts[f][0] + foldCounts[f][1];
				final boolean close = Double.isFinite(bestEval) && Math.abs(eval - bestEval) <= 1e-8 + 1e-5 * Math.abs(bestEval);
				if (eval < bestEval || close && size < bestSize) {
					best = f;
					bestEval = eval;
					bestSize = size;
				}
			}
			groupFold[g] = best;
			foldCounts[best][0] += groupCounts[g][0];
			foldCounts[best][1] += groupCounts[g][1];
		}
		final int[] fold = new int[labels.length];
		for (int i = 0; i < labels.length; i++)
			fold[i] = groupFold[rowGroup[i]];
		return fold;
	}

	/** Row indices of one fold (test) or of all other folds (train). */
	public static int[] rows(final int[] fold, final int f, final boolean inFold) {
		int n = 0;
		for (final int v : fold)
			if ((v == f) == inFold)
				n++;
		final int[] out = new int[n];
		n = 0;
		for (int i = 0; i < fold.length; i++)
			if ((fold[i] == f) == inFold)
				out[n++] = i;
		return out;
	}

	private static double spread(final double[] counts) {
		final double m = (counts[0] + counts[1]) / 2;
		return Math.sqrt(((counts[0] - m) * (counts[0] - m) + (counts[1] - m) * (counts[1] - m)) / 2);
	}

	private static double meanStdOfShares(final double[][] foldCounts, final double[] classCounts) {
		double sum = 0;
		for (int c = 0; c < 2; c++) {
			if (classCounts[c] == 0)
				continue;
			double mean = 0;
			for (final double[] fc : foldCounts)
				mean += fc[c] / classCounts[c];
			mean /= foldCounts.length;
			double var = 0;
			for (final double[] fc : foldCounts) {
				final double d = fc[c] / classCounts[c] - mean;
				var += d * d;
			}
			sum += Math.sqrt(var / foldCounts.length);
		}
		return sum / 2;
	}

	private static void shuffle(final List<Integer> list, final SplittableRandom random) {
		for (int i = list.size() - 1; i > 0; i--) {
			final int j = random.nextInt(i + 1);
			final Integer t = list.get(i);
			list.set(i, list.get(j));
			list.set(j, t);
		}
	}
}
