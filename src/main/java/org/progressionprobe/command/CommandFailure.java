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
			final CommandFailure f = new CommandFailure(messageOf(e), e);
			log(log, title, f);
			throw f;
		}
	}

	/**
	 * A user-readable message for any exception: the first message in its cause chain that is not
	 * only a wrapped exception's name (as parallel streams rethrow); an exception that signals a
	 * defect rather than bad input (an index out of bounds, a null pointer) is called an internal
	 * error with its type and where it happened, never a bare exception name.
	 */
	public static String messageOf(final Throwable e) {
		Throwable t = e;
		while (t.getCause() != null && t.getCause() != t
				&& (t.getMessage() == null || t.getMessage().equals(t.getCause().toString())))
			t = t.getCause();
		final String pkg = t.getClass().getPackageName();
		final boolean defect = t instanceof RuntimeException && (pkg.equals("java.lang") || pkg.equals("java.util"))
				&& !(t instanceof IllegalArgumentException) && !(t instanceof IllegalStateException) && !(t instanceof UnsupportedOperationException);
		if (!defect && t.getMessage() != null && !t.getMessage().isBlank())
			return t.getMessage();
		final StackTraceElement[] where = t.getStackTrace();
		return "internal error (" + t.getClass().getSimpleName() + (t.getMessage() != null ? ": " + t.getMessage() : "")
				+ (where.length > 0 ? " at " + where[0].getClassName().replaceAll(".*\\.", "") + "." + where[0].getMethodName() + ":" + where[0].getLineNumber() : "")
				+ "); please report it with the input that caused it";
	}

	private static void log(final org.scijava.log.LogService log, final String title, final Exception e) {
		if (log != null)
			log.error(title + ": " + e.getMessage());
	}
}
