package org.progressionprobe.command;

import java.util.concurrent.CancellationException;

/**
 * Where long-running plain classes report progress and learn that the user cancelled. Commands
 * pass a {@link StatusProgress} (Fiji's progress bar, lines in headless runs); tests and library
 * callers pass {@link #NONE} or their own.
 */
public interface Progress {

	/** Reports that {@code done} of {@code total} units of {@code step} are finished. */
	void report(String step, long done, long total);

	/** Reports that stage {@code index} (from 0) of {@code count}, named {@code name}, begins (a study's settings); ignored unless overall progress is shown. */
	default void stage(final String name, final int index, final int count) {}

	/** True if the user asked to stop. */
	boolean isCancelled();

	/** Throws a {@link CancellationException} if the user asked to stop; call it between units of work. */
	default void checkCancelled() {
		if (isCancelled() || Thread.currentThread().isInterrupted())
			throw new CancellationException("Cancelled by the user");
	}

	/** Reports nothing and never cancels. */
	Progress NONE = new Progress() {
		@Override
		public void report(final String step, final long done, final long total) {}

		@Override
		public boolean isCancelled() {
			return false;
		}
	};
}
