package org.progressionprobe.report;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.progressionprobe.launcher.Launcher;
import org.progressionprobe.study.Study;
import org.progressionprobe.testing.BallCohort;

/** Run Study through the launcher prints where the study stands, and inner steps only with --debug. */
class RunStudyProgressTest {

	@TempDir
	Path dir;

	private String run(final String... args) {
		final ByteArrayOutputStream out = new ByteArrayOutputStream();
		final ByteArrayOutputStream err = new ByteArrayOutputStream();
		final int status = new Launcher(new PrintStream(out, true, StandardCharsets.UTF_8), new PrintStream(err, true, StandardCharsets.UTF_8)).run(args);
		assertEquals(0, status, err.toString(StandardCharsets.UTF_8));
		return out.toString(StandardCharsets.UTF_8);
	}

	private String study(final Path cohort, final String out, final boolean debug) {
		final String arguments = "cohort=\"" + cohort + "\",output_dir=\"" + dir.resolve(out) + "\",alignments=\"none,pair\",folds=2,bootstrap=0,nested=false,c=\"1\"";
		return debug ? run("--debug", "--run", "Run Study", arguments) : run("--run", "Run Study", arguments);
	}

	@Test
	void overallLinesWithoutDebugAndInnerStepsWithDebug() throws IOException {
		final Path cohort = BallCohort.write(dir, 6, 3);
		final String quiet = study(cohort, "quiet", false);
		assertTrue(quiet.contains("[INFO] Run Study: setting 1/2 (none_change), 0% done, 0 s elapsed"), quiet);
		assertFalse(quiet.contains("Deformable registration") || quiet.contains("Features: ") || quiet.contains("[DEBUG]"), quiet);
		final String verbose = study(cohort, "verbose", true);
		assertTrue(verbose.contains("[INFO] Run Study: setting 1/2 (none_change)"), verbose);
		assertTrue(verbose.contains("[DEBUG] Deformable registration: "), verbose);
	}
}
