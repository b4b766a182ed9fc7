package org.progressionprobe.stats;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;

import org.junit.jupiter.api.Test;

class HolmTest {

	@Test
	void matchesRsPAdjust() {
		// R: p.adjust(c(0.01, 0.04, 0.03, 0.005), "holm") = 0.03 0.06 0.06 0.02
		assertArrayEquals(new double[] { 0.03, 0.06, 0.06, 0.02 }, Holm.adjust(new double[] { 0.01, 0.04, 0.03, 0.005 }), 1e-15);
		// capped at 1, NaN left out of m: p.adjust(c(0.5, NA, 0.2), "holm") = 0.5 NA 0.4
		assertArrayEquals(new double[] { 0.5, Double.NaN, 0.4 }, Holm.adjust(new double[] { 0.5, Double.NaN, 0.2 }), 1e-15);
		assertArrayEquals(new double[] { 1, 1 }, Holm.adjust(new double[] { 0.7, 0.9 }), 1e-15);
	}
}
