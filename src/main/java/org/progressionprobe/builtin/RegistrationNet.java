package org.progressionprobe.builtin;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.stream.IntStream;

import org.progressionprobe.align.RoiBox;
import org.progressionprobe.stats.Correlation;
import org.progressionprobe.volume.AffineTransform3D;
import org.progressionprobe.volume.Resampler;
import org.tensorflow.Operand;
import org.tensorflow.ndarray.Shape;
import org.tensorflow.op.Ops;
import org.tensorflow.types.TFloat32;

/**
 * The registration network: from a pair [follow-up, baseline] it predicts, at each input voxel, the
 * displacement (input voxels along x, y, z of the view) to the baseline point showing the same
 * anatomy, the head motion between the visits plus the atrophy. Its local volume change, log(follow-up
 * volume / baseline volume) of the tissue there, is minus the log-Jacobian of that field, which no
 * rigid motion changes, as deformation-based morphometry reads atrophy from a registration; it is
 * computed inside the network ({@link #volumeChange(Ops, Operand)}), not predicted beside the field,
 * so that it comes from where the scans show tissue moved (a structure's mean change is the field's
 * flux through its boundary) and not from where volume usually changes, which a separately predicted
 * channel learnt instead (TRAINING.md). With {@link TrainingSettings#globalMotion} the head adds a
 * global affine field, the head motion, and the volume change is that of the local field alone; with
 * {@link TrainingSettings#splitMotion} the global field learns the target's affine part and the local
 * field the rest.
 * Supervised regression on the simulator's known displacement
 * and volume change (so no differentiable warping is needed), on pairs seen in the training views of
 * {@link SampleView#training} (a share of them ROI crops), the follow-up moved once more at random or
 * aligned; the errors count inside the head only, where the scans show where things moved. Reports,
 * on whole views and ROI crops of held-out pairs, the end-point error next to that of a zero
 * displacement and the correlation of predicted and true volume change. Its encoder levels and the
 * volume change are the feature layers (pair model: one 2-channel input).
 */
final class RegistrationNet implements BuiltinTask {

	/** The head predicts displacement in units of this many input voxels. */
	static final float SCALE_VOXELS = 2;
	/** The volume change (log-ratio) is compared in units of this (10% volume change is about one unit). */
	static final float SCALE_VOLUME = 0.1f;
	/**
	 * Volume changes are clamped to +-this (log-ratio): where CSF fills lost tissue, a zoomed-in crop
	 * sees expansions by hundreds, which would dominate the squared error.
	 */
	static final double MAX_VOLUME_CHANGE = 1;
	/**
	 * Slope of the network's leaky ReLUs below zero: with plain ReLUs its last decoder level could
	 * die (all channels negative for every input), after which it puts out a constant field.
	 */
	static final double LEAK = 0.1;
	/** Jacobian determinants are taken to be at least this (a fold has no volume ratio). */
	static final double MIN_JACOBIAN = 1e-3;
	/**
	 * Default weight of the volume-change error next to the three displacement errors
	 * ({@link TrainingSettings#volumeWeight}): the shipped network's; with the global field, 10 learns
	 * less motion, 2.5 more but reads less (TRAINING.md).
	 */
	static final double VOLUME_WEIGHT = 5;
	/** The weight of packages trained before it was a setting. */
	static final double VOLUME_WEIGHT_BEFORE_SETTING = 10;
	/** The volume-change error is squared up to this many units of {@link #SCALE_VOLUME}, linear beyond. */
	static final float VOLUME_HUBER = 3;

	private final TrainingSettings settings;
	private final UNet3D network;

	RegistrationNet(final TrainingSettings settings) {
		this.settings = settings;
		this.network = new UNet3D(2, 3, settings.channels(), settings.levels(), LEAK, settings.globalMotion());
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

	/**
	 * Displacement x, y, z in input voxels (what the head predicts), volume change, head mask and the
	 * baseline's class there (for the regional figures).
	 */
	@Override
	public int targetChannels() {
		return 6;
	}

	/** The view of held-out ROI crops whose follow-up is aligned to the baseline; figures on them are prefixed {@code roi_aligned_}. */
	static final String ROI_ALIGNED_VIEW = "roi_aligned";

	/**
	 * The whole view and the ROI crop with the subjects' own head motion, and the ROI crop with the
	 * follow-up aligned to the baseline (no residual motion), as a pair- or atlas-aligned crop shows a pair.
	 */
	@Override
	public List<Sample> evaluationSamples(final TrainingSubject s) {
		final List<Sample> out = new ArrayList<>(BuiltinTask.super.evaluationSamples(s));
		final RoiBox box = SampleView.box(s.labels(), settings.classNames(), SampleView.ROI_LABELS, RoiBox.DEFAULT_MARGIN_MM);
		if (box != null) {
			final SampleView v = SampleView.roi(s.baseline(), settings.inputSize(), box, new SplittableRandom(0), 0, 0);
			out.add(sample(s, v, v.alignedTo(s.motion().transform()), ROI_ALIGNED_VIEW));
		}
		return out;
	}

	/** Both scans seen through the same view. */
	@Override
	public Sample sample(final TrainingSubject s, final SampleView v, final String view) {
		return sample(s, v, v, view);
	}

	/** Target channel of the baseline's class at each voxel. */
	static final int CLASS = 5;
	/** A class counts in the regional figures of a view where it covers at least this many input voxels. */
	static final int MIN_REGION_VOXELS = 20;

	/** Largest rotation (degrees per axis) left between the scans of an aligned training view: an affine registration's residual. */
	static final double ALIGNED_RESIDUAL_DEG = 1;
	/** Largest shift (mm per axis) left between the scans of an aligned training view. */
	static final double ALIGNED_RESIDUAL_MM = 1;

	/**
	 * The follow-up seen moved once more ({@link SampleView#moved}, within the training's pose
	 * limits): a subject's head motion is one of a few dozen, and a network shown only those learns
	 * them, not how to find motion. A share of the views ({@link TrainingSettings#alignedViews()})
	 * instead shows the follow-up aligned to the baseline but for a residual motion, as pair or atlas
	 * alignment hands pairs over: there the displacement is the atrophy alone, a fraction of a voxel
	 * that motion would hide (a network trained without them had never seen an aligned pair and
	 * invented motion in one; TRAINING.md has what such views taught it).
	 */
	@Override
	public Sample trainingSample(final TrainingSubject s, final SampleView v, final SplittableRandom r) {
		if (settings.alignedViews() > 0 && r.nextDouble() < settings.alignedViews())
			return sample(s, v, v.alignedTo(s.motion().transform()).moved(r, ALIGNED_RESIDUAL_DEG, ALIGNED_RESIDUAL_MM), TRAINING);
		return sample(s, v, v.moved(r, settings.maxRotationDeg(), settings.maxShiftMm()), TRAINING);
	}

	/**
	 * The baseline seen through view v (grid and pose T), the follow-up through {@code f} (same grid,
	 * pose F); the follow-up's view point q shows the follow-up at F(q), whose anatomy lies in the
	 * baseline at p = D(M^-1 F(q)), which the baseline channel shows at view point T^-1(p): the target
	 * is T^-1(p) - q (in the view's voxels), the volume change minus the log-determinant of its Jacobian, the mask the
	 * head (the baseline's labels at p).
	 */
	private Sample sample(final TrainingSubject s, final SampleView v, final SampleView f, final String view) {
		final float[][] input = { Resampler.linear().resample(s.followup(), f.grid(), f.pose()).data(),
				Resampler.linear().resample(s.baseline(), v.grid(), v.pose()).data() };
		BuiltinTask.preprocessing().apply(input);
		final int[] n = v.grid().size();
		final float[][] target = new float[targetChannels()][n[0] * n[1] * n[2]];
		final float[][] voxels = { target[0], target[1], target[2] };
		final float[] mask = target[4];
		final double[] toFollow = f.pose().copy().concatenate(v.grid().voxelToWorld()).getRowPackedCopy();
		final AffineTransform3D baselineToView = v.pose().inverse();
		final AffineTransform3D viewToIndex = v.grid().voxelToWorld().inverse();
		final double[] motionInverse = s.motion().transform().inverse().getRowPackedCopy();
		final double[] labelsFromWorld = s.labels().worldToVoxel().getRowPackedCopy();
		final float[] labels = s.labels().data();
		IntStream.range(0, n[2]).parallel().forEach(k -> {
			final double[] y = new double[3], p = new double[3], pi = new double[3];
			for (int j = 0; j < n[1]; j++)
				for (int i = 0, o = (k * n[1] + j) * n[0]; i < n[0]; i++, o++) {
					apply(toFollow, i, j, k, y);
					s.baselinePoint(y, motionInverse, p);
					final double[] w = labelsFromWorld;
					final float label = Resampler.nearest(labels, s.labels().nx(), s.labels().ny(), s.labels().nz(), w[0] * p[0] + w[1] * p[1] + w[2] * p[2] + w[3],
							w[4] * p[0] + w[5] * p[1] + w[6] * p[2] + w[7], w[8] * p[0] + w[9] * p[1] + w[10] * p[2] + w[11], 0f);
					mask[o] = label != 0 ? 1 : 0;
					target[CLASS][o] = label;
					baselineToView.apply(p, p);
					viewToIndex.apply(p, pi);
					voxels[0][o] = (float) (pi[0] - i);
					voxels[1][o] = (float) (pi[1] - j);
					voxels[2][o] = (float) (pi[2] - k);
				}
		});
		volumeChange(voxels, n, target[3]);
		return new Sample(input, target, mask, view, v.grid().voxelSize());
	}

	/**
	 * Minus the log-determinant of the Jacobian of q -> q + u(q), u in voxels (central differences,
	 * the border voxels repeated outside, as {@link #volumeChange(Ops, Operand)} computes it in the
	 * network), clamped to +-{@link #MAX_VOLUME_CHANGE}: the log of the follow-up's volume over the baseline's.
	 */
	static void volumeChange(final float[][] u, final int[] n, final float[] out) {
		final int sx = 1, sy = n[0], sz = n[0] * n[1];
		final int[] size = { n[0], n[1], n[2] }, stride = { sx, sy, sz };
		IntStream.range(0, n[2]).parallel().forEach(k -> {
			final double[] m = new double[9];
			final int[] at = new int[3];
			at[2] = k;
			for (int j = 0; j < n[1]; j++)
				for (int i = 0; i < n[0]; i++) {
					at[0] = i;
					at[1] = j;
					final int o = (k * n[1] + j) * n[0] + i;
					for (int d = 0; d < 3; d++) {
						final int lo = at[d] > 0 ? o - stride[d] : o, hi = at[d] < size[d] - 1 ? o + stride[d] : o;
						for (int c = 0; c < 3; c++)
							m[c * 3 + d] = (c == d ? 1 : 0) + (u[c][hi] - u[c][lo]) / 2;
					}
					final double det = m[0] * (m[4] * m[8] - m[5] * m[7]) - m[1] * (m[3] * m[8] - m[5] * m[6]) + m[2] * (m[3] * m[7] - m[4] * m[6]);
					out[o] = (float) Math.max(-MAX_VOLUME_CHANGE, Math.min(MAX_VOLUME_CHANGE, -Math.log(Math.max(det, MIN_JACOBIAN))));
				}
		});
	}

	private static void apply(final double[] m, final double i, final double j, final double k, final double[] out) {
		out[0] = m[0] * i + m[1] * j + m[2] * k + m[3];
		out[1] = m[4] * i + m[5] * j + m[6] * k + m[7];
		out[2] = m[8] * i + m[9] * j + m[10] * k + m[11];
	}

	/**
	 * Errors inside the head: squared for the displacement (in units of {@link #SCALE_VOXELS}); for the
	 * volume change derived from it (weighted, in units of {@link #SCALE_VOLUME}) squared up to
	 * {@link #VOLUME_HUBER} units and linear beyond (twice the Huber loss), so that the few voxels
	 * where CSF fills lost tissue, whose volume grows many times over, do not drown the rest. The
	 * volume change weighs {@link TrainingSettings#volumeWeight} from {@link TrainingSettings#motionFirst}
	 * of the steps on, nothing before. With {@link TrainingSettings#splitMotion} the displacement's
	 * error is that of the global field against the target's {@link UNet3D#affinePart affine part} plus that of the
	 * local field against the rest.
	 */
	@Override
	public Operand<TFloat32> loss(final Ops tf, final Map<String, Operand<TFloat32>> layers, final Operand<TFloat32> target,
			final Operand<TFloat32> progress) {
		final Operand<org.tensorflow.types.TInt32> all = tf.constant(new int[] { 0, 1, 2, 3, 4 });
		final Operand<TFloat32> head = layers.get(HEAD);
		final Operand<TFloat32> change = tf.math.div(volumeChange(tf, local(layers)), tf.constant(SCALE_VOLUME));
		final Operand<TFloat32> predicted = tf.concat(List.of(head, change), tf.constant(4));
		final Operand<TFloat32> scaled = tf.math.div(tf.concat(List.of(channels(tf, target, 0, 3), channels(tf, target, 3, 1)), tf.constant(4)),
				tf.constant(new float[] { SCALE_VOXELS, SCALE_VOXELS, SCALE_VOXELS, SCALE_VOLUME }));
		final Operand<TFloat32> inside = channels(tf, target, 4, 1);
		final Operand<TFloat32> truth = channels(tf, scaled, 0, 3);
		final Operand<TFloat32> motion;
		if (split()) {
			final Operand<TFloat32> affine = UNet3D.affinePart(tf, truth, settings.inputSize()), localField = local(layers);
			motion = tf.math.add(tf.math.square(tf.math.sub(tf.math.sub(head, localField), affine)), tf.math.square(tf.math.sub(localField, tf.math.sub(truth, affine))));
		} else
			motion = tf.math.square(tf.math.sub(head, truth));
		final Operand<TFloat32> e = tf.math.abs(tf.math.sub(change, channels(tf, scaled, 3, 1)));
		final Operand<TFloat32> delta = tf.constant(VOLUME_HUBER);
		final Operand<TFloat32> quadratic = tf.math.minimum(e, delta);
		final Operand<TFloat32> robust = tf.math.add(tf.math.square(quadratic), tf.math.mul(tf.math.mul(tf.constant(2f), delta), tf.math.sub(e, quadratic)));
		final Operand<TFloat32> weight = tf.math.mul(tf.constant((float) settings.volumeWeight()),
				tf.dtypes.cast(tf.math.greaterEqual(progress, tf.constant((float) settings.motionFirst())), TFloat32.class));
		final Operand<TFloat32> weighted = tf.math.add(tf.reduceSum(tf.math.mul(motion, inside), all), tf.math.mul(weight, tf.reduceSum(tf.math.mul(robust, inside), all)));
		final Operand<TFloat32> voxels = tf.math.div(weighted, tf.math.add(tf.math.mul(tf.reduceSum(inside, all), tf.math.add(tf.constant(3f), weight)), tf.constant(1f)));
		if (settings.regionalWeight() == 0)
			return voxels;
		return tf.math.add(voxels, tf.math.mul(tf.constant((float) settings.regionalWeight()), regionalLoss(tf, predicted, scaled, target)));
	}

	/** Whether the displacement's error is split between the global and the local field ({@link TrainingSettings#splitMotion}). */
	private boolean split() {
		return settings.globalMotion() && settings.splitMotion();
	}

	/** Channels [from, from + count) of a [b][z][y][x][c] tensor. */
	private static Operand<TFloat32> channels(final Ops tf, final Operand<TFloat32> t, final int from, final int count) {
		return tf.slice(t, tf.constant(new int[] { 0, 0, 0, 0, from }), tf.constant(new int[] { -1, -1, -1, -1, count }));
	}

	/**
	 * The volume change the head's displacement field implies, [b][z][y][x][1]: minus the
	 * log-determinant of the Jacobian of q -> q + u(q) (u in voxels, central differences, the border
	 * voxels repeated outside), clamped like the target. Derived from the field rather than predicted
	 * beside it, so that it comes from how far the field moves each structure's boundary (a structure's
	 * mean volume change is the field's flux through it), where the scans show how far tissue moved.
	 */
	static Operand<TFloat32> volumeChange(final Ops tf, final Operand<TFloat32> head) {
		final Operand<TFloat32> u = tf.math.mul(head, tf.constant(SCALE_VOXELS));
		final Operand<TFloat32> padded = tf.mirrorPad(u, tf.constant(new int[][] { { 0, 0 }, { 1, 1 }, { 1, 1 }, { 1, 1 }, { 0, 0 } }), "SYMMETRIC");
		final Operand<TFloat32> d = tf.nn.conv3d(padded, tf.constant(Shape.of(3, 3, 3, 3, 9), org.tensorflow.ndarray.buffer.DataBuffers.of(UNet3D.centralDifferences(3))),
				List.of(1L, 1L, 1L, 1L, 1L), "VALID");
		final List<Operand<TFloat32>> m = new ArrayList<>();
		for (int c = 0; c < 3; c++)
			for (int k = 0; k < 3; k++)
				m.add(c == k ? tf.math.add(channels(tf, d, c * 3 + k, 1), tf.constant(1f)) : channels(tf, d, c * 3 + k, 1));
		final Operand<TFloat32> det = tf.math.add(tf.math.sub(tf.math.mul(m.get(0), minor(tf, m, 4, 8, 5, 7)), tf.math.mul(m.get(1), minor(tf, m, 3, 8, 5, 6))),
				tf.math.mul(m.get(2), minor(tf, m, 3, 7, 4, 6)));
		final Operand<TFloat32> change = tf.math.neg(tf.math.log(tf.math.maximum(det, tf.constant((float) MIN_JACOBIAN))));
		return tf.math.minimum(tf.math.maximum(change, tf.constant((float) -MAX_VOLUME_CHANGE)), tf.constant((float) MAX_VOLUME_CHANGE));
	}

	private static Operand<TFloat32> minor(final Ops tf, final List<Operand<TFloat32>> m, final int a, final int b, final int c, final int d) {
		return tf.math.sub(tf.math.mul(m.get(a), m.get(b)), tf.math.mul(m.get(c), m.get(d)));
	}

	/**
	 * The squared error of each class's mean volume change in a view (units of {@link #SCALE_VOLUME}),
	 * averaged over the classes of the head that cover at least {@link #MIN_REGION_VOXELS} voxels: the
	 * figure a probe on pooled features lives on, where a voxel's noise averages out and only the
	 * subject's own change is left to learn.
	 */
	private Operand<TFloat32> regionalLoss(final Ops tf, final Operand<TFloat32> prediction, final Operand<TFloat32> scaled,
			final Operand<TFloat32> target) {
		final int[] n = settings.inputSize();
		final long voxels = (long) n[0] * n[1] * n[2];
		final int depth = settings.classNames().keySet().stream().mapToInt(Integer::intValue).max().orElse(0) + 1;
		final Operand<TFloat32> cls = tf.reshape(channels(tf, target, CLASS, 1), tf.constant(new long[] { -1, voxels }));
		final Operand<TFloat32> oneHot = tf.oneHot(tf.dtypes.cast(cls, org.tensorflow.types.TInt32.class), tf.constant(depth), tf.constant(1f), tf.constant(0f));
		final Operand<TFloat32> predicted = volumeChannel(tf, prediction, voxels), truth = volumeChannel(tf, scaled, voxels);
		final Operand<org.tensorflow.types.TInt32> overVoxels = tf.constant(1);
		final Operand<TFloat32> count = tf.reduceSum(oneHot, overVoxels);
		final Operand<TFloat32> difference = tf.math.div(tf.reduceSum(tf.math.mul(oneHot, tf.math.sub(predicted, truth)), overVoxels),
				tf.math.maximum(count, tf.constant(1f)));
		final float[] notBackground = new float[depth];
		java.util.Arrays.fill(notBackground, 1, depth, 1f);
		final Operand<TFloat32> present = tf.math.mul(tf.dtypes.cast(tf.math.greaterEqual(count, tf.constant((float) MIN_REGION_VOXELS)), TFloat32.class),
				tf.constant(notBackground));
		final Operand<org.tensorflow.types.TInt32> both = tf.constant(new int[] { 0, 1 });
		return tf.math.div(tf.reduceSum(tf.math.mul(present, tf.math.square(difference)), both), tf.math.add(tf.reduceSum(present, both), tf.constant(1f)));
	}

	/** Channel 3 (volume change) of a [b][z][y][x][4] tensor as [b][voxels][1]. */
	private static Operand<TFloat32> volumeChannel(final Ops tf, final Operand<TFloat32> t, final long voxels) {
		return tf.reshape(channels(tf, t, 3, 1), tf.constant(new long[] { -1, voxels, 1 }));
	}

	@Override
	public List<String> headOutputs() {
		return List.of("displacement", "volume_change");
	}

	/**
	 * {@code displacement}: input voxels along x, y, z of the input grid (the input's size and field
	 * of view vary, so the model cannot know millimetres); {@code volume_change}: log(follow-up volume /
	 * baseline volume), minus the log-Jacobian of that displacement (of its local part, without the
	 * global affine field, where the network has one).
	 */
	@Override
	public Map<String, Operand<TFloat32>> exportedHead(final Ops tf, final Map<String, Operand<TFloat32>> layers) {
		final Map<String, Operand<TFloat32>> m = new LinkedHashMap<>();
		m.put("displacement", tf.math.mul(layers.get(HEAD), tf.constant(SCALE_VOXELS)));
		m.put("volume_change", volumeChange(tf, local(layers)));
		return m;
	}

	/**
	 * The field the volume change is derived from: the head without its global affine field where it
	 * has one ({@link TrainingSettings#globalMotion}). That field is the head motion: a rigid motion
	 * changes no volume, and the small scaling an estimate of it carries is the same over the whole
	 * view, so counted as volume change it adds one number per pair to every voxel (measured: the
	 * probe on the pooled volume change fell to chance) and its errors weigh on the motion estimate.
	 */
	private static Operand<TFloat32> local(final Map<String, Operand<TFloat32>> layers) {
		return layers.getOrDefault(HEAD + UNet3D.LOCAL, layers.get(HEAD));
	}

	/** The head (displacement in units of {@link #SCALE_VOXELS}, channels 0-2) and the volume change (3), as exported. */
	@Override
	public Operand<TFloat32> evaluated(final Ops tf, final Map<String, Operand<TFloat32>> layers) {
		return tf.concat(List.of(layers.get(HEAD), volumeChange(tf, local(layers))), tf.constant(4));
	}

	/**
	 * The encoder levels (what the pair has in common and how it differs, before the decoder turns
	 * that into a field) and the predicted volume change (the change itself, pooled like a layer).
	 */
	@Override
	public List<String> featureLayers() {
		final List<String> l = new ArrayList<>(network.layerNames().subList(0, network.levels()));
		l.add("volume_change");
		return l;
	}

	/**
	 * Per kind of view (whole views unprefixed, ROI crops prefixed {@code roi_}, aligned ROI crops
	 * {@code roi_aligned_}): mean end-point error (mm) inside the head, of the prediction and of a
	 * zero displacement, the largest true displacement, the correlation of predicted and true volume
	 * change over the head's voxels, and {@code regional_volume_change_r}: the correlation, across
	 * held-out subjects, of each class's mean predicted and true volume change, each class centred on
	 * its own means. The voxel figure rewards knowing where volume usually changes (a network that
	 * predicts every hippocampus's average shrinkage scores well); the regional one only rewards
	 * reading how much it changed in this subject, which is what a probe needs.
	 */
	@Override
	public LinkedHashMap<String, Double> evaluate(final List<float[]> heads, final List<Sample> samples) {
		// per view: sum p, t, p^2, t^2, p t, n (volume change); end-point error, zero's, largest true displacement
		final Map<String, double[]> moments = new LinkedHashMap<>();
		// per view, per class: each sample's mean predicted and true volume change there
		final Map<String, Map<Integer, List<double[]>>> regional = new LinkedHashMap<>();
		for (int s = 0; s < samples.size(); s++) {
			final float[] h = heads.get(s);
			final Sample sm = samples.get(s);
			final float[][] u = new float[3][sm.mask().length];
			final float[] change = new float[u[0].length];
			for (int i = 0; i < u[0].length; i++) {
				for (int k = 0; k < 3; k++)
					u[k][i] = h[i * 4 + k] * SCALE_VOXELS;
				change[i] = h[i * 4 + 3];
			}
			final double[] c = moments.computeIfAbsent(sm.view(), k -> new double[9]);
			final Map<Integer, double[]> classes = new java.util.TreeMap<>();
			for (int i = 0; i < sm.mask().length; i++) {
				if (sm.mask()[i] == 0)
					continue;
				final double p = change[i], t = sm.target()[3][i];
				final double[] r = classes.computeIfAbsent((int) sm.target()[CLASS][i], k -> new double[3]);
				r[0] += p;
				r[1] += t;
				r[2]++;
				c[0] += p;
				c[1] += t;
				c[2] += p * p;
				c[3] += t * t;
				c[4] += p * t;
				c[5]++;
				double e2 = 0, t2 = 0;
				for (int k = 0; k < 3; k++) {
					final double w = sm.target()[k][i] * sm.voxelMm()[k], d = (u[k][i] - sm.target()[k][i]) * sm.voxelMm()[k];
					e2 += d * d;
					t2 += w * w;
				}
				c[6] += Math.sqrt(e2);
				c[7] += Math.sqrt(t2);
				c[8] = Math.max(c[8], Math.sqrt(t2));
			}
			final Map<Integer, List<double[]>> byClass = regional.computeIfAbsent(sm.view(), k -> new java.util.TreeMap<>());
			classes.forEach((label, r) -> {
				if (r[2] >= MIN_REGION_VOXELS)
					byClass.computeIfAbsent(label, k -> new ArrayList<>()).add(new double[] { r[0] / r[2], r[1] / r[2] });
			});
		}
		final LinkedHashMap<String, Double> m = new LinkedHashMap<>();
		for (final Map.Entry<String, double[]> e : moments.entrySet()) {
			final String prefix = e.getKey().equals(WHOLE) ? "" : e.getKey() + "_";
			final double[] c = e.getValue();
			m.put(prefix + "epe_mm", c[6] / c[5]);
			m.put(prefix + "epe_zero_displacement_mm", c[7] / c[5]);
			m.put(prefix + "max_true_displacement_mm", c[8]);
			m.put(prefix + "volume_change_r", (c[4] - c[0] * c[1] / c[5]) / Math.sqrt((c[2] - c[0] * c[0] / c[5]) * (c[3] - c[1] * c[1] / c[5])));
			m.put(prefix + "regional_volume_change_r", Correlation.withinGroups(regional.get(e.getKey()).values()));
		}
		return m;
	}

	@Override
	public String description() {
		return "Registration network: predicts the displacement from a follow-up to its baseline scan (trained in Java on simulated pairs)";
	}
}
