package org.progressionprobe.features.model;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.FloatBuffer;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import ai.djl.MalformedModelException;
import ai.djl.Model;
import ai.djl.engine.Engine;
import ai.djl.engine.EngineException;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.training.ParameterStore;

/**
 * A TorchScript network in PyTorch through DJL (offline: the native library comes from the
 * pytorch-native-cpu jar). A network that returns a dict of tensors gives named outputs; one that
 * returns a tuple or list gives outputs named by the declared output ids, in order.
 */
final class TorchScriptSession implements InferenceSession {

	private final String model;
	private final Model djlModel;
	private final Device device;
	private final List<String> declaredOutputs;

	private TorchScriptSession(final String model, final Model djlModel, final Device device, final List<String> declaredOutputs) {
		this.model = model;
		this.djlModel = djlModel;
		this.device = device;
		this.declaredOutputs = declaredOutputs;
	}

	/** Starts PyTorch through DJL. */
	static Engine engine() {
		ModelCache.prepareEngines();
		return Engine.getEngine("PyTorch");
	}

	/**
	 * Loads a TorchScript file.
	 *
	 * @param declaredOutputs the output ids of the model description, used to name unnamed outputs
	 */
	static TorchScriptSession open(final String model, final Path file, final List<String> declaredOutputs, final Device device)
			throws ModelException {
		final Engine engine;
		try {
			engine = engine();
		} catch (final RuntimeException e) {
			throw new ModelException(model, "PyTorch cannot start", e);
		}
		if (device == Device.GPU && engine.getGpuCount() == 0)
			throw new ModelException(model, "device gpu was requested, but PyTorch " + engine.getVersion()
					+ " sees no GPU here (CPU-only native library or no CUDA device); use device=cpu");
		final ai.djl.Device djlDevice = device == Device.GPU ? ai.djl.Device.gpu() : ai.djl.Device.cpu();
		final Model m = Model.newInstance(model, djlDevice, "PyTorch");
		try {
			m.load(file, null, Map.of("mapLocation", "true"));
			return new TorchScriptSession(model, m, device, declaredOutputs);
		} catch (final IOException | MalformedModelException | RuntimeException e) {
			m.close();
			throw new ModelException(model, "cannot load the TorchScript weights " + file.getFileName(), e);
		}
	}

	@Override
	public String engineName() {
		return "PyTorch";
	}

	@Override
	public String engineVersion() {
		return Engine.getEngine("PyTorch").getVersion() + " (DJL " + Engine.getDjlVersion() + ")";
	}

	@Override
	public String device() {
		return device.toString();
	}

	@Override
	public Outputs run(final ByteBuffer input, final long[] shape, final List<String> outputs) throws ModelException {
		final NDManager manager = djlModel.getNDManager().newSubManager();
		try {
			final NDArray x = manager.create(input, new Shape(shape), DataType.FLOAT32);
			final NDList out = djlModel.getBlock().forward(new ParameterStore(manager, false), new NDList(x), false);
			final Map<String, NDArray> byName = new HashMap<>();
			for (int i = 0; i < out.size(); i++) {
				final NDArray a = out.get(i);
				final String name = a.getName() != null && !a.getName().isEmpty() ? a.getName()
						: i < declaredOutputs.size() ? declaredOutputs.get(i) : "output" + i;
				byName.put(name, a);
			}
			for (final String name : outputs)
				if (!byName.containsKey(name))
					throw new ModelException(model, "the TorchScript network gave no output '" + name + "' (it gave " + byName.keySet() + ")");
			return new Outputs() {
				@Override
				public long[] shape(final String name) {
					return byName.get(name).getShape().getShape();
				}

				@Override
				public FloatBuffer data(final String name) throws ModelException {
					NDArray a = byName.get(name);
					if (a.getDataType() != DataType.FLOAT32)
						throw new ModelException(model, "output '" + name + "' is " + a.getDataType() + ", not float32");
					if (!a.getDevice().equals(ai.djl.Device.cpu()))
						a = a.toDevice(ai.djl.Device.cpu(), false);
					return a.toByteBuffer(true).order(ByteOrder.nativeOrder()).asFloatBuffer();
				}

				@Override
				public void close() {
					manager.close();
				}
			};
		} catch (final EngineException | IllegalArgumentException e) {
			manager.close();
			throw new ModelException(model, "PyTorch failed on an input of shape " + Arrays.toString(shape), e);
		} catch (final ModelException e) {
			manager.close();
			throw e;
		}
	}

	@Override
	public void close() {
		djlModel.close();
	}
}
