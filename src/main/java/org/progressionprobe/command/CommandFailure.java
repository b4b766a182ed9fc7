package org.progressionprobe.command;

/**
 * The one way a command reports a failure: an unchecked exception whose message names the file or
 * setting and the problem, ready to be shown to a user (Fiji's log, the launcher's error line).
 */
public class CommandFailure extends RuntimeException {

	private static final long serialVersionUID = 1L;

	public CommandFailure(final String message) {
		super(message);
	}

	public CommandFailure(final String message, final Throwable cause) {
		super(message, cause);
	}

	/** Work that may throw any exception. */
	@FunctionalInterface
	public interface Work {
		void run() throws Exception;
	}

	/**
	 * Runs a command's work; any checked exception becomes a CommandFailure carrying its message,
	 * logged as an error under the command's title.
	 */
	public static void guard(final String title, final org.scijava.log.LogService log, final Work work) {
		try {
			work.run();
		} catch (final CommandFailure e) {
			log(log, title, e);
			throw e;
		} catch (final java.util.concurrent.CancellationException e) {
			throw e;
		} catch (final Exception e) {
			final String msg = e.getMessage() != null ? e.getMessage() : e.toString();
			final CommandFailure f = new CommandFailure(msg, e);
			log(log, title, f);
			throw f;
		}
	}

	private static void log(final org.scijava.log.LogService log, final String title, final Exception e) {
		if (log != null)
			log.error(title + ": " + e.getMessage());
	}
}
