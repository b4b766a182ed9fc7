package org.progressionprobe.testing;

import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.nio.file.Files;
import java.nio.file.Path;

/**
 * Locates {@code ../shared} (data, models, benchmarks written by other tools). Tests that need it
 * call {@link #require(String)}, which skips the test with a message naming what is missing.
 * The location can be overridden with the system property {@code progression.shared}.
 */
public final class SharedData {

	private SharedData() {}

	/** The shared folder, or null if absent. */
	public static Path root() {
		final String p = System.getProperty("progression.shared");
		final Path root = p != null ? Path.of(p) : Path.of("..", "shared").toAbsolutePath().normalize();
		return Files.isDirectory(root) ? root : null;
	}

	/** A path under the shared folder; skips the calling test if it does not exist. */
	public static Path require(final String relative) {
		final Path root = root();
		assumeTrue(root != null, "Skipped: ../shared is absent (set -Dprogression.shared=DIR to point at it)");
		final Path p = root.resolve(relative);
		assumeTrue(Files.exists(p), "Skipped: " + p + " is absent from ../shared");
		return p;
	}
}
