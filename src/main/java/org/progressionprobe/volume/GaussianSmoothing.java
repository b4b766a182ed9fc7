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

	/** Smooths a C-order [z][y][x] array in place with a per-axis sigma in voxels (0 = skip the axis). */
	public static void smooth(final float[] a, final int[] n, final double[] sigmaVox) {
		for (int axis = 0; axis < 3; axis++) {
			if (sigmaVox[axis] <= 0 || n[axis] == 1)
				continue;
			final double[] k = kernel(sigmaVox[axis]);
			final int len = n[axis];
			final int stride = axis == 0 ? 1 : axis == 1 ? n[0] : n[0] * n[1];
			final int a1 = axis == 0 ? 1 : 0, a2 = axis == 2 ? 1 : 2; // the two other axes
			final int n1 = n[a1], n2 = n[a2];
			final int s1 = a1 == 0 ? 1 : a1 == 1 ? n[0] : n[0] * n[1];
			final int s2 = a2 == 0 ? 1 : a2 == 1 ? n[0] : n[0] * n[1];
			IntStream.range(0, n2).parallel().forEach(j2 -> {
				final double[] line = new double[len];
				for (int j1 = 0; j1 < n1; j1++) {
					final int base = j1 * s1 + j2 * s2;
					for (int i = 0; i < len; i++)
						line[i] = a[base + i * stride];
					convolve(line, k, a, base, stride);
				}
			});
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
