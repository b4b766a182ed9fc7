package org.progressionprobe.builtin;

import static org.junit.jupiter.api.Assertions.assertEquals;

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
 * The registration network's global affine field ({@code global_motion}): with every weight zero
 * but the field's biases, the exported displacement is that affine field of the voxel coordinates
 * (normalised to +-1 over the view, x along the last axis), and the exported volume change, derived
 * from the local field alone, is zero although the affine field expands the view.
 */
class GlobalMotionFieldTest {

	@Test
	void displacementIsTheAffineFieldAndItsExpansionIsNoVolumeChange() {
		final int[] zyx = { 8, 8, 16 };
		final TrainingSettings s = new TrainingSettings("registration", 1, 1, 1, 1, 1, 4, 2, 2, zyx, 1e-3, 0, 0, 0, 0, 0, RegistrationNet.VOLUME_WEIGHT, 0, true,
				null, null, null, 1);
		final RegistrationNet task = new RegistrationNet(s);
		final UNet3D net = task.network();
		final Map<String, float[]> weights = new HashMap<>();
		for (final UNet3D.Param p : net.params())
			weights.put(p.name(), new float[p.size()]);
		final float[] a = weights.get(UNet3D.AFFINE + "_b"); // rows x, y, z of [A | t], in units of SCALE_VOXELS
		a[0] = 0.1f; // x grows with x: an expansion along x
		a[4 + 3] = 0.5f; // a shift along y
		final int n = zyx[0] * zyx[1] * zyx[2];
		try (Graph g = new Graph(); Session session = new Session(g)) {
			final Ops tf = Ops.create(g);
			final Placeholder<TFloat32> x = tf.placeholder(TFloat32.class, Placeholder.shape(Shape.of(1, zyx[0], zyx[1], zyx[2], 2)));
			final Map<String, Operand<TFloat32>> layers = net.build(tf, x,
					p -> tf.constant(Shape.of(p.shape()), DataBuffers.of(weights.get(p.name()), true, false)), BuiltinTask.HEAD);
			final Map<String, Operand<TFloat32>> out = task.exportedHead(tf, layers);
			final float[] in = new float[n * 2];
			for (int i = 0; i < in.length; i++)
				in[i] = (float) Math.sin(0.37 * i);
			try (TFloat32 xt = TFloat32.tensorOf(Shape.of(1, zyx[0], zyx[1], zyx[2], 2), DataBuffers.of(in, true, false));
					Result r = session.runner().feed(x, xt).fetch(out.get("displacement")).fetch(out.get("volume_change")).run()) {
				final float[] u = NetworkTrainer.values((TFloat32) r.get(0)), change = NetworkTrainer.values((TFloat32) r.get(1));
				for (int k = 0, o = 0; k < zyx[0]; k++)
					for (int j = 0; j < zyx[1]; j++)
						for (int i = 0; i < zyx[2]; i++, o++) {
							final double cx = (i - (zyx[2] - 1) / 2.0) / (zyx[2] / 2.0);
							assertEquals(RegistrationNet.SCALE_VOXELS * 0.1 * cx, u[o * 3], 1e-5, "x at voxel " + o);
							assertEquals(RegistrationNet.SCALE_VOXELS * 0.5, u[o * 3 + 1], 1e-5, "y at voxel " + o);
							assertEquals(0, u[o * 3 + 2], 1e-6, "z at voxel " + o);
							assertEquals(0, change[o], 1e-6, "no volume change from the global field at voxel " + o);
						}
				final float[][] field = new float[3][n];
				for (int o = 0; o < n; o++)
					for (int c = 0; c < 3; c++)
						field[c][o] = u[o * 3 + c];
				final float[] whole = new float[n];
				RegistrationNet.volumeChange(field, new int[] { zyx[2], zyx[1], zyx[0] }, whole);
				assertEquals(-Math.log(1 + RegistrationNet.SCALE_VOXELS * 0.1 / (zyx[2] / 2.0)), whole[n / 2 + 5], 1e-5,
						"the whole field expands along x (what the volume change leaves out)");
			}
		}
	}
}
