package org.progressionprobe.pipeline;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.progressionprobe.command.Progress;
import org.progressionprobe.features.change.ChangeFeatures;
import org.progressionprobe.table.Cohort;
import org.progressionprobe.table.FeatureTable;
import org.progressionprobe.testing.BallCohort;

/** Change features of a cohort: the same table, byte for byte, on one thread one pair at a time and on three threads three pairs at a time. */
class ParallelPairsTest {

	@TempDir
	Path dir;

	@Test
	void threadsAndPairsAtOnceLeaveTheTableUnchanged() throws Exception {
		final Cohort cohort = Cohort.read(BallCohort.write(dir, 7, 5), false);
		final Path serial = dir.resolve("serial.csv"), parallel = dir.resolve("parallel.csv");
		final FeatureBatch.Result a = new FeatureBatch(PairSource.unaligned(), new ChangeFeatures(ChangeFeatures.Settings.defaults(), Progress.NONE),
				Progress.NONE, 1, 1).run(cohort, serial);
		final FeatureBatch.Result b = new FeatureBatch(PairSource.unaligned(), new ChangeFeatures(ChangeFeatures.Settings.defaults(), Progress.NONE),
				Progress.NONE, 3, 3).run(cohort, parallel);
		assertTrue(a.complete() && b.complete());
		assertEquals(7, b.computed());
		assertEquals(Files.readString(serial), Files.readString(parallel));
		final FeatureTable t = FeatureTable.read(parallel);
		assertEquals("s0", t.text(0, "subject"), "rows in cohort order");
		assertEquals("s6", t.text(6, "subject"));
		// the progressors (odd subjects) lose 15% of the ball, the stable ones nothing
		for (int r = 0; r < 7; r++)
			assertTrue(r % 2 == 1 ? t.number(r, "logjac_p5_foreground") < -0.16 : t.number(r, "logjac_p5_foreground") > -0.1,
					"subject " + r + ": " + t.number(r, "logjac_p5_foreground"));
	}
}
