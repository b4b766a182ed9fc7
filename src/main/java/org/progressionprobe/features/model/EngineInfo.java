package org.progressionprobe.features.model;

import java.util.ArrayList;
import java.util.List;

import ai.onnxruntime.OrtEnvironment;

import org.progressionprobe.io.CacheFolder;

/**
 * The inference engines model features can use here: name, version, devices, or why one is
 * unavailable. Loading each engine's native library is part of the check.
 */
public final class EngineInfo {

	/** One engine's state. */
	public record Entry(String engine, String version, String devices, String note) {
		@Override
		public String toString() {
			return engine + " " + version + ": " + devices + (note.isEmpty() ? "" : " (" + note + ")");
		}
	}

	private EngineInfo() {}

	/** Each engine, in order of preference (ONNX Runtime, PyTorch, TensorFlow). */
	public static List<Entry> list() {
		ModelCache.prepareEngines();
		final List<Entry> out = new ArrayList<>();
		try {
			final OrtEnvironment env = OnnxSession.environment();
			final boolean gpu = OrtEnvironment.getAvailableProviders().contains(ai.onnxruntime.OrtProvider.CUDA);
			out.add(new Entry("OnnxRuntime", env.getVersion(), gpu ? "cpu, gpu" : "cpu",
					"via DJL " + ai.djl.engine.Engine.getDjlVersion() + "; providers " + OrtEnvironment.getAvailableProviders()));
		} catch (final RuntimeException | LinkageError e) {
			out.add(unavailable("OnnxRuntime", e));
		}
		try {
			final ai.djl.engine.Engine pt = TorchScriptSession.engine();
			final int gpus = pt.getGpuCount();
			out.add(new Entry("PyTorch", pt.getVersion(), gpus > 0 ? "cpu, gpu x" + gpus : "cpu",
					"via DJL " + ai.djl.engine.Engine.getDjlVersion() + "; native library in " + ai.djl.util.Utils.getEngineCacheDir("pytorch")));
		} catch (final RuntimeException | LinkageError e) {
			out.add(unavailable("PyTorch", e));
		}
		try {
			final String v = SavedModelSession.version();
			out.add(new Entry("TensorFlow", v, SavedModelSession.hasGpu() ? "cpu, gpu" : "cpu",
					"TensorFlow Java, SavedModel bundles; " + OneDnn.VARIABLE + "=" + OneDnn.value()));
		} catch (final RuntimeException | LinkageError e) {
			out.add(unavailable("TensorFlow", e));
		}
		return out;
	}

	private static Entry unavailable(final String engine, final Throwable e) {
		return new Entry(engine, "-", "unavailable", e.getMessage() != null ? e.getMessage().lines().findFirst().orElse("") : e.toString());
	}

	/** A text table of {@link #list()}, plus the cache folder and the offline switch. */
	public static String describe() {
		final StringBuilder sb = new StringBuilder();
		for (final Entry e : list())
			sb.append(e).append('\n');
		sb.append("cache folder: ").append(CacheFolder.root()).append('\n');
		sb.append("offline: ai.djl.offline=").append(System.getProperty("ai.djl.offline")).append('\n');
		return sb.toString();
	}
}
