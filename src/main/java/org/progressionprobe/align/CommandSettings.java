package org.progressionprobe.align;

import java.io.File;
import java.nio.file.Path;
import java.util.Locale;
import java.util.Map;

import org.progressionprobe.command.ParameterValues;
import org.progressionprobe.volume.Resampler;

/** Turns the align commands' text parameters into settings, with messages that name the parameter. */
final class CommandSettings {

	private CommandSettings() {}

	/** The aligned image's interpolation by default. */
	static final Resampler.Interpolation INTERPOLATION = Resampler.Interpolation.LINEAR;

	/**
	 * The registration settings of an align command's parameters over {@code base} (the settings of its
	 * context, {@link RegistrationSettings#defaults()} or {@link RegistrationSettings#atlasDefaults()}):
	 * a blank text keeps {@code base}'s value; the settings check the ranges.
	 */
	static RegistrationSettings registration(final RegistrationSettings base, final String transformType, final String metric, final String init,
			final int levels, final int iterations, final int samples, final long seed) {
		final Map<String, String> m = base.toMap();
		putText(m, "transform_type", transformType);
		putText(m, "metric", metric);
		putText(m, "init", init);
		m.put("levels", Integer.toString(levels));
		m.put("iterations", Integer.toString(iterations));
		m.put("samples", Integer.toString(samples));
		m.put("seed", Long.toString(seed));
		return RegistrationSettings.fromMap(m);
	}

	static Resampler.Interpolation interpolation(final String name) {
		return RegistrationSettings.parseEnum(Resampler.Interpolation.values(), or(name, key(INTERPOLATION)), "interpolation");
	}

	/** The text of a choice, as the commands' parameters write it. */
	static String key(final Enum<?> e) {
		return e.name().toLowerCase(Locale.ROOT);
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

	private static void putText(final Map<String, String> m, final String key, final String text) {
		m.put(key, or(text, m.get(key)));
	}
}
