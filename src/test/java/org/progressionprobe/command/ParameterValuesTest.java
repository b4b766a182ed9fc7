package org.progressionprobe.command;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

class ParameterValuesTest {

	@Test
	void acceptsDecimalNumbersAsPeopleAndImageJWriteThem() {
		assertEquals(0.001, ParameterValues.number("c", " 1e-3 "));
		assertEquals(-0.5, ParameterValues.number("x", "-.5"));
		assertEquals(5, ParameterValues.integer("folds", "5.0"));
		assertEquals(7, ParameterValues.integer("folds", "+7"));
		assertArrayEquals(new double[] { 1, 2.5, -3 }, ParameterValues.numbers("box_min_mm", "1, 2.5;-3", 3));
		assertArrayEquals(new int[] { 60, 40, 20 }, ParameterValues.integers("iterations", "60,40,20", 0));
		assertTrue(ParameterValues.bool("compress", "TRUE"));
	}

	@Test
	void refusesWhatJavaOrSciJavaWouldReadLeniently() {
		for (final String bad : new String[] { "abc", "", "NaN", "Infinity", "1d", "0x10", "1e999", "1,5" }) {
			final ParameterError e = assertThrows(ParameterError.class, () -> ParameterValues.number("margin_mm", bad), bad);
			assertTrue(e.getMessage().startsWith("margin_mm: ") && e.getMessage().contains("'" + bad + "'"), e.getMessage());
		}
		for (final String bad : new String[] { "2.5", "99999999999", "abc", "1e3" })
			assertThrows(ParameterError.class, () -> ParameterValues.integer("folds", bad), bad);
		assertThrows(ParameterError.class, () -> ParameterValues.bool("compress", "yes"));
		assertTrue(assertThrows(ParameterError.class, () -> ParameterValues.numbers("box_min_mm", "1,2", 3)).getMessage().contains("3 numbers"));
		assertTrue(assertThrows(ParameterError.class, () -> ParameterValues.integers("grid_cells", "4,four,4", 3)).getMessage().contains("'four'"));
	}
}
