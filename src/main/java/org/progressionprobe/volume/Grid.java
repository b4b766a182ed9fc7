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
