package org.progressionprobe.builtin;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;

import org.progressionprobe.align.RoiBox;
import org.progressionprobe.features.model.Preprocessing;
import org.tensorflow.Operand;
import org.tensorflow.op.Ops;
import org.tensorflow.types.TFloat32;

/**
 * What a built-in network learns: its UNet, how a training sample is made from a simulated subject,
 * its loss, its exported head and the figures reported on held-out subjects. {@link TaskUNet} and
 * {@link RegistrationNet} are the two.
 */
interface BuiltinTask {

	/** The input normalisation, applied in training and declared in the package (so model features apply it too). */
	Map<String, Object> PREPROCESSING_KWARGS = Map.of("axes", List.of("z", "y", "x"));
	String PREPROCESSING_ID = "zero_mean_unit_variance";

	static Preprocessing preprocessing() {
		return Preprocessing.of(PREPROCESSING_ID, PREPROCESSING_KWARGS);
	}

	/**
	 * One sample: input channels and target channels, each C-order [z][y][x] on the input grid, the
	 * kind of view (a name the task's figures are grouped by) and the input grid's voxel size x, y, z
	 * (mm, for figures in mm).
	 */
	record Sample(float[][] input, float[][] target, float[] mask, String view, double[] voxelMm) {}

	/** The view of evaluation samples of the whole field of view. */
	String WHOLE = "whole";
	/** The view of evaluation samples of the study's ROI crop; figures on them are prefixed {@code roi_}. */
	String ROI_VIEW = "roi";
	/** The view of training samples. */
	String TRAINING = "training";

	UNet3D network();

	/** Name of the model's input tensor. */
	String inputName();

	/** The input's channel names, in order. */
	List<String> channelNames();

	/** Channels of the target tensor fed in training. */
	int targetChannels();

	/** The settings it trains with (input size, pose limits). */
	TrainingSettings settings();

	/** The sample that view {@code v} of the subject's scans gives; {@code view} names the kind of view. */
	Sample sample(TrainingSubject s, SampleView v, String view);

	/** A training sample ({@link SampleView#training}) or an evaluation sample (whole scans, no added pose). */
	default Sample sample(final TrainingSubject s, final SplittableRandom r, final boolean augment) {
		final TrainingSettings t = settings();
		return augment ? trainingSample(s, SampleView.training(s.baseline(), s.labels(), t.classNames(), t.inputSize(), r, t.maxRotationDeg(), t.maxShiftMm(), t.roiViews()), r)
				: sample(s, SampleView.whole(s.baseline(), t.inputSize()), WHOLE);
	}

	/** The training sample of view {@code v}; {@code r} draws whatever else the task varies from sample to sample. */
	default Sample trainingSample(final TrainingSubject s, final SampleView v, final SplittableRandom r) {
		return sample(s, v, TRAINING);
	}

	/** The held-out samples of a subject: its whole field of view and the study's ROI crop (hippocampi and amygdalae, 10 mm margin), unposed. */
	default List<Sample> evaluationSamples(final TrainingSubject s) {
		final Sample whole = sample(s, SampleView.whole(s.baseline(), settings().inputSize()), WHOLE);
		final RoiBox box = SampleView.box(s.labels(), settings().classNames(), SampleView.ROI_LABELS, RoiBox.DEFAULT_MARGIN_MM);
		return box == null ? List.of(whole)
				: List.of(whole, sample(s, SampleView.roi(s.baseline(), settings().inputSize(), box, new SplittableRandom(0), 0, 0), ROI_VIEW));
	}

	/**
	 * The training loss from the network's layers and the target [b][z][y][x][c]; {@code progress}, a
	 * scalar fed at each step, is the share of the steps done before it (0 at the first), for a loss
	 * that changes over the run.
	 */
	Operand<TFloat32> loss(Ops tf, Map<String, Operand<TFloat32>> layers, Operand<TFloat32> target, Operand<TFloat32> progress);

	/** Names of the outputs {@link #exportedHead} builds, in order. */
	List<String> headOutputs();

	/** The exported outputs beyond the UNet's layers, built from the head (named {@link #HEAD}) and the other layers. */
	Map<String, Operand<TFloat32>> exportedHead(Ops tf, Map<String, Operand<TFloat32>> layers);

	/** What {@link #evaluate} reads per held-out sample (channels-last): by default the head. */
	default Operand<TFloat32> evaluated(final Ops tf, final Map<String, Operand<TFloat32>> layers) {
		return layers.get(HEAD);
	}

	/** The layers model features read by default. */
	List<String> featureLayers();

	/** Figures on held-out samples: the head's output per sample (channels-last) and the samples. */
	LinkedHashMap<String, Double> evaluate(List<float[]> heads, List<Sample> samples);

	/** Name of the UNet head inside the training graph. */
	String HEAD = "head";

	/** A one-line description for the package. */
	String description();
}
