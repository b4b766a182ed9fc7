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
	 * Along x each line is convolved on its own; along y and z whole rows of x are combined at once,
	 * so memory is read in order (the result is the same as line by line).
	 */
	public static void smooth(final float[] a, final int[] n, final double[] sigmaVox) {
		final int nx = n[0], ny = n[1], nz = n[2];
		if (sigmaVox[0] > 0 && nx > 1) {
			final double[] k = kernel(sigmaVox[0]);
			IntStream.range(0, nz).parallel().forEach(z -> {
				final double[] line = new double[nx];
				for (int y = 0; y < ny; y++) {
					final int base = (z * ny + y) * nx;
					for (int i = 0; i < nx; i++)
						line[i] = a[base + i];
					convolve(line, k, a, base, 1);
				}
			});
		}
		if (sigmaVox[1] > 0 && ny > 1) {
			final double[] k = kernel(sigmaVox[1]);
			// plane z: rows y of length nx, stride nx
			IntStream.range(0, nz).parallel().forEach(z -> convolveRows(a, z * nx * ny, nx, ny, nx, k));
		}
		if (sigmaVox[2] > 0 && nz > 1) {
			final double[] k = kernel(sigmaVox[2]);
			// for each y: rows z of length nx, stride nx * ny
			IntStream.range(0, ny).parallel().forEach(y -> convolveRows(a, y * nx, nx, nz, nx * ny, k));
		}
	}

	/**
	 * Convolves {@code count} rows of {@code width} values (row r starts at {@code base + r * stride})
	 * with kernel k along the row index, renormalising the kernel at the ends.
	 */
	private static void convolveRows(final float[] a, final int base, final int width, final int count, final int stride, final double[] k) {
		final int r = k.length / 2;
		final float[] in = new float[width * count];
		for (int i = 0; i < count; i++)
			System.arraycopy(a, base + i * stride, in, i * width, width);
		final double[] s = new double[width];
		for (int i = 0; i < count; i++) {
			java.util.Arrays.fill(s, 0);
			double w = 0;
			final int lo = Math.max(-r, -i), hi = Math.min(r, count - 1 - i);
			for (int t = lo; t <= hi; t++) {
				final double kt = k[t + r];
				final int row = (i + t) * width;
				for (int x = 0; x < width; x++)
					s[x] += kt * in[row + x];
				w += kt;
			}
			final int out = base + i * stride;
			for (int x = 0; x < width; x++)
				a[out + x] = (float) (s[x] / w);
		}
	}

	private static void convolve(final double[] line, final double[] k, final float[] out, final int base, final int stride) {
		final int r = k.length / 2, len = line.length;
		for (int i = 0; i < len; i++) {
			double s = 0, w = 0;
			final int lo = Math.max(-r, -i), hi = Math.min(r, len - 1 - i);
			for (int t = lo; t <= hi; t++) {
				s += k[t + r] * line[i + t];
				w += k[t + r];
			}
			out[base + i * stride] = (float) (s / w);
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
