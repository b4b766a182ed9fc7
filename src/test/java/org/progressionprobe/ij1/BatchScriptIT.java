package org.progressionprobe.ij1;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.progressionprobe.table.FeatureTable;
import org.progressionprobe.testing.BallCohort;

/** scripts/examples/batch.sh over a small cohort with the built launcher (bin/progression-probe). */
class BatchScriptIT {

	@Test
	void runsACohortEndToEndAndReportsFailedSubjects(@TempDir final Path work) throws Exception {
		ExternalRun.built("target/lib");
		final String bash = ExternalRun.require("bash", "a POSIX shell");
		final Path cohortDir = Files.createDirectories(work.resolve("cohort dir"));
		final Path cohort = BallCohort.write(cohortDir, 12, 5);
		final Path out = work.resolve("out");
		final List<String> script = List.of(bash, Path.of("scripts/examples/batch.sh").toAbsolutePath().toString());
		final ExternalRun ok = ExternalRun.run(concat(script, cohort.toString(), out.toString()), work, work.resolve("ok.log"), 600,
				"PROGRESSION_PROBE_NO_BUILD", "1", "FOLDS", "2");
		assertEquals(0, ok.status(), ok.output());
		assertTrue(Files.readString(out.resolve("logs/batch.log")).contains("finished: " + out), ok.output());
		assertEquals(12, FeatureTable.read(out.resolve("features.csv")).rowCount());
		assertEquals("pair", FeatureTable.read(out.resolve("features.csv")).provenance().get("prepare.alignment"));
		assertEquals(12, FeatureTable.read(out.resolve("predictions.csv")).rowCount());

		// a corrupt follow-up: that subject fails, the others are kept, the script exits 1
		Files.writeString(cohortDir.resolve("s4_f.nii.gz"), "not a scan");
		final Path out2 = work.resolve("out2");
		final ExternalRun bad = ExternalRun.run(concat(script, cohort.toString(), out2.toString()), work, work.resolve("bad.log"), 600,
				"PROGRESSION_PROBE_NO_BUILD", "1", "FOLDS", "2");
		assertEquals(1, bad.status(), bad.output());
		final String log = Files.readString(out2.resolve("logs/batch.log"));
		assertTrue(log.contains("failed subjects: s4"), log);
		assertTrue(Files.readString(out2.resolve("features.csv.errors.csv")).contains("s4_f.nii.gz"));
		assertEquals(12, Files.readAllLines(out2.resolve("features.csv.partial")).stream().filter(l -> !l.startsWith("#")).count(),
				"header and the 11 good rows are kept for the next run");
	}

	private static List<String> concat(final List<String> a, final String... b) {
		final List<String> out = new java.util.ArrayList<>(a);
		out.addAll(List.of(b));
		return out;
	}
}
