package org.progressionprobe.features.model;

import java.io.IOException;

/**
 * A model package that cannot be used: unreadable, inconsistent with its mode, asked for a layer it
 * does not have, or failing in its engine. The message names the model and the problem.
 */
public class ModelException extends IOException {

	private static final long serialVersionUID = 1L;

	public ModelException(final String model, final String problem) {
		super("model " + model + ": " + problem);
	}

	public ModelException(final String model, final String problem, final Throwable cause) {
		super("model " + model + ": " + problem + causeText(cause), cause);
	}

	private static String causeText(final Throwable cause) {
		if (cause == null)
			return "";
		final String m = cause.getMessage() != null ? cause.getMessage() : cause.getClass().getSimpleName();
		final String firstLine = m.lines().findFirst().orElse(m).trim();
		return " (" + (firstLine.length() > 300 ? firstLine.substring(0, 300) + "..." : firstLine) + ")";
	}
}
