package org.progressionprobe.ij1.plain;

import java.util.LinkedHashMap;
import java.util.Map;

import org.progressionprobe.command.ParameterError;
import org.progressionprobe.ij1.MacroBridge;
import org.progressionprobe.launcher.CommandRunner;
import org.scijava.command.CommandInfo;

import ij.IJ;
import ij.Macro;
import ij.macro.Interpreter;
import ij.plugin.PlugIn;

/**
 * Plain ImageJ 1 entry point for every Progression Probe command (the {@code -ij1} jar; Fiji runs
 * the SciJava commands itself and does not need it). {@code plugins.config} registers one menu entry
 * per command with the command's class name as argument. From a macro,
 * {@code run("Volume Info", "input=[/data/scan 1.nii.gz]")} hands the keys to the command through
 * {@link CommandRunner} (unknown or missing keys are errors naming the key); from the menu, a dialog
 * asks for the parameters and the macro recorder records them. Outputs go to the Log window and to
 * {@link MacroBridge}; a failure is written to the Log (and to stderr without a GUI), aborts the
 * running macro, and ends a command-line {@code -batch} run with exit status 1.
 */
public class CommandPlugIn implements PlugIn {

	/** Set to "false" to keep a command-line -batch run alive after a failed command. */
	public static final String EXIT_ON_ERROR = "progression.ij1.exitOnError";

	@Override
	public void run(final String commandClass) {
		String title = commandClass;
		final boolean gui = IJ.getInstance() != null;
		String options = Macro.getOptions();
		if (options == null && !gui && IJ.isMacro())
			options = "";
		final boolean macro = options != null;
		try {
			final CommandRunner runner = new CommandRunner(ImageJSession.context());
			final CommandInfo info = runner.find(commandClass);
			title = info.getTitle();
			final Map<String, String> text = macro ? MacroOptions.parse(options) : CommandDialog.ask(info);
			if (text == null)
				return;
			final Map<String, Object> inputs = new LinkedHashMap<>(text);
			IJ.showStatus(title + "...");
			final Map<String, Object> outputs = ImageJSession.call(() -> runner.run(info, inputs));
			MacroBridge.record(title, outputs);
			for (final Map.Entry<String, Object> e : outputs.entrySet())
				if (e.getValue() != null)
					IJ.log(title + ": " + e.getKey() + (MacroBridge.format(e.getValue()).contains("\n") ? ":\n" : " = ")
							+ MacroBridge.format(e.getValue()).stripTrailing());
			IJ.showStatus(title + " done");
		} catch (final RuntimeException e) {
			fail(title, e, macro, gui);
		}
	}

	private static void fail(final String title, final RuntimeException e, final boolean macro, final boolean gui) {
		final String message = e.getMessage() != null ? e.getMessage() : e.toString();
		final String line = e instanceof ParameterError || e instanceof IllegalArgumentException && message.startsWith("Macro options")
				? message : title + " failed: " + message;
		IJ.log("Progression Probe: " + line);
		if (gui)
			IJ.error(title, line);
		else
			System.err.println("Progression Probe: " + line);
		if (macro)
			Interpreter.abort();
		if (!gui && commandLineBatch())
			System.exit(1);
	}

	/** True in {@code java -jar ij.jar -batch macro.ijm} (no ImageJ window, the JVM runs only this macro). */
	static boolean commandLineBatch() {
		if (!Boolean.parseBoolean(System.getProperty(EXIT_ON_ERROR, "true")))
			return false;
		final String command = System.getProperty("sun.java.command", "");
		return command.matches("(?s).*(\\bij[^/\\\\\\s]*\\.jar|ij\\.ImageJ)\\s.*-batch(\\s.*|$)");
	}
}
