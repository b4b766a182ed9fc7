package org.progressionprobe.volume;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import org.junit.jupiter.api.Test;

class VoxelBoxTest {

	@Test
	void boxOfTheAcceptedVoxelsInXYZOrder() {
		final int nx = 5, ny = 4, nz = 3;
		final boolean[] mask = new boolean[nx * ny * nz];
		mask[(1 * ny + 2) * nx + 4] = true; // x 4, y 2, z 1
		mask[(2 * ny + 0) * nx + 1] = true; // x 1, y 0, z 2
		final VoxelBox b = VoxelBox.of(nx, ny, nz, o -> mask[o]);
		assertArrayEquals(new int[] { 1, 0, 1 }, b.lo());
		assertArrayEquals(new int[] { 4, 2, 2 }, b.hi());
		assertNull(VoxelBox.of(nx, ny, nz, o -> false));
	}
}
