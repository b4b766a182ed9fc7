package org.progressionprobe.ij1;

import java.io.File;
import java.nio.file.Path;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The outputs of the suite's last command runs, as text, for ImageJ macros. A macro reads them
 * with {@code call("org.progressionprobe.ij1.MacroBridge.output", "key")} (last run of any command)
 * or {@code call("org.progressionprobe.ij1.MacroBridge.output", "Volume Info", "info")} (last run of
 * one command). The same calls work in Fiji (outputs recorded by {@link OutputRecorder}) and in plain
 * ImageJ 1 (recorded by the bridge plugin of the {@code -ij1} jar). Paths are absolute, numbers in
 * Java's {@code Double.toString} form, an unknown key gives the empty string (ImageJ's
 * {@code call} cannot carry null).
 */
public final class MacroBridge {

	private static volatile Map<String, String> last = Map.of();
	private static volatile String lastTitle = "";
	private static final Map<String, Map<String, String>> byTitle = new ConcurrentHashMap<>();

	private MacroBridge() {}

	/** Remembers the outputs of a finished run of the command called {@code title}. */
	public static void record(final String title, final Map<String, ?> outputs) {
		final Map<String, String> text = new LinkedHashMap<>();
		for (final Map.Entry<String, ?> e : outputs.entrySet())
			if (e.getValue() != null)
				text.put(e.getKey(), format(e.getValue()));
		final Map<String, String> frozen = Collections.unmodifiableMap(text);
		byTitle.put(title.toLowerCase(java.util.Locale.ROOT), frozen);
		last = frozen;
		lastTitle = title;
	}

	/** An output of the last run of any suite command, or "" if it had none by that name. */
	public static String output(final String key) {
		return last.getOrDefault(key, "");
	}

	/** An output of the last run of the command called {@code title}, or "". */
	public static String output(final String title, final String key) {
		final Map<String, String> m = byTitle.get(title.trim().toLowerCase(java.util.Locale.ROOT));
		return m == null ? "" : m.getOrDefault(key, "");
	}

	/** All outputs of the last run as {@code key=value} lines (multi-line values kept as they are). */
	public static String outputs() {
		final StringBuilder sb = new StringBuilder();
		for (final Map.Entry<String, String> e : last.entrySet())
			sb.append(e.getKey()).append('=').append(e.getValue()).append('\n');
		return sb.toString();
	}

	/** Title of the last command run, or "". */
	public static String lastCommand() {
		return lastTitle;
	}

	/** Forgets every recorded run (tests, a new batch). */
	public static void clear() {
		byTitle.clear();
		last = Map.of();
		lastTitle = "";
	}

	/** The text form of an output value. */
	public static String format(final Object value) {
		if (value instanceof File)
			return ((File) value).getAbsolutePath();
		if (value instanceof Path)
			return ((Path) value).toAbsolutePath().toString();
		return String.valueOf(value);
	}
}
