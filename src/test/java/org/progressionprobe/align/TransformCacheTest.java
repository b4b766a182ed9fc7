package org.progressionprobe.align;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.Stream;

import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.progressionprobe.align.PairPreparation.Alignment;
import org.progressionprobe.command.Progress;
import org.progressionprobe.io.AtlasFiles;
import org.progressionprobe.io.VolumeIO;
import org.progressionprobe.volume.Atlas;
import org.progressionprobe.volume.ScanPair;
import org.progressionprobe.volume.Volume;

/** Registrations shared through a cache folder give the numbers computed without it, once per distinct registration. */
class TransformCacheTest {

	static Volume baseline, followup;
	static Atlas atlas;

	@TempDir
	Path dir;

	@BeforeAll
	static void read() throws IOException {
		baseline = VolumeIO.read(Path.of("test-images/phantom_baseline.nii.gz"));
		followup = VolumeIO.read(Path.of("test-images/phantom_followup.nii.gz"));
		atlas = AtlasFiles.read(Path.of("test-images/atlas_template.nii.gz"), Path.of("test-images/atlas_labels.nii.gz"),
				Path.of("test-images/atlas_labels.txt"));
	}

	@Test
	void aCachedRegistrationIsReadBackBitIdenticalAndNotComputedAgain() throws IOException {
		final TransformCache cache = new TransformCache(dir.resolve("transforms"));
		final RegistrationSettings s = RegistrationSettings.defaults();
		final AtomicInteger computed = new AtomicInteger();
		final CentredAffine first = cache.registration(baseline, followup, s, () -> {
			computed.incrementAndGet();
			return new AffineRegistration(s, Progress.NONE).register(baseline, followup).transform();
		});
		final CentredAffine again = cache.registration(baseline, followup, s, () -> {
			computed.incrementAndGet();
			throw new AssertionError("computed again");
		});
		assertEquals(1, computed.get());
		assertArrayEquals(first.toAffine().getRowPackedCopy(), again.toAffine().getRowPackedCopy(), 0);
		assertEquals(1, files(cache.folder()).size());
	}

	@Test
	void otherSettingsOrOtherVoxelsAreAnotherRegistration() {
		final RegistrationSettings ncc = RegistrationSettings.defaults(), mi = ncc.withMetric(RegistrationSettings.Metric.MI);
		final float[] edited = followup.data().clone();
		edited[edited.length / 2] += 1;
		final Volume changed = followup.withData(edited);
		assertNotEquals(TransformCache.key(baseline, followup, ncc), TransformCache.key(baseline, followup, mi));
		assertNotEquals(TransformCache.key(baseline, followup, ncc), TransformCache.key(baseline, changed, ncc));
		assertNotEquals(TransformCache.key(baseline, followup, ncc), TransformCache.key(followup, baseline, ncc), "fixed and moving are not interchangeable");
		assertEquals(TransformCache.key(baseline, followup, ncc), TransformCache.key(baseline.withData(baseline.data().clone()), followup, ncc),
				"the content counts, not the instance");
	}

	@Test
	void anUnreadableCacheFileIsComputedAgainAndReplaced() throws IOException {
		final TransformCache cache = new TransformCache(dir.resolve("transforms"));
		final RegistrationSettings s = RegistrationSettings.defaults();
		final CentredAffine t = CentredAffine.identity(new double[] { 1, 2, 3 });
		cache.registration(baseline, followup, s, () -> t);
		final Path file = files(cache.folder()).get(0);
		Files.writeString(file, "#Insight Transform File V1.0\nTransform: AffineTransform_double_3_3\nParameters: 1 0");
		final AtomicInteger computed = new AtomicInteger();
		cache.registration(baseline, followup, s, () -> {
			computed.incrementAndGet();
			return t;
		});
		assertEquals(1, computed.get());
		assertArrayEquals(t.toAffine().getRowPackedCopy(), TransformFiles.readItk(file).toAffine().getRowPackedCopy(), 0);
	}

	@Test
	void preparationsThatShareRegistrationsComputeThemOnceAndGiveTheSameScans() throws IOException {
		final TransformCache cache = new TransformCache(dir.resolve("transforms"));
		final List<PairPreparation.Settings> settings = List.of(PairPreparation.Settings.of(Alignment.PAIR),
				PairPreparation.Settings.of(Alignment.PAIR).withRoi(List.of("Hippocampus.*"), 8), PairPreparation.Settings.of(Alignment.ATLAS),
				PairPreparation.Settings.of(Alignment.ATLAS).withRoi(List.of("Hippocampus.*"), 8));
		for (final PairPreparation.Settings s : settings) {
			final ScanPair cached = new PairPreparation(s, atlas, cache, Progress.NONE).prepare("s1", baseline, followup);
			final ScanPair fresh = new PairPreparation(s, atlas, Progress.NONE).prepare("s1", baseline, followup);
			assertArrayEquals(fresh.baseline().data(), cached.baseline().data(), s.toString());
			assertArrayEquals(fresh.followup().data(), cached.followup().data(), s.toString());
		}
		assertEquals(2, files(cache.folder()).size(), "follow-up to baseline, baseline to atlas");
	}

	private static List<Path> files(final Path folder) throws IOException {
		try (Stream<Path> s = Files.list(folder)) {
			return s.toList();
		}
	}
}
