package org.progressionprobe.features.model;

import java.nio.ByteBuffer;
import java.nio.FloatBuffer;
import java.util.List;

/**
 * A network loaded once in one engine: runs one input tensor and hands back the requested outputs.
 * Implementations hold no state between runs besides the loaded weights.
 */
interface InferenceSession extends AutoCloseable {

	/** Engine name, e.g. OnnxRuntime. */
	String engineName();

	/** Engine version, e.g. 1.22.0 (with the DJL version where DJL runs it). */
	String engineVersion();

	/** The device in use, e.g. cpu. */
	String device();

	/**
	 * Runs the network.
	 *
	 * @param input float32 values in a direct, native-order buffer, in the layout of the declared input
	 *        axes; the engines read it in place where they can (PyTorch, ONNX Runtime)
	 * @param shape the input shape in that layout
	 * @param outputs the outputs wanted
	 */
	Outputs run(ByteBuffer input, long[] shape, List<String> outputs) throws ModelException;

	@Override
	void close();

	/** The outputs of one run; their memory is released on close. */
	interface Outputs extends AutoCloseable {

		/** Shape of an output, in the layout of its declared axes. */
		long[] shape(String name) throws ModelException;

		/**
		 * The values of an output, C-order. A view of the engine's memory where the engine allows
		 * it (PyTorch), else a copy made now: ask for one output at a time and drop it after use.
		 */
		FloatBuffer data(String name) throws ModelException;

		@Override
		void close();
	}
}
