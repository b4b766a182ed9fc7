package org.progressionprobe.launcher;

import java.io.PrintStream;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.List;
import java.util.Map;

import org.progressionprobe.command.CommandFailure;
import org.progressionprobe.command.ParameterError;
import org.scijava.Context;
import org.scijava.command.CommandInfo;
import org.scijava.log.LogLevel;
import org.scijava.log.LogService;
import org.scijava.module.ModuleItem;

/**
 * The {@code bin/progression-probe} command line: Fiji's headless syntax without Fiji.
 *
 * <pre>
 * progression-probe --run "Volume Info" 'input="scan.nii.gz"'
 * progression-probe --help               (every command and its parameters)
 * progression-probe --help "Align Pair"  (one command)
 * progression-probe --debug --run ...    (also prints inner steps and iterations; a failure also prints its stack trace)
 * </pre>
 *
 * Outputs are printed once, as {@code name = value} (the command's log line that repeats one is
 * dropped). A failure prints one line naming the file or key and the problem, and exits with
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
		// warnings of the plain classes (java.util.logging) as one line each, like the commands' own log
		if (System.getProperty("java.util.logging.SimpleFormatter.format") == null)
			System.setProperty("java.util.logging.SimpleFormatter.format", "[%4$s] %5$s%6$s%n");
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
		CommandLog console = null;
		try (Context context = new Context()) {
			console = consoleLog(context.getService(LogService.class), debug);
			final Map<String, Object> outputs = new CommandRunner(context).run(title, arguments);
			if (console != null)
				console.finish(outputs);
			printOutputs(outputs);
			return 0;
		} catch (final ParameterError e) {
			flush(console);
			err.println("progression-probe: " + (e instanceof CommandRunner.UsageException ? "" : title + ": ") + oneLine(e.getMessage()));
			if (debug)
				e.printStackTrace(err);
			return 2;
		} catch (final RuntimeException e) {
			flush(console);
			err.println("progression-probe: " + title + " failed: " + oneLine(CommandFailure.messageOf(e)));
			if (debug)
				e.printStackTrace(err);
			return 1;
		}
	}

	private static void flush(final CommandLog console) {
		if (console != null)
			console.finish(List.of());
	}

	/**
	 * The command's log on this launcher's streams (see {@link CommandLog}): information and debug lines
	 * on out, warnings on err, errors with their stack traces on err with --debug.
	 */
	private CommandLog consoleLog(final LogService log, final boolean debug) {
		if (debug)
			log.setLevel(LogLevel.DEBUG);
		return CommandLog.attach(log, () -> debug, (level, text, cause) -> {
			if (level == LogLevel.ERROR) {
				err.println("[ERROR] " + text);
				if (cause != null)
					cause.printStackTrace(err);
			} else if (level == LogLevel.WARN)
				err.println("[WARNING] " + text);
			else
				out.println((level == LogLevel.DEBUG ? "[DEBUG] " : "[INFO] ") + text);
		});
	}

	private void printOutputs(final Map<String, Object> outputs) {
		for (final Map.Entry<String, Object> e : outputs.entrySet()) {
			final Object v = e.getValue();
			if (v == null)
				continue;
			final String s = String.valueOf(v);
			if (s.contains("\n"))
				out.println(e.getKey() + ":\n" + s.stripTrailing());
			else
				out.println(e.getKey() + " = " + s);
		}
	}

	private void printHelp(final CommandRunner runner) {
		out.println("Usage: progression-probe [--debug] --run \"<command title or class>\" 'key1=\"value\",key2=5'");
		out.println("       progression-probe --help [\"<command title>\"]");
		out.println("The same form works in Fiji: ImageJ-linux64 --headless --run \"<title>\" '<arguments>'.");
		out.println("Exit status: 0 done, 1 failed (one line names the file or key and the problem; --debug adds the stack trace), 2 usage error.");
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
}
