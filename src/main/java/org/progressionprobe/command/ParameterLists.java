package org.progressionprobe.command;

import java.util.Arrays;
import java.util.List;
import java.util.stream.Collectors;

/**
 * List-valued command parameters as users type them in dialogs, macros and on the command line:
 * {@code "none, pair,atlas"}, {@code "60,40,20"}, {@code "4;4;4"}. This is the one place that says
 * what separates the items of every such parameter ({@link #SEPARATORS}); {@link ParameterValues}
 * reads numbers out of the items.
 */
public final class ParameterLists {

	/** What separates the items of a list parameter: a comma or a semicolon; spaces around an item are dropped. */
	public static final String SEPARATORS = "commas or semicolons";

	private static final String SEPARATOR_PATTERN = "[,;]";

	private ParameterLists() {}

	/** The items separated by {@link #SEPARATORS}, trimmed, empty ones dropped; null or blank gives an empty list. */
	public static List<String> split(final String text) {
		if (text == null || text.isBlank())
			return List.of();
		return Arrays.stream(text.split(SEPARATOR_PATTERN)).map(String::trim).filter(s -> !s.isEmpty()).toList();
	}

	/** Whole numbers as the text of a list parameter, {@code "60,40,20"}. */
	public static String join(final int... values) {
		return Arrays.stream(values).mapToObj(Integer::toString).collect(Collectors.joining(","));
	}

	/** Numbers as the text of a list parameter, whole ones without a decimal point: {@code "5,50,95"}. */
	public static String join(final double... values) {
		return Arrays.stream(values).mapToObj(v -> v == Math.rint(v) && Math.abs(v) < 1e15 ? Long.toString((long) v) : Double.toString(v))
				.collect(Collectors.joining(","));
	}
}
