package org.progressionprobe.pipeline;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CancellationException;

import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.progressionprobe.command.Progress;
import org.progressionprobe.features.PairExtractor;
import org.progressionprobe.io.VolumeIO;
import org.progressionprobe.table.Cohort;
import org.progressionprobe.table.CohortPair;
import org.progressionprobe.table.FeatureTable;
import org.progressionprobe.table.FeatureVector;
import org.progressionprobe.volume.AffineTransform3D;
import org.progressionprobe.volume.ScanPair;
import org.progressionprobe.volume.Volume;

class FeatureBatchTest {

	@TempDir
	Path dir;
	Cohort cohort;

	/** Mean follow-up minus mean baseline; counts its calls; can fail or stop at chosen subjects. */
	static class MeanChange implements PairExtractor {
		final List<String> seen = new ArrayList<>();
		String failOn, cancelOn, nanOn;

		@Override
		public Map<String, String> provenance() {
			return Map.of("extractor", "mean-change");
		}

		@Override
		public FeatureVector compute(final ScanPair pair) {
			if (pair.subject().equals(cancelOn))
				throw new CancellationException("killed");
			if (pair.subject().equals(failOn))
				throw new IllegalStateException("corrupt scan");
			seen.add(pair.subject());
			if (pair.subject().equals(nanOn))
				return new FeatureVector(List.of("mean_change", "ratio"), new double[] { 0, Double.NaN });
			return new FeatureVector(List.of("mean_change", "ratio"), new double[] { mean(pair.followup()) - mean(pair.baseline()), 1 });
		}

		static double mean(final Volume v) {
			double s = 0;
			for (final float f : v.data())
				s += f;
			return s / v.voxelCount();
		}
	}

	@BeforeEach
	void makeCohort() throws IOException {
		final List<CohortPair> pairs = new ArrayList<>();
		for (int i = 0; i < 5; i++) {
			final Path b = dir.resolve("s" + i + "_b.nii.gz"), f = dir.resolve("s" + i + "_f.nii.gz");
			final Volume v = Volume.zeros(4, 4, 4, new AffineTransform3D());
			java.util.Arrays.fill(v.data(), 10);
			VolumeIO.write(v, b);
			java.util.Arrays.fill(v.data(), 10 + i);
			VolumeIO.write(v, f);
			pairs.add(new CohortPair("s" + i, b, f, i % 2, Map.of()));
		}
		Cohort.write(dir.resolve("cohort.csv"), pairs);
		cohort = Cohort.readLabelled(dir.resolve("cohort.csv"));
	}

	@Test
	void writesOneRowPerSubjectWithLabels() throws IOException {
		final Path out = dir.resolve("features.csv");
		final FeatureBatch.Result r = new FeatureBatch(PairSource.unaligned(), new MeanChange(), Progress.NONE).run(cohort, out);
		assertEquals(5, r.computed());
		final FeatureTable t = FeatureTable.read(out);
		assertEquals(List.of("subject", "label", "mean_change", "ratio"), t.columns());
		assertEquals(3.0, t.number(3, "mean_change"), 1e-6);
		assertEquals("1", t.text(3, "label"));
		assertEquals("mean-change", t.provenance().get("features.extractor"));
	}

	@Test
	void aKilledRunResumesWithOnlyTheMissingSubjects() throws IOException {
		final Path out = dir.resolve("features.csv");
		final MeanChange first = new MeanChange();
		first.cancelOn = "s3";
		assertThrows(CancellationException.class, () -> new FeatureBatch(PairSource.unaligned(), first, Progress.NONE).run(cohort, out));
		assertFalse(Files.exists(out), "no output before every subject is done");
		// simulate a kill in the middle of writing a row
		Files.writeString(out.resolveSibling("features.csv.partial"), "s9,1,12", java.nio.file.StandardOpenOption.APPEND);
		final MeanChange second = new MeanChange();
		final FeatureBatch.Result r = new FeatureBatch(PairSource.unaligned(), second, Progress.NONE).run(cohort, out);
		assertEquals(List.of("s3", "s4"), second.seen);
		assertEquals(3, r.reused());
		assertEquals(5, FeatureTable.read(out).rowCount());
		assertFalse(Files.exists(out.resolveSibling("features.csv.partial")));
	}

	@Test
	void aFailingSubjectIsRecordedAndRetriedAlone() throws IOException {
		final Path out = dir.resolve("features.csv");
		final MeanChange first = new MeanChange();
		first.failOn = "s2";
		final FeatureBatch.Result r = new FeatureBatch(PairSource.unaligned(), first, Progress.NONE).run(cohort, out);
		assertEquals(Map.of("s2", "corrupt scan"), r.failures());
		assertTrue(Files.readString(out.resolveSibling("features.csv.errors.csv")).contains("s2,corrupt scan"));
		final MeanChange second = new MeanChange();
		assertTrue(new FeatureBatch(PairSource.unaligned(), second, Progress.NONE).run(cohort, out).complete());
		assertEquals(List.of("s2"), second.seen);
		assertFalse(Files.exists(out.resolveSibling("features.csv.errors.csv")));
	}

	@Test
	void aScanWithNaNVoxelsOrNonFiniteFeaturesMakeTheSubjectARecordedFailureWithItsReason() throws IOException {
		final Path nanScan = dir.resolve("s1_f.nii.gz");
		final Volume v = VolumeIO.read(nanScan);
		v.set(1, 2, 3, Float.NaN);
		VolumeIO.write(v, nanScan);
		final MeanChange extractor = new MeanChange();
		extractor.nanOn = "s3";
		final Path out = dir.resolve("features.csv");
		final FeatureBatch.Result r = new FeatureBatch(PairSource.unaligned(), extractor, Progress.NONE).run(cohort, out);
		assertEquals(List.of("s1", "s3"), List.copyOf(r.failures().keySet()));
		assertTrue(r.failures().get("s1").contains("follow-up scan " + nanScan) && r.failures().get("s1").contains("1 non-finite voxel"),
				r.failures().get("s1"));
		assertTrue(r.failures().get("s3").contains("MeanChange gave 1 of 2 feature values that are not finite") && r.failures().get("s3").endsWith(": ratio"),
				r.failures().get("s3"));
		final String errors = Files.readString(out.resolveSibling("features.csv.errors.csv"));
		assertTrue(errors.contains("s1,") && errors.contains("s3,"), errors);
		assertFalse(Files.exists(out), "no table while subjects failed");
		assertFalse(Files.readString(out.resolveSibling("features.csv.partial")).toLowerCase().contains("nan"), "no row of NaN features kept");
	}

	@Test
	void rowsOfOtherSettingsAreNotReused() throws IOException {
		final Path out = dir.resolve("features.csv");
		new FeatureBatch(PairSource.unaligned(), new MeanChange(), Progress.NONE).run(cohort, out);
		final PairExtractor other = new MeanChange() {
			@Override
			public Map<String, String> provenance() {
				return Map.of("extractor", "other");
			}
		};
		final IOException e = assertThrows(IOException.class, () -> new FeatureBatch(PairSource.unaligned(), other, Progress.NONE).run(cohort, out));
		assertTrue(e.getMessage().contains("computed with other settings"), e.getMessage());
		assertTrue(e.getMessage().endsWith("Differences: \n  features.extractor: mean-change -> other"), "only the settings that differ: " + e.getMessage());
	}
}
