package org.progressionprobe.ij1;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** scripts/examples/batch.sh over a small cohort with the built launcher (bin/progression-probe). */
class BatchScriptIT {

	@Test
	void runsACohortAndReportsFailedSubjects(@TempDir final Path work) throws Exception {
		ExternalRun.built("target/lib");
		final String bash = ExternalRun.require("bash", "a POSIX shell");
		final Path cohortDir = Files.createDirectories(work.resolve("cohort dir"));
		final Path scan = TestVolumes.write(cohortDir.resolve("b.nii.gz"));
		Files.writeString(cohortDir.resolve("cohort.csv"), "subject,label,baseline,followup\ns1,1,b.nii.gz,b.nii.gz\ns2,0,b.nii.gz," + scan + "\n");
		final Path out = work.resolve("out");
		final ExternalRun ok = ExternalRun.run(List.of(bash, Path.of("scripts/examples/batch.sh").toAbsolutePath().toString(),
				cohortDir.resolve("cohort.csv").toString(), out.toString()), work, work.resolve("ok.log"), 300, "PROGRESSION_PROBE_NO_BUILD", "1");
		assertEquals(0, ok.status(), ok.output());
		assertTrue(Files.readString(out.resolve("logs/batch.log")).contains("finished: " + out), ok.output());
		assertTrue(Files.readString(out.resolve("logs/s2.log")).contains("size: 4 x 5 x 6"));

		Files.writeString(cohortDir.resolve("broken.csv"), "subject,baseline,followup,label\ns1,b.nii.gz,missing.nii.gz,1\ns2,b.nii.gz,b.nii.gz,0\n");
		final Path out2 = work.resolve("out2");
		final ExternalRun bad = ExternalRun.run(List.of(bash, Path.of("scripts/examples/batch.sh").toAbsolutePath().toString(),
				cohortDir.resolve("broken.csv").toString(), out2.toString()), work, work.resolve("bad.log"), 300, "PROGRESSION_PROBE_NO_BUILD", "1");
		assertEquals(1, bad.status(), bad.output());
		final String log = Files.readString(out2.resolve("logs/batch.log"));
		assertTrue(log.contains(cohortDir.resolve("missing.nii.gz") + ": file not found"), log);
		assertTrue(log.contains("s2: done") && log.contains("finished with failures: s1"), log);
	}
}
