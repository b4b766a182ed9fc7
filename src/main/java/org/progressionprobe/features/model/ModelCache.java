package org.progressionprobe.features.model;

import java.nio.file.Path;

import org.progressionprobe.io.CacheFolder;

/**
 * What model features keep in the {@link CacheFolder}: model packages given as {@code .zip}
 * ({@code models/}), and the native libraries that the engines extract from their jars (DJL's
 * PyTorch libraries under {@code djl/}, TensorFlow's through JavaCPP under {@code javacpp/}).
 * {@link #prepareEngines()} switches DJL offline ({@code ai.djl.offline=true}) so that no engine is
 * ever downloaded; a {@code DJL_CACHE_DIR}, {@code ENGINE_CACHE_DIR} or {@code org.bytedeco.javacpp.cachedir} that the
 * user set is kept. ONNX Runtime extracts its library into a temporary folder that it deletes itself.
 * It also switches TensorFlow's oneDNN kernels on unless the user chose ({@link OneDnn}).
 */
public final class ModelCache {

	private static boolean prepared;

	private ModelCache() {}

	/** Where {@code .zip} model packages are unpacked by default. */
	public static Path models() {
		return CacheFolder.root().resolve("models");
	}

	/**
	 * Sets the properties the engines read when they first load: offline mode, cache folders and
	 * TensorFlow's oneDNN switch.
	 * Call before any DJL, ONNX Runtime or TensorFlow class is touched; later calls do nothing.
	 */
	public static synchronized void prepareEngines() {
		if (prepared)
			return;
		System.setProperty("ai.djl.offline", "true");
		System.setProperty("OPT_OUT_TRACKING", "true");
		if (unset("DJL_CACHE_DIR") && unset("ENGINE_CACHE_DIR"))
			System.setProperty("DJL_CACHE_DIR", CacheFolder.root().resolve("djl").toString());
		if (System.getProperty("org.bytedeco.javacpp.cachedir") == null)
			System.setProperty("org.bytedeco.javacpp.cachedir", CacheFolder.root().resolve("javacpp").toString());
		OneDnn.enableUnlessSet();
		prepared = true;
	}

	private static boolean unset(final String key) {
		return System.getProperty(key) == null && System.getenv(key) == null;
	}
}
