package org.progressionprobe.align;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.util.Map;
import java.util.TreeMap;
import java.util.function.Supplier;

import org.progressionprobe.io.Sha256;
import org.progressionprobe.volume.Volume;

/**
 * A folder of affine registration results, so that the settings of a study grid that align the same
 * scans the same way (pair alignment with and without a crop, atlas alignment for a crop and for
 * the atlas setting, every extractor of a setting) register them once. A result is found by what
 * determines it: the voxels and geometry of the fixed and the moving image and the registration
 * settings (a SHA-256 of all three names the file), never by a file name or a time stamp, so an
 * edited scan is registered again and a copied cohort finds its results.
 * <p>
 * Results are ITK transform files ({@code <key>.tfm}, fixed world to moving world, the format Align
 * Pair writes), written atomically; they read back bit-identical ({@link CentredAffine}), so features
 * computed with a cached transform equal those computed without. A file that cannot be read is
 * computed again and replaced.
 */
public final class TransformCache {

	/**
	 * Part of every key: a change to the registration that changes its results must change this, so
	 * that a study folder made by an earlier version does not hand out results the code would no
	 * longer compute.
	 */
	static final String VERSION = "affine-registration-1";

	private final Path dir;

	/** A cache in {@code dir} (created when the first result is stored). */
	public TransformCache(final Path dir) {
		this.dir = dir;
	}

	/** The folder that holds the results. */
	public Path folder() {
		return dir;
	}

	/**
	 * The registration of {@code moving} to {@code fixed} with these settings: read from the cache,
	 * or computed by {@code register} and stored.
	 */
	public CentredAffine registration(final Volume fixed, final Volume moving, final RegistrationSettings settings,
			final Supplier<CentredAffine> register) {
		final Path file = dir.resolve(key(fixed, moving, settings) + ".tfm");
		if (Files.isRegularFile(file))
			try {
				return TransformFiles.readItk(file);
			} catch (final IOException | RuntimeException e) {
				// unreadable (e.g. edited by hand): computed again below and replaced
			}
		final CentredAffine t = register.get();
		try {
			Files.createDirectories(dir);
			TransformFiles.writeItk(file, t, 3);
		} catch (final IOException e) {
			throw new IllegalStateException("Cannot write to the transform cache " + dir + ": " + e.getMessage(), e);
		}
		return t;
	}

	/** The hex SHA-256 of the two images and the settings. */
	static String key(final Volume fixed, final Volume moving, final RegistrationSettings settings) {
		final MessageDigest d = Sha256.digest();
		d.update((VERSION + "\n").getBytes(StandardCharsets.UTF_8));
		for (final Map.Entry<String, String> e : new TreeMap<>(settings.toMap()).entrySet())
			d.update((e.getKey() + "=" + e.getValue() + "\n").getBytes(StandardCharsets.UTF_8));
		digest(d, fixed);
		digest(d, moving);
		return Sha256.hex(d);
	}

	/** Feeds a volume's size, voxel-to-world matrix and voxels into {@code d}: what identifies a scan's content in a cache key. */
	public static void digest(final MessageDigest d, final Volume v) {
		final ByteBuffer head = ByteBuffer.allocate(3 * 4 + 12 * 8).order(ByteOrder.LITTLE_ENDIAN);
		head.putInt(v.nx()).putInt(v.ny()).putInt(v.nz());
		for (final double m : v.voxelToWorld().getRowPackedCopy())
			head.putDouble(m);
		d.update(head.array());
		final float[] data = v.data();
		final ByteBuffer chunk = ByteBuffer.allocate(1 << 16).order(ByteOrder.LITTLE_ENDIAN);
		for (int i = 0; i < data.length;) {
			chunk.clear();
			final int n = Math.min(data.length - i, chunk.capacity() / 4);
			chunk.asFloatBuffer().put(data, i, n);
			d.update(chunk.array(), 0, 4 * n);
			i += n;
		}
	}
}
