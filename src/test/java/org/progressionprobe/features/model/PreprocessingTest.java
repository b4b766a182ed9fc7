package org.progressionprobe.features.model;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Random;

import org.junit.jupiter.api.Test;

/** Percentiles and the declared normalisations, against direct computations. */
class PreprocessingTest {

	/** numpy's default (linear) percentile on a sorted copy. */
	private static double sortedPercentile(final float[] values, final double p) {
		final float[] s = values.clone();
		Arrays.sort(s);
		final double pos = p / 100 * (s.length - 1);
		final int k = (int) Math.floor(pos);
		return k + 1 < s.length ? s[k] + (pos - k) * ((double) s[k + 1] - s[k]) : s[k];
	}

	@Test
	void percentilesAreExact() {
		final Random r = new Random(3);
		for (final int n : new int[] { 1, 2, 7, 1000, 100_001 }) {
			final float[] a = new float[n];
			for (int i = 0; i < n; i++)
				a[i] = (float) (r.nextGaussian() * 100 + (i % 5 == 0 ? 1e4 : 0));
			for (final double p : new double[] { 0, 0.5, 1, 50, 99, 99.9, 100 }) {
				final double[] got = Percentiles.of(new float[][] { a }, p, 100);
				assertEquals(sortedPercentile(a, p), got[0], 1e-9 * Math.abs(got[0]) + 1e-9, "n " + n + " p " + p);
			}
		}
		final float[] heavy = new float[50_000];
		for (int i = 0; i < heavy.length; i++)
			heavy[i] = i % 2 == 0 ? 0 : (float) r.nextDouble() * 1000;
		for (final double p : new double[] { 10, 49.999, 50, 50.001, 99 })
			assertEquals(sortedPercentile(heavy, p), Percentiles.of(new float[][] { heavy }, p, 100)[0], 1e-6, "half zeros, p " + p);
		assertEquals(3.0, Percentiles.of(new float[][] { { 5, Float.NaN, 1, 3 }, { 2, Float.NaN, 4 } }, 50, 100)[0], 0, "NaN left out");
		final float[] a = { 5, 1, 3 }, b = { 2, 4 };
		assertEquals(3.0, Percentiles.of(new float[][] { a, b }, 50, 100)[0], 0, "joint over arrays");
		assertEquals(4.6, Percentiles.of(new float[][] { a, b }, 0, 90)[1], 1e-6);
	}

	@Test
	void uniGradIconClampMapsMinAnd99thPercentileToZeroAndOne() {
		final Random r = new Random(5);
		final float[] a = new float[10_000], b = new float[10_000];
		for (int i = 0; i < a.length; i++) {
			a[i] = (float) (200 + 50 * r.nextGaussian());
			b[i] = (float) (1000 + 10 * r.nextGaussian());
		}
		final double p99a = sortedPercentile(a, 99), minA = sortedPercentile(a, 0);
		final float probe = a[17];
		final Preprocessing p = new Preprocessing(List.of(
				new Preprocessing.Step("scale_range", Map.of("axes", List.of("z", "y", "x"), "min_percentile", 0, "max_percentile", 99)),
				new Preprocessing.Step("clip", Map.of("min", 0, "max", 1))));
		p.apply(new float[][] { a, b });
		assertEquals(Math.min(1, Math.max(0, (probe - minA) / (p99a - minA + 1e-6))), a[17], 1e-5);
		for (final float[] c : List.of(a, b)) {
			final float[] s = c.clone();
			Arrays.sort(s);
			assertEquals(0, s[0], 1e-6, "the minimum maps to 0 (each scan alone)");
			assertEquals(1, s[s.length - 1], 0);
			assertEquals(0.01, (double) Arrays.stream(toDouble(c)).filter(v -> v == 1).count() / c.length, 0.002, "the top 1% is clamped");
		}
	}

	@Test
	void zeroMeanUnitVarianceOverTheWholeTensorByDefault() {
		final float[] a = { 1, 2, 3 }, b = { 11, 12, 13 };
		new Preprocessing(List.of(new Preprocessing.Step("zero_mean_unit_variance", Map.of()))).apply(new float[][] { a, b });
		double s = 0, s2 = 0;
		for (final float[] c : List.of(a, b))
			for (final float v : c) {
				s += v;
				s2 += v * v;
			}
		assertEquals(0, s / 6, 1e-6);
		assertEquals(1, s2 / 6, 1e-5);
		assertTrue(a[2] < 0 && b[0] > 0, "joint statistics keep the scans apart");
	}

	@Test
	void chainedElementwiseStepsEqualTheirSequence() {
		final Random r = new Random(9);
		final float[] a = new float[1000], b = new float[1000];
		for (int i = 0; i < a.length; i++) {
			a[i] = (float) r.nextGaussian();
			b[i] = (float) (r.nextGaussian() * 5 + 3);
		}
		final float[] ea = a.clone(), eb = b.clone();
		for (final float[] c : List.of(ea, eb))
			for (int i = 0; i < c.length; i++) {
				double v = c[i] * -2.0 + 1;
				v = Math.min(0.5, Math.max(0, v));
				v = v * 3 - 1;
				v = Math.min(10, Math.max(-0.5, v));
				c[i] = v > 0.2 ? 1 : 0;
				c[i] = (float) Math.min(0.7, c[i] * 0.5 + 0.1);
			}
		new Preprocessing(List.of(new Preprocessing.Step("scale_linear", Map.of("gain", -2, "offset", 1)),
				new Preprocessing.Step("clip", Map.of("min", 0, "max", 0.5)), new Preprocessing.Step("scale_linear", Map.of("gain", 3, "offset", -1)),
				new Preprocessing.Step("clip", Map.of("min", -0.5, "max", 10)), new Preprocessing.Step("binarize", Map.of("threshold", 0.2)),
				new Preprocessing.Step("scale_linear", Map.of("gain", 0.5, "offset", 0.1)), new Preprocessing.Step("clip", Map.of("max", 0.7))))
				.apply(new float[][] { a, b });
		org.junit.jupiter.api.Assertions.assertArrayEquals(ea, a, 1e-6f);
		org.junit.jupiter.api.Assertions.assertArrayEquals(eb, b, 1e-6f);
	}

	@Test
	void unsupportedStepsAreNamed() {
		final ModelException e = org.junit.jupiter.api.Assertions.assertThrows(ModelException.class,
				() -> new Preprocessing(List.of(new Preprocessing.Step("sigmoid", Map.of()))).validate("m"));
		assertTrue(e.getMessage().contains("preprocessing 'sigmoid' is not supported"), e.getMessage());
	}

	private static double[] toDouble(final float[] f) {
		final double[] d = new double[f.length];
		for (int i = 0; i < f.length; i++)
			d[i] = f[i];
		return d;
	}
}
