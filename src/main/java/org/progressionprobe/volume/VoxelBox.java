package org.progressionprobe.volume;

import java.util.function.IntPredicate;

/**
 * The bounding box of a mask: the smallest and largest voxel index on each axis (x, y, z, both
 * inclusive) of the voxels a test accepts.
 *
 * @param lo lower corner, 3 values
 * @param hi upper corner, 3 values
 */
public record VoxelBox(int[] lo, int[] hi) {

	/**
	 * The box of the voxels of an {@code nx * ny * nz} grid whose C-order offset ({@code (z * ny + y) * nx + x})
	 * the test accepts; null when it accepts none.
	 */
	public static VoxelBox of(final int nx, final int ny, final int nz, final IntPredicate inside) {
		final int[] lo = { Integer.MAX_VALUE, Integer.MAX_VALUE, Integer.MAX_VALUE }, hi = { -1, -1, -1 };
		for (int z = 0, o = 0; z < nz; z++)
			for (int y = 0; y < ny; y++)
				for (int x = 0; x < nx; x++, o++)
					if (inside.test(o)) {
						lo[0] = Math.min(lo[0], x);
						lo[1] = Math.min(lo[1], y);
						lo[2] = Math.min(lo[2], z);
						hi[0] = Math.max(hi[0], x);
						hi[1] = Math.max(hi[1], y);
						hi[2] = Math.max(hi[2], z);
					}
		return hi[0] < 0 ? null : new VoxelBox(lo, hi);
	}

	/** The box of a volume's voxels the test accepts; null when it accepts none. */
	public static VoxelBox of(final Volume v, final IntPredicate inside) {
		return of(v.nx(), v.ny(), v.nz(), inside);
	}

	/** True if voxel (x, y, z) lies in the box. */
	public boolean contains(final int x, final int y, final int z) {
		return x >= lo[0] && x <= hi[0] && y >= lo[1] && y <= hi[1] && z >= lo[2] && z <= hi[2];
	}
}
