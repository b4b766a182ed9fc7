package org.progressionprobe.command;

import java.util.List;
import java.util.regex.Pattern;

/**
 * Strict parsing of numbers typed as text (launcher arguments, macro options, list parameters):
 * the whole text must be a decimal number, in range and finite; anything else is a
 * {@link ParameterError} naming the key and the value, never a silent 0.
 */
public final class ParameterValues {

	private static final Pattern DECIMAL = Pattern.compile("[+-]?(\\d+\\.?\\d*|\\.\\d+)([eE][+-]?\\d+)?");
	private static final Pattern INTEGER = Pattern.compile("[+-]?\\d+(\\.0*)?");

	private ParameterValues() {}

	/** A finite decimal number ("2", "-0.5", "1e-3"). */
	public static double number(final String key, final String text) {
		final String t = text == null ? "" : text.trim();
		if (!DECIMAL.matcher(t).matches())
			throw ParameterError.of(key, "a number", String.valueOf(text));
		final double v = Double.parseDouble(t);
		if (!Double.isFinite(v))
			throw ParameterError.of(key, "a finite number", text);
		return v;
	}

	/** A whole number from {@code min} to {@code max} ("5", or "5.0" as ImageJ writes numbers). */
	public static long integer(final String key, final String text, final long min, final long max) {
		final String t = text == null ? "" : text.trim();
		if (!INTEGER.matcher(t).matches())
			throw ParameterError.of(key, "a whole number", String.valueOf(text));
		final String digits = t.contains(".") ? t.substring(0, t.indexOf('.')) : t;
		final long v;
		try {
			v = Long.parseLong(digits);
		} catch (final NumberFormatException e) {
			throw ParameterError.of(key, "a whole number from " + min + " to " + max, text);
		}
		if (v < min || v > max)
			throw ParameterError.of(key, "a whole number from " + min + " to " + max, text);
		return v;
	}

	/** An int-sized whole number. */
	public static int integer(final String key, final String text) {
		return (int) integer(key, text, Integer.MIN_VALUE, Integer.MAX_VALUE);
	}

	/** "true" or "false" (any case). */
	public static boolean bool(final String key, final String text) {
		final String t = text == null ? "" : text.trim();
		if (t.equalsIgnoreCase("true"))
			return true;
		if (t.equalsIgnoreCase("false"))
			return false;
		throw ParameterError.of(key, "true or false", String.valueOf(text));
	}

	/** Numbers of a list parameter ("1, 2.5;3", see {@link ParameterLists}); {@code count} &gt; 0 requires that many; blank gives none. */
	public static double[] numbers(final String key, final String text, final int count) {
		final List<String> items = ParameterLists.split(text);
		checkCount(key, text, items, count, "numbers");
		final double[] out = new double[items.size()];
		for (int i = 0; i < out.length; i++)
			out[i] = number(key, items.get(i));
		return out;
	}

	/** Whole numbers of a list parameter (see {@link ParameterLists}); {@code count} &gt; 0 requires that many; blank gives none. */
	public static int[] integers(final String key, final String text, final int count) {
		return integers(key, text, count, Integer.MIN_VALUE, Integer.MAX_VALUE);
	}

	/** As {@link #integers(String, String, int)}, each from {@code min} to {@code max}. */
	public static int[] integers(final String key, final String text, final int count, final int min, final int max) {
		final List<String> items = ParameterLists.split(text);
		checkCount(key, text, items, count, "whole numbers");
		final int[] out = new int[items.size()];
		for (int i = 0; i < out.length; i++)
			out[i] = (int) integer(key, items.get(i), min, max);
		return out;
	}

	private static void checkCount(final String key, final String text, final List<String> items, final int count, final String what) {
		if (count > 0 && items.size() != count)
			throw ParameterError.of(key, count + " " + what + " separated by " + ParameterLists.SEPARATORS, String.valueOf(text));
	}
}
