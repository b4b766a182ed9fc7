package org.progressionprobe.launcher;

import java.io.OutputStream;
import java.io.PrintStream;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.function.BooleanSupplier;

import org.scijava.log.LogLevel;
import org.scijava.log.LogListener;
import org.scijava.log.LogMessage;
import org.scijava.log.LogService;
import org.scijava.log.StderrLogService;

/**
 * A command's SciJava log, shown once wherever the user reads it (the launcher's console, ImageJ's
 * Log): warnings always; errors, which repeat the failure the caller reports in one line, and debug
 * lines (iterations, inner steps) only in debug mode; the latest information line is held back until
 * the next message or the end of the run, and dropped at the end if it holds an output's text
 * (commands log their summary and also return it, and the caller prints outputs).
 */
public final class CommandLog implements LogListener {

	/** Where the lines go: a level of {@link LogLevel} (ERROR, WARN, INFO or DEBUG), the text, the error's cause if any. */
	public interface Sink {
		void line(int level, String text, Throwable cause);
	}

	private final BooleanSupplier debug;
	private final Sink sink;
	private String held;

	private CommandLog(final BooleanSupplier debug, final Sink sink) {
		this.debug = debug;
		this.sink = sink;
	}

	/**
	 * Silences the log's own console output (when it is SciJava's stderr logger) and routes its
	 * messages to {@code sink} instead; null when the log is another kind, which keeps its own output.
	 * {@code debug} is asked at each message (a session's debug switch may change between runs).
	 */
	public static CommandLog attach(final LogService log, final BooleanSupplier debug, final Sink sink) {
		if (!(log instanceof StderrLogService s))
			return null;
		final PrintStream none = new PrintStream(OutputStream.nullOutputStream());
		s.setPrintStreams(level -> none);
		final CommandLog l = new CommandLog(debug, sink);
		log.addLogListener(l);
		return l;
	}

	@Override
	public synchronized void messageLogged(final LogMessage m) {
		final boolean debug = this.debug.getAsBoolean();
		if (m.level() <= LogLevel.ERROR) {
			if (debug)
				sink.line(LogLevel.ERROR, m.text(), m.throwable());
			return;
		}
		if (m.level() >= LogLevel.DEBUG && !debug)
			return;
		finish(List.of());
		if (m.level() >= LogLevel.DEBUG)
			sink.line(LogLevel.DEBUG, m.text(), null);
		else if (m.level() <= LogLevel.WARN)
			sink.line(LogLevel.WARN, m.text(), null);
		else
			held = m.text();
	}

	/** Ends a run's log: shows the held line unless it contains one of {@code outputs}. */
	public synchronized void finish(final Collection<String> outputs) {
		if (held != null && outputs.stream().noneMatch(held::contains))
			sink.line(LogLevel.INFO, held, null);
		held = null;
	}

	/** Ends a run's log given the command's outputs: their non-blank text values are what the held line may repeat. */
	public void finish(final Map<String, Object> outputs) {
		finish(outputs.values().stream().filter(v -> v instanceof String s && !s.isBlank()).map(v -> ((String) v).strip()).toList());
	}
}
