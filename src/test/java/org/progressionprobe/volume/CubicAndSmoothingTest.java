package org.progressionprobe.volume;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.SplittableRandom;

import org.junit.jupiter.api.Test;

/** Cubic B-spline interpolation, and the row-wise Gaussian smoothing against a line-by-line reference. */
class CubicAndSmoothingTest {

	@Test
	void cubicPassesThroughTheVoxelValues() {
		final SplittableRandom r = new SplittableRandom(3);
		final float[] a = new float[9 * 7 * 5];
		for (int i = 0; i < a.length; i++)
			a[i] = (float) r.nextDouble(-50, 50);
		final float[] c = CubicBSpline.coefficients(a, 9, 7, 5);
		for (int z = 0; z < 5; z++)
			for (int y = 0; y < 7; y++)
				for (int x = 0; x < 9; x++)
					assertEquals(a[(z * 7 + y) * 9 + x], CubicBSpline.sample(c, 9, 7, 5, x, y, z, Float.NaN), 1e-4);
		assertTrue(Float.isNaN(CubicBSpline.sample(c, 9, 7, 5, 8.01, 3, 3, Float.NaN)), "outside");
	}

	@Test
	void cubicIsCloserThanLinearOnASmoothSignalAndWorksIn2D() {
		final int n = 40;
		final float[] a = new float[n * n];
		for (int y = 0; y < n; y++)
			for (int x = 0; x < n; x++)
				a[y * n + x] = (float) (Math.sin(x / 3.0) * Math.cos(y / 4.0));
		final float[] c = CubicBSpline.coefficients(a, n, n, 1);
		double errCubic = 0, errLinear = 0;
		for (double y = 5.3; y < 34; y += 1.7)
			for (double x = 5.6; x < 34; x += 1.9) {
				final double truth = Math.sin(x / 3.0) * Math.cos(y / 4.0);
				errCubic = Math.max(errCubic, Math.abs(CubicBSpline.sample(c, n, n, 1, x, y, 0, 0) - truth));
				errLinear = Math.max(errLinear, Math.abs(Resampler.linear(a, n, n, 1, x, y, 0, 0) - truth));
			}
		assertTrue(errCubic < errLinear / 5, "cubic " + errCubic + " vs linear " + errLinear);
	}

	@Test
	void resamplerCubicOnTheSameGridIsTheIdentity() {
		final Volume v = Volume.zeros(6, 5, 4, Geometry.scaling(new double[] { 1, 2, 3 }, new double[] { 0, 0, 0 }));
		for (int i = 0; i < v.data().length; i++)
			v.data()[i] = (i * 37 % 11) - 5;
		assertArrayEquals(v.data(), new Resampler(Resampler.Interpolation.CUBIC, 0).resample(v, Grid.of(v)).data(), 1e-4f);
	}

	@Test
	void rowWiseSmoothingEqualsLineByLineSmoothing() {
		final int[] n = { 13, 11, 9 };
		final SplittableRandom r = new SplittableRandom(5);
		final float[] a = new float[13 * 11 * 9];
		for (int i = 0; i < a.length; i++)
			a[i] = (float) r.nextDouble(0, 100);
		final double[] sigma = { 1.3, 0.7, 2.1 };
		final float[] fast = a.clone();
		GaussianSmoothing.smooth(fast, n, sigma);
		final float[] slow = a.clone();
		final int[] stride = { 1, n[0], n[0] * n[1] };
		for (int axis = 0; axis < 3; axis++) {
			final double[] k = GaussianSmoothing.kernel(sigma[axis]);
			final int rad = k.length / 2;
			final float[] in = slow.clone();
			for (int i = 0; i < a.length; i++) {
				final int pos = i / stride[axis] % n[axis];
				double s = 0, w = 0;
				for (int t = Math.max(-rad, -pos); t <= Math.min(rad, n[axis] - 1 - pos); t++) {
					s += k[t + rad] * in[i + t * stride[axis]];
					w += k[t + rad];
				}
				slow[i] = (float) (s / w);
			}
		}
		assertArrayEquals(slow, fast, 0f, "bit-identical to the line-by-line definition");
	}

	@Test
	void affineViewGivesTheResamplersNumbersLazily() {
		final Volume v = Volume.zeros(12, 10, 8, Geometry.scaling(new double[] { 1.5, 1, 2 }, new double[] { -5, 3, 0 }));
		for (int i = 0; i < v.data().length; i++)
			v.data()[i] = (float) Math.sin(i * 0.37) * 20 + i % 13;
		final Grid target = new Grid(new int[] { 9, 8, 7 }, Geometry.scaling(new double[] { 1.2, 1.1, 1.9 }, new double[] { -3, 4, 1 }));
		final AffineTransform3D t = AffineTransform3D.of(0.98, -0.1, 0, 0.5, 0.1, 0.98, 0.02, -0.3, 0, -0.02, 1.01, 0.7);
		for (final Resampler.Interpolation i : Resampler.Interpolation.values()) {
			final Volume expected = new Resampler(i, 0).resample(v, target, t);
			final net.imglib2.Cursor<net.imglib2.type.numeric.real.FloatType> c = net.imglib2.view.Views.flatIterable(
					AffineView.onGrid(v, target, t, i).raster()).cursor();
			int k = 0;
			while (c.hasNext())
				assertEquals(expected.data()[k++], c.next().get(), 0f, i.toString());
			assertEquals(expected.data().length, k);
			// in world coordinates: the value at a target voxel's centre
			final double[] w = new double[3];
			target.voxelToWorld().apply(new double[] { 4, 3, 2 }, w);
			assertEquals(expected.get(4, 3, 2), AffineView.inWorld(v, t, i).getAt(w).get(), 1e-5f);
		}
	}
}
