package org.progressionprobe.ij1.plain;

import java.awt.EventQueue;
import java.lang.reflect.InvocationTargetException;
import java.util.Map;

import org.progressionprobe.command.ParameterError;
import org.progressionprobe.ij1.MacroBridge;
import org.progressionprobe.ij1.ResultsDisplay;
import org.progressionprobe.launcher.CommandRunner;
import org.scijava.command.CommandInfo;
import org.scijava.platform.PlatformService;

import ij.IJ;
import ij.Macro;
import ij.macro.Interpreter;
import ij.plugin.PlugIn;
import ij.plugin.frame.Recorder;

/**
 * Plain ImageJ 1 entry point for every Progression Probe command (the {@code -ij1} jar; Fiji runs
 * the SciJava commands itself and does not need it). {@code plugins.config} registers one menu entry
 * per command with the command's class name as argument. From a macro,
 * {@code run("Volume Info", "input=[/data/scan 1.nii.gz]")} hands the keys to the command through
 * {@link CommandRunner} (unknown or missing keys are errors naming the key); from the menu, a dialog
 * asks for the parameters and the macro recorder gets one line for the run ({@link RecordedOptions});
 * a cancelled dialog records nothing. Outputs go to the Log window and to {@link MacroBridge}, and with
 * a display (not in batch mode) on screen ({@link ResultsDisplay}); a failure is one line in the Log
 * and an error message (on stderr without a GUI; its stack trace only with
 * {@code -Dprogression.debug=true}), aborts the running macro, and ends a command-line {@code -batch} run
 * with exit status 1. Open images can stand in for scan files ({@link OpenImages}).
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
		// ImageJ records this run (Recorder.setCommand was called for it); the line is ours to write. While
		// the command is set, ImageJ records no selectImage() for the result windows that open.
		final boolean recording = !macro && Recorder.record && Recorder.getCommand() != null;
		try (OpenImages images = new OpenImages()) {
			final CommandRunner runner = new CommandRunner(ImageJSession.context());
			final CommandInfo info = runner.find(commandClass);
			title = info.getTitle();
			final Map<String, String> text = macro ? MacroOptions.parse(options) : CommandDialog.ask(info);
			if (text == null)
				return;
			final Map<String, Object> inputs = images.resolve(info, RecordedOptions.withoutUnset(info, text));
			IJ.showStatus(title + "...");
			final Map<String, Object> outputs = ImageJSession.call(() -> runner.run(info, inputs));
			ImageJSession.finish(outputs);
			MacroBridge.record(title, outputs);
			for (final Map.Entry<String, Object> e : outputs.entrySet())
				if (e.getValue() != null)
					IJ.log(title + ": " + e.getKey() + (MacroBridge.format(e.getValue()).contains("\n") ? ":\n" : " = ")
							+ MacroBridge.format(e.getValue()).stripTrailing());
			IJ.showStatus(title + " done");
			if (gui && ResultsDisplay.available()) {
				ResultsDisplay.show(title, inputs, outputs, true, ImageJSession.context().getService(PlatformService.class));
				settle();
			}
			if (recording) {
				Recorder.disableCommandRecording();
				Recorder.recordString(RecordedOptions.macroLine(title, RecordedOptions.toRecord(info, text)));
			}
		} catch (final RuntimeException e) {
			ImageJSession.finish(Map.of());
			fail(title, e, macro, gui);
		} finally {
			if (recording)
				Recorder.disableCommandRecording(); // a cancelled or failed run records nothing
		}
	}

	/** Lets the result windows open and activate (the window system's events) before the run ends. */
	private static void settle() {
		IJ.wait(300);
		try {
			EventQueue.invokeAndWait(() -> {});
		} catch (final InterruptedException e) {
			Thread.currentThread().interrupt();
		} catch (final InvocationTargetException e) {
			// nothing ran
		}
	}

	private static void fail(final String title, final RuntimeException e, final boolean macro, final boolean gui) {
		final String message = e.getMessage() != null ? e.getMessage() : e.toString();
		final String line = e instanceof ParameterError || e instanceof IllegalArgumentException && message.startsWith("Macro options")
				? message : title + " failed: " + message;
		final String trace = ImageJSession.debug() ? "\n" + ImageJSession.stackTrace(e) : "";
		if (gui) {
			IJ.log("Progression Probe: " + line + trace);
			IJ.error(title, line);
		} else
			System.err.println("Progression Probe: " + line + trace);
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
