package org.progressionprobe.features.model;

import java.util.stream.IntStream;

import org.progressionprobe.volume.Volume;

/**
 * Resamples a whole scan onto a network's input grid, trilinear, the field of view kept (voxel
 * centres mapped as PyTorch's {@code interpolate(..., align_corners=False)} does, edges clamped).
 * <p>
 * A stand-in until {@code org.progressionprobe.volume.Resampler} lands: then this becomes a call to
 * it with the index-space scaling as the transform.
 */
final class InputResize {

	private InputResize() {}

	/** Trilinear resize of the scan to (nx, ny, nz), C-order [z][y][x]. */
	static float[] trilinear(final Volume scan, final int nx, final int ny, final int nz) {
		final int sx = scan.nx(), sy = scan.ny(), sz = scan.nz();
		final float[] src = scan.data();
		final float[] out = new float[nx * ny * nz];
		if (sx == nx && sy == ny && sz == nz) {
			System.arraycopy(src, 0, out, 0, out.length);
			return out;
		}
		final int[] x0 = new int[nx], x1 = new int[nx];
		final float[] fx = new float[nx];
		axis(sx, nx, x0, x1, fx);
		final int[] y0 = new int[ny], y1 = new int[ny];
		final float[] fy = new float[ny];
		axis(sy, ny, y0, y1, fy);
		final int[] z0 = new int[nz], z1 = new int[nz];
		final float[] fz = new float[nz];
		axis(sz, nz, z0, z1, fz);
		IntStream.range(0, nz).parallel().forEach(z -> {
			final int a0 = z0[z] * sy * sx, a1 = z1[z] * sy * sx;
			final float wz = fz[z];
			for (int y = 0; y < ny; y++) {
				final int b0 = y0[y] * sx, b1 = y1[y] * sx;
				final float wy = fy[y];
				final int o = (z * ny + y) * nx;
				for (int x = 0; x < nx; x++) {
					final int i0 = x0[x], i1 = x1[x];
					final float wx = fx[x];
					final float c00 = src[a0 + b0 + i0] + wx * (src[a0 + b0 + i1] - src[a0 + b0 + i0]);
					final float c01 = src[a0 + b1 + i0] + wx * (src[a0 + b1 + i1] - src[a0 + b1 + i0]);
					final float c10 = src[a1 + b0 + i0] + wx * (src[a1 + b0 + i1] - src[a1 + b0 + i0]);
					final float c11 = src[a1 + b1 + i0] + wx * (src[a1 + b1 + i1] - src[a1 + b1 + i0]);
					final float c0 = c00 + wy * (c01 - c00);
					final float c1 = c10 + wy * (c11 - c10);
					out[o + x] = c0 + wz * (c1 - c0);
				}
			}
		});
		return out;
	}

	/** Source neighbours and weight for each output index along one axis. */
	private static void axis(final int s, final int n, final int[] i0, final int[] i1, final float[] f) {
		final double scale = (double) s / n;
		for (int i = 0; i < n; i++) {
			final double p = Math.max(0, (i + 0.5) * scale - 0.5);
			final int lo = Math.min((int) Math.floor(p), s - 1);
			i0[i] = lo;
			i1[i] = Math.min(lo + 1, s - 1);
			f[i] = (float) (p - lo);
		}
	}
}
