package org.progressionprobe.command;

import java.util.Arrays;
import java.util.List;

/** List-valued command parameters as users type them in dialogs and macros: {@code "none, pair,atlas"}. */
public final class ParameterLists {

	private ParameterLists() {}

	/** Comma- or semicolon-separated items, trimmed, empty ones dropped; null or blank gives an empty list. */
	public static List<String> split(final String text) {
		if (text == null || text.isBlank())
			return List.of();
		return Arrays.stream(text.split("[,;]")).map(String::trim).filter(s -> !s.isEmpty()).toList();
	}
}
