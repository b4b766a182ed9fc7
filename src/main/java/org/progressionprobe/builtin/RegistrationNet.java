package org.progressionprobe.builtin;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.stream.IntStream;

import org.progressionprobe.volume.AffineTransform3D;
import org.progressionprobe.volume.Resampler;
import org.tensorflow.Operand;
import org.tensorflow.op.Ops;
import org.tensorflow.types.TFloat32;

/**
 * The registration network: from a pair [follow-up, baseline] it predicts, at each input voxel, the
 * displacement (mm, world x, y, z) to the baseline point showing the same anatomy: the head motion
 * between the visits plus the atrophy. Supervised regression on the simulator's known displacement
 * (so no differentiable warping is needed), on pairs seen in random poses and crops; the squared
 * error counts inside the head only, where the scans show where things moved. Reports the
 * end-point error on held-out pairs next to that of a zero displacement. Its encoder levels are the
 * feature layers (pair model: one 2-channel input).
 */
final class RegistrationNet implements BuiltinTask {

	/** The head predicts displacement in units of this many mm. */
	static final float SCALE_MM = 5;

	private final TrainingSettings settings;
	private final UNet3D network;

	RegistrationNet(final TrainingSettings settings) {
		this.settings = settings;
		this.network = new UNet3D(2, 3, settings.channels(), settings.levels());
	}

	@Override
	public TrainingSettings settings() {
		return settings;
	}

	@Override
	public UNet3D network() {
		return network;
	}

	@Override
	public String inputName() {
		return "pair";
	}

	@Override
	public List<String> channelNames() {
		return List.of("followup", "baseline");
	}

	@Override
	public int targetChannels() {
		return 4;
	}

	/** Training views: {@link SampleView#random} (whole or cropped field of view, posed). */
	@Override
	public Sample sample(final TrainingSubject s, final SplittableRandom r, final boolean augment) {
		return augment ? sample(s, SampleView.random(s.followup(), settings.inputSize(), r, settings.maxRotationDeg(), settings.maxShiftMm()), TRAINING)
				: sample(s, SampleView.whole(s.followup(), settings.inputSize()), WHOLE);
	}

	/** The whole field of view, unposed: the end-point error is reported there. */
	@Override
	public List<Sample> evaluationSamples(final TrainingSubject s) {
		return List.of(sample(s, SampleView.whole(s.followup(), settings.inputSize()), WHOLE));
	}

	/**
	 * Both scans seen through the same view (grid and pose T); the follow-up's view point q shows the
	 * follow-up at T(q), whose anatomy lies in the baseline at p = D(M^-1 T(q)), which the baseline
	 * channel shows at view point T^-1(p): the target is T^-1(p) - q, its fourth channel (and the
	 * mask) the head (the baseline's labels at p).
	 */
	@Override
	public Sample sample(final TrainingSubject s, final SampleView v, final String view) {
		final float[][] input = { Resampler.linear().resample(s.followup(), v.grid(), v.pose()).data(),
				Resampler.linear().resample(s.baseline(), v.grid(), v.pose()).data() };
		BuiltinTask.preprocessing().apply(input);
		final int[] n = v.grid().size();
		final float[][] target = new float[4][n[0] * n[1] * n[2]];
		final float[] mask = target[3];
		final double[] toFollow = v.pose().copy().concatenate(v.grid().voxelToWorld()).getRowPackedCopy();
		final double[] viewToWorld = v.grid().voxelToWorld().getRowPackedCopy();
		final AffineTransform3D poseInverse = v.pose().inverse();
		final double[] motionInverse = s.motion().transform().inverse().getRowPackedCopy();
		final double[] labelsFromWorld = s.labels().worldToVoxel().getRowPackedCopy();
		final float[] labels = s.labels().data();
		IntStream.range(0, n[2]).parallel().forEach(k -> {
			final double[] y = new double[3], p = new double[3], q = new double[3];
			for (int j = 0; j < n[1]; j++)
				for (int i = 0, o = (k * n[1] + j) * n[0]; i < n[0]; i++, o++) {
					apply(toFollow, i, j, k, y);
					s.baselinePoint(y, motionInverse, p);
					final double[] w = labelsFromWorld;
					mask[o] = Resampler.nearest(labels, s.labels().nx(), s.labels().ny(), s.labels().nz(), w[0] * p[0] + w[1] * p[1] + w[2] * p[2] + w[3],
							w[4] * p[0] + w[5] * p[1] + w[6] * p[2] + w[7], w[8] * p[0] + w[9] * p[1] + w[10] * p[2] + w[11], 0f) != 0 ? 1 : 0;
					poseInverse.apply(p, p);
					apply(viewToWorld, i, j, k, q);
					for (int c = 0; c < 3; c++)
						target[c][o] = (float) (p[c] - q[c]);
				}
		});
		return new Sample(input, target, mask, view);
	}

	private static void apply(final double[] m, final double i, final double j, final double k, final double[] out) {
		out[0] = m[0] * i + m[1] * j + m[2] * k + m[3];
		out[1] = m[4] * i + m[5] * j + m[6] * k + m[7];
		out[2] = m[8] * i + m[9] * j + m[10] * k + m[11];
	}

	@Override
	public Operand<TFloat32> loss(final Ops tf, final Map<String, Operand<TFloat32>> layers, final Operand<TFloat32> target) {
		final Operand<org.tensorflow.types.TInt32> all = tf.constant(new int[] { 0, 1, 2, 3, 4 });
		final Operand<TFloat32> u = tf.slice(target, tf.constant(new int[] { 0, 0, 0, 0, 0 }), tf.constant(new int[] { -1, -1, -1, -1, 3 }));
		final Operand<TFloat32> head = tf.slice(target, tf.constant(new int[] { 0, 0, 0, 0, 3 }), tf.constant(new int[] { -1, -1, -1, -1, 1 }));
		final Operand<TFloat32> error = tf.math.sub(layers.get(HEAD), tf.math.div(u, tf.constant(SCALE_MM)));
		final Operand<TFloat32> weighted = tf.reduceSum(tf.math.mul(tf.math.square(error), head), all);
		return tf.math.div(weighted, tf.math.add(tf.math.mul(tf.reduceSum(head, all), tf.constant(3f)), tf.constant(1f)));
	}

	@Override
	public List<String> headOutputs() {
		return List.of("displacement");
	}

	@Override
	public Map<String, Operand<TFloat32>> exportedHead(final Ops tf, final Operand<TFloat32> head) {
		return Map.of("displacement", tf.math.mul(head, tf.constant(SCALE_MM)));
	}

	@Override
	public List<String> featureLayers() {
		return network.layerNames().subList(0, network.levels());
	}

	/** Mean end-point error (mm) inside the head, of the prediction and of a zero displacement, and the largest true displacement. */
	@Override
	public LinkedHashMap<String, Double> evaluate(final List<float[]> heads, final List<Sample> samples) {
		double epe = 0, zero = 0, max = 0;
		long n = 0;
		for (int s = 0; s < samples.size(); s++) {
			final float[] h = heads.get(s);
			final Sample sm = samples.get(s);
			for (int i = 0; i < sm.mask().length; i++) {
				if (sm.mask()[i] == 0)
					continue;
				double e2 = 0, t2 = 0;
				for (int c = 0; c < 3; c++) {
					final double t = sm.target()[c][i], d = h[i * 3 + c] * SCALE_MM - t;
					e2 += d * d;
					t2 += t * t;
				}
				epe += Math.sqrt(e2);
				zero += Math.sqrt(t2);
				max = Math.max(max, Math.sqrt(t2));
				n++;
			}
		}
		final LinkedHashMap<String, Double> m = new LinkedHashMap<>();
		m.put("epe_mm", epe / n);
		m.put("epe_zero_displacement_mm", zero / n);
		m.put("max_true_displacement_mm", max);
		return m;
	}

	@Override
	public String description() {
		return "Registration network: predicts the displacement from a follow-up to its baseline scan (trained in Java on simulated pairs)";
	}
}
