package org.progressionprobe.sim;

import java.util.SplittableRandom;
import java.util.stream.IntStream;

import org.progressionprobe.volume.AffineTransform3D;
import org.progressionprobe.volume.Grid;
import org.progressionprobe.volume.Volume;

/**
 * A smooth random scalar field in world space: a sum of separable cosine products
 * {@code a_j cos(kx_j x + px_j) cos(ky_j y + py_j) cos(kz_j z + pz_j)} with wavelengths drawn
 * between a minimum and a maximum. Defined at every world point (independent of any grid), so the
 * same draw gives the same field at any voxel size; sampling an axis-aligned grid costs a few
 * multiplications per voxel. Used for anatomical variation (one field per displacement component)
 * and for scanner bias fields.
 */
final class SmoothRandomField {

	private final double[] amplitude;
	private final double[][] k, phase; // [term][axis]

	private SmoothRandomField(final double[] amplitude, final double[][] k, final double[][] phase) {
		this.amplitude = amplitude;
		this.k = k;
		this.phase = phase;
	}

	/**
	 * Draws a field whose expected root-mean-square value is {@code rms}.
	 *
	 * @param terms number of cosine products
	 * @param minWavelengthMm shortest wavelength along any axis
	 * @param maxWavelengthMm longest wavelength
	 */
	static SmoothRandomField draw(final SplittableRandom rng, final int terms, final double minWavelengthMm, final double maxWavelengthMm,
			final double rms) {
		final double[] a = new double[terms];
		final double[][] k = new double[terms][3], ph = new double[terms][3];
		// each product of three cosines has mean square 1/8
		final double sigma = rms * Math.sqrt(8.0 / terms);
		for (int t = 0; t < terms; t++) {
			a[t] = sigma * Seeds.gaussian(rng);
			for (int d = 0; d < 3; d++) {
				k[t][d] = 2 * Math.PI / (minWavelengthMm + rng.nextDouble() * (maxWavelengthMm - minWavelengthMm));
				ph[t][d] = 2 * Math.PI * rng.nextDouble();
			}
		}
		return new SmoothRandomField(a, k, ph);
	}

	/** The value at a world point. */
	double at(final double x, final double y, final double z) {
		double s = 0;
		for (int t = 0; t < amplitude.length; t++)
			s += amplitude[t] * StrictMath.cos(k[t][0] * x + phase[t][0]) * StrictMath.cos(k[t][1] * y + phase[t][1])
					* StrictMath.cos(k[t][2] * z + phase[t][2]);
		return s;
	}

	/** The field sampled at the voxel centres of a grid. */
	Volume sample(final Grid grid) {
		final int[] n = grid.size();
		final AffineTransform3D m = grid.voxelToWorld();
		final Volume out = Volume.zeros(n[0], n[1], n[2], m);
		final float[] dst = out.data();
		if (isDiagonal(m)) {
			// separable: cosine tables per axis and term
			final int terms = amplitude.length;
			final double[][][] table = new double[3][terms][];
			for (int d = 0; d < 3; d++)
				for (int t = 0; t < terms; t++) {
					table[d][t] = new double[n[d]];
					for (int i = 0; i < n[d]; i++)
						table[d][t][i] = StrictMath.cos(k[t][d] * (m.get(d, d) * i + m.get(d, 3)) + phase[t][d]);
				}
			IntStream.range(0, n[2]).parallel().forEach(kz -> {
				final double[] ayz = new double[terms];
				for (int j = 0; j < n[1]; j++) {
					for (int t = 0; t < terms; t++)
						ayz[t] = amplitude[t] * table[1][t][j] * table[2][t][kz];
					int o = (kz * n[1] + j) * n[0];
					for (int i = 0; i < n[0]; i++, o++) {
						double s = 0;
						for (int t = 0; t < terms; t++)
							s += ayz[t] * table[0][t][i];
						dst[o] = (float) s;
					}
				}
			});
		} else {
			IntStream.range(0, n[2]).parallel().forEach(kz -> {
				final double[] p = new double[3];
				for (int j = 0; j < n[1]; j++)
					for (int i = 0; i < n[0]; i++) {
						p[0] = i;
						p[1] = j;
						p[2] = kz;
						m.apply(p, p);
						dst[(kz * n[1] + j) * n[0] + i] = (float) at(p[0], p[1], p[2]);
					}
			});
		}
		return out;
	}

	private static boolean isDiagonal(final AffineTransform3D m) {
		for (int r = 0; r < 3; r++)
			for (int c = 0; c < 3; c++)
				if (r != c && m.get(r, c) != 0)
					return false;
		return true;
	}
}
