package org.progressionprobe.sim;

/**
 * Solves Poisson's equation {@code laplace(phi) = rho} on a box of voxels with no-flux (Neumann)
 * walls by conjugate gradients on the 7-point Laplacian. The source must sum to zero over the box
 * (what flows out of a sink flows into a source); the solution is the one with zero mean.
 * Single-threaded with sums in a fixed order, so the result is reproducible to the bit.
 */
final class Poisson {

	private static final int MAX_ITERATIONS = 5000;
	private static final double TOLERANCE = 1e-7;

	private Poisson() {}

	/**
	 * @param rho source per voxel, C-order [z][y][x], summing to (nearly) zero
	 * @param n box size x, y, z
	 * @param h voxel spacing in mm along x, y, z
	 */
	static double[] solveNeumann(final double[] rho, final int[] n, final double[] h) {
		final int len = rho.length;
		// preconditioned CG on A = -laplace (positive semi-definite), b = -rho with its mean removed
		final double[] b = new double[len];
		double mean = 0;
		for (final double v : rho)
			mean += v;
		mean /= len;
		for (int i = 0; i < len; i++)
			b[i] = -(rho[i] - mean);
		final double[] x = new double[len], r = b.clone(), z = new double[len], ap = new double[len];
		precondition(r, z, n, h);
		final double[] p = z.clone();
		double rz = dot(r, z);
		final double stop = TOLERANCE * TOLERANCE * dot(b, b);
		int iterations = 0;
		for (double rr = dot(r, r); iterations < MAX_ITERATIONS && rr > stop && rr > 0; iterations++) {
			apply(p, ap, n, h);
			final double alpha = rz / dot(p, ap);
			for (int i = 0; i < len; i++) {
				x[i] += alpha * p[i];
				r[i] -= alpha * ap[i];
			}
			rr = dot(r, r);
			precondition(r, z, n, h);
			final double next = dot(r, z);
			final double beta = next / rz;
			rz = next;
			for (int i = 0; i < len; i++)
				p[i] = z[i] + beta * p[i];
		}
		double xm = 0;
		for (final double v : x)
			xm += v;
		xm /= len;
		for (int i = 0; i < len; i++)
			x[i] -= xm;
		return x;
	}

	/** Relaxation factor of the SSOR preconditioner. */
	static final double OMEGA = 1.7;

	/**
	 * z = M^-1 r for the symmetric successive over-relaxation preconditioner
	 * {@code M = (D + wL) D^-1 (D + wU) / (w (2 - w))} of A = -laplace: a forward and a backward sweep.
	 */
	static void precondition(final double[] r, final double[] z, final int[] n, final double[] h) {
		final int nx = n[0], ny = n[1], nz = n[2];
		final double cx = 1 / (h[0] * h[0]), cy = 1 / (h[1] * h[1]), cz = 1 / (h[2] * h[2]);
		final int sy = nx, sz = nx * ny;
		final double w = OMEGA, scale = w * (2 - w);
		for (int k = 0, o = 0; k < nz; k++)
			for (int j = 0; j < ny; j++)
				for (int i = 0; i < nx; i++, o++) {
					double s = scale * r[o];
					if (i > 0)
						s += w * cx * z[o - 1];
					if (j > 0)
						s += w * cy * z[o - sy];
					if (k > 0)
						s += w * cz * z[o - sz];
					z[o] = s / diagonal(i, j, k, nx, ny, nz, cx, cy, cz);
				}
		for (int k = nz - 1, o = nx * ny * nz - 1; k >= 0; k--)
			for (int j = ny - 1; j >= 0; j--)
				for (int i = nx - 1; i >= 0; i--, o--) {
					final double d = diagonal(i, j, k, nx, ny, nz, cx, cy, cz);
					double s = d * z[o];
					if (i < nx - 1)
						s += w * cx * z[o + 1];
					if (j < ny - 1)
						s += w * cy * z[o + sy];
					if (k < nz - 1)
						s += w * cz * z[o + sz];
					z[o] = s / d;
				}
	}

	private static double diagonal(final int i, final int j, final int k, final int nx, final int ny, final int nz, final double cx,
			final double cy, final double cz) {
		return (i > 0 ? cx : 0) + (i < nx - 1 ? cx : 0) + (j > 0 ? cy : 0) + (j < ny - 1 ? cy : 0) + (k > 0 ? cz : 0) + (k < nz - 1 ? cz : 0);
	}

	/** out = -laplace(in) with no-flux walls. */
	static void apply(final double[] in, final double[] out, final int[] n, final double[] h) {
		final int nx = n[0], ny = n[1], nz = n[2];
		final double cx = 1 / (h[0] * h[0]), cy = 1 / (h[1] * h[1]), cz = 1 / (h[2] * h[2]);
		final int sy = nx, sz = nx * ny;
		for (int k = 0; k < nz; k++)
			for (int j = 0; j < ny; j++) {
				int o = (k * ny + j) * nx;
				for (int i = 0; i < nx; i++, o++) {
					final double c = in[o];
					double s = 0;
					if (i > 0)
						s += cx * (c - in[o - 1]);
					if (i < nx - 1)
						s += cx * (c - in[o + 1]);
					if (j > 0)
						s += cy * (c - in[o - sy]);
					if (j < ny - 1)
						s += cy * (c - in[o + sy]);
					if (k > 0)
						s += cz * (c - in[o - sz]);
					if (k < nz - 1)
						s += cz * (c - in[o + sz]);
					out[o] = s;
				}
			}
	}

	private static double dot(final double[] a, final double[] b) {
		double s = 0;
		for (int i = 0; i < a.length; i++)
			s += a[i] * b[i];
		return s;
	}
}
