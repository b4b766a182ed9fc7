package org.progressionprobe.builtin;

import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.tensorflow.Graph;
import org.tensorflow.Operand;
import org.tensorflow.Result;
import org.tensorflow.Session;
import org.tensorflow.ndarray.NdArrays;
import org.tensorflow.ndarray.Shape;
import org.tensorflow.ndarray.buffer.DataBuffers;
import org.tensorflow.op.Ops;
import org.tensorflow.op.core.Gradients;
import org.tensorflow.op.core.Placeholder;
import org.tensorflow.types.TFloat32;

/**
 * The gradients training uses are right: for a small UNet (one scan, and a pair with its fixed flow
 * stem), the derivative of a loss along a random direction in each weight tensor, from TensorFlow's
 * gradients (with {@link Conv3dGradient} for Conv3D), matches central finite differences, with ReLUs and
 * with the registration network's leaky ReLUs. A wrong
 * input or filter gradient in any convolution, pooling or upsampling step shows in the tensors before it.
 */
class Conv3dGradientTest {

	@ParameterizedTest
	@CsvSource({ "1, 0", "2, 0", "2, 0.1" })
	void gradientsMatchFiniteDifferences(final int inChannels, final double leak) {
		Conv3dGradient.register();
		final UNet3D net = new UNet3D(inChannels, 3, 2, 2, leak, false);
		final Map<String, float[]> w = net.initialWeights(3, 1);
		final SplittableRandom r = new SplittableRandom(5);
		for (final float[] v : w.values())
			for (int i = 0; i < v.length; i++)
				if (v[i] == 0)
					v[i] = (float) (0.1 * (2 * r.nextDouble() - 1));
		final int n = 4 * 4 * 4;
		final float[] x = random(r, n * inChannels), weights = random(r, n * 3);
		try (Graph g = new Graph(); Session s = new Session(g)) {
			final Ops tf = Ops.create(g);
			final Map<String, Placeholder<TFloat32>> ph = new LinkedHashMap<>();
			for (final UNet3D.Param p : net.params())
				ph.put(p.name(), tf.placeholder(TFloat32.class, Placeholder.shape(Shape.of(p.shape()))));
			final Operand<TFloat32> in = tf.constant(Shape.of(1, 4, 4, 4, inChannels), DataBuffers.of(x));
			final Operand<TFloat32> head = net.build(tf, in, p -> ph.get(p.name()), "head").get("head");
			final Operand<TFloat32> loss = tf.reduceSum(tf.math.mul(head, tf.constant(Shape.of(1, 4, 4, 4, 3), DataBuffers.of(weights))),
					tf.constant(new int[] { 0, 1, 2, 3, 4 }));
			final List<String> names = new ArrayList<>(ph.keySet());
			final Gradients grads = tf.gradients(loss, new ArrayList<Operand<?>>(ph.values()));
			for (int k = 0; k < names.size(); k++) {
				final float[] v = w.get(names.get(k));
				final float[] gradient = run(s, net, ph, w, grads.dy(k));
				final float[] direction = random(r, v.length), saved = v.clone();
				double analytic = 0;
				for (int i = 0; i < v.length; i++)
					analytic += gradient[i] * direction[i];
				final double eps = 1e-4;
				for (int i = 0; i < v.length; i++)
					v[i] = (float) (saved[i] + eps * direction[i]);
				final double plus = run(s, net, ph, w, loss)[0];
				for (int i = 0; i < v.length; i++)
					v[i] = (float) (saved[i] - eps * direction[i]);
				final double minus = run(s, net, ph, w, loss)[0];
				System.arraycopy(saved, 0, v, 0, v.length);
				final double numeric = (plus - minus) / (2 * eps);
				assertTrue(Math.abs(analytic - numeric) <= 0.03 * Math.max(Math.abs(analytic), Math.abs(numeric)) + 0.02,
						inChannels + " input channel(s), " + names.get(k) + ": gradient along a direction " + analytic + ", finite differences " + numeric);
			}
		}
	}

	private static float[] random(final SplittableRandom r, final int n) {
		final float[] v = new float[n];
		for (int i = 0; i < n; i++)
			v[i] = (float) (2 * r.nextDouble() - 1);
		return v;
	}

	private static float[] run(final Session s, final UNet3D net, final Map<String, Placeholder<TFloat32>> ph, final Map<String, float[]> w,
			final Operand<?> op) {
		final Session.Runner run = s.runner();
		final List<TFloat32> fed = new ArrayList<>();
		try {
			for (final UNet3D.Param p : net.params()) {
				final TFloat32 t = TFloat32.tensorOf(Shape.of(p.shape()), DataBuffers.of(w.get(p.name())));
				fed.add(t);
				run.feed(ph.get(p.name()), t);
			}
			try (Result res = run.fetch(op).run()) {
				final TFloat32 t = (TFloat32) res.get(0);
				final float[] out = new float[Math.toIntExact(t.shape().size())];
				t.copyTo(NdArrays.wrap(t.shape(), DataBuffers.of(out, false, false)));
				return out;
			}
		} finally {
			fed.forEach(TFloat32::close);
		}
	}
}
