package org.progressionprobe.builtin;

import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;

import org.progressionprobe.command.Progress;
import org.tensorflow.Graph;
import org.tensorflow.Operand;
import org.tensorflow.Result;
import org.tensorflow.SavedModelBundle;
import org.tensorflow.Session;
import org.tensorflow.Signature;
import org.tensorflow.ndarray.Shape;
import org.tensorflow.ndarray.buffer.DataBuffers;
import org.tensorflow.op.Op;
import org.tensorflow.op.Ops;
import org.tensorflow.op.core.Gradients;
import org.tensorflow.op.core.Placeholder;
import org.tensorflow.op.core.Variable;
import org.tensorflow.proto.ConfigProto;
import org.tensorflow.types.TFloat32;

/**
 * Trains a {@link BuiltinTask}'s network from scratch with TensorFlow Java in graph mode: gradients
 * from TensorFlow's gradient registry (plus {@link Conv3dGradient}), Adam through the
 * {@code ApplyAdam} op with a cosine-decayed step size, one fresh random sample per batch entry and
 * step. Weights start from the seed, and samples are drawn from the seed in a fixed order; with
 * {@link TrainingSettings#threads()} 1 a rerun is bit-identical, with more threads CPU kernels that
 * sum in parallel may differ in the last bits. A run that diverges
 * (loss not finite) or collapses (the head constant at every voxel) stops with an error.
 */
final class NetworkTrainer {

	static final double BETA1 = 0.9, BETA2 = 0.999, EPSILON = 1e-7;

	/** Trained weights, the loss curve and the held-out figures. */
	record Trained(Map<String, float[]> weights, double[] losses, LinkedHashMap<String, Double> metrics, double seconds) {

		/** Mean loss over the first (or last) tenth of the steps. */
		double meanLoss(final boolean first) {
			final int k = Math.max(1, losses.length / 10);
			double s = 0;
			for (int i = 0; i < k; i++)
				s += losses[first ? i : losses.length - 1 - i];
			return s / k;
		}
	}

	private final TrainingSettings settings;
	private final BuiltinTask task;
	private final Progress progress;

	NetworkTrainer(final TrainingSettings settings, final BuiltinTask task, final Progress progress) {
		this.settings = settings;
		this.task = task;
		this.progress = progress;
	}

	static BuiltinTask task(final TrainingSettings settings) {
		return settings.unet() ? new TaskUNet(settings) : new RegistrationNet(settings);
	}

	Trained train(final List<TrainingSubject> training, final List<TrainingSubject> heldOut) {
		Conv3dGradient.register();
		final long start = System.nanoTime();
		final UNet3D net = task.network();
		final int[] size = settings.inputSize();
		final int b = settings.batch(), voxels = size[0] * size[1] * size[2];
		final int cin = net.inChannels(), ct = task.targetChannels();
		final Map<String, float[]> init = net.initialWeights(settings.seed(), settings.unet() ? 1 : 0.1);
		final double[] losses = new double[settings.steps()];
		final Map<String, float[]> trained = new LinkedHashMap<>();
		try (Graph g = new Graph()) {
			final Ops tf = Ops.create(g);
			final Placeholder<TFloat32> x = tf.placeholder(TFloat32.class, Placeholder.shape(Shape.of(-1, size[0], size[1], size[2], cin)));
			final Placeholder<TFloat32> target = tf.placeholder(TFloat32.class, Placeholder.shape(Shape.of(-1, size[0], size[1], size[2], ct)));
			final Placeholder<TFloat32> lr = tf.placeholder(TFloat32.class, Placeholder.shape(Shape.scalar()));
			final Placeholder<TFloat32> beta1Power = tf.placeholder(TFloat32.class, Placeholder.shape(Shape.scalar()));
			final Placeholder<TFloat32> beta2Power = tf.placeholder(TFloat32.class, Placeholder.shape(Shape.scalar()));
			final Placeholder<TFloat32> progressDone = tf.placeholder(TFloat32.class, Placeholder.shape(Shape.scalar()));
			final Map<String, Variable<TFloat32>> vars = new LinkedHashMap<>();
			for (final UNet3D.Param p : net.params())
				vars.put(p.name(), tf.withName(p.name()).variable(tf.constant(Shape.of(p.shape()), DataBuffers.of(init.get(p.name())))));
			final Map<String, Operand<TFloat32>> layers = net.build(tf, x, p -> vars.get(p.name()), BuiltinTask.HEAD);
			final Operand<TFloat32> loss = task.loss(tf, layers, target, progressDone);
			final Operand<TFloat32> evaluated = task.evaluated(tf, layers);
			final List<Variable<TFloat32>> list = new ArrayList<>(vars.values());
			final Gradients grads = tf.gradients(loss, list);
			final List<Op> computed = new ArrayList<>(List.of(tf.identity(loss)));
			for (int i = 0; i < list.size(); i++)
				computed.add(tf.identity(grads.dy(i)));
			// the weights are read in place: no update before every gradient has been computed from the old weights
			final Ops update = tf.withControlDependencies(computed);
			final List<Operand<?>> updates = new ArrayList<>();
			for (int i = 0; i < list.size(); i++) {
				final Variable<TFloat32> v = list.get(i);
				final Shape s = v.shape();
				final Variable<TFloat32> m = tf.variable(tf.zeros(tf.constant(s), TFloat32.class));
				final Variable<TFloat32> u = tf.variable(tf.zeros(tf.constant(s), TFloat32.class));
				@SuppressWarnings({ "unchecked", "rawtypes" })
				final Operand<TFloat32> grad = (Operand) grads.dy(i);
				updates.add(update.train.applyAdam(v, m, u, beta1Power, beta2Power, lr, tf.constant((float) BETA1), tf.constant((float) BETA2),
						tf.constant((float) EPSILON), grad));
			}
			try (Session session = new Session(g, sessionConfig(settings.threads()))) {
				session.initialize();
				final SplittableRandom r = new SplittableRandom(settings.seed() ^ 0x5DEECE66DL);
				final float[] xs = new float[b * voxels * cin], ts = new float[b * voxels * ct];
				int deadReports = 0;
				for (int step = 0; step < settings.steps(); step++) {
					progress.checkCancelled();
					for (int k = 0; k < b; k++) {
						final BuiltinTask.Sample sm = task.sample(training.get(r.nextInt(training.size())), r, true);
						interleave(sm.input(), xs, k * voxels * cin);
						interleave(sm.target(), ts, k * voxels * ct);
					}
					final double t = step + 1;
					final double rate = settings.learningRate() * (0.05 + 0.95 * 0.5 * (1 + Math.cos(Math.PI * step / settings.steps())));
					try (TFloat32 xt = TFloat32.tensorOf(Shape.of(b, size[0], size[1], size[2], cin), DataBuffers.of(xs, true, false));
							TFloat32 tt = TFloat32.tensorOf(Shape.of(b, size[0], size[1], size[2], ct), DataBuffers.of(ts, true, false));
							TFloat32 lt = TFloat32.scalarOf((float) rate);
							TFloat32 b1 = TFloat32.scalarOf((float) Math.pow(BETA1, t));
							TFloat32 b2 = TFloat32.scalarOf((float) Math.pow(BETA2, t));
							TFloat32 done = TFloat32.scalarOf((float) step / settings.steps())) {
						final boolean report = (step + 1) % Math.max(1, settings.steps() / 50) == 0 || step + 1 == settings.steps();
						final Session.Runner run = session.runner().feed(x, xt).feed(target, tt).feed(lr, lt).feed(beta1Power, b1).feed(beta2Power, b2).feed(progressDone, done)
								.fetch(loss);
						if (report)
							run.fetch(layers.get(BuiltinTask.HEAD));
						for (final Operand<?> u : updates)
							run.addTarget(u);
						try (Result res = run.run()) {
							losses[step] = ((TFloat32) res.get(0)).getFloat();
							if (report)
								deadReports = constantPerChannel(values((TFloat32) res.get(1)), net.outChannels()) ? deadReports + 1 : 0;
						}
						if (!Double.isFinite(losses[step]))
							throw new IllegalStateException("training diverged at step " + (step + 1) + " (loss " + losses[step] + "); lower learning_rate");
						if (deadReports >= DEAD_REPORTS)
							throw new IllegalStateException("training collapsed by step " + (step + 1) + ": the network puts out the same value at every voxel"
									+ " (its last layer's units all died), so it has stopped learning; train again with another seed or a lower learning_rate");
						if (report)
							progress.report("Train " + settings.network() + " (loss " + String.format(java.util.Locale.ROOT, "%.4f", losses[step]) + ")",
									step + 1, settings.steps());
					}
				}
				for (final Map.Entry<String, Variable<TFloat32>> e : vars.entrySet())
					trained.put(e.getKey(), fetch(session, e.getValue()));
				final List<BuiltinTask.Sample> samples = new ArrayList<>();
				final List<float[]> heads = new ArrayList<>();
				for (final TrainingSubject s : heldOut)
					for (final BuiltinTask.Sample sm : task.evaluationSamples(s)) {
						final float[] in = new float[voxels * cin];
						interleave(sm.input(), in, 0);
						try (TFloat32 xt = TFloat32.tensorOf(Shape.of(1, size[0], size[1], size[2], cin), DataBuffers.of(in, true, false))) {
							heads.add(fetch(session, evaluated, x, xt));
						}
						samples.add(sm);
					}
				final LinkedHashMap<String, Double> metrics = task.evaluate(heads, samples);
				return new Trained(trained, losses, metrics, (System.nanoTime() - start) / 1e9);
			}
		}
	}

	/**
	 * TensorFlow's thread pools for {@code threads} (0: TensorFlow's default, all cores). A positive
	 * count gets pools of the session's own, since the process-wide inter-op pool is sized by the
	 * first session that made it.
	 */
	static ConfigProto sessionConfig(final int threads) {
		return ConfigProto.newBuilder().setIntraOpParallelismThreads(threads).setInterOpParallelismThreads(threads).setUsePerSessionThreads(threads > 0)
				.build();
	}

	/**
	 * Progress reports in a row at which the head was constant before training stops as collapsed:
	 * a ReLU layer whose units have all died does not come back.
	 */
	static final int DEAD_REPORTS = 3;

	/**
	 * Whether every channel of a channels-last tensor holds one value at every voxel (to float
	 * precision): what the head puts out once the layer before it has died.
	 */
	static boolean constantPerChannel(final float[] values, final int channels) {
		for (int c = 0; c < channels; c++) {
			float lo = Float.POSITIVE_INFINITY, hi = Float.NEGATIVE_INFINITY;
			for (int i = c; i < values.length; i += channels) {
				lo = Math.min(lo, values[i]);
				hi = Math.max(hi, values[i]);
			}
			if (hi - lo > 1e-6f * (1 + Math.max(Math.abs(lo), Math.abs(hi))))
				return false;
		}
		return true;
	}

	/** Channel arrays [c][voxel] into channels-last order [voxel][c] at {@code offset}. */
	static void interleave(final float[][] channels, final float[] out, final int offset) {
		final int c = channels.length;
		for (int k = 0; k < c; k++) {
			final float[] a = channels[k];
			for (int i = 0; i < a.length; i++)
				out[offset + i * c + k] = a[i];
		}
	}

	private static float[] fetch(final Session s, final Operand<TFloat32> op) {
		try (Result r = s.runner().fetch(op).run()) {
			return values((TFloat32) r.get(0));
		}
	}

	private static float[] fetch(final Session s, final Operand<TFloat32> op, final Placeholder<TFloat32> x, final TFloat32 in) {
		try (Result r = s.runner().feed(x, in).fetch(op).run()) {
			return values((TFloat32) r.get(0));
		}
	}

	/** A tensor's values in C order. */
	static float[] values(final TFloat32 t) {
		final float[] v = new float[Math.toIntExact(t.shape().size())];
		t.copyTo(org.tensorflow.ndarray.NdArrays.wrap(t.shape(), DataBuffers.of(v, false, false)));
		return v;
	}

	/**
	 * Writes the trained network as a SavedModel (tag serve, signature serving_default): the weights
	 * as constants, input [batch][z][y][x][channel] named {@link BuiltinTask#inputName()}, outputs
	 * the UNet's layers and the task's head outputs.
	 */
	void export(final Map<String, float[]> weights, final Path dir) throws IOException {
		Conv3dGradient.register();
		final int[] size = settings.inputSize();
		final UNet3D net = task.network();
		try (Graph g = new Graph()) {
			final Ops tf = Ops.create(g);
			final Placeholder<TFloat32> x = tf.withName(task.inputName())
					.placeholder(TFloat32.class, Placeholder.shape(Shape.of(-1, size[0], size[1], size[2], net.inChannels())));
			final Map<String, Operand<TFloat32>> layers = net.build(tf, x,
					p -> tf.withName(p.name()).constant(Shape.of(p.shape()), DataBuffers.of(weights.get(p.name()), true, false)), BuiltinTask.HEAD);
			final Signature.Builder sig = Signature.builder().key(Signature.DEFAULT_KEY).input(task.inputName(), x);
			for (final Map.Entry<String, Operand<TFloat32>> e : layers.entrySet())
				if (!e.getKey().startsWith(BuiltinTask.HEAD))
					sig.output(e.getKey(), e.getValue());
			for (final Map.Entry<String, Operand<TFloat32>> e : task.exportedHead(tf, layers).entrySet())
				sig.output(e.getKey(), e.getValue());
			try (Session s = new Session(g)) {
				SavedModelBundle.exporter(dir.toString()).withSession(s).withSignature(sig.build()).export();
			} catch (final RuntimeException e) {
				throw new IOException(dir + ": cannot write the SavedModel: " + e.getMessage(), e);
			}
		}
	}
}
