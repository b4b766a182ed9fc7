package org.progressionprobe.builtin;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.HashMap;
import java.util.Map;

import org.junit.jupiter.api.Test;
import org.tensorflow.Graph;
import org.tensorflow.Operand;
import org.tensorflow.Result;
import org.tensorflow.Session;
import org.tensorflow.ndarray.Shape;
import org.tensorflow.ndarray.buffer.DataBuffers;
import org.tensorflow.op.Ops;
import org.tensorflow.op.core.Placeholder;
import org.tensorflow.types.TFloat32;

/**
 * The registration network's global affine field ({@code global_motion}): the displacement is the
 * local field plus the affine part of the motion head's field, and the exported volume change is
 * the local field's alone, although the global field scales the view. With {@code split_motion} the
 * training loss holds the global field to the target's affine part (its least-squares fit) and the
 * local field to the rest.
 */
class GlobalMotionFieldTest {

	/** Random weights and input: the global field (displacement minus local field) is affine, and the volume change ignores it. */
	@Test
	void globalFieldIsAffineAndNoVolumeChange() {
		final int[] zyx = { 8, 8, 16 };
		final TrainingSettings s = new TrainingSettings("registration", 1, 1, 1, 1, 1, 4, 2, 2, zyx, 1e-3, 0, 0, 0, 0, 0, RegistrationNet.VOLUME_WEIGHT, 0, true,
				true, null, null, null, 1);
		final RegistrationNet task = new RegistrationNet(s);
		final UNet3D net = task.network();
		final Map<String, float[]> weights = net.initialWeights(5, 1);
		weights.get(UNet3D.MOTION + "_b")[0] = 0.3f;
		final int n = zyx[0] * zyx[1] * zyx[2];
		try (Graph g = new Graph(); Session session = new Session(g)) {
			final Ops tf = Ops.create(g);
			final Placeholder<TFloat32> x = tf.placeholder(TFloat32.class, Placeholder.shape(Shape.of(1, zyx[0], zyx[1], zyx[2], 2)));
			final Map<String, Operand<TFloat32>> layers = net.build(tf, x,
					p -> tf.constant(Shape.of(p.shape()), DataBuffers.of(weights.get(p.name()), true, false)), BuiltinTask.HEAD);
			final Map<String, Operand<TFloat32>> out = task.exportedHead(tf, layers);
			final float[] in = new float[n * 2];
			for (int i = 0; i < in.length; i++)
				in[i] = (float) (Math.sin(0.37 * i) + 0.01 * (i % 101));
			try (TFloat32 xt = TFloat32.tensorOf(Shape.of(1, zyx[0], zyx[1], zyx[2], 2), DataBuffers.of(in, true, false));
					Result r = session.runner().feed(x, xt).fetch(out.get("displacement")).fetch(out.get("volume_change"))
							.fetch(layers.get(BuiltinTask.HEAD + UNet3D.LOCAL)).run()) {
				final float[] u = NetworkTrainer.values((TFloat32) r.get(0)), change = NetworkTrainer.values((TFloat32) r.get(1)),
						local = NetworkTrainer.values((TFloat32) r.get(2));
				final float[] global = new float[n * 3];
				final float[][] whole = new float[3][n], localVoxels = new float[3][n];
				for (int o = 0; o < n; o++)
					for (int c = 0; c < 3; c++) {
						localVoxels[c][o] = local[o * 3 + c] * RegistrationNet.SCALE_VOXELS;
						whole[c][o] = u[o * 3 + c];
						global[o * 3 + c] = u[o * 3 + c] - localVoxels[c][o];
					}
				final float[][] xyz1 = UNet3D.homogeneousCoordinates(zyx);
				final double[][] fit = leastSquaresAffine(xyz1, global);
				assertAffine(fit, xyz1, global, "the global field is affine");
				double spread = 0;
				for (int c = 0; c < 3; c++)
					for (int a = 0; a < 3; a++)
						spread = Math.max(spread, Math.abs(fit[c][a]));
				assertTrue(spread > 1e-3, "the global field is not a mere shift: " + spread);
				final float[] ofLocal = new float[n], ofWhole = new float[n];
				final int[] xyz = { zyx[2], zyx[1], zyx[0] };
				RegistrationNet.volumeChange(localVoxels, xyz, ofLocal);
				RegistrationNet.volumeChange(whole, xyz, ofWhole);
				double differs = 0;
				for (int o = 0; o < n; o++) {
					assertEquals(ofLocal[o], change[o], 1e-4, "the volume change is the local field's at voxel " + o);
					differs = Math.max(differs, Math.abs(ofWhole[o] - change[o]));
				}
				assertTrue(differs > 1e-4, "the whole field's Jacobian differs: the global field is left out: " + differs);
			}
		}
	}

	/**
	 * The affine part of a field is its least-squares fit A (x, y, z, 1) (here against the normal
	 * equations solved in Java), and the split loss asks the local field for the target's non-affine
	 * rest alone: a local field that holds the whole target, motion included, costs under the split
	 * what it does not cost without it.
	 */
	@Test
	void splitLossHoldsTheGlobalFieldToTheAffinePartAndTheLocalFieldToTheRest() {
		final int[] zyx = { 8, 8, 16 };
		final int n = zyx[0] * zyx[1] * zyx[2];
		final float[][] xyz1 = UNet3D.homogeneousCoordinates(zyx);
		final float[] u = new float[n * 3];
		for (int o = 0; o < n; o++)
			for (int c = 0; c < 3; c++)
				u[o * 3 + c] = (float) (0.4 * c - 0.3 * xyz1[0][o] + 0.7 * c * xyz1[2][o] + Math.sin(1.3 * o + c) + 2 * Math.exp(-o % 37 / 5.0));
		final double[][] expected = leastSquaresAffine(xyz1, u);
		try (Graph g = new Graph(); Session session = new Session(g)) {
			final Ops tf = Ops.create(g);
			final Operand<TFloat32> field = tf.constant(Shape.of(1, zyx[0], zyx[1], zyx[2], 3), DataBuffers.of(u, true, false));
			final Operand<TFloat32> affine = UNet3D.affinePart(tf, field, zyx);
			final Operand<TFloat32> rest = tf.math.sub(field, affine);
			final Map<Boolean, Operand<TFloat32>> whole = new HashMap<>(), split = new HashMap<>();
			final float[] target = new float[n * 6];
			for (int o = 0; o < n; o++) {
				for (int c = 0; c < 3; c++)
					target[o * 6 + c] = u[o * 3 + c] * RegistrationNet.SCALE_VOXELS;
				target[o * 6 + 4] = 1;
			}
			final Operand<TFloat32> t = tf.constant(Shape.of(1, zyx[0], zyx[1], zyx[2], 6), DataBuffers.of(target, true, false));
			for (final boolean splitMotion : new boolean[] { false, true }) {
				final RegistrationNet task = new RegistrationNet(new TrainingSettings("registration", 1, 1, 1, 1, 1, 4, 2, 2, zyx, 1e-3, 0, 0, 0, 0, 0, 0, 0,
						true, splitMotion, null, null, null, 1));
				whole.put(splitMotion, task.loss(tf, Map.of(BuiltinTask.HEAD, field, BuiltinTask.HEAD + UNet3D.LOCAL, field), t, tf.constant(1f)));
				split.put(splitMotion, task.loss(tf, Map.of(BuiltinTask.HEAD, field, BuiltinTask.HEAD + UNet3D.LOCAL, rest), t, tf.constant(1f)));
			}
			try (Result r = session.runner().fetch(affine).fetch(whole.get(false)).fetch(whole.get(true)).fetch(split.get(true)).run()) {
				assertAffine(expected, xyz1, NetworkTrainer.values((TFloat32) r.get(0)), "the affine part is the least-squares fit");
				assertEquals(0, NetworkTrainer.values((TFloat32) r.get(1))[0], 1e-9, "without the split, a local field holding everything is right");
				assertTrue(NetworkTrainer.values((TFloat32) r.get(2))[0] > 0.01, "with the split it holds motion it should not");
				assertEquals(0, NetworkTrainer.values((TFloat32) r.get(3))[0], 1e-6, "the affine part in the global field, the rest in the local one");
			}
		}
	}

	/** Field [voxel][3] equals [A | t] (x, y, z, 1) at every voxel. */
	private static void assertAffine(final double[][] rows, final float[][] xyz1, final float[] field, final String what) {
		for (int o = 0; o < xyz1[0].length; o++)
			for (int c = 0; c < 3; c++) {
				double e = 0;
				for (int a = 0; a < 4; a++)
					e += rows[c][a] * xyz1[a][o];
				assertEquals(e, field[o * 3 + c], 1e-4, what + ": component " + c + " at voxel " + o);
			}
	}

	/** Least-squares [A | t] rows per component c: the normal equations (X^T X) a = X^T u_c solved by elimination. */
	private static double[][] leastSquaresAffine(final float[][] xyz1, final float[] u) {
		final int n = xyz1[0].length;
		final double[][] rows = new double[3][];
		for (int c = 0; c < 3; c++) {
			final double[][] m = new double[4][5];
			for (int o = 0; o < n; o++)
				for (int a = 0; a < 4; a++) {
					for (int b = 0; b < 4; b++)
						m[a][b] += (double) xyz1[a][o] * xyz1[b][o];
					m[a][4] += (double) xyz1[a][o] * u[o * 3 + c];
				}
			for (int p = 0; p < 4; p++)
				for (int r = 0; r < 4; r++)
					if (r != p) {
						final double f = m[r][p] / m[p][p];
						for (int k = 0; k < 5; k++)
							m[r][k] -= f * m[p][k];
					}
			rows[c] = new double[4];
			for (int a = 0; a < 4; a++)
				rows[c][a] = m[a][4] / m[a][a];
		}
		return rows;
	}
}
