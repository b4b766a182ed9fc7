package org.progressionprobe.command;

import java.util.function.Consumer;
import java.util.function.LongSupplier;

import org.scijava.app.StatusService;
import org.scijava.log.LogLevel;
import org.scijava.log.LogService;

/**
 * {@link Progress} of a whole run (Cohort Features, Run Study, Run Demo): turns the subject reports
 * of feature batches ({@link #SUBJECT_STEP}) and the {@link #stage stages} (a study's settings) into
 * lines such as "Run Study: setting 3/18 (pair-roi_change), subject 12/48, 27% done, 4 min 10 s
 * elapsed, about 11 min left", shown in the status bar and logged at most once per
 * {@link #INTERVAL_NANOS}. The units are pairs across settings; a reused table counts as done at once,
 * and the time left is elapsed / fraction done minus elapsed. Every other report (registration
 * iterations, training steps) goes on to the detail progress, which logs at debug level.
 */
public final class OverallProgress implements Progress {

	/** The step name under which feature batches report subjects done of the cohort. */
	public static final String SUBJECT_STEP = "Features";

	/** The least time between two logged lines. */
	public static final long INTERVAL_NANOS = 5_000_000_000L;

	private final String task;
	private final StatusService status;
	private final Consumer<String> lines;
	private final Progress detail;
	private final LongSupplier clock;
	private final long start;
	private long lastLine = Long.MIN_VALUE;
	private String stage;
	private int stageIndex;
	private int stages = 1;
	private long subjectsDone;
	private long subjects;

	/** Progress of command {@code task}: overall lines to the status bar and info log, inner steps to the debug log. */
	public OverallProgress(final String task, final StatusService status, final LogService log) {
		this(task, status, log::info, new StatusProgress(null, log, LogLevel.DEBUG), System::nanoTime);
	}

	/** As above with the lines, the detail progress (which also answers cancellation) and a clock in nanoseconds given. */
	public OverallProgress(final String task, final StatusService status, final Consumer<String> lines, final Progress detail, final LongSupplier clock) {
		this.task = task;
		this.status = status;
		this.lines = lines;
		this.detail = detail;
		this.clock = clock;
		this.start = clock.getAsLong();
	}

	@Override
	public synchronized void stage(final String name, final int index, final int count) {
		stage = name;
		stageIndex = index;
		stages = count;
		subjectsDone = 0;
		show();
	}

	@Override
	public synchronized void report(final String step, final long done, final long total) {
		if (!SUBJECT_STEP.equals(step)) {
			detail.report(step, done, total);
			return;
		}
		subjectsDone = done;
		subjects = total;
		show();
	}

	@Override
	public boolean isCancelled() {
		return detail.isCancelled();
	}

	/** The fraction of all pairs done, 0 before the cohort size is known. */
	synchronized double fractionDone() {
		return subjects == 0 ? 0 : (stageIndex * (double) subjects + subjectsDone) / ((double) stages * subjects);
	}

	private void show() {
		final long now = clock.getAsLong();
		final String line = line(now);
		if (status != null)
			status.showStatus((int) Math.round(fractionDone() * 1000), 1000, line);
		if (lastLine == Long.MIN_VALUE || now - lastLine >= INTERVAL_NANOS) {
			lines.accept(line);
			lastLine = now;
		}
	}

	private String line(final long now) {
		final StringBuilder s = new StringBuilder(task).append(':');
		if (stage != null)
			s.append(" setting ").append(stageIndex + 1).append('/').append(stages).append(" (").append(stage).append("),");
		if (subjects > 0)
			s.append(" subject ").append(subjectsDone).append('/').append(subjects).append(',');
		final double fraction = fractionDone();
		final double elapsed = (now - start) / 1e9;
		s.append(' ').append((int) Math.floor(fraction * 100)).append("% done, ").append(duration(elapsed)).append(" elapsed");
		if (fraction > 0 && fraction < 1)
			s.append(", about ").append(estimate(elapsed / fraction - elapsed)).append(" left");
		return s.toString();
	}

	/** Elapsed time to the second: "42 s", "4 min 10 s", "1 h 5 min 3 s". */
	static String duration(final double seconds) {
		final long t = Math.round(seconds);
		if (t < 60)
			return t + " s";
		if (t < 3600)
			return t / 60 + " min " + t % 60 + " s";
		return t / 3600 + " h " + t % 3600 / 60 + " min " + t % 60 + " s";
	}

	/** A time estimate to the second below a minute, else to the minute: "40 s", "11 min", "1 h 5 min". */
	static String estimate(final double seconds) {
		if (seconds < 59.5)
			return Math.round(seconds) + " s";
		final long m = Math.round(seconds / 60);
		return m < 60 ? m + " min" : m / 60 + " h " + m % 60 + " min";
	}
}
