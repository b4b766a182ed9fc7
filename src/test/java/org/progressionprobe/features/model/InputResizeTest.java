package org.progressionprobe.features.model;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import org.junit.jupiter.api.Test;
import org.progressionprobe.volume.AffineTransform3D;
import org.progressionprobe.volume.Volume;

/** The input resize is PyTorch's trilinear interpolate (align_corners=False), whole field of view. */
class InputResizeTest {

	@Test
	void matchesPyTorchInterpolate() {
		// t = arange(60).reshape(1,1,3,4,5)^2 * 0.01 (z=3, y=4, x=5); F.interpolate(t, size=(2,6,7), mode="trilinear",
		// align_corners=False) gives, at flat indices 0,1,5,13,20,41,50,83, and in total (PyTorch 1.13):
		final float[] v = new float[60];
		for (int i = 0; i < 60; i++)
			v[i] = i * i * 0.01f;
		final float[] r = InputResize.trilinear(Volume.wrap(v, 5, 4, 3, new AffineTransform3D()), 7, 6, 2);
		final int[] at = { 0, 1, 5, 13, 20, 41, 50, 83 };
		final float[] torch = { 1.0f, 1.062857f, 1.462857f, 2.135f, 2.985f, 6.51f, 15.309285f, 29.909998f };
		final float[] ours = new float[at.length];
		for (int i = 0; i < at.length; i++)
			ours[i] = r[at[i]];
		assertArrayEquals(torch, ours, 1e-4f);
		double sum = 0;
		for (final float x : r)
			sum += x;
		assertEquals(1010.9400024414062, sum, 1e-3);
	}

	@Test
	void sameSizeIsACopy() {
		final Volume s = TestNets.referenceVolume(0, 8);
		final float[] r = InputResize.trilinear(s, 8, 8, 8);
		assertArrayEquals(s.data(), r, 0f);
		r[0] = -1;
		assertEquals(TestNets.referenceChannel(0, 8)[0], s.data()[0], 0f, "the scan is not touched");
	}
}
