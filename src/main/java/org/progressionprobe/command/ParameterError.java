package org.progressionprobe.command;

/**
 * A parameter value a command cannot use (a number that is not a number, an empty path, a key
 * given twice): the caller's mistake, not a failure of the work. The message names the key and
 * the value; the launcher exits with status 2 (usage error) on it.
 */
public class ParameterError extends CommandFailure {

	private static final long serialVersionUID = 1L;

	public ParameterError(final String message) {
		super(message);
	}

	public ParameterError(final String message, final Throwable cause) {
		super(message, cause);
	}

	/** "{@code key}: expected {@code expected}, got '{@code value}'". */
	public static ParameterError of(final String key, final String expected, final String value) {
		return new ParameterError(key + ": expected " + expected + ", got '" + value + "'");
	}
}
