package org.progressionprobe.stats;

import java.util.Arrays;
import java.util.Comparator;

/**
 * Holm's step-down adjustment of p-values for multiple comparisons (as R's
 * {@code p.adjust(p, "holm")}): the i-th smallest of m p-values is multiplied by m - i + 1, kept
 * non-decreasing in that order and capped at 1. NaN p-values are left out and stay NaN.
 */
public final class Holm {

	private Holm() {}

	/** The adjusted p-values, in the input's order. */
	public static double[] adjust(final double[] p) {
		final Integer[] order = new Integer[p.length];
		int m = 0;
		for (int i = 0; i < p.length; i++)
			if (!Double.isNaN(p[i]))
				order[m++] = i;
		final Integer[] valid = Arrays.copyOf(order, m);
		Arrays.sort(valid, Comparator.comparingDouble(i -> p[i]));
		final double[] out = new double[p.length];
		Arrays.fill(out, Double.NaN);
		double running = 0;
		for (int k = 0; k < m; k++) {
			running = Math.max(running, Math.min(1, (m - k) * p[valid[k]]));
			out[valid[k]] = running;
		}
		return out;
	}
}
