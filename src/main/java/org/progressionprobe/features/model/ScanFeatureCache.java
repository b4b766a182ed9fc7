package org.progressionprobe.features.model;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.util.Arrays;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;

import org.progressionprobe.align.TransformCache;
import org.progressionprobe.io.Sha256;
import org.progressionprobe.io.AtomicOutput;
import org.progressionprobe.volume.Volume;

/**
 * A folder of a single-scan network's pooled layer features, one small file per scan and layer, so
 * that the settings of a study grid that hand the same scan to the same network (the baseline of
 * the none and pair alignments, with and without a crop) run it once, and a rerun with one more
 * layer runs the network only for that layer. Like {@link TransformCache}, a result is found by
 * what determines it: the scan's voxels and geometry, the weights' content, the engine, the layer,
 * the poolings and, for roi pooling, the mask's voxels (a SHA-256 of all names the file). Values
 * are written with {@link Double#toString}, so they read back bit-identical and a table computed
 * with the cache equals one computed without. A file that cannot be read is computed again.
 */
public final class ScanFeatureCache {

	/** Part of every key: a change to the extraction that changes its numbers must change this. */
	static final String VERSION = "scan-features-1";

	private final Path dir;
	private final AtomicInteger computed = new AtomicInteger();

	/** A cache in {@code dir} (created when the first result is stored). */
	public ScanFeatureCache(final Path dir) {
		this.dir = dir;
	}

	/** How many (scan, layer) features this cache has had computed since it was made: the work the cache did not save. */
	public int computed() {
		return computed.get();
	}

	/** The key of one scan's features for an extractor: the model's identity (see {@link #modelKey}) and the scan's content. */
	static String scanKey(final String modelKey, final Volume scan, final Volume roi) {
		final MessageDigest d = Sha256.digest();
		d.update((VERSION + "\n" + modelKey + "\n").getBytes(StandardCharsets.UTF_8));
		TransformCache.digest(d, scan);
		if (roi != null)
			TransformCache.digest(d, roi);
		return Sha256.hex(d);
	}

	/** The pooled features of {@code layer} for a scan key, or null when not cached (or unreadable). */
	Map<Pooling, double[]> get(final String scanKey, final String layer, final List<Pooling> pooling) {
		final Path file = file(scanKey, layer);
		if (!Files.isRegularFile(file))
			return null;
		try {
			final Map<Pooling, double[]> m = new EnumMap<>(Pooling.class);
			for (final String line : Files.readAllLines(file, StandardCharsets.UTF_8)) {
				final String[] parts = line.trim().split(" ");
				m.put(Pooling.valueOf(parts[0]), Arrays.stream(parts, 1, parts.length).mapToDouble(Double::parseDouble).toArray());
			}
			return m.keySet().containsAll(pooling) ? m : null;
		} catch (final IOException | RuntimeException e) {
			return null;
		}
	}

	/** Stores the pooled features of {@code layer} for a scan key, and counts one computation. */
	void put(final String scanKey, final String layer, final Map<Pooling, double[]> pooled) {
		computed.incrementAndGet();
		final StringBuilder sb = new StringBuilder();
		pooled.forEach((p, v) -> {
			sb.append(p.name());
			for (final double x : v)
				sb.append(' ').append(x);
			sb.append('\n');
		});
		try {
			AtomicOutput.writeString(file(scanKey, layer), sb.toString());
		} catch (final IOException e) {
			throw new IllegalStateException("Cannot write to the scan feature cache " + dir + ": " + e.getMessage(), e);
		}
	}

	private Path file(final String scanKey, final String layer) {
		return dir.resolve(Sha256.of((scanKey + "\n" + layer).getBytes(StandardCharsets.UTF_8)) + ".txt");
	}
}
