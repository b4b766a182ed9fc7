package org.progressionprobe.features.model;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.FloatBuffer;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.concurrent.locks.ReentrantLock;

import ai.onnxruntime.NodeInfo;
import ai.onnxruntime.OnnxTensor;
import ai.onnxruntime.OnnxValue;
import ai.onnxruntime.OrtEnvironment;
import ai.onnxruntime.OrtException;
import ai.onnxruntime.OrtProvider;
import ai.onnxruntime.OrtSession;
import ai.onnxruntime.TensorInfo;

/**
 * An ONNX network in ONNX Runtime, used directly (only the requested outputs are computed). DJL's
 * OnnxRuntime engine is started first so that both share one ORT environment.
 */
final class OnnxSession implements InferenceSession {

	private final String model;
	private final OrtEnvironment env;
	private final OrtSession session;
	private final String inputName;
	private final Device device;
	/** Outputs written by ORT into buffers allocated once (no per-run allocation or copy). */
	private final Map<String, OnnxTensor> pinned = new HashMap<>();
	private final Map<String, FloatBuffer> pinnedData = new HashMap<>();
	private final ReentrantLock lock = new ReentrantLock();
	/** The input shape the pinned outputs were made for. */
	private long[] pinnedFor;

	private OnnxSession(final String model, final OrtEnvironment env, final OrtSession session, final String inputName, final Device device) {
		this.model = model;
		this.env = env;
		this.session = session;
		this.inputName = inputName;
		this.device = device;
	}

	/**
	 * Gives an output a buffer of its own from now on (its shape is fixed, as the input shape is). An
	 * optimisation only: if it fails, the output stays allocated by ONNX Runtime.
	 */
	private void pin(final String name, final long[] shape) {
		final long n = Arrays.stream(shape).reduce(1, Math::multiplyExact);
		if (n > Integer.MAX_VALUE / 4)
			return;
		final FloatBuffer b = ByteBuffer.allocateDirect((int) n * 4).order(ByteOrder.nativeOrder()).asFloatBuffer();
		try {
			pinned.put(name, OnnxTensor.createTensor(env, b, shape));
			pinnedData.put(name, b);
		} catch (final OrtException e) {
			pinned.remove(name);
		}
	}

	/** Starts ONNX Runtime (through DJL's engine) and returns its environment. */
	static OrtEnvironment environment() {
		ModelCache.prepareEngines();
		ai.djl.engine.Engine.getEngine("OnnxRuntime");
		return OrtEnvironment.getEnvironment();
	}

	/**
	 * Loads an ONNX file and checks that its input fits the declared one.
	 *
	 * @param inputName the declared input id (used if the graph has it, else the graph's only input)
	 * @param inputShape the declared input shape
	 */
	static OnnxSession open(final String model, final Path file, final String inputName, final long[] inputShape, final Device device)
			throws ModelException {
		final OrtEnvironment env = environment();
		OrtSession session = null;
		try (OrtSession.SessionOptions options = new OrtSession.SessionOptions()) {
			options.setOptimizationLevel(OrtSession.SessionOptions.OptLevel.ALL_OPT);
			options.setIntraOpNumThreads(Runtime.getRuntime().availableProcessors());
			if (device == Device.GPU) {
				if (!OrtEnvironment.getAvailableProviders().contains(OrtProvider.CUDA))
					throw new ModelException(model, "device gpu was requested, but ONNX Runtime here has no GPU provider (available: "
							+ OrtEnvironment.getAvailableProviders() + "); use device=cpu, or install onnxruntime_gpu on a machine with a CUDA GPU");
				options.addCUDA(0);
			}
			session = env.createSession(file.toString(), options);
			final Map<String, NodeInfo> inputs = session.getInputInfo();
			final String name = inputs.containsKey(inputName) ? inputName : inputs.size() == 1 ? inputs.keySet().iterator().next() : null;
			if (name == null)
				throw new ModelException(model, "the ONNX graph " + file.getFileName() + " has no input '" + inputName + "' (inputs: " + inputs.keySet() + ")");
			checkShape(model, file, inputs.get(name), inputShape);
			final OnnxSession s = new OnnxSession(model, env, session, name, device);
			session = null;
			return s;
		} catch (final OrtException e) {
			throw new ModelException(model, "cannot load the ONNX weights " + file.getFileName(), e);
		} finally {
			closeQuietly(session);
		}
	}

	private static void checkShape(final String model, final Path file, final NodeInfo info, final long[] declared) throws ModelException {
		if (!(info.getInfo() instanceof TensorInfo))
			throw new ModelException(model, "the ONNX input '" + info.getName() + "' is not a tensor");
		final long[] graph = ((TensorInfo) info.getInfo()).getShape();
		boolean fits = graph.length == declared.length;
		for (int i = 0; fits && i < graph.length; i++)
			fits = graph[i] <= 0 || graph[i] == declared[i];
		if (!fits)
			throw new ModelException(model, "rdf.yaml declares the input " + Arrays.toString(declared) + " but the ONNX graph " + file.getFileName()
					+ " takes " + Arrays.toString(graph));
	}

	@Override
	public String engineName() {
		return "OnnxRuntime";
	}

	@Override
	public String engineVersion() {
		return env.getVersion() + " (DJL " + ai.djl.engine.Engine.getDjlVersion() + ")";
	}

	@Override
	public String device() {
		return device.toString();
	}

	/**
	 * Runs the graph. From an output's second run on, ONNX Runtime writes it into a buffer allocated
	 * once per session, read in place (its shape follows from the input's, which a package fixes); a
	 * first run's outputs are copied when read.
	 * One run at a time: the next waits until the previous outputs are closed.
	 */
	@Override
	public Outputs run(final ByteBuffer input, final long[] shape, final List<String> outputs) throws ModelException {
		lock.lock();
		boolean handedOver = false;
		try (OnnxTensor tensor = OnnxTensor.createTensor(env, input, shape, ai.onnxruntime.OnnxJavaType.FLOAT)) {
			if (pinnedFor == null)
				pinnedFor = shape.clone();
			else if (!Arrays.equals(pinnedFor, shape)) {
				pinned.values().forEach(OnnxTensor::close);
				pinned.clear();
				pinnedData.clear();
				pinnedFor = shape.clone();
			}
			final Map<String, OnnxTensor> pins = new HashMap<>();
			final LinkedHashSet<String> allocated = new LinkedHashSet<>();
			for (final String name : outputs)
				if (pinned.containsKey(name))
					pins.put(name, pinned.get(name));
				else
					allocated.add(name);
			final OrtSession.Result result = session.run(Map.of(inputName, tensor), allocated, pins);
			final Map<String, OnnxTensor> byName = new HashMap<>();
			for (final String name : allocated) {
				final OnnxValue v = result.get(name).orElse(null);
				if (!(v instanceof OnnxTensor)) {
					result.close();
					throw new ModelException(model, "the ONNX graph gave no tensor output '" + name + "'");
				}
				byName.put(name, (OnnxTensor) v);
				final TensorInfo info = ((OnnxTensor) v).getInfo();
				if (info.type == ai.onnxruntime.OnnxJavaType.FLOAT)
					pin(name, info.getShape());
			}
			handedOver = true;
			return new Outputs() {
				@Override
				public long[] shape(final String name) throws ModelException {
					return pins.containsKey(name) ? pins.get(name).getInfo().getShape() : tensor(name).getInfo().getShape();
				}

				@Override
				public FloatBuffer data(final String name) throws ModelException {
					if (pins.containsKey(name))
						return pinnedData.get(name).duplicate().rewind();
					final FloatBuffer b = tensor(name).getFloatBuffer();
					if (b == null)
						throw new ModelException(model, "output '" + name + "' is not float32");
					return b;
				}

				private OnnxTensor tensor(final String name) throws ModelException {
					final OnnxTensor t = byName.get(name);
					if (t == null)
						throw new ModelException(model, "no output '" + name + "' was computed");
					return t;
				}

				@Override
				public void close() {
					try {
						result.close();
					} finally {
						lock.unlock();
					}
				}
			};
		} catch (final OrtException e) {
			throw new ModelException(model, "ONNX Runtime failed on an input of shape " + Arrays.toString(shape), e);
		} finally {
			if (!handedOver)
				lock.unlock();
		}
	}

	@Override
	public void close() {
		pinned.values().forEach(OnnxTensor::close);
		closeQuietly(session);
	}

	private static void closeQuietly(final OrtSession s) {
		if (s == null)
			return;
		try {
			s.close();
		} catch (final OrtException e) {
			// nothing to do: the session is gone either way
		}
	}
}
