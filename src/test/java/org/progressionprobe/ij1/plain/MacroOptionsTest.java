package org.progressionprobe.ij1.plain;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.LinkedHashMap;
import java.util.Map;

import org.junit.jupiter.api.Test;

class MacroOptionsTest {

	@Test
	void parsesImageJ1Syntax() {
		// the form ImageJ passes (trailing space included)
		final Map<String, String> m = MacroOptions.parse("input=[/data/scan one.nii.gz] factor=2.5 absolute note=[] output=/tmp/o.txt ");
		assertEquals(Map.of("input", "/data/scan one.nii.gz", "factor", "2.5", "absolute", "true", "note", "", "output", "/tmp/o.txt"), m);
		assertEquals("[input, factor, absolute, note, output]", m.keySet().toString());
		assertTrue(MacroOptions.parse("").isEmpty());
		assertTrue(MacroOptions.parse(null).isEmpty());
		assertEquals(Map.of("flag", "false"), MacroOptions.parse("flag=false"));
	}

	@Test
	void rejectsWhatWouldBeGuessed() {
		assertTrue(assertThrows(IllegalArgumentException.class, () -> MacroOptions.parse("input=[/a b")).getMessage().contains("'input'"));
		assertTrue(assertThrows(IllegalArgumentException.class, () -> MacroOptions.parse("a=1 a=2")).getMessage().contains("twice"));
		assertThrows(IllegalArgumentException.class, () -> MacroOptions.parse("=5"));
	}

	@Test
	void formatRoundTrips() {
		final Map<String, String> m = new LinkedHashMap<>();
		m.put("input", "/data/scan one.nii.gz");
		m.put("factor", "2.5");
		m.put("note", "");
		final String s = MacroOptions.format(m);
		assertEquals("input=[/data/scan one.nii.gz] factor=2.5 note=[]", s);
		assertEquals(m, MacroOptions.parse(s));
	}
}
