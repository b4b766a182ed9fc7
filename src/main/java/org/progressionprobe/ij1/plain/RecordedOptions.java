package org.progressionprobe.ij1.plain;

import java.io.File;
import java.util.LinkedHashMap;
import java.util.Map;

import org.scijava.command.CommandInfo;
import org.scijava.module.ModuleItem;

/**
 * What the macro recorder writes for a command run from its dialog, and how empty values read back.
 * One {@code run("Title", "...")} line per run, each key once: the required keys without a default
 * value, and the others only where they differ from their default. An empty path or number is "unset" (left out when recorded,
 * dropped when read from a macro, so that {@code fixed_mask=[]} never becomes the working folder);
 * an empty text stays empty text ({@code models=[]} means no models).
 */
public final class RecordedOptions {

	private RecordedOptions() {}

	/** The keys and values to record, in the dialog's order. */
	public static Map<String, String> toRecord(final CommandInfo info, final Map<String, String> values) {
		final Map<String, String> out = new LinkedHashMap<>();
		for (final Map.Entry<String, String> e : values.entrySet()) {
			final ModuleItem<?> item = info.getInput(e.getKey());
			final String v = e.getValue();
			if (item == null || v.isEmpty() && item.getType() != String.class)
				continue;
			if (item.isRequired() && item.getDefaultValue() == null || !same(item, v, defaultText(item)))
				out.put(e.getKey(), v);
		}
		return out;
	}

	/** Macro options as read from a macro, without the empty values of paths and numbers (unset). */
	public static Map<String, String> withoutUnset(final CommandInfo info, final Map<String, String> options) {
		final Map<String, String> out = new LinkedHashMap<>();
		for (final Map.Entry<String, String> e : options.entrySet()) {
			final ModuleItem<?> item = info.getInput(e.getKey());
			if (item != null && e.getValue().isBlank() && item.getType() != String.class)
				continue;
			out.put(e.getKey(), e.getValue());
		}
		return out;
	}

	/** The macro line: {@code run("Title", "key=value key=[a value]");}, booleans as ImageJ writes them. */
	public static String macroLine(final String title, final Map<String, String> values) {
		final StringBuilder sb = new StringBuilder();
		for (final Map.Entry<String, String> e : values.entrySet()) {
			if (sb.length() > 0)
				sb.append(' ');
			if ("true".equals(e.getValue()))
				sb.append(e.getKey());
			else
				sb.append(MacroOptions.format(Map.of(e.getKey(), e.getValue())));
		}
		return "run(\"" + quote(title) + "\"" + (sb.length() == 0 ? "" : ", \"" + quote(sb.toString()) + "\"") + ");\n";
	}

	/** The default value of a parameter as dialog text ("" for none). */
	static String defaultText(final ModuleItem<?> item) {
		final Object d = item.getDefaultValue();
		if (d == null)
			return isNumber(item.getType()) ? "0" : item.getType() == boolean.class ? "false" : "";
		if (d instanceof File)
			return ((File) d).getPath();
		return String.valueOf(d);
	}

	private static boolean same(final ModuleItem<?> item, final String value, final String def) {
		if (isNumber(item.getType()))
			try {
				return Double.parseDouble(value) == Double.parseDouble(def);
			} catch (final NumberFormatException e) {
				return false;
			}
		return value.equals(def);
	}

	static boolean isNumber(final Class<?> t) {
		return Number.class.isAssignableFrom(t) || t == int.class || t == long.class || t == double.class || t == float.class
				|| t == short.class || t == byte.class;
	}

	static boolean isInteger(final Class<?> t) {
		return t == int.class || t == Integer.class || t == long.class || t == Long.class || t == short.class || t == Short.class;
	}

	private static String quote(final String s) {
		return s.replace("\\", "\\\\").replace("\"", "\\\"");
	}
}
