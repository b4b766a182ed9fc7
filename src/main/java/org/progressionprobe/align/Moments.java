package org.progressionprobe.align;

import java.util.stream.IntStream;

import org.progressionprobe.volume.AffineTransform3D;
import org.progressionprobe.volume.Volume;

/**
 * Intensity moments of an image in world coordinates: the centre of mass and the second central
 * moments (for principal axes). Voxels are weighted by their intensity above the image's minimum
 * (so a CT's air at -1000 weighs nothing rather than negatively), inside the mask if one is given.
 * Slices are summed in parallel and combined in slice order, so results do not depend on the
 * number of threads.
 *
 * @param mass total weight
 * @param centre centre of mass (world mm)
 * @param covariance second central moments / mass, row-major 3x3 (world mm^2)
 */
record Moments(double mass, double[] centre, double[] covariance) {

	static Moments of(final Volume v, final byte[] mask) {
		final float[] a = v.data();
		final int nx = v.nx(), ny = v.ny(), nz = v.nz();
		float min = Float.POSITIVE_INFINITY;
		for (int i = 0; i < a.length; i++)
			if ((mask == null || mask[i] != 0) && a[i] < min)
				min = a[i];
		final float lo = min;
		// per slice: w, w*i, w*j, w*k, and w * (i,j,k) outer products (6): sums in index space
		final double[][] part = new double[nz][10];
		IntStream.range(0, nz).parallel().forEach(z -> {
			final double[] s = part[z];
			for (int y = 0; y < ny; y++) {
				int o = (z * ny + y) * nx;
				for (int x = 0; x < nx; x++, o++) {
					if (mask != null && mask[o] == 0)
						continue;
					final double w = a[o] - lo;
					if (w <= 0)
						continue;
					s[0] += w;
					s[1] += w * x;
					s[2] += w * y;
					s[3] += w * z;
					s[4] += w * x * x;
					s[5] += w * x * y;
					s[6] += w * x * z;
					s[7] += w * y * y;
					s[8] += w * y * z;
					s[9] += w * z * z;
				}
			}
		});
		final double[] s = new double[10];
		for (final double[] p : part)
			for (int k = 0; k < 10; k++)
				s[k] += p[k];
		if (!(s[0] > 0))
			return new Moments(0, null, null);
		final double[] ci = { s[1] / s[0], s[2] / s[0], s[3] / s[0] };
		final double[][] ci2 = { { s[4], s[5], s[6] }, { s[5], s[7], s[8] }, { s[6], s[8], s[9] } };
		final double[] covIdx = new double[9];
		for (int r = 0; r < 3; r++)
			for (int c = 0; c < 3; c++)
				covIdx[3 * r + c] = ci2[r][c] / s[0] - ci[r] * ci[c];
		final AffineTransform3D m = v.voxelToWorld();
		final double[] centre = new double[3];
		m.apply(ci, centre);
		// world covariance = L cov L^T, L the linear part of the voxel-to-world matrix
		final double[] cov = new double[9];
		for (int r = 0; r < 3; r++)
			for (int c = 0; c < 3; c++) {
				double sum = 0;
				for (int i = 0; i < 3; i++)
					for (int j = 0; j < 3; j++)
						sum += m.get(r, i) * covIdx[3 * i + j] * m.get(c, j);
				cov[3 * r + c] = sum;
			}
		return new Moments(s[0], centre, cov);
	}

	/**
	 * Eigen-decomposition of a symmetric 3x3 matrix by Jacobi rotations.
	 *
	 * @return eigenvectors as the columns of a row-major 3x3 matrix, sorted by decreasing eigenvalue
	 */
	static double[] principalAxes(final double[] symmetric) {
		final double[][] a = { { symmetric[0], symmetric[1], symmetric[2] }, { symmetric[3], symmetric[4], symmetric[5] },
				{ symmetric[6], symmetric[7], symmetric[8] } };
		final double[][] v = { { 1, 0, 0 }, { 0, 1, 0 }, { 0, 0, 1 } };
		for (int sweep = 0; sweep < 50; sweep++) {
			final double off = a[0][1] * a[0][1] + a[0][2] * a[0][2] + a[1][2] * a[1][2];
			if (off < 1e-30 * (a[0][0] * a[0][0] + a[1][1] * a[1][1] + a[2][2] * a[2][2]) || off == 0)
				break;
			for (int p = 0; p < 2; p++)
				for (int q = p + 1; q < 3; q++) {
					if (a[p][q] == 0)
						continue;
					final double theta = (a[q][q] - a[p][p]) / (2 * a[p][q]);
					final double t = Math.signum(theta == 0 ? 1 : theta) / (Math.abs(theta) + Math.sqrt(theta * theta + 1));
					final double c = 1 / Math.sqrt(t * t + 1), s = t * c;
					for (int k = 0; k < 3; k++) {
						final double akp = a[k][p], akq = a[k][q];
						a[k][p] = c * akp - s * akq;
						a[k][q] = s * akp + c * akq;
					}
					for (int k = 0; k < 3; k++) {
						final double apk = a[p][k], aqk = a[q][k];
						a[p][k] = c * apk - s * aqk;
						a[q][k] = s * apk + c * aqk;
					}
					for (int k = 0; k < 3; k++) {
						final double vkp = v[k][p], vkq = v[k][q];
						v[k][p] = c * vkp - s * vkq;
						v[k][q] = s * vkp + c * vkq;
					}
				}
		}
		final Integer[] order = { 0, 1, 2 };
		java.util.Arrays.sort(order, (i, j) -> Double.compare(a[j][j], a[i][i]));
		final double[] out = new double[9];
		for (int c = 0; c < 3; c++)
			for (int r = 0; r < 3; r++)
				out[3 * r + c] = v[r][order[c]];
		return out;
	}
}
