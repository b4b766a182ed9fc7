package org.progressionprobe.volume;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import org.junit.jupiter.api.Test;

class ResamplerTest {

	private static Volume ramp(final int n, final AffineTransform3D v2w) {
		final Volume v = Volume.zeros(n, n, n, v2w);
		for (int z = 0; z < n; z++)
			for (int y = 0; y < n; y++)
				for (int x = 0; x < n; x++)
					v.set(x, y, z, x + 10 * y + 100 * z);
		return v;
	}

	@Test
	void identityOnTheSameGridIsExact() {
		final Volume v = ramp(7, Geometry.scaling(new double[] { 2, 1, 3 }, new double[] { -5, 4, 1 }));
		assertArrayEquals(v.data(), Resampler.linear().resample(v, Grid.of(v)).data());
		assertArrayEquals(v.data(), Resampler.nearest().resample(v, Grid.of(v)).data());
	}

	@Test
	void worldTranslationMovesSamplesByTheRightNumberOfVoxels() {
		// voxels 2 mm along x: a target-to-source shift of +3 mm in x is 1.5 voxels
		final Volume v = ramp(8, Geometry.scaling(new double[] { 2, 1, 1 }, new double[] { 0, 0, 0 }));
		final Volume out = Resampler.linear().resample(v, Grid.of(v), AffineTransform3D.of(1, 0, 0, 3, 0, 1, 0, 0, 0, 0, 1, 0));
		assertEquals(v.get(2, 3, 4) + 1.5f, out.get(2, 3, 4), 1e-4);
		assertEquals(0f, out.get(7, 3, 4), 0f, "samples beyond the source are the outside value");
	}

	@Test
	void linearInterpolationIsExactOnALinearRamp() {
		final Volume v = ramp(6, new AffineTransform3D());
		assertEquals(1.25 + 10 * 2.5 + 100 * 3.75, Resampler.linear(v.data(), 6, 6, 6, 1.25, 2.5, 3.75, -1), 1e-3);
		assertEquals(5 + 50 + 500, Resampler.linear(v.data(), 6, 6, 6, 5, 5, 5, -1), 1e-4, "the last voxel is inside");
		assertEquals(-1, Resampler.linear(v.data(), 6, 6, 6, 5.01, 5, 5, -1));
	}

	@Test
	void coarsenedGridKeepsTheFieldOfView() {
		final Grid g = new Grid(new int[] { 10, 10, 10 }, Geometry.scaling(new double[] { 1, 1, 1 }, new double[] { 0, 0, 0 }));
		final Grid c = g.coarsened(new double[] { 2, 2, 2 });
		assertArrayEquals(new int[] { 5, 5, 5 }, c.size());
		final double[] w = new double[3];
		c.voxelToWorld().apply(new double[] { 0, 0, 0 }, w);
		assertArrayEquals(new double[] { 0.5, 0.5, 0.5 }, w, 1e-12);
	}

	@Test
	void gaussianSmoothingInMillimetresOnAnisotropicVoxels() {
		// a point source; sigma 2 mm; x spacing 1 mm, z spacing 2 mm -> 2 voxels in x, 1 voxel in z
		final Volume v = Volume.zeros(31, 31, 31, Geometry.scaling(new double[] { 1, 1, 2 }, new double[] { 0, 0, 0 }));
		v.set(15, 15, 15, 1000);
		final Volume s = new GaussianSmoothing(2).apply(v);
		double sum = 0, varX = 0, varZ = 0;
		for (int z = 0; z < 31; z++)
			for (int y = 0; y < 31; y++)
				for (int x = 0; x < 31; x++) {
					final double w = s.get(x, y, z);
					sum += w;
					varX += w * (x - 15) * (x - 15);
					varZ += w * (z - 15) * (z - 15) * 4; // mm^2
				}
		assertEquals(1000, sum, 1e-2);
		assertEquals(4.0, varX / sum, 0.1, "variance along x is sigma^2 = 4 mm^2");
		assertEquals(4.0, varZ / sum, 0.4, "variance along z is sigma^2 = 4 mm^2 (coarse sampling)");
	}
}
