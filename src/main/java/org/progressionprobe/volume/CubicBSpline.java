package org.progressionprobe.volume;

import java.util.stream.IntStream;

/**
 * Cubic B-spline interpolation (Unser's recursive prefilter, mirror boundaries), the higher-order
 * interpolation of ITK's {@code BSplineInterpolateImageFunction} and elastix's
 * {@code FinalBSplineInterpolator} with order 3: {@link #coefficients} turns voxel values into
 * spline coefficients once (a copy of the image), {@link #sample} evaluates the spline, which
 * passes exactly through the voxel values and is twice continuously differentiable.
 */
public final class CubicBSpline {

	private static final double POLE = Math.sqrt(3) - 2;
	private static final double GAIN = (1 - POLE) * (1 - 1 / POLE);
	private static final double TOLERANCE = 1e-10;

	private CubicBSpline() {}

	/** The spline coefficients of a C-order [z][y][x] image (a new array); lines are filtered in parallel. */
	public static float[] coefficients(final float[] a, final int nx, final int ny, final int nz) {
		final float[] c = a.clone();
		final int[] n = { nx, ny, nz };
		final int[] stride = { 1, nx, nx * ny };
		for (int axis = 0; axis < 3; axis++) {
			final int len = n[axis];
			if (len == 1)
				continue;
			final int st = stride[axis];
			final int a1 = axis == 0 ? 1 : 0, a2 = axis == 2 ? 1 : 2;
			final int n1 = n[a1], s1 = stride[a1], s2 = stride[a2];
			IntStream.range(0, n[a2]).parallel().forEach(j2 -> {
				final double[] line = new double[len];
				for (int j1 = 0; j1 < n1; j1++) {
					final int base = j1 * s1 + j2 * s2;
					for (int i = 0; i < len; i++)
						line[i] = c[base + i * st];
					filter(line);
					for (int i = 0; i < len; i++)
						c[base + i * st] = (float) line[i];
				}
			});
		}
		return c;
	}

	/** In-place interpolation prefilter of one line, mirror-symmetric boundaries. */
	static void filter(final double[] c) {
		final int n = c.length;
		if (n == 1)
			return;
		final double z = POLE;
		for (int k = 0; k < n; k++)
			c[k] *= GAIN;
		c[0] = initialCausal(c, z);
		for (int k = 1; k < n; k++)
			c[k] += z * c[k - 1];
		c[n - 1] = z / (z * z - 1) * (c[n - 1] + z * c[n - 2]);
		for (int k = n - 2; k >= 0; k--)
			c[k] = z * (c[k + 1] - c[k]);
	}

	private static double initialCausal(final double[] c, final double z) {
		final int n = c.length;
		final int horizon = (int) Math.ceil(Math.log(TOLERANCE) / Math.log(Math.abs(z)));
		if (horizon < n) {
			double zn = z, sum = c[0];
			for (int k = 1; k < horizon; k++) {
				sum += zn * c[k];
				zn *= z;
			}
			return sum;
		}
		double zn = z;
		final double iz = 1 / z;
		double z2n = Math.pow(z, n - 1);
		double sum = c[0] + z2n * c[n - 1];
		z2n *= z2n * iz;
		for (int k = 1; k <= n - 2; k++) {
			sum += (zn + z2n) * c[k];
			zn *= z;
			z2n *= iz;
		}
		return sum / (1 - zn * zn);
	}

	/**
	 * The spline at a continuous voxel position; positions outside [0, n-1] on any axis (beyond 1e-6
	 * voxel) give {@code outside}. An axis of size 1 is sampled at index 0.
	 *
	 * @param c coefficients from {@link #coefficients}
	 */
	public static float sample(final float[] c, final int nx, final int ny, final int nz, final double x, final double y, final double z,
			final float outside) {
		final double e = 1e-6;
		if (x < -e || y < -e || z < -e || x > nx - 1 + e || y > ny - 1 + e || z > nz - 1 + e)
			return outside;
		final int fx = (int) Math.floor(x), fy = (int) Math.floor(y), fz = (int) Math.floor(z);
		final double tx = x - fx, ty = y - fy, tz = z - fz;
		double sum = 0;
		for (int k = nz == 1 ? 1 : 0; k < (nz == 1 ? 2 : 4); k++) {
			final double wz = nz == 1 ? 1 : weight(k, tz);
			final int zi = nz == 1 ? 0 : mirror(fz - 1 + k, nz);
			double sy = 0;
			for (int j = ny == 1 ? 1 : 0; j < (ny == 1 ? 2 : 4); j++) {
				final double wy = ny == 1 ? 1 : weight(j, ty);
				final int row = (zi * ny + (ny == 1 ? 0 : mirror(fy - 1 + j, ny))) * nx;
				double sx = 0;
				if (nx == 1)
					sx = c[row];
				else
					for (int i = 0; i < 4; i++)
						sx += weight(i, tx) * c[row + mirror(fx - 1 + i, nx)];
				sy += wy * sx;
			}
			sum += wz * sy;
		}
		return (float) sum;
	}

	/** Weight of the k-th of the four coefficients around a point at fraction t past the second one. */
	private static double weight(final int k, final double t) {
		final double s = 1 - t;
		return switch (k) {
		case 0 -> s * s * s / 6;
		case 1 -> 2.0 / 3 - t * t + 0.5 * t * t * t;
		case 2 -> 2.0 / 3 - s * s + 0.5 * s * s * s;
		default -> t * t * t / 6;
		};
	}

	/** Index i reflected into [0, n-1] (mirror boundary, n > 1). */
	private static int mirror(final int i, final int n) {
		final int period = 2 * (n - 1);
		final int m = Math.floorMod(i, period);
		return m >= n ? period - m : m;
	}
}
