package org.progressionprobe.builtin;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import org.progressionprobe.sim.PhantomAtlas;
import org.progressionprobe.volume.Resampler;
import org.tensorflow.Operand;
import org.tensorflow.op.Ops;
import org.tensorflow.types.TFloat32;

/**
 * The task UNet: segments the training subjects' labels from one scan: background and the phantom
 * atlas's labels ({@link PhantomAtlas#NAMES}), or, on a real template, the {@link TrainingAtlas}
 * classes. Trained on simulated baselines (random anatomy, bias, noise) seen in random poses and
 * crops, a share of them ({@code roi_views}) ROI crops as the study makes them
 * ({@link SampleView#training}), with softmax cross-entropy plus a soft Dice loss; reports Dice per
 * label on held-out scans, whole and ROI-cropped. Its encoder and decoder levels and the label probabilities are feature layers
 * (single-scan model: model features run it on each scan and take the difference).
 */
final class TaskUNet implements BuiltinTask {

	private final TrainingSettings settings;
	/** Background plus the labels of the training subjects ({@link TrainingSettings#classNames()}). */
	private final int classes;
	private final UNet3D network;

	TaskUNet(final TrainingSettings settings) {
		this.settings = settings;
		this.classes = settings.classNames().size() + 1;
		this.network = new UNet3D(1, classes, settings.channels(), settings.levels());
	}

	/** Output classes: background plus the training subjects' labels. */
	int classes() {
		return classes;
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
		return "scan";
	}

	@Override
	public List<String> channelNames() {
		return List.of("scan");
	}

	@Override
	public int targetChannels() {
		return classes;
	}

	@Override
	public Sample sample(final TrainingSubject s, final SampleView v, final String view) {
		final float[] scan = Resampler.linear().resample(s.baseline(), v.grid(), v.pose()).data();
		final float[] labels = Resampler.nearest().resample(s.labels(), v.grid(), v.pose()).data();
		final float[][] input = { scan };
		BuiltinTask.preprocessing().apply(input);
		final float[][] onehot = new float[classes][labels.length];
		for (int i = 0; i < labels.length; i++)
			onehot[Math.min(classes - 1, Math.max(0, Math.round(labels[i])))][i] = 1;
		return new Sample(input, onehot, labels, view, v.grid().voxelSize());
	}

	@Override
	public Operand<TFloat32> loss(final Ops tf, final Map<String, Operand<TFloat32>> layers, final Operand<TFloat32> target,
			final Operand<TFloat32> progress) {
		final Operand<TFloat32> logits = layers.get(HEAD);
		final Operand<TFloat32> flatLogits = tf.reshape(logits, tf.constant(new long[] { -1, classes }));
		final Operand<TFloat32> flatTarget = tf.reshape(target, tf.constant(new long[] { -1, classes }));
		final Operand<TFloat32> ce = tf.math.mean(tf.nn.softmaxCrossEntropyWithLogits(flatLogits, flatTarget).loss(), tf.constant(0));
		final Operand<TFloat32> p = tf.nn.softmax(flatLogits);
		final Operand<TFloat32> inter = tf.reduceSum(tf.math.mul(p, flatTarget), tf.constant(0));
		final Operand<TFloat32> denom = tf.math.add(tf.reduceSum(p, tf.constant(0)), tf.reduceSum(flatTarget, tf.constant(0)));
		final Operand<TFloat32> one = tf.constant(1f);
		final Operand<TFloat32> dice = tf.math.mean(tf.math.div(tf.math.add(tf.math.mul(tf.constant(2f), inter), one), tf.math.add(denom, one)),
				tf.constant(0));
		return tf.math.add(ce, tf.math.sub(one, dice));
	}

	@Override
	public List<String> headOutputs() {
		return List.of("logits", "probabilities");
	}

	@Override
	public Map<String, Operand<TFloat32>> exportedHead(final Ops tf, final Map<String, Operand<TFloat32>> layers) {
		final Operand<TFloat32> head = layers.get(HEAD);
		final Map<String, Operand<TFloat32>> m = new LinkedHashMap<>();
		m.put("logits", head);
		m.put("probabilities", tf.nn.softmax(head));
		return m;
	}

	@Override
	public List<String> featureLayers() {
		final List<String> l = new ArrayList<>(network.layerNames());
		l.add("probabilities");
		return l;
	}

	/**
	 * Dice of each label (argmax of the logits against the true labels on the input grid), pooled
	 * over the samples of each view, and their mean: {@code dice_*} on whole views, {@code roi_dice_*}
	 * on ROI crops (labels absent from every crop are left out).
	 */
	@Override
	public LinkedHashMap<String, Double> evaluate(final List<float[]> heads, final List<Sample> samples) {
		final LinkedHashMap<String, Double> m = new LinkedHashMap<>();
		addDice(WHOLE, "dice_", heads, samples, m);
		addDice(ROI_VIEW, ROI_VIEW + "_dice_", heads, samples, m);
		return m;
	}

	private void addDice(final String view, final String prefix, final List<float[]> heads, final List<Sample> samples,
			final Map<String, Double> m) {
		final long[] inter = new long[classes], predicted = new long[classes], truth = new long[classes];
		for (int s = 0; s < samples.size(); s++) {
			if (!samples.get(s).view().equals(view))
				continue;
			final float[] logits = heads.get(s), labels = samples.get(s).mask();
			for (int i = 0; i < labels.length; i++) {
				int best = 0;
				for (int c = 1; c < classes; c++)
					if (logits[i * classes + c] > logits[i * classes + best])
						best = c;
				final int t = Math.round(labels[i]);
				predicted[best]++;
				truth[t]++;
				if (best == t)
					inter[t]++;
			}
		}
		double sum = 0;
		int n = 0;
		for (final Map.Entry<Integer, String> e : settings.classNames().entrySet()) {
			final int l = e.getKey();
			if (truth[l] == 0 && !view.equals(WHOLE))
				continue;
			final double d = truth[l] + predicted[l] == 0 ? Double.NaN : 2.0 * inter[l] / (truth[l] + predicted[l]);
			m.put(prefix + e.getValue(), d);
			if (!Double.isNaN(d)) {
				sum += d;
				n++;
			}
		}
		if (n > 0)
			m.put(prefix + "mean", sum / n);
	}

	@Override
	public String description() {
		return settings.phantom() ? "Task UNet: segments the phantom atlas labels from one scan (trained in Java on simulated scans)"
				: "Task UNet: segments the deep structures, other grey matter and other brain from one scan (trained in Java on scans simulated from "
						+ settings.template().getFileName() + ")";
	}
}
