package org.progressionprobe.features.model;

/**
 * Two percentiles of a set of values, exact, in linear time: a histogram locates the bins that hold
 * the wanted order statistics, and only the values of those bins are searched (quickselect). Percentiles interpolate
 * linearly between order statistics, as numpy's default does. NaN values are left out.
 */
final class Percentiles {

	/** Few enough bins for the histogram to stay in the processor's fastest cache. */
	private static final int BINS = 1 << 12;

	private Percentiles() {}

	/** The {@code lo}-th and {@code hi}-th percentiles (0-100) of all values of the arrays together. */
	static double[] of(final float[][] arrays, final double lo, final double hi) {
		float min = Float.POSITIVE_INFINITY, max = Float.NEGATIVE_INFINITY;
		long n = 0;
		for (final float[] a : arrays) {
			for (final float v : a) {
				min = Math.min(min, v);
				max = Math.max(max, v);
			}
			n += a.length;
		}
		if (Float.isNaN(min) || Float.isNaN(max))
			return withoutNaN(arrays, lo, hi);
		if (n == 0)
			return new double[] { 0, 0 };
		if (min == max)
			return new double[] { min, max };
		final float scale = (BINS - 1) / (max - min);
		final int[] hist = new int[BINS];
		for (final float[] a : arrays)
			for (final float v : a)
				hist[bin(v, min, scale)]++;
		return new double[] { lo <= 0 ? min : percentile(arrays, hist, min, scale, n, lo), hi >= 100 ? max : percentile(arrays, hist, min, scale, n, hi) };
	}

	private static int bin(final float v, final float min, final float scale) {
		return Math.min(BINS - 1, (int) ((v - min) * scale));
	}

	/** The same, for values that contain NaN: those are left out. */
	private static double[] withoutNaN(final float[][] arrays, final double lo, final double hi) {
		final float[][] clean = new float[arrays.length][];
		for (int k = 0; k < arrays.length; k++) {
			int m = 0;
			for (final float v : arrays[k])
				if (!Float.isNaN(v))
					m++;
			clean[k] = new float[m];
			m = 0;
			for (final float v : arrays[k])
				if (!Float.isNaN(v))
					clean[k][m++] = v;
		}
		return of(clean, lo, hi);
	}

	private static double percentile(final float[][] arrays, final int[] hist, final float min, final float scale, final long n, final double p) {
		final double pos = p / 100.0 * (n - 1);
		final long k = (long) Math.floor(pos);
		final double frac = pos - k;
		final double a = orderStatistic(arrays, hist, min, scale, k);
		if (frac == 0 || k + 1 >= n)
			return a;
		return a + frac * (orderStatistic(arrays, hist, min, scale, k + 1) - a);
	}

	/** The k-th smallest value (0-based). */
	private static double orderStatistic(final float[][] arrays, final int[] hist, final float min, final float scale, final long k) {
		long below = 0;
		int bin = 0;
		while (below + hist[bin] <= k)
			below += hist[bin++];
		final float[] inBin = new float[hist[bin]];
		int i = 0;
		for (final float[] a : arrays)
			for (final float v : a)
				if (bin(v, min, scale) == bin)
					inBin[i++] = v;
		return select(inBin, (int) (k - below));
	}

	/** Rearranges {@code a} so that a[k] is the k-th smallest; returns it. */
	static float select(final float[] a, final int k) {
		int lo = 0, hi = a.length - 1;
		while (hi > lo) {
			final int mid = (lo + hi) >>> 1;
			if (a[mid] < a[lo])
				swap(a, mid, lo);
			if (a[hi] < a[lo])
				swap(a, hi, lo);
			if (a[hi] < a[mid])
				swap(a, hi, mid);
			final float pivot = a[mid];
			int i = lo, j = hi;
			while (i <= j) {
				while (a[i] < pivot)
					i++;
				while (a[j] > pivot)
					j--;
				if (i <= j) {
					swap(a, i, j);
					i++;
					j--;
				}
			}
			if (k <= j)
				hi = j;
			else if (k >= i)
				lo = i;
			else
				return a[k];
		}
		return a[k];
	}

	private static void swap(final float[] a, final int i, final int j) {
		final float t = a[i];
		a[i] = a[j];
		a[j] = t;
	}
}
