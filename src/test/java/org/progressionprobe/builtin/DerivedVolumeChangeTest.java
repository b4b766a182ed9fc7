package org.progressionprobe.builtin;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.SplittableRandom;

import org.junit.jupiter.api.Test;
import org.tensorflow.Graph;
import org.tensorflow.Operand;
import org.tensorflow.Result;
import org.tensorflow.Session;
import org.tensorflow.ndarray.Shape;
import org.tensorflow.ndarray.buffer.DataBuffers;
import org.tensorflow.op.Ops;
import org.tensorflow.op.core.Gradients;
import org.tensorflow.op.core.Placeholder;
import org.tensorflow.types.TFloat32;

/**
 * The registration network's volume change is derived from its displacement inside the network
 * ({@link RegistrationNet#volumeChange(Ops, Operand)}): on a field of a non-cubic grid (so a swapped
 * axis shows) it equals the Java computation its targets and held-out figures use, including the
 * border voxels, a uniform contraction reads as its volume ratio, and training's gradient through
 * it matches finite differences.
 */
class DerivedVolumeChangeTest {

	/** Grid x, y, z: all different. */
	private static final int NX = 7, NY = 6, NZ = 5, N = NX * NY * NZ;

	@Test
	void networkAndTargetsComputeTheSameVolumeChange() {
		final float[][] u = smoothField(new SplittableRandom(3), 0.3);
		final float[] expected = new float[N];
		RegistrationNet.volumeChange(u, new int[] { NX, NY, NZ }, expected);
		final float[] actual = inGraph(u);
		double largest = 0;
		for (int i = 0; i < N; i++) {
			largest = Math.max(largest, Math.abs(expected[i]));
			assertEquals(expected[i], actual[i], 1e-5, "voxel " + i);
		}
		assertTrue(largest > 0.05, "the field changes volume: " + largest);
	}

	@Test
	void aUniformContractionReadsAsItsVolumeRatio() {
		// u = -0.05 (q - centre) along each axis: every voxel's volume scales by 0.95^3
		final float[][] u = new float[3][N];
		for (int k = 0; k < NZ; k++)
			for (int j = 0; j < NY; j++)
				for (int i = 0; i < NX; i++) {
					final int o = (k * NY + j) * NX + i;
					u[0][o] = -0.05f * (i - NX / 2f);
					u[1][o] = -0.05f * (j - NY / 2f);
					u[2][o] = -0.05f * (k - NZ / 2f);
				}
		final float[] v = inGraph(u);
		final int inner = (2 * NY + 2) * NX + 3;
		assertEquals(-3 * Math.log(0.95), v[inner], 1e-5, "log(follow-up / baseline volume) of a 5% contraction per axis");
	}

	@Test
	void gradientMatchesFiniteDifferences() {
		Conv3dGradient.register();
		final SplittableRandom r = new SplittableRandom(8);
		final float[][] u = smoothField(r, 0.3);
		final float[] weights = new float[N], direction = new float[N * 3];
		for (int i = 0; i < N; i++)
			weights[i] = (float) (2 * r.nextDouble() - 1);
		for (int i = 0; i < direction.length; i++)
			direction[i] = (float) (2 * r.nextDouble() - 1);
		try (Graph g = new Graph(); Session s = new Session(g)) {
			final Ops tf = Ops.create(g);
			final Placeholder<TFloat32> head = tf.placeholder(TFloat32.class, Placeholder.shape(Shape.of(1, NZ, NY, NX, 3)));
			final Operand<TFloat32> loss = tf.reduceSum(tf.math.mul(RegistrationNet.volumeChange(tf, head),
					tf.constant(Shape.of(1, NZ, NY, NX, 1), DataBuffers.of(weights))), tf.constant(new int[] { 0, 1, 2, 3, 4 }));
			final Gradients grad = tf.gradients(loss, java.util.List.of(head));
			final float[] h = headOf(u);
			final float[] gradient = run(s, head, h, grad.dy(0));
			double analytic = 0;
			for (int i = 0; i < h.length; i++)
				analytic += gradient[i] * direction[i];
			final double eps = 1e-3;
			final float[] plus = h.clone(), minus = h.clone();
			for (int i = 0; i < h.length; i++) {
				plus[i] += (float) (eps * direction[i]);
				minus[i] -= (float) (eps * direction[i]);
			}
			final double numeric = (run(s, head, plus, loss)[0] - run(s, head, minus, loss)[0]) / (2 * eps);
			assertEquals(numeric, analytic, 1e-2 * Math.abs(numeric), "directional derivative");
			assertTrue(Math.abs(numeric) > 0.1, "a derivative worth checking: " + numeric);
		}
	}

	/** A smooth random displacement (voxels): a few cosine modes per component. */
	private static float[][] smoothField(final SplittableRandom r, final double amplitude) {
		final float[][] u = new float[3][N];
		for (int c = 0; c < 3; c++) {
			final double a = amplitude * (2 * r.nextDouble() - 1), fx = r.nextDouble(), fy = r.nextDouble(), fz = r.nextDouble(), phase = 6 * r.nextDouble();
			for (int k = 0; k < NZ; k++)
				for (int j = 0; j < NY; j++)
					for (int i = 0; i < NX; i++)
						u[c][(k * NY + j) * NX + i] = (float) (a * Math.cos(fx * i + fy * j + fz * k + phase) + 0.1 * c * i);
		}
		return u;
	}

	/** Channels-last head (displacement over {@link RegistrationNet#SCALE_VOXELS}). */
	private static float[] headOf(final float[][] u) {
		final float[] h = new float[N * 3];
		NetworkTrainer.interleave(u, h, 0);
		for (int i = 0; i < h.length; i++)
			h[i] /= RegistrationNet.SCALE_VOXELS;
		return h;
	}

	private static float[] inGraph(final float[][] u) {
		try (Graph g = new Graph(); Session s = new Session(g)) {
			final Ops tf = Ops.create(g);
			final Placeholder<TFloat32> head = tf.placeholder(TFloat32.class, Placeholder.shape(Shape.of(1, NZ, NY, NX, 3)));
			return run(s, head, headOf(u), RegistrationNet.volumeChange(tf, head));
		}
	}

	private static float[] run(final Session s, final Placeholder<TFloat32> x, final float[] value, final Operand<?> out) {
		try (TFloat32 in = TFloat32.tensorOf(Shape.of(1, NZ, NY, NX, 3), DataBuffers.of(value, true, false));
				Result r = s.runner().feed(x, in).fetch(out).run()) {
			return NetworkTrainer.values((TFloat32) r.get(0));
		}
	}
}
