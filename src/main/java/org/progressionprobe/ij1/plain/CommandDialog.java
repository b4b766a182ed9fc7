package org.progressionprobe.ij1.plain;

import java.io.File;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import org.progressionprobe.launcher.CommandRunner;
import org.scijava.command.CommandInfo;
import org.scijava.module.ModuleItem;
import org.scijava.widget.FileWidget;

import ij.gui.GenericDialog;
import ij.plugin.frame.Recorder;

/**
 * Asks for a command's parameters in an ImageJ 1 dialog when it is run from the menu, and records
 * them for the macro recorder under the parameter names ({@code run("Volume Info", "input=...")}).
 * Field labels are the parameter names themselves, so the recorded keys are the snake_case keys used
 * everywhere else.
 */
final class CommandDialog {

	private CommandDialog() {}

	/** The values the user entered (as text), or null if the dialog was cancelled. */
	static Map<String, String> ask(final CommandInfo info) {
		final GenericDialog gd = new GenericDialog(info.getTitle());
		final List<ModuleItem<?>> items = fields(info);
		for (final ModuleItem<?> item : items) {
			final String name = item.getName();
			final Object def = item.getDefaultValue();
			final Class<?> t = item.getType();
			if (t == File.class) {
				final String path = def == null ? "" : ((File) def).getPath();
				if (item.getWidgetStyle() != null && item.getWidgetStyle().contains(FileWidget.DIRECTORY_STYLE))
					gd.addDirectoryField(name, path);
				else
					gd.addFileField(name, path);
			} else if (t == boolean.class || t == Boolean.class) {
				gd.addCheckbox(name, Boolean.TRUE.equals(def));
			} else if (item.getChoices() != null && !item.getChoices().isEmpty()) {
				final String[] choices = item.getChoices().stream().map(String::valueOf).toArray(String[]::new);
				gd.addChoice(name, choices, def == null ? choices[0] : String.valueOf(def));
			} else if (isNumber(t)) {
				final boolean integer = t == int.class || t == Integer.class || t == long.class || t == Long.class;
				gd.addNumericField(name, def == null ? 0 : ((Number) def).doubleValue(), integer ? 0 : 3);
			} else {
				gd.addStringField(name, def == null ? "" : String.valueOf(def), 30);
			}
			if (item.getDescription() != null && !item.getDescription().isBlank())
				gd.addMessage("    " + item.getDescription());
		}
		gd.showDialog();
		if (gd.wasCanceled())
			return null;
		final Map<String, String> values = new LinkedHashMap<>();
		Recorder.suspendRecording();
		try {
			for (final ModuleItem<?> item : items) {
				final Class<?> t = item.getType();
				final String v;
				if (t == boolean.class || t == Boolean.class)
					v = String.valueOf(gd.getNextBoolean());
				else if (item.getChoices() != null && !item.getChoices().isEmpty())
					v = gd.getNextChoice();
				else if (isNumber(t)) {
					final double d = gd.getNextNumber();
					final boolean integer = t == int.class || t == Integer.class || t == long.class || t == Long.class;
					v = integer && d == Math.rint(d) ? String.valueOf((long) d) : String.valueOf(d);
				} else
					v = gd.getNextString();
				if (!(v.isEmpty() && t == File.class && !item.isRequired()))
					values.put(item.getName(), v);
			}
		} finally {
			Recorder.resumeRecording();
		}
		if (Recorder.record)
			for (final Map.Entry<String, String> e : values.entrySet())
				Recorder.recordOption(e.getKey(), e.getValue());
		return values;
	}

	/** The parameters that get a field: every user input. */
	static List<ModuleItem<?>> fields(final CommandInfo info) {
		final List<ModuleItem<?>> out = new java.util.ArrayList<>();
		for (final ModuleItem<?> item : info.inputs())
			if (CommandRunner.isUserInput(item))
				out.add(item);
		return out;
	}

	private static boolean isNumber(final Class<?> t) {
		return Number.class.isAssignableFrom(t) || t == int.class || t == long.class || t == double.class || t == float.class
				|| t == short.class || t == byte.class;
	}
}
