package org.progressionprobe.table;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Set;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class FeatureTableTest {

	@Test
	void roundTripKeepsProvenanceKeysAndExactNumbers(@TempDir final Path tmp) throws IOException {
		final FeatureTable t = new FeatureTable(List.of("subject", "label", "a", "b"), Map.of("extractor", "change, 2 mm"));
		t.addRow(Map.of("subject", "s,1", "label", "1"), new FeatureVector(List.of("a", "b"), new double[] { 0.1 + 0.2, -3 }));
		t.addRow(Map.of("subject", "s2", "label", "0"), new FeatureVector(List.of("a", "b"), new double[] { Double.NaN, 1e-300 }));
		final Path f = tmp.resolve("features.csv");
		t.write(f);
		final String text = Files.readString(f);
		assertTrue(text.startsWith("# extractor: change, 2 mm\nsubject,label,a,b\n\"s,1\",1,0.30000000000000004,-3\n"), text);
		final FeatureTable back = FeatureTable.read(f);
		assertEquals("change, 2 mm", back.provenance().get("extractor"));
		assertEquals(List.of("a", "b"), back.numericColumns(Set.of("subject", "label")));
		assertEquals(0.1 + 0.2, back.number(0, "a"));
		assertTrue(Double.isNaN(back.number(1, "a")));
		assertEquals(1e-300, back.number(1, "b"));
		assertEquals("s,1", back.text(0, "subject"));
	}

	@Test
	void raggedRowIsAnErrorNamingFileAndLine(@TempDir final Path tmp) throws IOException {
		final Path f = tmp.resolve("bad.csv");
		Files.writeString(f, "# x: y\nsubject,a\ns1,1\ns2,1,2\n");
		final IOException e = assertThrows(IOException.class, () -> FeatureTable.read(f));
		assertTrue(e.getMessage().contains("bad.csv") && e.getMessage().contains("line 4"), e.getMessage());
	}

	@Test
	void cohortListsEveryProblemAtOnce(@TempDir final Path tmp) throws IOException {
		Files.writeString(tmp.resolve("a.nii.gz"), "x");
		Files.writeString(tmp.resolve("cohort.csv"),
				"subject,baseline,followup,label\ns1,a.nii.gz,a.nii.gz,1\ns1,a.nii.gz,missing.nii.gz,0\ns3,a.nii.gz,a.nii.gz,2\n");
		final Cohort.CohortException e = assertThrows(Cohort.CohortException.class, () -> Cohort.readLabelled(tmp.resolve("cohort.csv")));
		assertEquals(3, e.problems().size(), e.getMessage());
		assertTrue(e.getMessage().contains("duplicate subject 's1'"));
		assertTrue(e.getMessage().contains("missing.nii.gz not found"));
		assertTrue(e.getMessage().contains("label '2' is not 0 or 1"));
	}

	@Test
	void cohortWithASingleClassIsRefusedForTraining(@TempDir final Path tmp) throws IOException {
		Files.writeString(tmp.resolve("a.nii.gz"), "x");
		Files.writeString(tmp.resolve("cohort.csv"), "subject,baseline,followup,label\ns1,a.nii.gz,a.nii.gz,1\ns2,a.nii.gz,a.nii.gz,1\n");
		final Cohort.CohortException e = assertThrows(Cohort.CohortException.class, () -> Cohort.readLabelled(tmp.resolve("cohort.csv")));
		assertTrue(e.getMessage().contains("a single class"), e.getMessage());
		assertEquals(2, Cohort.read(tmp.resolve("cohort.csv"), false).size());
	}
}
