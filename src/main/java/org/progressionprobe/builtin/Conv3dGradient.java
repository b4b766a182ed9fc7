package org.progressionprobe.builtin;

import java.util.ArrayList;
import java.util.List;

import org.progressionprobe.features.model.ModelCache;
import org.tensorflow.Operand;
import org.tensorflow.TensorFlow;
import org.tensorflow.op.nn.Conv3d;
import org.tensorflow.types.TFloat32;

/**
 * The gradient of TensorFlow's {@code Conv3D}, which the C++ gradient registry that TensorFlow Java
 * uses lacks (MaxPool3D, Relu, Tile, Reshape, softmax cross-entropy and the other ops the built-in
 * networks use have theirs): {@code Conv3DBackpropInputV2} for the input and
 * {@code Conv3DBackpropFilterV2} for the filter, registered once per process as a Java custom gradient.
 */
final class Conv3dGradient {

	private static boolean registered;

	private Conv3dGradient() {}

	/** Registers the gradient (and loads TensorFlow) unless done before. */
	@SuppressWarnings("unchecked")
	static synchronized void register() {
		if (registered)
			return;
		ModelCache.prepareEngines();
		TensorFlow.registerCustomGradient(Conv3d.Inputs.class, (tf, op, dy) -> {
			final Conv3d.Inputs<TFloat32> in = op;
			final List<Long> strides = new ArrayList<>();
			for (final long s : in.strides)
				strides.add(s);
			final Operand<TFloat32> g = (Operand<TFloat32>) dy.get(0);
			final Operand<TFloat32> dx = tf.nn.conv3dBackpropInput(tf.shape(in.input), in.filter, g, strides, in.padding);
			final Operand<TFloat32> dw = tf.nn.conv3dBackpropFilter(in.input, tf.shape(in.filter), g, strides, in.padding);
			return List.of(dx, dw);
		});
		registered = true;
	}
}
