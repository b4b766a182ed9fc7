package org.progressionprobe.stats;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

/** Pearson's r of paired values: +-1 on a line, a value numpy gives, NaN without spread, unequal lengths refused. */
class CorrelationTest {

	@Test
	void pearsonOfPairedValues() {
		final double[] x = { 1, 2, 3, 4, 5 };
		assertEquals(1, Correlation.pearson(x, new double[] { 3, 5, 7, 9, 11 }), 1e-12);
		assertEquals(-1, Correlation.pearson(x, new double[] { 5, 4, 3, 2, 1 }), 1e-12);
		// numpy.corrcoef([1, 2, 3, 4, 5], [2, 1, 4, 3, 5])[0, 1]
		assertEquals(0.8, Correlation.pearson(x, new double[] { 2, 1, 4, 3, 5 }), 1e-12);
		assertTrue(Double.isNaN(Correlation.pearson(x, new double[] { 7, 7, 7, 7, 7 })));
		assertThrows(IllegalArgumentException.class, () -> Correlation.pearson(x, new double[] { 1, 2 }));
	}
}
