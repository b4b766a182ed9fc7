package org.progressionprobe.stats;

/** The percentile of sorted values, linear between order statistics (numpy's default). */
public final class Percentile {

	private Percentile() {}

	/** The {@code p}-th percentile (0-100) of values sorted ascending; NaN when there are none. */
	public static double of(final double[] sorted, final double p) {
		if (sorted.length == 0)
			return Double.NaN;
		final double pos = p / 100 * (sorted.length - 1);
		final int i = (int) Math.floor(pos);
		if (i >= sorted.length - 1)
			return sorted[sorted.length - 1];
		return sorted[i] + (pos - i) * (sorted[i + 1] - sorted[i]);
	}
}
