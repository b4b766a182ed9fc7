package org.progressionprobe.probe;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.progressionprobe.table.FeatureTable;

class ProbeDataTest {

	@TempDir
	Path dir;

	private ProbeData read(final String csv, final int folds) throws Exception {
		final Path f = dir.resolve("features.csv");
		Files.writeString(f, csv);
		return ProbeData.readForTraining(f, ProbeColumns.defaults(), folds);
	}

	private ProbeDataException fails(final String csv, final int folds) {
		return assertThrows(ProbeDataException.class, () -> read(csv, folds));
	}

	@Test
	void readsAnyToolsTableIgnoringTextColumnsAndDroppingConstantOnes() throws Exception {
		final ProbeData d = read("\ufeff# features: written by hand\nsubject,site,label,a,const,notes\ns1,A,0,1.5,7,\ns2,B,1,2.5,7,moved\ns3,A,1,0.5,7,\ns4,B,0,1,7,nan\n", 2);
		assertEquals(List.of("a"), d.features());
		assertEquals(List.of("s1", "s2", "s3", "s4"), d.groups());
		assertEquals(2.5, d.x()[1][0]);
		assertEquals("written by hand", d.provenance().get("features"));
		assertTrue(d.notes().stream().anyMatch(n -> n.contains("constant") && n.contains("const")), d.notes().toString());
		assertTrue(d.notes().stream().anyMatch(n -> n.contains("non-numeric") && n.contains("site") && n.contains("notes")), d.notes().toString());
	}

	@Test
	void aByteOrderMarkBeforeTheHeaderIsAccepted() throws Exception {
		assertEquals(List.of("s1", "s2", "s3", "s4"), read("\ufeffsubject,label,a\ns1,0,1\ns2,1,2\ns3,1,3\ns4,0,5\n", 2).subjects());
	}

	@Test
	void aTextCellInANumericColumnIsNamedNotDroppedWithItsColumn() {
		final ProbeDataException e = fails("subject,label,a,b\ns1,0,1.5,2\ns2,1,2.5,n/a?\ns3,1,0.5,1\ns4,0,1,3\n", 2);
		assertTrue(e.getMessage().contains("column b") && e.getMessage().contains("'n/a?' (row 2, subject s2)"), e.getMessage());
	}

	@Test
	void conflictingLabelsOfOneSubjectAreRefused() {
		final ProbeDataException e = fails("subject,label,a\ns1,0,1\ns2,1,2\ns1,1,3\ns3,0,5\ns4,1,2\n", 2);
		assertTrue(e.getMessage().contains("subject s1 has conflicting labels: 0 (row 1) and 1 (row 3)"), e.getMessage());
	}

	@Test
	void groupColumnKeepsVisitsTogether() throws Exception {
		final ProbeData d = read("subject,group,label,a\nv1,p1,0,1\nv2,p1,0,2\nv3,p2,1,3\nv4,p3,1,1\nv5,p4,0,5\n", 2);
		assertEquals(List.of("p1", "p1", "p2", "p3", "p4"), d.groups());
	}

	@Test
	void aMissingLabelColumnIsAClearError() {
		final ProbeDataException e = fails("subject,a,b\ns1,1,2\ns2,2,3\n", 2);
		assertTrue(e.getMessage().contains("features.csv") && e.getMessage().contains("no label column 'label'"), e.getMessage());
	}

	@Test
	void aSingleClassIsAClearError() {
		final ProbeDataException e = fails("subject,label,a\ns1,1,1\ns2,1,2\ns3,1,3\n", 2);
		assertTrue(e.getMessage().contains("a single class") && e.getMessage().contains("label 1"), e.getMessage());
	}

	@Test
	void labelsOtherThanZeroOneAreListed() {
		final ProbeDataException e = fails("subject,label,a\ns1,0,1\ns2,yes,2\ns3,2,3\n", 0);
		assertTrue(e.getMessage().contains("'yes' (row 2, subject s2)") && e.getMessage().contains("'2' (row 3, subject s3)"), e.getMessage());
	}

	@Test
	void tooFewSubjectsPerClassForTheFolds() {
		final ProbeDataException e = fails("subject,label,a\ns1,0,1\ns2,0,2\ns3,1,3\ns4,1,3\ns5,0,2\n", 3);
		assertTrue(e.getMessage().contains("class 1 has 2 subject(s) (2 rows), fewer than the 3 folds"), e.getMessage());
	}

	@Test
	void nonFiniteFeaturesNameColumnAndSubject() {
		final ProbeDataException e = fails("subject,label,a,b\ns1,0,1,2\ns2,1,nan,3\ns3,1,inf,3\ns4,0,2,1\n", 2);
		assertTrue(e.getMessage().contains("column a is not finite for 2 row(s): subject s2 (nan), subject s3 (Infinity)"), e.getMessage());
		assertEquals(1, e.problems().size());
	}

	@Test
	void everyProblemIsListedAtOnce() {
		final ProbeDataException e = assertThrows(ProbeDataException.class,
				() -> ProbeData.forTraining(new FeatureTable(List.of("id", "a"), java.util.Map.of()), ProbeColumns.defaults(), 5, "t.csv"));
		assertTrue(e.problems().size() >= 3, e.problems().toString());
		assertTrue(e.getMessage().contains("no subject column") && e.getMessage().contains("no label column") && e.getMessage().contains("no rows"),
				e.getMessage());
	}
}
