package org.progressionprobe.table;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** CSV fields read back exactly as written: commas, quotes, edge spaces, line breaks. */
class CsvTest {

	private static final List<String> AWKWARD = List.of("plain", "a,b", "say \"hi\"", "  edge spaces  ", "two\nlines", "\"", "", " ,\n\"x\"\n ");

	@Test
	void joinThenSplitGivesTheFieldsBack() {
		final String record = Csv.join(AWKWARD);
		assertEquals(AWKWARD, Csv.split(record));
		assertEquals(List.of(record), Csv.records(List.of(record.split("\n", -1))));
	}

	@Test
	void unquotedFieldsAreTrimmedQuotedFieldsAreNot() {
		assertEquals(List.of("a", "b", " c ", "d"), Csv.split(" a , b ,  \" c \" ,d"));
	}

	@Test
	void featureTableReadsBackMultiLineFields(@TempDir final Path tmp) throws IOException {
		final FeatureTable t = new FeatureTable(List.of("subject", "note", "a"), Map.of());
		for (int i = 0; i < AWKWARD.size(); i++)
			t.addRow(Map.of("subject", "s" + i, "note", AWKWARD.get(i), "a", Integer.toString(i)));
		final Path f = tmp.resolve("t.csv");
		t.write(f);
		final FeatureTable back = FeatureTable.read(f);
		assertEquals(AWKWARD, back.texts("note"));
		assertEquals(AWKWARD.size() - 1.0, back.number(AWKWARD.size() - 1, "a"));
	}

	@Test
	void cohortReadsBackMultiLineFields(@TempDir final Path tmp) throws IOException {
		for (final String scan : List.of(" b 1.nii", "f1.nii", "b2.nii", "f2.nii"))
			Files.writeString(tmp.resolve(scan), "");
		final Path f = tmp.resolve("cohort.csv");
		Files.writeString(f, "subject,baseline,followup,label\n\"s\n1\",\" b 1.nii\",f1.nii,1\ns2,b2.nii,f2.nii,0\n");
		final Cohort c = Cohort.read(f, true);
		assertEquals("s\n1", c.pairs().get(0).subject());
		assertTrue(c.pairs().get(0).baseline().toString().endsWith(" b 1.nii"), c.pairs().get(0).baseline().toString());
		assertEquals("s2", c.pairs().get(1).subject());
	}

	@Test
	void unclosedQuoteIsAnErrorNamingFileAndLine(@TempDir final Path tmp) throws IOException {
		final Path f = tmp.resolve("open.csv");
		Files.writeString(f, "subject,a\ns1,1\n\"s2,2\n");
		final IOException e = assertThrows(IOException.class, () -> FeatureTable.read(f));
		assertTrue(e.getMessage().contains("open.csv") && e.getMessage().contains("line 3") && e.getMessage().contains("not closed"), e.getMessage());
	}
}
