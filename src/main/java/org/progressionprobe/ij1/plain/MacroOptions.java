package org.progressionprobe.ij1.plain;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Parses an ImageJ 1 macro options string ({@code Macro.getOptions()}): {@code key=value} pairs
 * separated by spaces, values with spaces in square brackets ({@code key=[a value]}), and bare keys
 * for booleans that are on ({@code key} means {@code key=true}). The keys are the command's
 * snake_case parameter names, the same as in Fiji and on the command line.
 */
public final class MacroOptions {

	private MacroOptions() {}

	/** The keys and values in order; a bare key maps to "true". */
	public static Map<String, String> parse(final String options) {
		final Map<String, String> out = new LinkedHashMap<>();
		if (options == null)
			return out;
		final String s = options;
		int i = 0;
		final int n = s.length();
		while (i < n) {
			if (Character.isWhitespace(s.charAt(i))) {
				i++;
				continue;
			}
			int j = i;
			while (j < n && s.charAt(j) != '=' && !Character.isWhitespace(s.charAt(j)))
				j++;
			final String key = s.substring(i, j);
			final String value;
			if (j < n && s.charAt(j) == '=') {
				int k = j + 1;
				if (k < n && s.charAt(k) == '[') {
					final int close = s.indexOf(']', k + 1);
					if (close < 0)
						throw new IllegalArgumentException("Macro options: the value of '" + key + "' opens '[' but never closes it: " + options.strip());
					value = s.substring(k + 1, close);
					i = close + 1;
				} else {
					int end = k;
					while (end < n && !Character.isWhitespace(s.charAt(end)))
						end++;
					value = s.substring(k, end);
					i = end;
				}
			} else {
				value = "true";
				i = j;
			}
			if (key.isEmpty())
				throw new IllegalArgumentException("Macro options: a value without a key in: " + options.strip());
			if (out.containsKey(key))
				throw new IllegalArgumentException("Macro options: '" + key + "' is given twice in: " + options.strip());
			out.put(key, value);
		}
		return out;
	}

	/** The options string for a map of values, as ImageJ's recorder writes it (brackets around values with spaces). */
	public static String format(final Map<String, String> values) {
		final StringBuilder sb = new StringBuilder();
		for (final Map.Entry<String, String> e : values.entrySet()) {
			if (sb.length() > 0)
				sb.append(' ');
			final String v = e.getValue();
			sb.append(e.getKey()).append('=');
			if (v.isEmpty() || v.chars().anyMatch(Character::isWhitespace))
				sb.append('[').append(v).append(']');
			else
				sb.append(v);
		}
		return sb.toString();
	}
}
