package org.progressionprobe.sim;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;
import java.util.zip.GZIPInputStream;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.progressionprobe.io.VolumeIO;
import org.progressionprobe.table.Cohort;
import org.progressionprobe.table.FeatureTable;

/** The committed test-images/ are what the generator writes today. */
class TestImagesTest {

	private static final Path COMMITTED = Path.of("test-images");

	@Test
	void regeneratedImagesEqualTheCommittedOnes(@TempDir final Path dir) throws IOException {
		TestImages.write(dir);
		final List<Path> fresh = files(dir);
		assertEquals(relative(dir, fresh), relative(COMMITTED, files(COMMITTED).stream().filter(p -> !p.endsWith("README.md")).toList()),
				"the same files");
		for (final Path f : fresh) {
			final Path committed = COMMITTED.resolve(dir.relativize(f).toString());
			// compare NIfTI content, not gzip bytes, which may differ between zlib versions
			assertArrayEquals(content(committed), content(f), committed + " differs from a fresh run of scripts/make-test-images.sh");
		}
	}

	@Test
	void theDemoPairIsAProgressorWithKnownGeometry() throws IOException {
		final var info = VolumeIO.info(COMMITTED.resolve("phantom_baseline.nii.gz"));
		assertArrayEquals(new int[] { 45, 54, 45 }, info.size());
		assertEquals("RAS", org.progressionprobe.volume.Geometry.orientation(info.voxelToWorld()));
		final FeatureTable truth = FeatureTable.read(COMMITTED.resolve("phantom_truth.csv"));
		assertEquals("1", truth.text(0, "label"));
		assertTrue(truth.number(0, "volume_change_percent_Hippocampus_L") < -4);
		assertEquals(6, Cohort.readLabelled(COMMITTED.resolve("cohort").resolve("cohort.csv")).size());
		long bytes = 0;
		for (final Path p : files(COMMITTED))
			bytes += Files.size(p);
		assertTrue(bytes < 1_600_000, "test-images/ stays small: " + bytes + " bytes");
	}

	private static List<Path> files(final Path dir) throws IOException {
		try (Stream<Path> s = Files.walk(dir)) {
			return s.filter(Files::isRegularFile).sorted().toList();
		}
	}

	private static List<String> relative(final Path dir, final List<Path> files) {
		return files.stream().map(p -> dir.relativize(p).toString()).sorted().toList();
	}

	private static byte[] content(final Path file) throws IOException {
		if (!file.toString().endsWith(".gz"))
			return Files.readAllBytes(file);
		try (InputStream in = new GZIPInputStream(Files.newInputStream(file))) {
			return in.readAllBytes();
		}
	}
}
