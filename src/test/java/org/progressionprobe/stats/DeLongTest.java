package org.progressionprobe.stats;

import static org.junit.jupiter.api.Assertions.assertEquals;

import org.junit.jupiter.api.Test;

class DeLongTest {

	private static final int[] LABELS = { 1, 1, 1, 1, 1, 1, 0, 0, 0, 0, 0, 0, 0 };
	private static final double[] A = { 0.9, 0.8, 0.7, 0.55, 0.4, 0.6, 0.3, 0.2, 0.6, 0.1, 0.5, 0.35, 0.45 };
	private static final double[] B = { 0.7, 0.9, 0.3, 0.5, 0.5, 0.2, 0.4, 0.1, 0.65, 0.5, 0.2, 0.6, 0.3 };

	@Test
	void matchesTheReferenceWrittenFromThePaper() {
		// values from src/test/resources/org/progressionprobe/stats/delong_reference.py (numpy, scipy)
		final DeLong.Comparison c = DeLong.compare(LABELS, A, B);
		assertEquals(0.892857142857143, c.aucA(), 1e-12);
		assertEquals(0.642857142857143, c.aucB(), 1e-12);
		assertEquals(0.25, c.difference(), 1e-12);
		assertEquals(0.174828498189767, c.se(), 1e-12);
		assertEquals(1.42997281672372, c.z(), 1e-10);
		assertEquals(0.152724821072805, c.p(), 1e-10);
		assertEquals(-0.0926575599231702, c.low(), 1e-10);
		assertEquals(0.59265755992317, c.high(), 1e-10);
		assertEquals(0.00821995464852608, DeLong.variance(LABELS, A), 1e-12);
	}

	@Test
	void handComputedVarianceOfFourRows() {
		// positives 0.9, 0.4; negatives 0.5, 0.1: placements (1, 0.5) and (0.5, 1), each variance 0.125
		final int[] labels = { 1, 1, 0, 0 };
		final double[] s = { 0.9, 0.4, 0.5, 0.1 };
		assertEquals(0.125 / 2 + 0.125 / 2, DeLong.variance(labels, s), 1e-15);
		final DeLong.Comparison same = DeLong.compare(labels, s, s);
		assertEquals(0, same.difference());
		assertEquals(0, same.se());
		assertEquals(Double.NaN, same.p());
	}

	@Test
	void normalTailMatchesScipy() {
		final double[][] ref = { { 0.1, 0.920344325445942 }, { 0.5, 0.617075077451974 }, { 1.0, 0.317310507862914 },
				{ 1.96, 0.0499957902964409 }, { 3.0, 0.00269979606326019 }, { 4.5, 6.79534624946011e-06 }, { 6.0, 1.97317529007539e-09 } };
		for (final double[] r : ref) {
			assertEquals(r[1], Normal.twoSidedP(r[0]), 1e-13 * Math.max(1, r[1] * 1e3), "z=" + r[0]);
			assertEquals(r[1], Normal.twoSidedP(-r[0]), 1e-13 * Math.max(1, r[1] * 1e3));
		}
	}
}
