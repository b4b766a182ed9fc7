package org.progressionprobe.command;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;

import org.junit.jupiter.api.Test;
import org.progressionprobe.builtin.TrainingSettings;
import org.progressionprobe.features.model.FeatureSettings;
import org.progressionprobe.features.model.Pooling;

/** The one separator set of list parameters, and every list parser that follows it. */
class ParameterListsTest {

	@Test
	void commasAndSemicolonsSeparateSpacesAroundItemsAndEmptyItemsDoNot() {
		assertEquals(List.of("none", "pair", "atlas"), ParameterLists.split(" none, pair;atlas ,"));
		assertEquals(List.of("Left Hippocampus", "Amygdala.*"), ParameterLists.split("Left Hippocampus;;Amygdala.*"));
		assertEquals(List.of("4x4x4"), ParameterLists.split("4x4x4"));
		assertEquals(List.of(), ParameterLists.split("  "));
		assertEquals(List.of(), ParameterLists.split(null));
	}

	@Test
	void everyListParserAcceptsTheSameSeparators() {
		for (final String text : new String[] { "4,4,4", "4;4;4", " 4 , 4 ; 4 " }) {
			assertArrayEquals(new int[] { 4, 4, 4 }, ParameterValues.integers("grid_cells", text, 3), text);
			assertArrayEquals(new int[] { 4, 4, 4 }, TrainingSettings.inputSize(text), text);
		}
		assertEquals(List.of(Pooling.GAP, Pooling.GRID), Pooling.parseList("gap; grid"));
		assertEquals(List.of("enc1", "enc2"), FeatureSettings.parse("enc1;enc2", "gap", 2, "diff", "cpu", "auto", null).layers());
	}

	@Test
	void anythingElseIsAnErrorNamingTheParameterAndTheValue() {
		for (final String text : new String[] { "4x4x4", "4 4 4", "4,4" }) {
			final ParameterError e = assertThrows(ParameterError.class, () -> ParameterValues.integers("grid_cells", text, 3), text);
			assertEquals("grid_cells: expected 3 whole numbers separated by commas or semicolons, got '" + text + "'", e.getMessage());
		}
		final ParameterError zero = assertThrows(ParameterError.class, () -> ParameterValues.integers("grid_cells", "4,0,4", 3, 1, 99));
		assertTrue(zero.getMessage().startsWith("grid_cells: ") && zero.getMessage().contains("'0'"), zero.getMessage());
		final ParameterError size = assertThrows(ParameterError.class, () -> TrainingSettings.inputSize("32,x,32"));
		assertTrue(size.getMessage().startsWith("input_size: ") && size.getMessage().contains("'x'"), size.getMessage());
	}
}
