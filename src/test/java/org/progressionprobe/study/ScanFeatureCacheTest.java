package org.progressionprobe.study;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.progressionprobe.command.ParameterLists;
import org.progressionprobe.command.Progress;
import org.progressionprobe.features.model.ScanFeatureCache;
import org.progressionprobe.pipeline.FeatureBatch;
import org.progressionprobe.table.Cohort;
import org.progressionprobe.table.FeatureTable;
import org.progressionprobe.testing.BallCohort;

/**
 * A single-scan network (builtin-unet) on a grid of none and pair alignment: the baseline, the same
 * scan in both settings, runs through the network once; the tables equal those made without the
 * cache; a rerun with one more layer computes only that layer.
 */
class ScanFeatureCacheTest {

	static final int SUBJECTS = 4;

	@TempDir
	static Path dir;
	static Cohort cohort;

	@BeforeAll
	static void makeCohort() throws IOException {
		cohort = Cohort.readLabelled(BallCohort.write(dir, SUBJECTS, 3));
	}

	private static List<StudySetting> grid(final String layers) throws IOException {
		return new StudyPlan(List.of("none", "pair"), List.of("off"), List.of(), 0, List.of("builtin-unet"),
				new StudyPlan.ModelOptions(layers, "gap", "diff", "cpu"), null).settings();
	}

	private static List<String> rows(final Path table) throws IOException {
		return Files.readAllLines(table);
	}

	@Test
	void eachScanRunsOnceAndTheTablesAreTheSame() throws IOException {
		final ScanFeatureCache cache = new ScanFeatureCache(dir.resolve("cache"));
		final FeatureTableBuilder cached = FeatureTableBuilder.local(null, cache, null, Progress.NONE, 1, 1);
		final FeatureTableBuilder plain = FeatureTableBuilder.local(null, null, null, Progress.NONE, 1, 1);
		final List<StudySetting> settings = grid("");
		int layers = 0;
		for (final StudySetting s : settings) {
			final Path with = dir.resolve("with").resolve(s.id() + ".csv"), without = dir.resolve("without").resolve(s.id() + ".csv");
			assertTrue(cached.build(s, cohort, with).complete());
			assertTrue(plain.build(s, cohort, without).complete());
			assertEquals(rows(without), rows(with), s.id() + ": the table with the cache differs from the one without");
			layers = ParameterLists.split(FeatureTable.read(with).provenance().get(FeatureBatch.FEATURES_PREFIX + "layers")).size();
		}
		assertTrue(layers >= 2, "builtin-unet declares " + layers + " layers");
		// none: baseline and follow-up as they came; pair: the same baseline (from the cache) and the resampled follow-up
		assertEquals(3 * SUBJECTS * layers, cache.computed(), "each (scan, layer) computed once over the two settings");
	}

	@Test
	void aRerunWithOneMoreLayerComputesOnlyThatLayer() throws IOException {
		final ScanFeatureCache cache = new ScanFeatureCache(dir.resolve("layers-cache"));
		final FeatureTableBuilder cached = FeatureTableBuilder.local(null, cache, null, Progress.NONE, 1, 1);
		final StudySetting all = grid("").get(0);
		final Path first = dir.resolve("layers").resolve("all.csv");
		assertTrue(cached.build(all, cohort, first).complete());
		final List<String> declared = ParameterLists.split(FeatureTable.read(first).provenance().get(FeatureBatch.FEATURES_PREFIX + "layers"));
		final int before = cache.computed();
		assertEquals(2 * SUBJECTS * declared.size(), before);

		final ScanFeatureCache fresh = new ScanFeatureCache(dir.resolve("rerun-cache"));
		final FeatureTableBuilder rerun = FeatureTableBuilder.local(null, fresh, null, Progress.NONE, 1, 1);
		final String one = declared.get(0), two = declared.get(0) + "," + declared.get(1);
		assertTrue(rerun.build(grid(one).get(0), cohort, dir.resolve("layers").resolve("one.csv")).complete());
		assertEquals(2 * SUBJECTS, fresh.computed());
		assertTrue(rerun.build(grid(two).get(0), cohort, dir.resolve("layers").resolve("two.csv")).complete());
		assertEquals(2 * SUBJECTS * 2, fresh.computed(), "the rerun with a second layer computes that layer alone");
	}
}
