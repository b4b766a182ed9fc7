package org.progressionprobe.volume;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Path;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.progressionprobe.io.DisplacementFieldFiles;
import org.progressionprobe.io.VolumeIOException;
import org.progressionprobe.io.VolumeIO;

class DisplacementFieldTest {

	/** 2 mm voxels, 20^3, origin at -19 mm so the centre is near world 0. */
	private static Grid grid() {
		return new Grid(new int[] { 20, 20, 20 }, Geometry.scaling(new double[] { 2, 2, 2 }, new double[] { -19, -19, -19 }));
	}

	/** A smooth test image: a function of world position. */
	private static Volume image(final Grid g) {
		final int[] n = g.size();
		final Volume v = Volume.zeros(n[0], n[1], n[2], g.voxelToWorld());
		final double[] p = new double[3];
		for (int k = 0; k < n[2]; k++)
			for (int j = 0; j < n[1]; j++)
				for (int i = 0; i < n[0]; i++) {
					p[0] = i;
					p[1] = j;
					p[2] = k;
					g.voxelToWorld().apply(p, p);
					v.set(i, j, k, (float) (100 + 2 * p[0] - p[1] + 0.5 * p[2]));
				}
		return v;
	}

	@Test
	void affineFieldWarpsLikeTheResampler() {
		final Grid g = grid();
		final AffineTransform3D t = AffineTransform3D.of(0.98, 0.05, 0, 1.5, -0.05, 0.98, 0, -2, 0, 0, 1.02, 0.7);
		final Volume src = image(g);
		final Volume byField = DisplacementField.of(g, t).warp(src, Resampler.Interpolation.LINEAR);
		final Volume byResampler = Resampler.linear().resample(src, g, t);
		assertArrayEquals(byResampler.data(), byField.data(), 1e-3f);
	}

	@Test
	void displacementIsTrilinearBetweenVoxelCentresAndZeroOutside() {
		final Grid g = grid();
		final DisplacementField f = DisplacementField.zeros(g);
		f.x().set(3, 4, 5, 1f);
		f.x().set(4, 4, 5, 3f);
		final double[] p = new double[3], u = new double[3];
		g.voxelToWorld().apply(new double[] { 3.25, 4, 5 }, p);
		f.displacement(p, u);
		assertEquals(1.5, u[0], 1e-6);
		assertEquals(0, u[1], 0);
		f.apply(p, u);
		assertEquals(p[0] + 1.5, u[0], 1e-6);
		f.displacement(new double[] { 500, 0, 0 }, u);
		assertArrayEquals(new double[] { 0, 0, 0 }, u, 0);
	}

	@Test
	void exponentialOfAConstantVelocityIsATranslationAndMinusVelocityInvertsIt() {
		final Grid g = grid();
		final DisplacementField v = DisplacementField.zeros(g);
		java.util.Arrays.fill(v.y().data(), 1.5f);
		final DisplacementField e = v.exponential();
		// in the interior (away from the zero outside) the flow of a constant field is the translation
		final double[] u = new double[3], p = new double[3];
		g.voxelToWorld().apply(new double[] { 10, 10, 10 }, p);
		e.displacement(p, u);
		assertArrayEquals(new double[] { 0, 1.5, 0 }, u, 1e-5);

		// a smooth swirl: exp(v) then exp(-v) is the identity to well below a voxel
		final DisplacementField swirl = DisplacementField.zeros(g);
		final int[] n = g.size();
		for (int k = 0; k < n[2]; k++)
			for (int j = 0; j < n[1]; j++)
				for (int i = 0; i < n[0]; i++) {
					final double w = Math.sin(Math.PI * i / (n[0] - 1)) * Math.sin(Math.PI * j / (n[1] - 1)) * Math.sin(Math.PI * k / (n[2] - 1));
					swirl.x().set(i, j, k, (float) (6 * w * (j - 9.5) / 9.5));
					swirl.y().set(i, j, k, (float) (-6 * w * (i - 9.5) / 9.5));
				}
		final DisplacementField roundTrip = swirl.exponential().andThen(swirl.scaled(-1).exponential());
		assertTrue(roundTrip.maxNorm() < 0.05, "exp(v) then exp(-v) moves points by " + roundTrip.maxNorm() + " mm");
		assertTrue(swirl.exponential().maxNorm() > 2, "the swirl moves points");
	}

	@Test
	void andThenPullsThroughBothTransformsInOrder() {
		final Grid g = grid();
		final DisplacementField shift = DisplacementField.of(g, AffineTransform3D.of(1, 0, 0, 2, 0, 1, 0, 0, 0, 0, 1, 0));
		final DisplacementField scale = DisplacementField.of(g, AffineTransform3D.of(1.1, 0, 0, 0, 0, 1, 0, 0, 0, 0, 1, 0));
		// p -> scale(shift(p)) = 1.1 (x + 2)
		final double[] out = new double[3];
		shift.andThen(scale).apply(new double[] { 4, 1, 1 }, out);
		assertArrayEquals(new double[] { 1.1 * 6, 1, 1 }, out, 1e-5);
		scale.andThen(shift).apply(new double[] { 4, 1, 1 }, out);
		assertArrayEquals(new double[] { 1.1 * 4 + 2, 1, 1 }, out, 1e-5);
	}

	@Test
	void warpThroughAnAffineFirstMatchesTheComposedField() {
		final Grid g = grid();
		final AffineTransform3D rigid = AffineTransform3D.of(0.99, -0.1, 0, 1, 0.1, 0.99, 0, -0.5, 0, 0, 1, 2);
		final DisplacementField bend = DisplacementField.zeros(g);
		for (int k = 0; k < 20; k++)
			for (int j = 0; j < 20; j++)
				for (int i = 0; i < 20; i++)
					bend.x().set(i, j, k, (float) Math.sin(j / 3.0));
		final Volume src = image(g);
		final Volume direct = bend.warp(src, g, rigid, Resampler.Interpolation.LINEAR, 0f);
		final Volume composed = DisplacementField.of(g, rigid).andThen(bend).warp(src, Resampler.Interpolation.LINEAR);
		assertArrayEquals(composed.data(), direct.data(), 1e-3f);
	}

	@Test
	void jacobianDeterminantOfAScalingIsTheVolumeRatio() {
		final Grid g = grid();
		final DisplacementField f = DisplacementField.of(g, AffineTransform3D.of(1.1, 0, 0, 0, 0, 0.9, 0, 3, 0, 0, 1.2, 0));
		final Volume j = f.jacobianDeterminant();
		for (final float v : j.data())
			assertEquals(1.1 * 0.9 * 1.2, v, 1e-4);
		// on a flipped (LAS) grid the determinant is the same: derivatives are taken in world mm
		final Grid flipped = new Grid(new int[] { 12, 12, 12 }, Geometry.scaling(new double[] { -1.5, 1, 2 }, new double[] { 9, -6, -12 }));
		for (final float v : DisplacementField.of(flipped, AffineTransform3D.of(1.1, 0, 0, 0, 0, 0.9, 0, 3, 0, 0, 1.2, 0)).jacobianDeterminant().data())
			assertEquals(1.1 * 0.9 * 1.2, v, 1e-4);
	}

	@Test
	void onGridEmbedsACropWithZerosAround() {
		final Grid g = grid();
		final Grid crop = g.subGrid(new int[] { 5, 5, 5 }, new int[] { 6, 6, 6 });
		final DisplacementField small = DisplacementField.zeros(crop);
		java.util.Arrays.fill(small.z().data(), 2f);
		final DisplacementField big = small.onGrid(g);
		assertEquals(2f, big.z().get(7, 7, 7));
		assertEquals(0f, big.z().get(1, 1, 1));
	}

	@Test
	void writesAndReadsANiftiVectorVolume(@TempDir final Path dir) throws IOException {
		final Grid g = grid();
		final DisplacementField f = DisplacementField.of(g, AffineTransform3D.of(1, 0, 0, 0.5, 0, 1, 0, -1, 0, 0, 1, 2));
		final Path file = dir.resolve("field.nii.gz");
		DisplacementFieldFiles.write(f, file);
		assertEquals(3, VolumeIO.info(file).volumes());
		final DisplacementField back = DisplacementFieldFiles.read(file);
		assertEquals(g, back.grid());
		assertArrayEquals(f.y().data(), back.y().data());
		VolumeIO.write(image(g), dir.resolve("scalar.nii.gz"));
		final VolumeIOException e = assertThrows(VolumeIOException.class, () -> DisplacementFieldFiles.read(dir.resolve("scalar.nii.gz")));
		assertTrue(e.getMessage().contains("scalar.nii.gz") && e.getMessage().contains("3 components"), e.getMessage());
	}

	/** An oblique grid with anisotropic voxels (0.9 x 1.3 x 2.2 mm), rotated about two axes, with an offset. */
	private static Grid obliqueGrid() {
		final double a = Math.toRadians(25), b = Math.toRadians(-15);
		final double[][] rz = { { Math.cos(a), -Math.sin(a), 0 }, { Math.sin(a), Math.cos(a), 0 }, { 0, 0, 1 } };
		final double[][] rx = { { 1, 0, 0 }, { 0, Math.cos(b), -Math.sin(b) }, { 0, Math.sin(b), Math.cos(b) } };
		final double[] s = { 0.9, 1.3, 2.2 };
		final double[] m = new double[12];
		for (int r = 0; r < 3; r++)
			for (int c = 0; c < 3; c++) {
				double v = 0;
				for (int k = 0; k < 3; k++)
					v += rz[r][k] * rx[k][c];
				m[4 * r + c] = v * s[c];
			}
		m[3] = -12;
		m[7] = 7;
		m[11] = 3;
		return new Grid(new int[] { 12, 10, 8 }, AffineTransform3D.of(m));
	}

	@Test
	void jacobianOfAnAffineMapIsItsDeterminantOnObliqueAnisotropicGrids() {
		final AffineTransform3D b = AffineTransform3D.of(0.93, 0.05, -0.02, 1.5, 0.01, 1.08, 0.04, -2, -0.03, 0.02, 0.88, 0.7);
		for (final float v : DisplacementField.of(obliqueGrid(), b).jacobianDeterminant().data())
			assertEquals(Geometry.determinant(b), v, 2e-4);
		final double c = Math.cos(0.3), s = Math.sin(0.3);
		for (final float v : DisplacementField.of(obliqueGrid(), AffineTransform3D.of(c, -s, 0, 0, s, c, 0, 0, 0, 0, 1, 0)).jacobianDeterminant().data())
			assertEquals(1, v, 2e-4, "a rotation preserves volume");
	}

	@Test
	void indexUnitDisplacementsBecomeWorldMillimetresOnObliqueGrids() {
		final Grid g = obliqueGrid();
		final float[][] index = new float[3][g.voxelCount()];
		java.util.Arrays.fill(index[0], 1f); // one voxel along index x everywhere
		java.util.Arrays.fill(index[2], -0.5f); // half a voxel back along index z
		final DisplacementField f = DisplacementField.fromIndexUnits(g, index);
		final double[] origin = new double[3], moved = new double[3];
		g.voxelToWorld().apply(new double[] { 4, 5, 3 }, origin);
		g.voxelToWorld().apply(new double[] { 5, 5, 2.5 }, moved);
		final double[] u = { f.x().get(4, 5, 3), f.y().get(4, 5, 3), f.z().get(4, 5, 3) };
		for (int d = 0; d < 3; d++)
			assertEquals(moved[d] - origin[d], u[d], 1e-5);
		final double length = Math.sqrt(0.9 * 0.9 + 0.25 * 2.2 * 2.2);
		for (final float v : f.magnitude().data())
			assertEquals(length, v, 1e-5);
	}

	@Test
	void aTranslationFollowedByItsInverseIsTheIdentityInside() {
		final Grid g = obliqueGrid();
		final DisplacementField there = DisplacementField.of(g, AffineTransform3D.of(1, 0, 0, 1.2, 0, 1, 0, -0.4, 0, 0, 1, 0.3));
		final DisplacementField back = DisplacementField.of(g, AffineTransform3D.of(1, 0, 0, -1.2, 0, 1, 0, 0.4, 0, 0, 1, -0.3));
		final Volume error = there.andThen(back).magnitude();
		for (int k = 2; k < 6; k++)
			for (int j = 2; j < 8; j++)
				for (int i = 2; i < 10; i++)
					assertEquals(0, error.get(i, j, k), 1e-5);
	}
}
