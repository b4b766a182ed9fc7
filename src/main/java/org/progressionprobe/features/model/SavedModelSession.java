package org.progressionprobe.features.model;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.FloatBuffer;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import org.tensorflow.DeviceSpec;
import org.tensorflow.Graph;
import org.tensorflow.Result;
import org.tensorflow.SavedModelBundle;
import org.tensorflow.Session;
import org.tensorflow.SessionFunction;
import org.tensorflow.Signature;
import org.tensorflow.Tensor;
import org.tensorflow.TensorFlow;
import org.tensorflow.ndarray.Shape;
import org.tensorflow.ndarray.buffer.DataBuffers;
import org.tensorflow.op.Ops;
import org.tensorflow.types.TFloat32;

/**
 * A TensorFlow SavedModel run by TensorFlow Java directly (its native library comes from the
 * tensorflow-core-native jar, extracted by JavaCPP into {@link ModelCache}). TensorFlow networks
 * are usually channels-last: the declared axes of the model description say so.
 */
final class SavedModelSession implements InferenceSession {

	private final String model;
	private final SavedModelBundle bundle;
	private final SessionFunction function;
	private final String inputKey;
	private final Device device;

	private SavedModelSession(final String model, final SavedModelBundle bundle, final SessionFunction function, final String inputKey,
			final Device device) {
		this.model = model;
		this.bundle = bundle;
		this.function = function;
		this.inputKey = inputKey;
		this.device = device;
	}

	/** The TensorFlow version, loading the native library if needed. */
	static String version() {
		ModelCache.prepareEngines();
		return TensorFlow.version();
	}

	/** True if TensorFlow can place an operation on a GPU here. */
	static boolean hasGpu() {
		version();
		try (Graph g = new Graph()) {
			final Ops tf = Ops.create(g).withDevice(DeviceSpec.newBuilder().deviceType(DeviceSpec.DeviceType.GPU).deviceIndex(0).build());
			final org.tensorflow.op.core.Constant<TFloat32> one = tf.constant(1f);
			try (Session s = new Session(g); Result r = s.runner().fetch(one).run()) {
				return r.size() == 1;
			}
		} catch (final RuntimeException e) {
			return false;
		}
	}

	/**
	 * Loads a SavedModel folder (tag {@code serve}) and picks its signature ({@code serving_default},
	 * or the only one).
	 */
	static SavedModelSession open(final String model, final Path folder, final String inputName, final Device device) throws ModelException {
		final String version;
		try {
			version = version();
		} catch (final RuntimeException | UnsatisfiedLinkError e) {
			throw new ModelException(model, "TensorFlow cannot start", e);
		}
		if (device == Device.GPU && !hasGpu())
			throw new ModelException(model, "device gpu was requested, but TensorFlow " + version
					+ " sees no GPU here (CPU-only native library or no CUDA device); use device=cpu");
		final SavedModelBundle bundle;
		try {
			bundle = SavedModelBundle.load(folder.toString(), SavedModelBundle.DEFAULT_TAG);
		} catch (final RuntimeException e) {
			throw new ModelException(model, "cannot load the TensorFlow SavedModel " + folder.getFileName(), e);
		}
		try {
			final List<SessionFunction> functions = bundle.functions();
			SessionFunction f = null;
			for (final SessionFunction sf : functions)
				if (sf.signature().key().equals(Signature.DEFAULT_KEY))
					f = sf;
			if (f == null && functions.size() == 1)
				f = functions.get(0);
			if (f == null)
				throw new ModelException(model, "the SavedModel " + folder.getFileName() + " has no '" + Signature.DEFAULT_KEY + "' signature");
			final var inputs = f.signature().inputNames();
			final String key = inputs.contains(inputName) ? inputName : inputs.size() == 1 ? inputs.iterator().next() : null;
			if (key == null)
				throw new ModelException(model, "the SavedModel signature has no input '" + inputName + "' (inputs: " + inputs + ")");
			return new SavedModelSession(model, bundle, f, key, device);
		} catch (final ModelException | RuntimeException e) {
			bundle.close();
			throw e instanceof ModelException ? (ModelException) e : new ModelException(model, "cannot read the SavedModel signature", e);
		}
	}

	@Override
	public String engineName() {
		return "TensorFlow";
	}

	@Override
	public String engineVersion() {
		return TensorFlow.version() + " (TensorFlow Java)";
	}

	@Override
	public String device() {
		return device.toString();
	}

	@Override
	public Outputs run(final ByteBuffer input, final long[] shape, final List<String> outputs) throws ModelException {
		final Result result;
		try (TFloat32 x = TFloat32.tensorOf(Shape.of(shape), DataBuffers.of(input.duplicate().order(ByteOrder.nativeOrder()).rewind().asFloatBuffer()))) {
			result = function.call(Map.of(inputKey, x));
		} catch (final RuntimeException e) {
			throw new ModelException(model, "TensorFlow failed on an input of shape " + Arrays.toString(shape), e);
		}
		final Map<String, Tensor> byName = new HashMap<>();
		for (final String name : outputs) {
			final Tensor t = result.get(name).orElse(null);
			if (t == null) {
				result.close();
				throw new ModelException(model, "the SavedModel gave no output '" + name + "' (it gave " + result.keySet() + ")");
			}
			byName.put(name, t);
		}
		return new Outputs() {
			@Override
			public long[] shape(final String name) {
				return byName.get(name).shape().asArray();
			}

			@Override
			public FloatBuffer data(final String name) throws ModelException {
				final Tensor t = byName.get(name);
				if (!(t instanceof TFloat32))
					throw new ModelException(model, "output '" + name + "' is " + t.dataType() + ", not float32");
				final long n = t.shape().size();
				final FloatBuffer copy = ByteBuffer.allocateDirect(Math.toIntExact(n * 4)).order(ByteOrder.nativeOrder()).asFloatBuffer();
				((TFloat32) t).copyTo(org.tensorflow.ndarray.NdArrays.wrap(t.shape(), DataBuffers.of(copy)));
				return copy.rewind();
			}

			@Override
			public void close() {
				result.close();
			}
		};
	}

	@Override
	public void close() {
		bundle.close();
	}
}
