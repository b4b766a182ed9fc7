package org.progressionprobe.sim;

import java.util.SplittableRandom;

/**
 * Derived seeds: every random draw of a cohort follows from the master seed through these
 * functions, so subject i is the same whichever thread simulates it, whenever, and whatever other
 * subjects are simulated.
 */
final class Seeds {

	private static final long GOLDEN = 0x9E3779B97F4A7C15L;

	private Seeds() {}

	/** SplitMix64's finaliser applied to {@code seed + (index + 1) * golden ratio}: a well-mixed, distinct seed per index. */
	static long mix(final long seed, final long index) {
		long z = seed + (index + 1) * GOLDEN;
		z = (z ^ (z >>> 30)) * 0xBF58476D1CE4E5B9L;
		z = (z ^ (z >>> 27)) * 0x94D049BB133111EBL;
		return z ^ (z >>> 31);
	}

	/**
	 * Two independent standard normal numbers (Marsaglia's polar method on {@code nextDouble}, with
	 * StrictMath), so the numbers are the same on every platform and Java version.
	 */
	static void gaussianPair(final SplittableRandom rng, final double[] out) {
		double u, v, s;
		do {
			u = 2 * rng.nextDouble() - 1;
			v = 2 * rng.nextDouble() - 1;
			s = u * u + v * v;
		} while (s >= 1 || s == 0);
		final double f = StrictMath.sqrt(-2 * StrictMath.log(s) / s);
		out[0] = u * f;
		out[1] = v * f;
	}

	/** One standard normal number, as {@link #gaussianPair}. */
	static double gaussian(final SplittableRandom rng) {
		final double[] pair = new double[2];
		gaussianPair(rng, pair);
		return pair[0];
	}

	/** The seed of subject {@code index} (0-based). */
	static long subject(final long master, final int index) {
		return mix(master, index);
	}

	/** Which subjects progress: exactly round(fraction * n) of them, chosen by a seeded shuffle. */
	static boolean[] progressors(final int n, final double fraction, final long master) {
		final int count = (int) Math.round(fraction * n);
		final int[] order = new int[n];
		for (int i = 0; i < n; i++)
			order[i] = i;
		final SplittableRandom rng = new SplittableRandom(mix(master, -2));
		for (int i = n - 1; i > 0; i--) {
			final int j = rng.nextInt(i + 1);
			final int t = order[i];
			order[i] = order[j];
			order[j] = t;
		}
		final boolean[] out = new boolean[n];
		for (int i = 0; i < count; i++)
			out[order[i]] = true;
		return out;
	}
}
