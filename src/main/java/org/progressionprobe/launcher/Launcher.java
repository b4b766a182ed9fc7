package org.progressionprobe.launcher;

import java.io.OutputStream;
import java.io.PrintStream;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;
import java.util.Map;

import org.progressionprobe.command.ParameterError;
import org.scijava.Context;
import org.scijava.command.CommandInfo;
import org.scijava.log.LogLevel;
import org.scijava.log.LogService;
import org.scijava.log.StderrLogService;
import org.scijava.module.ModuleItem;

/**
 * The {@code bin/progression-probe} command line: Fiji's headless syntax without Fiji.
 *
 * <pre>
 * progression-probe --run "Volume Info" 'input="scan.nii.gz"'
 * progression-probe --help               (every command and its parameters)
 * progression-probe --help "Align Pair"  (one command)
 * progression-probe --debug --run ...    (a failure also prints its stack trace)
 * </pre>
 *
 * Outputs are printed once, as {@code name = value} (a text output the command already logged is
 * not repeated). A failure prints one line naming the file or key and the problem, and exits with
 * status 1; a usage error (unknown command or key, a value that is not of the parameter's type, an
 * empty path, a key given twice) exits with status 2. The command's own error log lines, which
 * repeat the failure, are shown only with {@code --debug}.
 */
public final class Launcher {

	private final PrintStream out;
	private final PrintStream err;

	public Launcher(final PrintStream out, final PrintStream err) {
		this.out = out;
		this.err = err;
	}

	public static void main(final String[] args) {
		System.setProperty("java.awt.headless", "true");
		System.setProperty("ai.djl.offline", "true");
		final int status = new Launcher(System.out, System.err).run(args);
		System.exit(status);
	}

	/** Runs the command line; returns the process exit status. */
	public int run(final String[] args) {
		final Deque<String> a = new ArrayDeque<>(List.of(args));
		final boolean debug = a.contains("--debug") || Boolean.getBoolean("progression.debug");
		a.removeIf(s -> s.equals("--headless") || s.equals("--ij2") || s.equals("--debug"));
		if (a.isEmpty() || a.peek().equals("--help") || a.peek().equals("-h")) {
			a.poll();
			try (Context context = new Context()) {
				final CommandRunner runner = new CommandRunner(context);
				if (a.isEmpty())
					printHelp(runner);
				else
					printCommand(runner.find(a.poll()));
				return 0;
			} catch (final CommandRunner.UsageException e) {
				err.println("progression-probe: " + oneLine(e.getMessage()));
				return 2;
			}
		}
		if (!a.peek().equals("--run")) {
			err.println("progression-probe: unknown option '" + a.peek() + "'. Usage: progression-probe --run \"<title>\" 'key1=\"value\",key2=5' | --help [title]");
			return 2;
		}
		a.poll();
		if (a.isEmpty()) {
			err.println("progression-probe: --run needs a command title or class name");
			return 2;
		}
		final String title = a.poll();
		final String arguments = a.isEmpty() ? "" : String.join(",", a);
		try (Context context = new Context()) {
			final List<String> logged = routeLog(context, debug);
			printOutputs(new CommandRunner(context).run(title, arguments), logged);
			return 0;
		} catch (final ParameterError e) {
			err.println("progression-probe: " + oneLine(e.getMessage()));
			if (debug)
				e.printStackTrace(err);
			return 2;
		} catch (final RuntimeException e) {
			err.println("progression-probe: " + title + " failed: " + oneLine(message(e)));
			if (debug)
				e.printStackTrace(err);
			return 1;
		}
	}

	/**
	 * Sends the context's log to this launcher's streams (warnings to err, the rest to out) and keeps
	 * the text of every message; error messages, which repeat the failure the launcher reports, are
	 * shown only in debug mode.
	 */
	private List<String> routeLog(final Context context, final boolean debug) {
		final List<String> logged = java.util.Collections.synchronizedList(new ArrayList<>());
		final LogService log = context.getService(LogService.class);
		if (log == null)
			return logged;
		log.addLogListener(m -> logged.add(String.valueOf(m.text())));
		if (log instanceof StderrLogService s) {
			final PrintStream none = new PrintStream(OutputStream.nullOutputStream());
			s.setPrintStreams(level -> level <= LogLevel.ERROR ? (debug ? err : none) : level <= LogLevel.WARN ? err : out);
		}
		return logged;
	}

	/** Prints each output, except text the command has already logged. */
	private void printOutputs(final Map<String, Object> outputs, final List<String> logged) {
		for (final Map.Entry<String, Object> e : outputs.entrySet()) {
			final Object v = e.getValue();
			if (v == null)
				continue;
			final String s = String.valueOf(v);
			if (v instanceof String && !s.isBlank() && List.copyOf(logged).stream().anyMatch(m -> m.contains(s.strip())))
				continue;
			if (s.contains("\n"))
				out.println(e.getKey() + ":\n" + s.stripTrailing());
			else
				out.println(e.getKey() + " = " + s);
		}
	}

	private void printHelp(final CommandRunner runner) {
		out.println("Usage: progression-probe --run \"<command title or class>\" 'key1=\"value\",key2=5'");
		out.println("       progression-probe --help [\"<command title>\"]");
		out.println("The same form works in Fiji: ImageJ-linux64 --headless --run \"<title>\" '<arguments>'.");
		out.println();
		for (final CommandInfo info : runner.suiteCommands())
			printCommand(info);
	}

	private void printCommand(final CommandInfo info) {
		out.println(info.getTitle() + (info.getDescription() != null && !info.getDescription().isBlank() ? " - " + info.getDescription() : ""));
		for (final ModuleItem<?> item : info.inputs()) {
			if (!CommandRunner.isUserInput(item))
				continue;
			final Object def = item.getDefaultValue();
			out.println("    " + item.getName() + (item.isRequired() && def == null ? " (required)" : "") + ": " + CommandRunner.describe(item)
					+ (def != null && !String.valueOf(def).isEmpty() ? " [default " + def + "]" : ""));
		}
		for (final ModuleItem<?> item : info.outputs())
			if (!item.isInput())
				out.println("    -> " + item.getName() + ": " + CommandRunner.simpleType(item.getType()));
		out.println();
	}

	/** A message as one line: its lines joined ("problems:\n  - a\n  - b" becomes "problems: a; b"). */
	static String oneLine(final String message) {
		final StringBuilder sb = new StringBuilder();
		for (final String raw : message.strip().split("\\R")) {
			final String line = raw.strip().replaceFirst("^- ", "");
			if (line.isEmpty())
				continue;
			if (sb.length() > 0)
				sb.append(sb.charAt(sb.length() - 1) == ':' ? " " : "; ");
			sb.append(line);
		}
		return sb.toString();
	}

	private static String message(final Throwable e) {
		return e.getMessage() != null ? e.getMessage() : e.toString();
	}
}
