package org.progressionprobe.ij1.plain;

import java.util.concurrent.Callable;

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
 * discovery would otherwise not see). Warnings and errors logged by commands go to ImageJ's Log
 * window, status and progress to ImageJ's status and progress bars.
 */
final class ImageJSession {

	private static Context context;
	private static Forwarder forwarder;

	private ImageJSession() {}

	/** The session's Context, created on first use. */
	static synchronized Context context() {
		if (context == null) {
			final Context c = call(Context::new);
			forwarder = new Forwarder();
			c.getService(LogService.class).addLogListener(m -> {
				if (m.level() <= LogLevel.WARN && m.level() > LogLevel.NONE)
					IJ.log(LogLevel.prefix(m.level()) + " " + m.text());
			});
			c.getService(EventService.class).subscribe(forwarder);
			context = c;
		}
		return context;
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
