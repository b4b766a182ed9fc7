package org.progressionprobe.command;

import org.scijava.app.StatusService;
import org.scijava.log.LogLevel;
import org.scijava.log.LogService;

/**
 * {@link Progress} for commands: progress goes to the StatusService (Fiji's status bar and progress
 * bar), and in headless runs also to the log at most once per step and percent decile. Cancelling
 * is ImageJ's Escape key or an interrupt of the command's thread.
 */
public final class StatusProgress implements Progress {

	private final StatusService status;
	private final LogService log;
	private final int level;
	private final boolean headless;
	private String lastStep;
	private long lastDecile = -1;

	public StatusProgress(final StatusService status, final LogService log) {
		this(status, log, LogLevel.INFO);
	}

	/** As above, logging the headless lines at {@code level} (a {@link LogLevel} constant). */
	public StatusProgress(final StatusService status, final LogService log, final int level) {
		this.status = status;
		this.log = log;
		this.level = level;
		this.headless = java.awt.GraphicsEnvironment.isHeadless();
	}

	@Override
	public synchronized void report(final String step, final long done, final long total) {
		if (status != null)
			status.showStatus((int) Math.min(Integer.MAX_VALUE, done), (int) Math.min(Integer.MAX_VALUE, total), step);
		if (headless && log != null && total > 0) {
			final long decile = done * 10 / total;
			if (!step.equals(lastStep) || decile != lastDecile) {
				log.log(level, String.format("%s: %d/%d", step, done, total));
				lastStep = step;
				lastDecile = decile;
			}
		}
	}

	@Override
	public boolean isCancelled() {
		return Thread.currentThread().isInterrupted() || ij.IJ.escapePressed();
	}
}
