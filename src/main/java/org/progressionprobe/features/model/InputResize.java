package org.progressionprobe.features.model;

import java.util.stream.IntStream;

import org.progressionprobe.volume.Volume;

/**
 * Resamples a whole scan onto a network's input grid, trilinear, the field of view kept (voxel
 * centres mapped as PyTorch's {@code interpolate(..., align_corners=False)} does, edges clamped).
 * Separable: each output plane blends two source planes, each output row two rows of that, each
 * voxel two values of that row.
 * <p>
 * Kept apart from {@code org.progressionprobe.volume.Resampler}, which samples through world
 * geometry and leaves points outside the scan to a fill value: a network's input is resized as
 * PyTorch resizes it, edges clamped, so that features match a reference computed in PyTorch.
 */
final class InputResize {

	/** For each output index along one axis: the two source neighbours and the weight of the second. */
	private record Taps(int[] lo, int[] hi, float[] w) {
		static Taps of(final int s, final int n) {
			final int[] lo = new int[n], hi = new int[n];
			final float[] w = new float[n];
			final double scale = (double) s / n;
			for (int i = 0; i < n; i++) {
				final double p = Math.max(0, (i + 0.5) * scale - 0.5);
				lo[i] = Math.min((int) Math.floor(p), s - 1);
				hi[i] = Math.min(lo[i] + 1, s - 1);
				w[i] = (float) (p - lo[i]);
			}
			return new Taps(lo, hi, w);
		}
	}

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
		final Taps tx = Taps.of(sx, nx), ty = Taps.of(sy, ny), tz = Taps.of(sz, nz);
		final int chunks = Math.min(nz, 4 * Runtime.getRuntime().availableProcessors());
		IntStream.range(0, chunks).parallel().forEach(chunk -> {
			final float[] plane = new float[sy * sx], row = new float[sx];
			for (int z = chunk * nz / chunks; z < (chunk + 1) * nz / chunks; z++) {
				final int a0 = tz.lo[z] * sy * sx, a1 = tz.hi[z] * sy * sx;
				final float wz = tz.w[z];
				for (int i = 0; i < plane.length; i++)
					plane[i] = src[a0 + i] + wz * (src[a1 + i] - src[a0 + i]);
				for (int y = 0; y < ny; y++) {
					final int b0 = ty.lo[y] * sx, b1 = ty.hi[y] * sx;
					final float wy = ty.w[y];
					for (int i = 0; i < sx; i++)
						row[i] = plane[b0 + i] + wy * (plane[b1 + i] - plane[b0 + i]);
					final int o = (z * ny + y) * nx;
					for (int x = 0; x < nx; x++) {
						final float r0 = row[tx.lo[x]];
						out[o + x] = r0 + tx.w[x] * (row[tx.hi[x]] - r0);
					}
				}
			}
		});
		return out;
	}
}
