package org.progressionprobe.features.model;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CyclicBarrier;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.stream.Stream;
import java.util.zip.ZipEntry;
import java.util.zip.ZipOutputStream;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Executors that unpack the same model package into a shared cache folder at the same moment (as
 * the tasks of a Spark job do on their first partition) all get the same folder, and the cache
 * holds one complete copy and no half-unpacked leftovers.
 */
class SafeUnzipRaceTest {

	@TempDir
	Path tmp;

	@Test
	void racingUnpacksLeaveOneGoodCopy() throws Exception {
		final Path pkg = TestNets.pairnet(tmp.resolve("p"), "onnx");
		final Path zip = tmp.resolve("pairnet.zip");
		final List<String> files = List.of("rdf.yaml", "pairnet.onnx");
		try (ZipOutputStream out = new ZipOutputStream(Files.newOutputStream(zip))) {
			for (final String f : files) {
				out.putNextEntry(new ZipEntry("pairnet/" + f));
				out.write(Files.readAllBytes(pkg.resolve(f)));
				out.closeEntry();
			}
		}
		final int racers = 6;
		final ExecutorService pool = Executors.newFixedThreadPool(racers);
		try {
			for (int round = 0; round < 10; round++) {
				final Path cache = tmp.resolve("cache" + round);
				final CyclicBarrier start = new CyclicBarrier(racers);
				final List<Future<Path>> unpacked = new ArrayList<>();
				for (int r = 0; r < racers; r++)
					unpacked.add(pool.submit(() -> {
						start.await();
						return ModelPackage.open(zip, cache).folder();
					}));
				final Path first = unpacked.get(0).get();
				for (final Future<Path> f : unpacked)
					assertEquals(first, f.get(), "every racer uses the same folder");
				assertEquals(List.of(cache.relativize(first).getName(0).toString()), list(cache), "one folder in the cache, no .part leftovers");
				for (final String f : files)
					assertArrayEquals(Files.readAllBytes(pkg.resolve(f)), Files.readAllBytes(first.resolve(f)), f);
				if (round == 0)
					try (ModelFeatures fx = new ModelFeatures(ModelPackage.open(zip, cache), FeatureSettings.defaults().withUnpackRoot(cache))) {
						assertEquals(56, fx.compute(TestNets.referenceVolume(1, 32), TestNets.referenceVolume(0, 32)).size(), "the copy loads");
					}
			}
		} finally {
			pool.shutdownNow();
		}
	}

	private static List<String> list(final Path dir) throws IOException {
		try (Stream<Path> s = Files.list(dir)) {
			return s.map(p -> p.getFileName().toString()).sorted().toList();
		}
	}
}
