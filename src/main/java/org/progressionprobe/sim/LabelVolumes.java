package org.progressionprobe.sim;

import java.util.Set;
import java.util.stream.IntStream;

import org.progressionprobe.volume.Geometry;
import org.progressionprobe.volume.Grid;
import org.progressionprobe.volume.Volume;

/**
 * Partial-volume label volumes of a deformed atlas. Each label of the atlas has a continuous
 * membership: its indicator (1 in the label's voxels, 0 elsewhere) interpolated trilinearly, so the
 * memberships of all labels sum to 1 at every point. A subject's anatomy maps each of its points to
 * an atlas point; the volume of a label in the subject is the integral of the label's membership at
 * the mapped points, and the label at a point is the one with the largest membership.
 * <p>
 * Integrals are midpoint sums over s^3 sub-voxels per voxel; where the atlas is pure around the
 * mapped voxel centre (one label within 1 voxel for s = 2, within 2 voxels for finer sampling,
 * which covers a voxel stretched up to 2-fold by the mapping) the voxel counts whole. Memberships are continuous, so
 * the sums converge quickly and a small deformation changes them smoothly: the volume change of a
 * label is measured without the rounding of a hard label map. Slices are summed in parallel and
 * combined in a fixed order, so results do not depend on the number of threads.
 */
final class LabelVolumes {

	/** Which voxels of a subject grid to integrate over. */
	@FunctionalInterface
	interface VoxelFilter {
		boolean includes(int i, int j, int k);
	}

	/** Maps a point of the subject grid (continuous voxel coordinates) to continuous atlas voxel coordinates. */
	@FunctionalInterface
	interface Mapping {
		void toAtlas(double i, double j, double k, double[] out);
	}



	private final int[] labels;
	private final int ax, ay, az, maxLabel;
	/** Atlas voxels whose neighbours within 1 (index 0) or 2 (index 1) voxels all carry the voxel's label. */
	private final boolean[][] pure;

	/** @param atlasLabels integer labels, 0 = background */
	LabelVolumes(final Volume atlasLabels) {
		ax = atlasLabels.nx();
		ay = atlasLabels.ny();
		az = atlasLabels.nz();
		final float[] f = atlasLabels.data();
		labels = new int[f.length];
		int max = 0;
		for (int i = 0; i < f.length; i++) {
			labels[i] = Math.max(0, (int) f[i]);
			max = Math.max(max, labels[i]);
		}
		maxLabel = max;
		pure = new boolean[][] { pureVoxels(1), pureVoxels(2) };
	}

	int maxLabel() {
		return maxLabel;
	}

	/** True where every label within {@code radius} voxels equals the voxel's own (borders replicate). */
	private boolean[] pureVoxels(final int radius) {
		int[] lo = labels.clone(), hi = labels.clone();
		final int[] n = { ax, ay, az }, stride = { 1, ax, ax * ay };
		for (int d = 0; d < 3; d++) {
			final int[] l2 = new int[lo.length], h2 = new int[hi.length];
			for (int o = 0; o < lo.length; o++) {
				final int c = (o / stride[d]) % n[d];
				int mn = Integer.MAX_VALUE, mx = Integer.MIN_VALUE;
				for (int t = -radius; t <= radius; t++) {
					final int q = Math.max(0, Math.min(n[d] - 1, c + t));
					final int idx = o + (q - c) * stride[d];
					mn = Math.min(mn, lo[idx]);
					mx = Math.max(mx, hi[idx]);
				}
				l2[o] = mn;
				h2[o] = mx;
			}
			lo = l2;
			hi = h2;
		}
		final boolean[] out = new boolean[labels.length];
		for (int o = 0; o < out.length; o++)
			out[o] = lo[o] == hi[o];
		return out;
	}

	/** The label with the largest membership at a continuous atlas voxel position (ties: the smaller label). */
	int labelAt(final double x, final double y, final double z) {
		final int x0 = floor(x, ax), y0 = floor(y, ay), z0 = floor(z, az);
		final double fx = frac(x, x0, ax), fy = frac(y, y0, ay), fz = frac(z, z0, az);
		final int[] lab = new int[8];
		final double[] w = new double[8];
		corners(x0, y0, z0, fx, fy, fz, lab, w);
		int best = lab[0];
		double bestW = -1;
		for (int a = 0; a < 8; a++) {
			double s = 0;
			for (int b = 0; b < 8; b++)
				if (lab[b] == lab[a])
					s += w[b];
			if (s > bestW + 1e-12 || (Math.abs(s - bestW) <= 1e-12 && lab[a] < best)) {
				bestW = s;
				best = lab[a];
			}
		}
		return best;
	}

	/** The hard label map of a subject: the label with the largest membership at each mapped voxel centre. */
	Volume labelMap(final Grid grid, final Mapping map) {
		final int[] n = grid.size();
		final Volume out = Volume.zeros(n[0], n[1], n[2], grid.voxelToWorld());
		final float[] dst = out.data();
		IntStream.range(0, n[2]).parallel().forEach(k -> {
			final double[] a = new double[3];
			for (int j = 0; j < n[1]; j++)
				for (int i = 0; i < n[0]; i++) {
					map.toAtlas(i, j, k, a);
					final int c = nearest(a[0], ax) + ax * (nearest(a[1], ay) + ay * nearest(a[2], az));
					dst[(k * n[1] + j) * n[0] + i] = pure[0][c] ? labels[c] : labelAt(a[0], a[1], a[2]);
				}
		});
		return out;
	}

	/**
	 * The volume (mm^3) of each label in the voxel box [lo, hi) of a subject grid.
	 *
	 * @param s sub-voxels per axis where the atlas is not pure
	 * @param only labels to measure (others come out as 0), or null for all
	 * @param filter voxels to include, or null for all in the box
	 * @return by label value 0..max
	 */
	double[] volumes(final Grid grid, final int[] lo, final int[] hi, final Mapping map, final int s, final Set<Integer> only,
			final VoxelFilter filter) {
		final boolean[] wanted = new boolean[maxLabel + 1];
		for (int l = 0; l <= maxLabel; l++)
			wanted[l] = only == null || only.contains(l);
		final boolean[] pure = this.pure[s <= 2 ? 0 : 1];
		final double[][] perSlice = new double[hi[2] - lo[2]][];
		final double sub = 1.0 / (s * s * s);
		IntStream.range(lo[2], hi[2]).parallel().forEach(k -> {
			final double[] sum = new double[maxLabel + 1];
			final double[] a = new double[3], w = new double[8];
			final int[] lab = new int[8];
			for (int j = lo[1]; j < hi[1]; j++)
				for (int i = lo[0]; i < hi[0]; i++) {
					if (filter != null && !filter.includes(i, j, k))
						continue;
					map.toAtlas(i, j, k, a);
					final int c = nearest(a[0], ax) + ax * (nearest(a[1], ay) + ay * nearest(a[2], az));
					if (pure[c]) {
						if (wanted[labels[c]])
							sum[labels[c]] += 1;
						continue;
					}
					for (int p = 0; p < s; p++)
						for (int q = 0; q < s; q++)
							for (int r = 0; r < s; r++) {
								map.toAtlas(i + (r + 0.5) / s - 0.5, j + (q + 0.5) / s - 0.5, k + (p + 0.5) / s - 0.5, a);
								final int x0 = floor(a[0], ax), y0 = floor(a[1], ay), z0 = floor(a[2], az);
								final int one = uniform(x0, y0, z0);
								if (one >= 0) {
									if (wanted[one])
										sum[one] += sub;
									continue;
								}
								corners(x0, y0, z0, frac(a[0], x0, ax), frac(a[1], y0, ay), frac(a[2], z0, az), lab, w);
								for (int b = 0; b < 8; b++)
									if (wanted[lab[b]])
										sum[lab[b]] += sub * w[b];
							}
				}
			perSlice[k - lo[2]] = sum;
		});
		final double voxelVolume = Math.abs(Geometry.determinant(grid.voxelToWorld()));
		final double[] total = new double[maxLabel + 1];
		for (final double[] slice : perSlice)
			for (int l = 0; l <= maxLabel; l++)
				total[l] += slice[l];
		for (int l = 0; l <= maxLabel; l++)
			total[l] *= voxelVolume;
		return total;
	}

	/** The label of the 8 atlas voxels from (x0, y0, z0) up if they all carry the same one, else -1. */
	private int uniform(final int x0, final int y0, final int z0) {
		final int x1 = Math.min(x0 + 1, ax - 1), y1 = Math.min(y0 + 1, ay - 1), z1 = Math.min(z0 + 1, az - 1);
		final int a = (z0 * ay + y0) * ax, b = (z0 * ay + y1) * ax, c = (z1 * ay + y0) * ax, d = (z1 * ay + y1) * ax;
		final int l = labels[a + x0];
		return labels[a + x1] == l && labels[b + x0] == l && labels[b + x1] == l && labels[c + x0] == l && labels[c + x1] == l && labels[d + x0] == l
				&& labels[d + x1] == l ? l : -1;
	}

	/** Labels and trilinear weights of the 8 atlas voxels around a point (coordinates clamped into the grid). */
	private void corners(final int x0, final int y0, final int z0, final double fx, final double fy, final double fz, final int[] lab,
			final double[] w) {
		final int x1 = Math.min(x0 + 1, ax - 1), y1 = Math.min(y0 + 1, ay - 1), z1 = Math.min(z0 + 1, az - 1);
		lab[0] = labels[(z0 * ay + y0) * ax + x0];
		lab[1] = labels[(z0 * ay + y0) * ax + x1];
		lab[2] = labels[(z0 * ay + y1) * ax + x0];
		lab[3] = labels[(z0 * ay + y1) * ax + x1];
		lab[4] = labels[(z1 * ay + y0) * ax + x0];
		lab[5] = labels[(z1 * ay + y0) * ax + x1];
		lab[6] = labels[(z1 * ay + y1) * ax + x0];
		lab[7] = labels[(z1 * ay + y1) * ax + x1];
		w[0] = (1 - fx) * (1 - fy) * (1 - fz);
		w[1] = fx * (1 - fy) * (1 - fz);
		w[2] = (1 - fx) * fy * (1 - fz);
		w[3] = fx * fy * (1 - fz);
		w[4] = (1 - fx) * (1 - fy) * fz;
		w[5] = fx * (1 - fy) * fz;
		w[6] = (1 - fx) * fy * fz;
		w[7] = fx * fy * fz;
	}

	/** Lower corner index along an axis, clamped into [0, n-1]. */
	private static int floor(final double v, final int n) {
		return Math.max(0, Math.min(n - 1, (int) Math.floor(v)));
	}

	/** Fraction towards the upper corner; points beyond the grid take the border voxel's value. */
	private static double frac(final double v, final int i0, final int n) {
		return Math.max(0, Math.min(1, v - i0));
	}

	private static int nearest(final double v, final int n) {
		return Math.max(0, Math.min(n - 1, (int) Math.round(v)));
	}
}
