package org.progressionprobe.study;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.progressionprobe.align.TransformCache;
import org.progressionprobe.command.Progress;
import org.progressionprobe.features.change.ChangeFeatureCache;
import org.progressionprobe.features.change.ChangeFeatures;
import org.progressionprobe.table.Cohort;
import org.progressionprobe.table.CohortPair;
import org.progressionprobe.table.FeatureVector;
import org.progressionprobe.testing.BallCohort;
import org.progressionprobe.io.VolumeIO;
import org.progressionprobe.volume.ScanPair;
import org.progressionprobe.volume.Volume;

/**
 * Change features on a grid of none and pair alignment: the none setting's own pre-registration and
 * the pair alignment hand the demons the same follow-up, so the second setting reads every pair from
 * the cache, and each table equals the one made without it; other settings, other scans or another
 * voxel miss it.
 */
class ChangeFeatureCacheTest {

	static final int SUBJECTS = 4;

	@TempDir
	static Path dir;
	static Cohort cohort;

	@BeforeAll
	static void makeCohort() throws IOException {
		cohort = Cohort.readLabelled(BallCohort.write(dir, SUBJECTS, 3));
	}

	private static List<StudySetting> grid() throws IOException {
		return new StudyPlan(List.of("none", "pair"), List.of("off"), List.of(), 0, List.of(StudySetting.CHANGE), StudyPlan.ModelOptions.defaults(), null)
				.settings();
	}

	@Test
	void thePairSettingReadsTheNoneSettingsFeaturesAndTheTablesAreTheSame() throws IOException {
		final ChangeFeatureCache cache = new ChangeFeatureCache(dir.resolve("change-cache"));
		final FeatureTableBuilder cached = FeatureTableBuilder.local(new TransformCache(dir.resolve("t1")), null, cache, Progress.NONE, 1, 1);
		final FeatureTableBuilder plain = FeatureTableBuilder.local(new TransformCache(dir.resolve("t2")), null, null, Progress.NONE, 1, 1);
		for (final StudySetting s : grid()) {
			final Path with = dir.resolve("with").resolve(s.id() + ".csv"), without = dir.resolve("without").resolve(s.id() + ".csv");
			assertTrue(cached.build(s, cohort, with).complete());
			assertTrue(plain.build(s, cohort, without).complete());
			assertEquals(Files.readAllLines(without), Files.readAllLines(with), s.id() + ": the table with the cache differs from the one without");
		}
		assertEquals(SUBJECTS, cache.computed(), "each pair registered deformably once over the two settings");
		try (java.util.stream.Stream<Path> files = Files.list(dir.resolve("change-cache"))) {
			assertEquals(SUBJECTS, files.count());
		}
	}

	@Test
	void anotherSettingOrOneOtherVoxelMissesTheCache() throws IOException {
		final CohortPair first = cohort.pairs().get(0);
		final ScanPair pair = new ScanPair(first.subject(), VolumeIO.read(first.baseline()), VolumeIO.read(first.followup()), null);
		final ChangeFeatureCache cache = new ChangeFeatureCache(dir.resolve("miss-cache"));
		final ChangeFeatures.Settings d = ChangeFeatures.Settings.defaults();
		final FeatureVector once = new ChangeFeatures(d, Progress.NONE, cache).compute(pair), again = new ChangeFeatures(d, Progress.NONE, cache).compute(pair);
		assertEquals(once.names(), again.names());
		assertArrayEquals(once.values(), again.values(), "read back bit for bit");
		assertEquals(1, cache.computed(), "the same pair and settings: read back");
		new ChangeFeatures(ChangeFeatures.Settings.parse(Map.of("iterations", "5")), Progress.NONE, cache).compute(pair);
		assertEquals(2, cache.computed(), "other demons settings: measured again");
		final Volume followup = pair.followup().copy();
		followup.data()[followup.data().length / 2] += 1;
		new ChangeFeatures(d, Progress.NONE, cache).compute(new ScanPair(pair.subject(), pair.baseline(), followup, null));
		assertEquals(3, cache.computed(), "one follow-up voxel changed: measured again");
	}
}
