package org.progressionprobe.builtin;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;

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

	/** One sample: input channels and target channels, each C-order [z][y][x] on the input grid. */
	record Sample(float[][] input, float[][] target, float[] mask) {}

	UNet3D network();

	/** Name of the model's input tensor. */
	String inputName();

	/** The input's channel names, in order. */
	List<String> channelNames();

	/** Channels of the target tensor fed in training. */
	int targetChannels();

	/** A training sample (random view) or an evaluation sample (whole scans, no added pose). */
	Sample sample(TrainingSubject s, SplittableRandom r, boolean augment);

	/** The training loss from the network's layers and the target [b][z][y][x][c]. */
	Operand<TFloat32> loss(Ops tf, Map<String, Operand<TFloat32>> layers, Operand<TFloat32> target);

	/** Names of the outputs {@link #exportedHead} builds, in order. */
	List<String> headOutputs();

	/** The exported outputs beyond the UNet's layers, built from the head (named {@link #HEAD}). */
	Map<String, Operand<TFloat32>> exportedHead(Ops tf, Operand<TFloat32> head);

	/** The layers model features read by default. */
	List<String> featureLayers();

	/** Figures on held-out samples: the head's output per sample (channels-last) and the samples. */
	LinkedHashMap<String, Double> evaluate(List<float[]> heads, List<Sample> samples);

	/** Name of the UNet head inside the training graph. */
	String HEAD = "head";

	/** A one-line description for the package. */
	String description();
}
