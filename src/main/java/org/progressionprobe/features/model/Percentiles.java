package org.progressionprobe.features.model;

/**
 * Two percentiles of a set of values in linear time (quickselect on one copy), interpolated
 * linearly between order statistics as numpy's default does.
 */
final class Percentiles {

	private Percentiles() {}

	/** The {@code lo}-th and {@code hi}-th percentiles (0-100) of all values of the arrays together. */
	static double[] of(final float[][] arrays, final double lo, final double hi) {
		int n = 0;
		for (final float[] a : arrays)
			n += a.length;
		if (lo <= 0 && hi >= 100) {
			float min = Float.POSITIVE_INFINITY, max = Float.NEGATIVE_INFINITY;
			for (final float[] a : arrays)
				for (final float v : a) {
					min = Math.min(min, v);
					max = Math.max(max, v);
				}
			return new double[] { min, max };
		}
		final float[] work = new float[n];
		int o = 0;
		for (final float[] a : arrays) {
			System.arraycopy(a, 0, work, o, a.length);
			o += a.length;
		}
		return new double[] { percentile(work, lo), percentile(work, hi) };
	}

	/** A percentile of {@code work}, which is reordered. */
	static double percentile(final float[] work, final double p) {
		final int n = work.length;
		if (p <= 0) {
			float m = Float.POSITIVE_INFINITY;
			for (final float v : work)
				m = Math.min(m, v);
			return m;
		}
		if (p >= 100) {
			float m = Float.NEGATIVE_INFINITY;
			for (final float v : work)
				m = Math.max(m, v);
			return m;
		}
		final double pos = p / 100.0 * (n - 1);
		final int k = (int) Math.floor(pos);
		final double frac = pos - k;
		final float a = select(work, k);
		if (frac == 0 || k + 1 >= n)
			return a;
		float b = Float.POSITIVE_INFINITY;
		for (int i = k + 1; i < n; i++)
			b = Math.min(b, work[i]);
		return a + frac * (b - a);
	}

	/** Rearranges {@code a} so that a[k] is the k-th smallest, smaller ones before, larger after; returns it. */
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
