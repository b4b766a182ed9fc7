package org.progressionprobe.launcher;

import java.io.PrintStream;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.List;
import java.util.Map;

import org.scijava.Context;
import org.scijava.command.CommandInfo;
import org.scijava.module.ModuleItem;

/**
 * The {@code bin/progression-probe} command line: Fiji's headless syntax without Fiji.
 *
 * <pre>
 * progression-probe --run "Volume Info" 'input="scan.nii.gz"'
 * progression-probe --help               (every command and its parameters)
 * progression-probe --help "Align Pair"  (one command)
 * </pre>
 *
 * Outputs are printed as {@code name = value}; a failure prints the error and exits with status 1,
 * a usage error with status 2.
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
		a.removeIf(s -> s.equals("--headless") || s.equals("--ij2"));
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
				err.println("progression-probe: " + e.getMessage());
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
			final CommandRunner runner = new CommandRunner(context);
			printOutputs(runner.run(title, arguments));
			return 0;
		} catch (final CommandRunner.UsageException e) {
			err.println("progression-probe: " + e.getMessage());
			return 2;
		} catch (final RuntimeException e) {
			err.println("progression-probe: " + title + " failed: " + message(e));
			if (Boolean.getBoolean("progression.debug"))
				e.printStackTrace(err);
			return 1;
		}
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

	private static String message(final Throwable e) {
		return e.getMessage() != null ? e.getMessage() : e.toString();
	}
}
