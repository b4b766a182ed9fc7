package org.progressionprobe.features.change;

import java.util.stream.IntStream;

import org.progressionprobe.volume.GaussianSmoothing;
import org.progressionprobe.volume.Resampler;

/**
 * Voxel-unit field arithmetic for the registration: displacement fields as three C-order arrays
 * {x, y, z} of displacements in index units of one grid. Sampling beyond the grid clamps to the
 * border (the field and the image are continued by their edge values). Every loop runs over z
 * slices in parallel, each voxel written by one thread, so results do not depend on the number of
 * cores.
 */
final class FieldOps {

	private FieldOps() {}

	static float[][] zeros(final int n) {
		return new float[][] { new float[n], new float[n], new float[n] };
	}

	/**
	 * out(x) = a(x) + b(x + a(x)): the displacement of the map x -> B(A(x)) with A = id + a,
	 * B = id + b. {@code out} must not be {@code a} or {@code b}.
	 */
	static void compose(final float[][] a, final float[][] b, final float[][] out, final int[] n) {
		final int nx = n[0], ny = n[1], nz = n[2];
		IntStream.range(0, nz).parallel().forEach(z -> {
			final double[] s = new double[3];
			for (int y = 0; y < ny; y++)
				for (int x = 0; x < nx; x++) {
					final int o = (z * ny + y) * nx + x;
					final float ax = a[0][o], ay = a[1][o], az = a[2][o];
					sample3(b, nx, ny, nz, x + ax, y + ay, z + az, s);
					out[0][o] = (float) (ax + s[0]);
					out[1][o] = (float) (ay + s[1]);
					out[2][o] = (float) (az + s[2]);
				}
		});
	}

	/**
	 * exp(v) by scaling and squaring: v / 2^N composed with itself N times, N chosen so that the
	 * scaled field moves no voxel by more than half a voxel. Returns the displacement of exp(v).
	 */
	static float[][] exp(final float[][] v, final int[] n) {
		final int steps = squaringSteps(maxNorm(v, n));
		final double scale = Math.pow(2, -steps);
		float[][] u = zeros(v[0].length);
		for (int c = 0; c < 3; c++) {
			final float[] src = v[c], dst = u[c];
			IntStream.range(0, src.length).parallel().forEach(i -> dst[i] = (float) (src[i] * scale));
		}
		float[][] tmp = zeros(v[0].length);
		for (int k = 0; k < steps; k++) {
			compose(u, u, tmp, n);
			final float[][] t = u;
			u = tmp;
			tmp = t;
		}
		return u;
	}

	/** Number of squarings for a field whose largest displacement is {@code maxNorm} voxels. */
	static int squaringSteps(final double maxNorm) {
		int steps = 0;
		while (maxNorm * Math.pow(2, -steps) > 0.5 && steps < 30)
			steps++;
		return steps;
	}

	/** v -> -v, a new field. */
	static float[][] negate(final float[][] v) {
		final float[][] out = zeros(v[0].length);
		for (int c = 0; c < 3; c++) {
			final float[] src = v[c], dst = out[c];
			IntStream.range(0, src.length).parallel().forEach(i -> dst[i] = -src[i]);
		}
		return out;
	}

	/** Largest |v| over the grid, in voxels (a deterministic reduction: per-slice maxima, then their maximum). */
	static double maxNorm(final float[][] v, final int[] n) {
		final int slice = n[0] * n[1];
		final double[] m = new double[n[2]];
		IntStream.range(0, n[2]).parallel().forEach(z -> {
			double best = 0;
			for (int o = z * slice; o < (z + 1) * slice; o++)
				best = Math.max(best, v[0][o] * v[0][o] + v[1][o] * v[1][o] + v[2][o] * v[2][o]);
			m[z] = best;
		});
		double best = 0;
		for (final double x : m)
			best = Math.max(best, x);
		return Math.sqrt(best);
	}

	/** Gaussian smoothing of each component with a per-axis sigma in voxels. */
	static void smooth(final float[][] v, final int[] n, final double[] sigmaVox) {
		for (final float[] c : v)
			GaussianSmoothing.smooth(c, n, sigmaVox);
	}

	/** Trilinear sample of the three components at a continuous index, clamped to the grid. */
	static void sample3(final float[][] f, final int nx, final int ny, final int nz, double x, double y, double z, final double[] out) {
		x = Math.max(0, Math.min(x, nx - 1));
		y = Math.max(0, Math.min(y, ny - 1));
		z = Math.max(0, Math.min(z, nz - 1));
		final int x0 = Math.min((int) x, Math.max(nx - 2, 0)), y0 = Math.min((int) y, Math.max(ny - 2, 0)),
				z0 = Math.min((int) z, Math.max(nz - 2, 0));
		final double fx = x - x0, fy = y - y0, fz = z - z0;
		final int dx = nx == 1 ? 0 : 1, dy = ny == 1 ? 0 : nx, dz = nz == 1 ? 0 : nx * ny;
		final int i = (z0 * ny + y0) * nx + x0;
		final double w000 = (1 - fx) * (1 - fy) * (1 - fz), w100 = fx * (1 - fy) * (1 - fz), w010 = (1 - fx) * fy * (1 - fz),
				w110 = fx * fy * (1 - fz), w001 = (1 - fx) * (1 - fy) * fz, w101 = fx * (1 - fy) * fz, w011 = (1 - fx) * fy * fz,
				w111 = fx * fy * fz;
		for (int c = 0; c < 3; c++) {
			final float[] a = f[c];
			out[c] = w000 * a[i] + w100 * a[i + dx] + w010 * a[i + dy] + w110 * a[i + dy + dx] + w001 * a[i + dz] + w101 * a[i + dz + dx]
					+ w011 * a[i + dz + dy] + w111 * a[i + dz + dy + dx];
		}
	}

	/** Trilinear sample of a scalar image at a continuous index, clamped to the grid. */
	static float sample(final float[] a, final int nx, final int ny, final int nz, final double x, final double y, final double z) {
		return Resampler.linear(a, nx, ny, nz, Math.max(0, Math.min(x, nx - 1)), Math.max(0, Math.min(y, ny - 1)), Math.max(0, Math.min(z, nz - 1)), 0f);
	}
}
