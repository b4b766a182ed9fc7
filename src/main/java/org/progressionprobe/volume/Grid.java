package org.progressionprobe.volume;

import java.util.Arrays;

/**
 * A sampling grid in world space: a size (x, y, z) and a voxel-to-world matrix (mm, RAS). The
 * target of a resampling, the field of view of a crop, the grid of a pyramid level.
 *
 * @param size number of voxels along x, y, z
 * @param voxelToWorld voxel index to world millimetres
 */
public record Grid(int[] size, AffineTransform3D voxelToWorld) {

	public Grid {
		if (size.length != 3 || size[0] <= 0 || size[1] <= 0 || size[2] <= 0)
			throw new IllegalArgumentException("A grid needs three positive sizes, got " + Arrays.toString(size));
		size = size.clone();
		voxelToWorld = voxelToWorld.copy();
	}

	/** The grid of a volume. */
	public static Grid of(final Volume v) {
		return new Grid(v.size(), v.voxelToWorld());
	}

	@Override
	public int[] size() {
		return size.clone();
	}

	@Override
	public AffineTransform3D voxelToWorld() {
		return voxelToWorld.copy();
	}

	public int voxelCount() {
		return size[0] * size[1] * size[2];
	}

	/** Voxel size in mm along each index axis. */
	public double[] voxelSize() {
		return Geometry.voxelSize(voxelToWorld);
	}

	/**
	 * A grid over the same field of view with voxels {@code factor[d]} times larger along axis d
	 * (a pyramid level): ITK's convention, the outer edges of the field of view stay where they are
	 * and voxel centres move inwards.
	 */
	public Grid coarsened(final double[] factor) {
		final int[] n = new int[3];
		final double[] f = new double[3];
		for (int d = 0; d < 3; d++) {
			n[d] = Math.max(1, (int) Math.floor(size[d] / factor[d]));
			f[d] = (double) size[d] / n[d];
		}
		// index i on the new grid sits at old index (i + 0.5) * f - 0.5
		final AffineTransform3D idx = AffineTransform3D.of(f[0], 0, 0, 0.5 * f[0] - 0.5, 0, f[1], 0, 0.5 * f[1] - 0.5, 0, 0, f[2], 0.5 * f[2] - 0.5);
		return new Grid(n, voxelToWorld.copy().concatenate(idx));
	}

	/** The sub-grid of voxels [min, min + size) (a crop); indices may extend beyond this grid. */
	public Grid subGrid(final int[] min, final int[] newSize) {
		final AffineTransform3D shift = AffineTransform3D.of(1, 0, 0, min[0], 0, 1, 0, min[1], 0, 0, 1, min[2]);
		return new Grid(newSize, voxelToWorld.copy().concatenate(shift));
	}

	/**
	 * The world bounding box of the voxel centres, mm (RAS): {@code [0]} the lower corner,
	 * {@code [1]} the upper corner.
	 */
	public double[][] worldExtent() {
		final double[] lo = { Double.POSITIVE_INFINITY, Double.POSITIVE_INFINITY, Double.POSITIVE_INFINITY };
		final double[] hi = { Double.NEGATIVE_INFINITY, Double.NEGATIVE_INFINITY, Double.NEGATIVE_INFINITY };
		final double[] p = new double[3], w = new double[3];
		for (int k = 0; k < 8; k++) {
			for (int d = 0; d < 3; d++)
				p[d] = (k >> d & 1) == 0 ? 0 : size[d] - 1;
			voxelToWorld.apply(p, w);
			for (int d = 0; d < 3; d++) {
				lo[d] = Math.min(lo[d], w[d]);
				hi[d] = Math.max(hi[d], w[d]);
			}
		}
		return new double[][] { lo, hi };
	}

	/** The world extent as text: "x -90..90, y -126..90, z -72..108 mm". */
	public String describeWorldExtent() {
		final double[][] e = worldExtent();
		return String.format(java.util.Locale.ROOT, "x %.1f..%.1f, y %.1f..%.1f, z %.1f..%.1f mm", e[0][0], e[1][0], e[0][1], e[1][1], e[0][2],
				e[1][2]);
	}

	/**
	 * True if the world bounding boxes of this grid and another (each grown by half a voxel, the
	 * voxels' own extent) intersect.
	 */
	public boolean overlapsInWorld(final Grid other) {
		final double[][] a = worldExtent(), b = other.worldExtent();
		final double[] va = voxelSize(), vb = other.voxelSize();
		final double slack = 0.5 * (Math.max(va[0], Math.max(va[1], va[2])) + Math.max(vb[0], Math.max(vb[1], vb[2])));
		for (int d = 0; d < 3; d++)
			if (a[0][d] > b[1][d] + slack || b[0][d] > a[1][d] + slack)
				return false;
		return true;
	}

	@Override
	public boolean equals(final Object o) {
		return o instanceof Grid g && Arrays.equals(size, g.size) && voxelToWorld.equals(g.voxelToWorld);
	}

	@Override
	public int hashCode() {
		return 31 * Arrays.hashCode(size) + voxelToWorld.hashCode();
	}

	@Override
	public String toString() {
		return "Grid " + size[0] + "x" + size[1] + "x" + size[2] + " " + Geometry.format(voxelToWorld);
	}
}
