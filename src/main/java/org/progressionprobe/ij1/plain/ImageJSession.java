package org.progressionprobe.ij1.plain;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.util.Map;
import java.util.concurrent.Callable;

import org.progressionprobe.launcher.CommandLog;
import org.scijava.Context;
import org.scijava.app.event.StatusEvent;
import org.scijava.event.EventHandler;
import org.scijava.event.EventService;
import org.scijava.log.LogLevel;
import org.scijava.log.LogService;

import ij.IJ;

/**
 * The one SciJava Context of a plain ImageJ 1 session, created on the first command run. It is built
 * with the plugin class loader (ImageJ loads plugins through its own loader, which SciJava's plugin
 * discovery would otherwise not see). The commands' log goes to ImageJ's Log window (on the console
 * without one) once, as in the launcher: warnings always; information unless it repeats an output
 * (commands log their summary and also return it, and {@link CommandPlugIn} prints outputs); errors,
 * which repeat the failure {@link CommandPlugIn} reports in one line, only in debug mode
 * ({@value #DEBUG}=true, where the failure's stack trace follows). Status and progress go to ImageJ's status and
 * progress bars.
 */
final class ImageJSession {

	/** Set to "true" for errors with their stack traces in the Log (as the launcher's --debug). */
	static final String DEBUG = "progression.debug";

	private static Context context;
	private static Forwarder forwarder;
	private static CommandLog log;

	private ImageJSession() {}

	/** The session's Context, created on first use. */
	static synchronized Context context() {
		if (context == null) {
			final Context c = call(Context::new);
			forwarder = new Forwarder();
			// debug lines (iterations, inner steps) are not for ImageJ's Log, even in debug mode
			log = CommandLog.attach(c.getService(LogService.class), ImageJSession::debug, (level, text, cause) -> {
				if (level != LogLevel.DEBUG)
					IJ.log(LogLevel.prefix(level) + " " + text);
			});
			c.getService(EventService.class).subscribe(forwarder);
			context = c;
		}
		return context;
	}

	static boolean debug() {
		return Boolean.getBoolean(DEBUG);
	}

	/**
	 * Ends a run's log: the latest information line, held back until now, goes to the Log unless it
	 * repeats one of the command's {@code outputs}.
	 */
	static synchronized void finish(final Map<String, Object> outputs) {
		if (log != null)
			log.finish(outputs);
	}

	/** An exception's stack trace as text. */
	static String stackTrace(final Throwable e) {
		final StringWriter w = new StringWriter();
		e.printStackTrace(new PrintWriter(w));
		return w.toString().stripTrailing();
	}

	/** Runs {@code work} with the plugin class loader as the thread's context class loader. */
	static <T> T call(final Callable<T> work) {
		final Thread t = Thread.currentThread();
		final ClassLoader before = t.getContextClassLoader();
		t.setContextClassLoader(ImageJSession.class.getClassLoader());
		try {
			return work.call();
		} catch (final RuntimeException e) {
			throw e;
		} catch (final Exception e) {
			throw new IllegalStateException(e.getMessage(), e);
		} finally {
			t.setContextClassLoader(before);
		}
	}

	/** Shows SciJava status events in ImageJ's status and progress bars. */
	public static final class Forwarder {
		@EventHandler
		public void onStatus(final StatusEvent e) {
			if (e.getStatusMessage() != null && !e.getStatusMessage().isEmpty())
				IJ.showStatus(e.getStatusMessage());
			if (e.getProgressMaximum() > 0)
				IJ.showProgress(e.getProgressValue(), e.getProgressMaximum());
		}
	}
}
