package org.progressionprobe.testing;

import static org.junit.jupiter.api.Assertions.fail;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.nio.file.Files;
import java.nio.file.Path;

/**
 * Locates {@code ../shared} (data, models, benchmarks written by other tools). Tests that need it
 * call {@link #require(String)}, which skips the test with a message naming what is missing, or,
 * in continuous integration (environment {@code CI=true}), fails it: there a missing data path is a
 * broken build, not a reason to test less. The location can be overridden with the system property
 * {@code progression.shared}.
 */
public final class SharedData {

	private SharedData() {}

	/** The shared folder, or null if absent. */
	public static Path root() {
		final String p = System.getProperty("progression.shared");
		final Path root = p != null ? Path.of(p) : Path.of("..", "shared").toAbsolutePath().normalize();
		return Files.isDirectory(root) ? root : null;
	}

	/** A path under the shared folder; skips the calling test (fails it in CI) if it does not exist. */
	public static Path require(final String relative) {
		return require(relative, "true".equalsIgnoreCase(System.getenv("CI")));
	}

	/** {@link #require(String)} with the CI setting given: {@code ci} fails where otherwise the test is skipped. */
	static Path require(final String relative, final boolean ci) {
		final Path root = root();
		present(root != null, "../shared is absent (set -Dprogression.shared=DIR to point at it)", ci);
		final Path p = root.resolve(relative);
		present(Files.exists(p), p + " is absent from ../shared", ci);
		return p;
	}

	private static void present(final boolean present, final String what, final boolean ci) {
		if (!present && ci)
			fail("CI=true and " + what + ": tests that need ../shared must run in CI, not skip");
		assumeTrue(present, "Skipped: " + what);
	}
}
