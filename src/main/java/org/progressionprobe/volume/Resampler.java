package org.progressionprobe.volume;

import java.util.stream.IntStream;

/**
 * Resamples a volume onto a target grid through a world-space transform, the way registration
 * results are applied: for each target voxel centre p (world), the source is sampled at
 * {@code T(p)}, where T maps target-world points to source-world points (ITK's direction).
 * Only the output is allocated (and, for cubic interpolation, the spline coefficients of the
 * source); slices are computed in parallel on all cores.
 */
public final class Resampler {

	/** How values between voxel centres are obtained. */
	public enum Interpolation {
		/** Trilinear; for intensity images. */
		LINEAR,
		/** Nearest voxel; for label images. */
		NEAREST,
		/** Cubic B-spline with its prefilter (ITK's and elastix's B-spline order 3); sharper than linear, may overshoot. */
		CUBIC
	}

	private final Interpolation interpolation;
	private final float outside;

	/**
	 * @param interpolation how to sample between voxel centres
	 * @param outside value for target voxels whose sample point falls outside the source
	 */
	public Resampler(final Interpolation interpolation, final float outside) {
		this.interpolation = interpolation;
		this.outside = outside;
	}

	/** Trilinear, zero outside. */
	public static Resampler linear() {
		return new Resampler(Interpolation.LINEAR, 0f);
	}

	/** Nearest neighbour, zero outside (labels). */
	public static Resampler nearest() {
		return new Resampler(Interpolation.NEAREST, 0f);
	}

	/** Samples {@code source} on {@code target}, with target and source in the same world frame. */
	public Volume resample(final Volume source, final Grid target) {
		return resample(source, target, new AffineTransform3D());
	}

	/**
	 * Samples {@code source} on {@code target}.
	 *
	 * @param targetToSourceWorld maps a target-world point to the source-world point to sample
	 */
	public Volume resample(final Volume source, final Grid target, final AffineTransform3D targetToSourceWorld) {
		final int[] n = target.size();
		final Volume out = Volume.zeros(n[0], n[1], n[2], target.voxelToWorld());
		// target voxel -> target world -> source world -> source voxel
		final AffineTransform3D m = source.worldToVoxel().concatenate(targetToSourceWorld).concatenate(target.voxelToWorld());
		final float[] dst = out.data();
		final float[] src = interpolation == Interpolation.CUBIC ? CubicBSpline.coefficients(source.data(), source.nx(), source.ny(), source.nz())
				: source.data();
		final int sx = source.nx(), sy = source.ny(), sz = source.nz();
		IntStream.range(0, n[2]).parallel().forEach(z -> {
			final double[] p = new double[3];
			for (int y = 0; y < n[1]; y++) {
				final double bx = m.get(0, 1) * y + m.get(0, 2) * z + m.get(0, 3);
				final double by = m.get(1, 1) * y + m.get(1, 2) * z + m.get(1, 3);
				final double bz = m.get(2, 1) * y + m.get(2, 2) * z + m.get(2, 3);
				int o = (z * n[1] + y) * n[0];
				for (int x = 0; x < n[0]; x++, o++) {
					p[0] = bx + m.get(0, 0) * x;
					p[1] = by + m.get(1, 0) * x;
					p[2] = bz + m.get(2, 0) * x;
					dst[o] = switch (interpolation) {
					case LINEAR -> linear(src, sx, sy, sz, p[0], p[1], p[2], outside);
					case NEAREST -> nearest(src, sx, sy, sz, p[0], p[1], p[2], outside);
					case CUBIC -> CubicBSpline.sample(src, sx, sy, sz, p[0], p[1], p[2], outside);
					};
				}
			}
		});
		return out;
	}

	/**
	 * Trilinear interpolation in a C-order [z][y][x] array at a continuous voxel position; points
	 * outside [0, n-1] on any axis (with a tolerance of 1e-6 voxel) give {@code outside}. An axis
	 * of size 1 (a 2D image) is sampled at index 0 only.
	 */
	public static float linear(final float[] a, final int nx, final int ny, final int nz, final double x, final double y, final double z,
			final float outside) {
		final double e = 1e-6;
		if (x < -e || y < -e || z < -e || x > nx - 1 + e || y > ny - 1 + e || z > nz - 1 + e)
			return outside;
		int x0 = (int) Math.floor(x), y0 = (int) Math.floor(y), z0 = (int) Math.floor(z);
		x0 = Math.max(0, Math.min(x0, nx - 2 < 0 ? 0 : nx - 2));
		y0 = Math.max(0, Math.min(y0, ny - 2 < 0 ? 0 : ny - 2));
		z0 = Math.max(0, Math.min(z0, nz - 2 < 0 ? 0 : nz - 2));
		final double fx = nx == 1 ? 0 : x - x0, fy = ny == 1 ? 0 : y - y0, fz = nz == 1 ? 0 : z - z0;
		final int dx = nx == 1 ? 0 : 1, dy = ny == 1 ? 0 : nx, dz = nz == 1 ? 0 : nx * ny;
		final int i = (z0 * ny + y0) * nx + x0;
		final double c00 = a[i] + fx * (a[i + dx] - a[i]);
		final double c10 = a[i + dy] + fx * (a[i + dy + dx] - a[i + dy]);
		final double c01 = a[i + dz] + fx * (a[i + dz + dx] - a[i + dz]);
		final double c11 = a[i + dz + dy] + fx * (a[i + dz + dy + dx] - a[i + dz + dy]);
		final double c0 = c00 + fy * (c10 - c00), c1 = c01 + fy * (c11 - c01);
		return (float) (c0 + fz * (c1 - c0));
	}

	/** Nearest-voxel lookup; points beyond half a voxel outside the grid give {@code outside}. */
	public static float nearest(final float[] a, final int nx, final int ny, final int nz, final double x, final double y, final double z,
			final float outside) {
		final long ix = Math.round(x), iy = Math.round(y), iz = Math.round(z);
		if (ix < 0 || iy < 0 || iz < 0 || ix >= nx || iy >= ny || iz >= nz)
			return outside;
		return a[(int) ((iz * ny + iy) * nx + ix)];
	}
}
