package org.progressionprobe.features.change;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;

import org.junit.jupiter.api.Test;
import org.progressionprobe.volume.AffineTransform3D;
import org.progressionprobe.volume.Grid;
import org.progressionprobe.volume.Volume;

class VectorFieldTest {

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

	/** u(x) = (B - I) x + t in world mm, sampled at the grid's voxel centres. */
	private static VectorField affineField(final Grid g, final double[][] b, final double[] t) {
		final VectorField f = VectorField.zeros(g);
		final int[] n = g.size();
		final AffineTransform3D v2w = g.voxelToWorld();
		final double[] p = new double[3];
		for (int z = 0; z < n[2]; z++)
			for (int y = 0; y < n[1]; y++)
				for (int x = 0; x < n[0]; x++) {
					p[0] = x;
					p[1] = y;
					p[2] = z;
					v2w.apply(p, p);
					final int o = (z * n[1] + y) * n[0] + x;
					final float[][] u = { f.ux(), f.uy(), f.uz() };
					for (int r = 0; r < 3; r++)
						u[r][o] = (float) ((b[r][0] * p[0] + b[r][1] * p[1] + b[r][2] * p[2]) - p[r] + t[r]);
				}
		return f;
	}

	private static double det(final double[][] m) {
		return m[0][0] * (m[1][1] * m[2][2] - m[1][2] * m[2][1]) - m[0][1] * (m[1][0] * m[2][2] - m[1][2] * m[2][0])
				+ m[0][2] * (m[1][0] * m[2][1] - m[1][1] * m[2][0]);
	}

	@Test
	void jacobianOfAnAffineMapIsItsDeterminantOnObliqueAnisotropicGrids() {
		final double[][] b = { { 0.93, 0.05, -0.02 }, { 0.01, 1.08, 0.04 }, { -0.03, 0.02, 0.88 } };
		final Volume j = affineField(obliqueGrid(), b, new double[] { 1.5, -2, 0.7 }).jacobianDeterminant();
		for (final float v : j.data())
			assertEquals(det(b), v, 2e-4, "det of B is " + det(b));
	}

	@Test
	void aRotationPreservesVolume() {
		final double c = Math.cos(0.3), s = Math.sin(0.3);
		final Volume j = affineField(obliqueGrid(), new double[][] { { c, -s, 0 }, { s, c, 0 }, { 0, 0, 1 } }, new double[3]).jacobianDeterminant();
		for (final float v : j.data())
			assertEquals(1, v, 2e-4);
	}

	@Test
	void warpSamplesTheSourceAtTheDisplacedPoint() {
		final Grid g = obliqueGrid();
		// source: a linear ramp in world x on a plain 1 mm grid covering the oblique one
		final Volume src = Volume.zeros(60, 60, 60, AffineTransform3D.of(1, 0, 0, -30, 0, 1, 0, -30, 0, 0, 1, -30));
		for (int z = 0; z < 60; z++)
			for (int y = 0; y < 60; y++)
				for (int x = 0; x < 60; x++)
					src.set(x, y, z, x - 30 + 2 * (y - 30));
		final VectorField shift = affineField(g, new double[][] { { 1, 0, 0 }, { 0, 1, 0 }, { 0, 0, 1 } }, new double[] { 2.5, -1, 0 });
		final Volume w = shift.warp(src, Float.NaN);
		final double[] p = new double[3];
		for (int i = 0; i < 3; i++) {
			p[0] = 3 + i;
			p[1] = 4;
			p[2] = 2;
			g.voxelToWorld().apply(p, p);
			assertEquals(p[0] + 2.5 + 2 * (p[1] - 1), w.get(3 + i, 4, 2), 1e-3);
		}
	}

	@Test
	void composingATranslationWithItsInverseGivesZero() {
		final Grid g = obliqueGrid();
		final double[][] id = { { 1, 0, 0 }, { 0, 1, 0 }, { 0, 0, 1 } };
		final VectorField there = affineField(g, id, new double[] { 1.2, -0.4, 0.3 }), back = affineField(g, id, new double[] { -1.2, 0.4, -0.3 });
		for (final float v : there.compose(back).magnitude().data())
			assertEquals(0, v, 1e-5);
	}

	@Test
	void componentsAreVolumesOnTheFieldsGrid() {
		final Grid g = obliqueGrid();
		final List<Volume> c = affineField(g, new double[][] { { 1, 0, 0 }, { 0, 1, 0 }, { 0, 0, 1 } }, new double[] { 1, 2, 3 }).components();
		assertEquals(3, c.size());
		assertTrue(c.get(0).sameGrid(c.get(2)));
		assertEquals(2, c.get(1).get(5, 5, 5), 1e-6);
	}
}
