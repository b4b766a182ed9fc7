package org.progressionprobe.volume;

import java.util.stream.IntStream;

/**
 * Separable Gaussian smoothing with the width given in millimetres, so anisotropic voxels are
 * smoothed by the same physical amount along each axis. The kernel is truncated at 3 sigma and
 * renormalised at the image border (no darkening at the edges). Lines are smoothed in parallel.
 */
public final class GaussianSmoothing {

	private final double sigmaMm;

	/** @param sigmaMm standard deviation in mm; 0 means no smoothing */
	public GaussianSmoothing(final double sigmaMm) {
		if (!(sigmaMm >= 0))
			throw new IllegalArgumentException("Gaussian sigma must be >= 0 mm, got " + sigmaMm);
		this.sigmaMm = sigmaMm;
	}

	/** A smoothed copy. */
	public Volume apply(final Volume in) {
		final Volume out = in.copy();
		applyInPlace(out);
		return out;
	}

	/** Smooths the volume's voxels in place. */
	public void applyInPlace(final Volume v) {
		final double[] vs = v.voxelSize();
		final double[] sigmaVox = { sigmaMm / vs[0], sigmaMm / vs[1], sigmaMm / vs[2] };
		smooth(v.data(), v.size(), sigmaVox);
	}

	/**
	 * Smooths a C-order [z][y][x] array in place with a per-axis sigma in voxels (0 = skip the axis).
	 * Along y and z whole rows of x are convolved at once, so memory is read in contiguous runs.
	 */
	public static void smooth(final float[] a, final int[] n, final double[] sigmaVox) {
		final int nx = n[0], ny = n[1], nz = n[2];
		for (int axis = 0; axis < 3; axis++) {
			if (sigmaVox[axis] <= 0 || n[axis] == 1)
				continue;
			final double[] k = kernel(sigmaVox[axis]);
			final double[] norm = borderNorm(k, n[axis]);
			if (axis == 0) {
				IntStream.range(0, ny * nz).parallel().forEach(row -> {
					final double[] line = new double[nx];
					final int base = row * nx;
					for (int i = 0; i < nx; i++)
						line[i] = a[base + i];
					convolve(line, k, norm, a, base);
				});
			} else if (axis == 1) {
				// each z plane: rows y of length nx
				IntStream.range(0, nz).parallel().forEach(z -> convolveRows(a, z * nx * ny, nx, ny, nx, k, norm));
			} else {
				// each y: rows z of length nx, nx * ny apart
				IntStream.range(0, ny).parallel().forEach(y -> convolveRows(a, y * nx, nx, nz, nx * ny, k, norm));
			}
		}
	}

	/** 1 / (sum of the kernel weights that fall inside a line of {@code len}) at each position. */
	private static double[] borderNorm(final double[] k, final int len) {
		final int r = k.length / 2;
		final double[] norm = new double[len];
		for (int i = 0; i < len; i++) {
			double w = 0;
			for (int t = Math.max(-r, -i); t <= Math.min(r, len - 1 - i); t++)
				w += k[t + r];
			norm[i] = 1 / w;
		}
		return norm;
	}

	private static void convolve(final double[] line, final double[] k, final double[] norm, final float[] out, final int base) {
		final int r = k.length / 2, len = line.length;
		for (int i = 0; i < len; i++) {
			double s = 0;
			final int lo = Math.max(-r, -i), hi = Math.min(r, len - 1 - i);
			for (int t = lo; t <= hi; t++)
				s += k[t + r] * line[i + t];
			out[base + i] = (float) (s * norm[i]);
		}
	}

	/**
	 * Convolves {@code count} rows of {@code nx} contiguous values, {@code stride} apart starting at
	 * {@code base}, along the row index (the rows are copied first, so this works in place).
	 */
	private static void convolveRows(final float[] a, final int base, final int nx, final int count, final int stride, final double[] k,
			final double[] norm) {
		final int r = k.length / 2;
		final float[] rows = new float[count * nx];
		for (int j = 0; j < count; j++)
			System.arraycopy(a, base + j * stride, rows, j * nx, nx);
		final double[] acc = new double[nx];
		for (int i = 0; i < count; i++) {
			java.util.Arrays.fill(acc, 0);
			final int lo = Math.max(-r, -i), hi = Math.min(r, count - 1 - i);
			for (int t = lo; t <= hi; t++) {
				final double w = k[t + r];
				final int off = (i + t) * nx;
				for (int x = 0; x < nx; x++)
					acc[x] += w * rows[off + x];
			}
			final double s = norm[i];
			final int o = base + i * stride;
			for (int x = 0; x < nx; x++)
				a[o + x] = (float) (acc[x] * s);
		}
	}

	/** A normalised Gaussian kernel truncated at 3 sigma. */
	static double[] kernel(final double sigma) {
		final int r = Math.max(1, (int) Math.ceil(3 * sigma));
		final double[] k = new double[2 * r + 1];
		double sum = 0;
		for (int i = -r; i <= r; i++) {
			k[i + r] = Math.exp(-0.5 * i * i / (sigma * sigma));
			sum += k[i + r];
		}
		for (int i = 0; i < k.length; i++)
			k[i] /= sum;
		return k;
	}
}
