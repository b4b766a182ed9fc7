package org.progressionprobe.align;

import java.io.File;
import java.nio.file.Path;
import java.util.Map;

import org.progressionprobe.command.ParameterValues;
import org.progressionprobe.volume.Resampler;

/** Turns the align commands' text parameters into settings, with messages that name the parameter. */
final class CommandSettings {

	private CommandSettings() {}

	static RegistrationSettings registration(final String transformType, final String metric, final String init, final int levels,
			final int iterations, final int samples, final long seed) {
		return RegistrationSettings.fromMap(Map.of("transform_type", or(transformType, "affine"), "metric", or(metric, "ncc"), "init",
				or(init, "com"), "levels", Integer.toString(levels), "iterations", Integer.toString(iterations), "samples",
				Integer.toString(samples), "seed", Long.toString(seed)));
	}

	static Resampler.Interpolation interpolation(final String name) {
		return RegistrationSettings.parseEnum(Resampler.Interpolation.values(), or(name, "linear"), "interpolation");
	}

	static Path path(final File f) {
		return f == null ? null : f.toPath();
	}

	/** Three numbers "x,y,z", or null for a blank text. */
	static double[] point(final String text, final String key) {
		if (text == null || text.isBlank())
			return null;
		return ParameterValues.numbers(key, text, 3);
	}

	static String summary(final RegistrationResult r, final File outputDir) {
		return String.format("%s registration (%s): %s = %.6f, %s after %d iterations; results in %s", r.settings().transformType().key(),
				r.twoD() ? "2D" : "3D", r.settings().metric().key(), r.similarity(), r.converged() ? "converged" : "NOT converged",
				r.iterations(), outputDir);
	}

	private static String or(final String v, final String fallback) {
		return v == null || v.isBlank() ? fallback : v;
	}
}
