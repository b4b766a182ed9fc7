package org.progressionprobe.align;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A minimal JSON writer for the registration report (objects, arrays, numbers, strings, booleans;
 * two-space indentation), and a reader for the flat {@code "settings"} object in it, so a saved
 * report gives back the settings that produced it. The project has no JSON library and needs none
 * for this.
 */
final class Json {

	private final StringBuilder sb = new StringBuilder();
	private int depth;
	private boolean first = true;

	void begin() {
		sb.append('{');
		depth++;
		first = true;
	}

	void beginObject(final String name) {
		key(name);
		sb.append('{');
		depth++;
		first = true;
	}

	void end() {
		depth--;
		newline();
		sb.append('}');
		first = false;
	}

	void beginArray(final String name) {
		key(name);
		sb.append('[');
		depth++;
		first = true;
	}

	void endArray() {
		depth--;
		newline();
		sb.append(']');
		first = false;
	}

	void value(final String name, final String v) {
		key(name);
		quote(v);
	}

	void value(final String name, final double v) {
		key(name);
		sb.append(Double.isFinite(v) ? Double.toString(v) : "null");
	}

	void value(final String name, final long v) {
		key(name);
		sb.append(v);
	}

	void value(final String name, final boolean v) {
		key(name);
		sb.append(v);
	}

	/** A value written as is (a number or boolean already in text) or quoted. */
	void raw(final String name, final String v, final boolean asIs) {
		key(name);
		if (asIs)
			sb.append(v);
		else
			quote(v);
	}

	void array(final String name, final double[] values) {
		key(name);
		sb.append('[');
		for (int i = 0; i < values.length; i++)
			sb.append(i > 0 ? ", " : "").append(Double.toString(values[i]));
		sb.append(']');
	}

	private void key(final String name) {
		if (!first)
			sb.append(',');
		first = false;
		newline();
		if (name != null) {
			quote(name);
			sb.append(": ");
		}
	}

	private void newline() {
		sb.append('\n');
		for (int i = 0; i < depth; i++)
			sb.append("  ");
	}

	private void quote(final String s) {
		sb.append('"');
		for (final char c : s.toCharArray()) {
			if (c == '"' || c == '\\')
				sb.append('\\').append(c);
			else if (c < 0x20)
				sb.append(String.format("\\u%04x", (int) c));
			else
				sb.append(c);
		}
		sb.append('"');
	}

	@Override
	public String toString() {
		return sb.append('\n').toString();
	}

	private static final Pattern PAIR = Pattern.compile("\"([a-z_0-9]+)\"\\s*:\\s*(\"([^\"]*)\"|[^,}\\s]+)");

	/** The key/value pairs of the flat object called {@code name} in a JSON text written by this class. */
	static Map<String, String> flatObject(final String json, final String name) {
		final int at = json.indexOf("\"" + name + "\"");
		if (at < 0)
			throw new IllegalArgumentException("No \"" + name + "\" object in the JSON text");
		final int open = json.indexOf('{', at), close = json.indexOf('}', open);
		if (open < 0 || close < 0)
			throw new IllegalArgumentException("The \"" + name + "\" entry is not an object");
		final Map<String, String> out = new LinkedHashMap<>();
		final Matcher m = PAIR.matcher(json.substring(open + 1, close));
		while (m.find())
			out.put(m.group(1), m.group(3) != null ? m.group(3) : m.group(2));
		return out;
	}
}
