package org.progressionprobe.align;

import java.util.SplittableRandom;

import org.progressionprobe.volume.AffineTransform3D;

/**
 * The fixed-image voxels a metric is evaluated on at one level: their positions in the
 * registration frame ({@code u = D^T (x - c)}, mm, relative to the centre of rotation) and their
 * intensities. All voxels of the level inside the mask, or a seeded random subset of them when
 * there are more than asked for, kept in memory order (so the moving image is read nearly
 * sequentially).
 * <p>
 * Voxels within {@value #BORDER} voxels of the grid's faces are never sampled: the outermost
 * voxels of a field of view are the least reliable (smoothing kernels truncated there, and a
 * moving image that was itself resampled has its zero fill right where those voxels map to, a
 * hard edge that biases least-squares-like metrics such as NCC by a tenth of a millimetre).
 */
final class SampleSet {

	/** Voxels next to each face of the grid that are left out (fewer on an axis too short for it). */
	static final int BORDER = 2;

	final int n;
	final float[] ux, uy, uz, value;
	/** RMS distance of the samples from the centre, mm: the lever arm that scales rotations and matrix entries. */
	final double radius;
	final float min, max;

	private SampleSet(final float[] ux, final float[] uy, final float[] uz, final float[] value) {
		this.n = value.length;
		this.ux = ux;
		this.uy = uy;
		this.uz = uz;
		this.value = value;
		double r2 = 0;
		float lo = Float.POSITIVE_INFINITY, hi = Float.NEGATIVE_INFINITY;
		for (int i = 0; i < n; i++) {
			r2 += (double) ux[i] * ux[i] + (double) uy[i] * uy[i] + (double) uz[i] * uz[i];
			lo = Math.min(lo, value[i]);
			hi = Math.max(hi, value[i]);
		}
		this.radius = Math.max(1e-3, Math.sqrt(r2 / Math.max(1, n)));
		this.min = lo;
		this.max = hi;
	}

	/**
	 * @param level fixed image level
	 * @param frame world-to-frame map ({@code u = D^T (x - c)})
	 * @param maxSamples the most samples
	 * @param seed seed of the subset
	 */
	static SampleSet of(final PyramidLevel level, final AffineTransform3D frame, final int maxSamples, final long seed) {
		final float[] a = level.image().data();
		final byte[] mask = level.mask();
		final int nx = level.image().nx(), ny = level.image().ny(), nz = level.image().nz();
		final int bx = border(nx), by = border(ny), bz = border(nz);
		int candidates = 0;
		for (int z = bz; z < nz - bz; z++)
			for (int y = by; y < ny - by; y++) {
				final int row = (z * ny + y) * nx;
				if (mask == null)
					candidates += nx - 2 * bx;
				else
					for (int x = bx; x < nx - bx; x++)
						if (mask[row + x] != 0)
							candidates++;
			}
		final int n = Math.min(candidates, maxSamples);
		final float[] ux = new float[n], uy = new float[n], uz = new float[n], v = new float[n];
		final AffineTransform3D m = frame.copy().concatenate(level.image().voxelToWorld());
		final SplittableRandom rng = new SplittableRandom(seed);
		int seen = 0, taken = 0;
		for (int z = bz; z < nz - bz && taken < n; z++)
			for (int y = by; y < ny - by && taken < n; y++) {
				final int row = (z * ny + y) * nx;
				for (int x = bx; x < nx - bx && taken < n; x++) {
					if (mask != null && mask[row + x] == 0)
						continue;
					// selection sampling (Knuth's algorithm S): each candidate with probability (needed / left)
					final boolean take = n == candidates || rng.nextInt(candidates - seen) < n - taken;
					seen++;
					if (!take)
						continue;
					ux[taken] = (float) (m.get(0, 0) * x + m.get(0, 1) * y + m.get(0, 2) * z + m.get(0, 3));
					uy[taken] = (float) (m.get(1, 0) * x + m.get(1, 1) * y + m.get(1, 2) * z + m.get(1, 3));
					uz[taken] = (float) (m.get(2, 0) * x + m.get(2, 1) * y + m.get(2, 2) * z + m.get(2, 3));
					v[taken] = a[row + x];
					taken++;
				}
			}
		return new SampleSet(ux, uy, uz, v);
	}

	/** The border left out along an axis of {@code n} voxels: BORDER, less if that would leave fewer than half of them. */
	static int border(final int n) {
		return Math.max(0, Math.min(BORDER, n / 4));
	}
}
