package org.progressionprobe.features.change;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.TreeMap;
import java.util.concurrent.atomic.AtomicInteger;

import org.progressionprobe.align.TransformCache;
import org.progressionprobe.io.AtomicOutput;
import org.progressionprobe.io.Sha256;
import org.progressionprobe.table.FeatureVector;
import org.progressionprobe.volume.Volume;

/**
 * A folder of change features, one small file per pair, found by what determines them: the
 * baseline's voxels and geometry, the follow-up as the deformable registration receives it (on the
 * baseline's grid, after any pre-registration), the label image and every setting but the
 * pre-registration, whose effect the follow-up's voxels already carry (a SHA-256 of all names the
 * file). In a study grid the {@code none} setting's own pre-registration and the {@code pair}
 * alignment hand the demons the same follow-up, bit for bit, so the second of the two settings reads
 * the first's features instead of registering again; wherever the inputs differ in one voxel, the
 * keys differ. Values are written with {@link Double#toString}, so they read back bit-identical. A
 * file that cannot be read is computed again.
 */
public final class ChangeFeatureCache {

	/** Part of every key: a change to the measurement that changes its numbers must change this. */
	static final String VERSION = "change-features-1";

	private final Path dir;
	private final AtomicInteger computed = new AtomicInteger();

	/** A cache in {@code dir} (created when the first result is stored). */
	public ChangeFeatureCache(final Path dir) {
		this.dir = dir;
	}

	/** How many pairs this cache has had measured since it was made: the work it did not save. */
	public int computed() {
		return computed.get();
	}

	/** The key of a pair's features: the settings but the pre-registration, the baseline, the registered follow-up, the labels. */
	static String key(final ChangeFeatures.Settings s, final Volume baseline, final Volume followupOnBaseline, final Volume labels) {
		final MessageDigest d = Sha256.digest();
		final DemonsRegistration.Settings r = s.registration();
		final String settings = String.join("\n", VERSION, "levels " + r.levels(), "iterations " + Arrays.toString(r.iterations()),
				"fluid_sigma " + r.fluidSigma(), "diffusion_sigma " + r.diffusionSigma(), "max_step " + r.maxStep(), "bias_sigma_mm " + r.biasSigmaMm(),
				"grid " + Arrays.toString(s.gridCells()), "percentiles " + Arrays.toString(s.percentiles()), "labels " + new TreeMap<>(s.labelNames()), "");
		d.update(settings.getBytes(StandardCharsets.UTF_8));
		TransformCache.digest(d, baseline);
		TransformCache.digest(d, followupOnBaseline);
		if (labels != null)
			TransformCache.digest(d, labels);
		return Sha256.hex(d);
	}

	/** The features stored under a key, or null when there are none (or they cannot be read). */
	FeatureVector get(final String key) {
		final Path file = file(key);
		if (!Files.isRegularFile(file))
			return null;
		try {
			final List<String> names = new ArrayList<>();
			final List<String> lines = Files.readAllLines(file, StandardCharsets.UTF_8);
			final double[] values = new double[lines.size()];
			for (int i = 0; i < lines.size(); i++) {
				final int space = lines.get(i).lastIndexOf(' ');
				names.add(lines.get(i).substring(0, space));
				values[i] = Double.parseDouble(lines.get(i).substring(space + 1));
			}
			return values.length == 0 ? null : new FeatureVector(names, values);
		} catch (final IOException | RuntimeException e) {
			return null;
		}
	}

	/** Stores a pair's features under its key (atomically), and counts one measurement. */
	void put(final String key, final FeatureVector features) {
		computed.incrementAndGet();
		final StringBuilder sb = new StringBuilder();
		for (int i = 0; i < features.size(); i++)
			sb.append(features.names().get(i)).append(' ').append(features.get(i)).append('\n');
		try {
			AtomicOutput.writeString(file(key), sb.toString());
		} catch (final IOException e) {
			throw new IllegalStateException("Cannot write to the change feature cache " + dir + ": " + e.getMessage(), e);
		}
	}

	private Path file(final String key) {
		return dir.resolve(key + ".txt");
	}
}
