package org.progressionprobe.features.model;

import java.nio.file.Path;

/**
 * The one folder on disk where model features keep what they unpack: model packages given as
 * {@code .zip} ({@code models/}), and the native libraries that the engines extract from their jars
 * (DJL's PyTorch libraries under {@code djl/}, TensorFlow's through JavaCPP under {@code javacpp/}).
 * <p>
 * The folder is, in this order: the system property {@value #PROPERTY}, the environment variable
 * {@value #ENVIRONMENT}, or {@code ~/.cache/progression-probe}. {@link #prepareEngines()} also
 * switches DJL offline ({@code ai.djl.offline=true}) so that no engine is ever downloaded; a
 * {@code DJL_CACHE_DIR}, {@code ENGINE_CACHE_DIR} or {@code org.bytedeco.javacpp.cachedir} that the
 * user set is kept. ONNX Runtime extracts its library into a temporary folder that it deletes itself.
 * It also switches TensorFlow's oneDNN kernels on unless the user chose ({@link OneDnn}).
 */
public final class ModelCache {

	/** System property naming the cache folder. */
	public static final String PROPERTY = "progressionprobe.cache.dir";
	/** Environment variable naming the cache folder. */
	public static final String ENVIRONMENT = "PROGRESSION_PROBE_CACHE";

	private static boolean prepared;

	private ModelCache() {}

	/** The cache folder (not created here). */
	public static Path root() {
		final String p = System.getProperty(PROPERTY);
		if (p != null && !p.isBlank())
			return Path.of(p).toAbsolutePath();
		final String e = System.getenv(ENVIRONMENT);
		if (e != null && !e.isBlank())
			return Path.of(e).toAbsolutePath();
		return Path.of(System.getProperty("user.home"), ".cache", "progression-probe");
	}

	/** Where {@code .zip} model packages are unpacked by default. */
	public static Path models() {
		return root().resolve("models");
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
			System.setProperty("DJL_CACHE_DIR", root().resolve("djl").toString());
		if (System.getProperty("org.bytedeco.javacpp.cachedir") == null)
			System.setProperty("org.bytedeco.javacpp.cachedir", root().resolve("javacpp").toString());
		OneDnn.enableUnlessSet();
		prepared = true;
	}

	private static boolean unset(final String key) {
		return System.getProperty(key) == null && System.getenv(key) == null;
	}
}
