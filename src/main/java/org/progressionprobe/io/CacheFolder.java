package org.progressionprobe.io;

import java.nio.file.Path;

/**
 * The one folder on disk where the suite keeps what it unpacks or writes once for later runs: model
 * packages and engine libraries (see {@code features.model.ModelCache}), the built-in networks and
 * the default phantom atlas.
 * <p>
 * The folder is, in this order: the system property {@value #PROPERTY}, the environment variable
 * {@value #ENVIRONMENT}, or {@code ~/.cache/progression-probe}.
 */
public final class CacheFolder {

	/** System property naming the cache folder. */
	public static final String PROPERTY = "progressionprobe.cache.dir";
	/** Environment variable naming the cache folder. */
	public static final String ENVIRONMENT = "PROGRESSION_PROBE_CACHE";

	private CacheFolder() {}

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
}
