package org.progressionprobe.stats;

/**
 * DeLong's test for two correlated ROC curves (DeLong, DeLong and Clarke-Pearson 1988, in the
 * structural-components form of Sun and Xu 2014): the AUC difference of two scores of the same
 * rows, its standard error from the placement values, z, the two-sided normal p-value and the 95%
 * interval (difference +- 1.96 SE). Rows count as independent (one row per subject).
 */
public final class DeLong {

	/**
	 * @param aucA AUC of the first score
	 * @param aucB AUC of the second score
	 * @param difference aucA - aucB
	 * @param se standard error of the difference
	 * @param z difference / se
	 * @param p two-sided p-value (NaN when se is 0 and the difference too; 0 when only se is 0)
	 * @param low lower bound of the 95% interval
	 * @param high upper bound of the 95% interval
	 */
	public record Comparison(double aucA, double aucB, double difference, double se, double z, double p, double low, double high) {}

	private DeLong() {}

	/** Compares two scores of the same rows; needs at least two rows of each class. */
	public static Comparison compare(final int[] labels, final double[] a, final double[] b) {
		if (a.length != labels.length || b.length != labels.length)
			throw new IllegalArgumentException("Labels and scores differ in number");
		int m = 0;
		for (final int l : labels)
			m += l;
		final int n = labels.length - m;
		if (m < 2 || n < 2)
			throw new IllegalArgumentException("DeLong's test needs at least 2 rows of each class; got " + m + " positive and " + n + " negative");
		final double[][] va = placements(labels, a, m, n), vb = placements(labels, b, m, n);
		final double aucA = mean(va[0]), aucB = mean(vb[0]);
		final double varianceOfDifference = (variance(va[0]) + variance(vb[0]) - 2 * covariance(va[0], vb[0])) / m
				+ (variance(va[1]) + variance(vb[1]) - 2 * covariance(va[1], vb[1])) / n;
		final double se = Math.sqrt(Math.max(0, varianceOfDifference));
		final double d = aucA - aucB;
		final double z = se > 0 ? d / se : d == 0 ? Double.NaN : Math.copySign(Double.POSITIVE_INFINITY, d);
		return new Comparison(aucA, aucB, d, se, z, Normal.twoSidedP(z), d - Normal.Z95 * se, d + Normal.Z95 * se);
	}

	/** DeLong's variance of one AUC. */
	public static double variance(final int[] labels, final double[] score) {
		int m = 0;
		for (final int l : labels)
			m += l;
		final int n = labels.length - m;
		final double[][] v = placements(labels, score, m, n);
		return variance(v[0]) / m + variance(v[1]) / n;
	}

	/**
	 * Placement values: for each positive the share of negatives it outscores (ties half), and for
	 * each negative the share of positives that outscore it.
	 */
	private static double[][] placements(final int[] labels, final double[] s, final int m, final int n) {
		final double[] pos = new double[m], neg = new double[n];
		int p = 0, q = 0;
		for (int i = 0; i < labels.length; i++)
			if (labels[i] == 1)
				pos[p++] = s[i];
			else
				neg[q++] = s[i];
		final double[] v10 = new double[m], v01 = new double[n];
		for (int i = 0; i < m; i++)
			for (int j = 0; j < n; j++) {
				final double psi = pos[i] > neg[j] ? 1 : pos[i] == neg[j] ? 0.5 : 0;
				v10[i] += psi / n;
				v01[j] += psi / m;
			}
		return new double[][] { v10, v01 };
	}

	private static double mean(final double[] v) {
		double s = 0;
		for (final double x : v)
			s += x;
		return s / v.length;
	}

	private static double variance(final double[] v) {
		return covariance(v, v);
	}

	private static double covariance(final double[] u, final double[] v) {
		final double mu = mean(u), mv = mean(v);
		double s = 0;
		for (int i = 0; i < u.length; i++)
			s += (u[i] - mu) * (v[i] - mv);
		return s / (u.length - 1);
	}
}
