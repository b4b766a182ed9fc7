package org.progressionprobe.ij1.plain;

import java.awt.Component;
import java.awt.TextField;
import java.io.File;
import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Vector;

import org.progressionprobe.launcher.CommandRunner;
import org.scijava.command.CommandInfo;
import org.scijava.module.ModuleItem;
import org.scijava.widget.FileWidget;

import ij.ImagePlus;
import ij.gui.GenericDialog;
import ij.io.SaveDialog;

/**
 * Asks for a command's parameters in ImageJ 1 dialogs when it is run from the menu. Fields carry the
 * parameters' labels (with their units) and a short help line beside them; enumerations are choices,
 * list-valued keys ({@value #OPTIONS} attribute) a row of checkboxes, outputs a Save chooser, an image
 * parameter a choice of the open images (its title is the value). Settings
 * marked {@code @Attr(name = "group", value = "Advanced")} go to a second dialog, opened only when the
 * user ticks "Advanced settings", so that every dialog fits a 1366x768 screen. Each field's AWT
 * component is named after its key (tests and screenshots drive the dialogs by name). What the macro
 * recorder writes is {@link RecordedOptions}' business: the dialog records nothing itself.
 */
final class CommandDialog {

	/** The {@code @Attr} naming a parameter's group; {@value #ADVANCED_GROUP} goes to the second dialog. */
	static final String GROUP = "group", ADVANCED_GROUP = "Advanced";
	/** The {@code @Attr} of a list-valued key: its comma-separated options, shown as checkboxes. */
	static final String OPTIONS = "options";
	/** Name of the checkbox that opens the second dialog. */
	static final String ADVANCED_CHECKBOX = "(advanced)";
	/** Help beside a field is cut to this many characters (the full text is in the dialog's Help). */
	static final int HELP_CHARS = 46;

	private CommandDialog() {}

	/** The values the user entered (as text, every field), or null if a dialog was cancelled. No fields: no dialog. */
	static Map<String, String> ask(final CommandInfo info) {
		final List<ModuleItem<?>> main = new ArrayList<>(), advanced = new ArrayList<>();
		for (final ModuleItem<?> item : fields(info))
			(isAdvanced(item) ? advanced : main).add(item);
		final Map<String, String> values = new LinkedHashMap<>();
		if (main.isEmpty() && advanced.isEmpty())
			return values;
		final GenericDialog gd = build(info.getTitle(), info, main, advanced.size());
		gd.showDialog();
		if (gd.wasCanceled())
			return null;
		read(gd, main, values);
		final boolean more = !advanced.isEmpty() && gd.getNextBoolean();
		if (more) {
			final GenericDialog second = build(info.getTitle() + ": advanced settings", info, advanced, 0);
			second.showDialog();
			if (second.wasCanceled())
				return null;
			read(second, advanced, values);
		} else
			for (final ModuleItem<?> item : advanced)
				values.put(item.getName(), RecordedOptions.defaultText(item));
		return values;
	}

	/** A dialog with a field per item, plus the "Advanced settings" checkbox when {@code advancedCount > 0}. */
	static GenericDialog build(final String title, final CommandInfo info, final List<ModuleItem<?>> items, final int advancedCount) {
		final GenericDialog gd = new GenericDialog(title);
		final StringBuilder help = new StringBuilder("<html><h3>" + escape(info.getTitle()) + "</h3>");
		if (info.getDescription() != null)
			help.append("<p>").append(escape(info.getDescription())).append("</p>");
		help.append("<table>");
		for (final ModuleItem<?> item : items) {
			add(gd, item);
			help.append("<tr><td><b>").append(escape(label(item))).append("</b> (").append(item.getName()).append(")</td><td>")
					.append(escape(item.getDescription() == null ? "" : item.getDescription())).append("</td></tr>");
		}
		if (advancedCount > 0) {
			gd.addCheckbox("Advanced settings (" + advancedCount + " more, in a second dialog)", false);
			name(gd.getCheckboxes(), ADVANCED_CHECKBOX);
		}
		gd.addHelp(help.append("</table></html>").toString());
		return gd;
	}

	private static void add(final GenericDialog gd, final ModuleItem<?> item) {
		final String label = label(item);
		final String key = item.getName();
		final Class<?> t = item.getType();
		final String def = RecordedOptions.defaultText(item);
		final String style = item.getWidgetStyle() == null ? "" : item.getWidgetStyle();
		final String[] options = options(item);
		if (t == ImagePlus.class) {
			gd.addImageChoice(label, null);
			name(gd.getChoices(), key);
		} else if (t == File.class) {
			if (style.contains(FileWidget.DIRECTORY_STYLE))
				gd.addDirectoryField(label, def, 26);
			else if (style.contains(FileWidget.SAVE_STYLE)) {
				gd.addStringField(label, def, 26);
				final TextField field = (TextField) gd.getStringFields().lastElement();
				gd.addToSameRow();
				gd.addButton("Save as...", e -> {
					final File current = new File(field.getText());
					final SaveDialog sd = new SaveDialog(label, current.getParent(), current.getName(), "");
					if (sd.getFileName() != null)
						field.setText(new File(sd.getDirectory(), sd.getFileName()).getPath());
				});
			} else
				gd.addFileField(label, def, 26);
			name(gd.getStringFields(), key);
		} else if (t == boolean.class || t == Boolean.class) {
			gd.addCheckbox(label, Boolean.parseBoolean(def));
			name(gd.getCheckboxes(), key);
		} else if (options != null) {
			final List<String> on = List.of(def.split("\\s*,\\s*"));
			final boolean[] states = new boolean[options.length];
			final String[] headings = new String[options.length];
			for (int i = 0; i < options.length; i++) {
				states[i] = on.contains(options[i]);
				headings[i] = "";
			}
			headings[0] = label;
			gd.addCheckboxGroup(1, options.length, options, states, headings);
			final Vector<?> boxes = gd.getCheckboxes();
			for (int i = 0; i < options.length; i++)
				((Component) boxes.get(boxes.size() - options.length + i)).setName(key + ":" + options[i]);
		} else if (item.getChoices() != null && !item.getChoices().isEmpty()) {
			final String[] choices = item.getChoices().stream().map(String::valueOf).toArray(String[]::new);
			gd.addChoice(label, choices, def.isEmpty() ? choices[0] : def);
			name(gd.getChoices(), key);
		} else if (RecordedOptions.isNumber(t)) {
			gd.addNumericField(label, Double.parseDouble(def), digits(def), 8, shortHelp(item));
			name(gd.getNumericFields(), key);
			return;
		} else {
			gd.addStringField(label, def, 18);
			name(gd.getStringFields(), key);
		}
		final String help = shortHelp(item);
		if (!help.isEmpty() && options == null) {
			gd.addToSameRow();
			gd.addMessage(help);
		}
	}

	/** Reads the items' values from a closed dialog, in the order {@link #add} created the fields. */
	private static void read(final GenericDialog gd, final List<ModuleItem<?>> items, final Map<String, String> values) {
		for (final ModuleItem<?> item : items) {
			final Class<?> t = item.getType();
			final String[] options = options(item);
			final String v;
			if (t == ImagePlus.class)
				v = gd.getNextImage().getTitle();
			else if (t == boolean.class || t == Boolean.class)
				v = String.valueOf(gd.getNextBoolean());
			else if (options != null) {
				final List<String> on = new ArrayList<>();
				for (final String o : options)
					if (gd.getNextBoolean())
						on.add(o);
				v = String.join(",", on);
			} else if (t != File.class && item.getChoices() != null && !item.getChoices().isEmpty())
				v = gd.getNextChoice();
			else if (RecordedOptions.isNumber(t) && t != File.class) {
				final double d = gd.getNextNumber();
				v = RecordedOptions.isInteger(t) ? String.valueOf(Math.round(d)) : String.valueOf(d);
			} else
				v = gd.getNextString().strip();
			values.put(item.getName(), v);
		}
	}

	/** The parameters that get a field: every user input. */
	static List<ModuleItem<?>> fields(final CommandInfo info) {
		final List<ModuleItem<?>> out = new ArrayList<>();
		for (final ModuleItem<?> item : info.inputs())
			if (CommandRunner.isUserInput(item))
				out.add(item);
		return out;
	}

	static boolean isAdvanced(final ModuleItem<?> item) {
		return ADVANCED_GROUP.equals(item.get(GROUP));
	}

	/** The options of a list-valued key, or null. */
	static String[] options(final ModuleItem<?> item) {
		final String o = item.get(OPTIONS);
		return o == null || o.isBlank() ? null : o.strip().split("\\s*,\\s*");
	}

	static String label(final ModuleItem<?> item) {
		return item.getLabel() == null || item.getLabel().isBlank() ? item.getName() : item.getLabel();
	}

	/** The description, cut to {@value #HELP_CHARS} characters at a word. */
	static String shortHelp(final ModuleItem<?> item) {
		final String d = item.getDescription() == null ? "" : item.getDescription().strip();
		if (d.length() <= HELP_CHARS)
			return d;
		final int cut = d.lastIndexOf(' ', HELP_CHARS - 1);
		return d.substring(0, cut > HELP_CHARS / 2 ? cut : HELP_CHARS - 1) + "...";
	}

	private static int digits(final String number) {
		final int scale = new BigDecimal(number).stripTrailingZeros().scale();
		return Math.max(0, Math.min(6, scale));
	}

	private static void name(final Vector<?> components, final String key) {
		((Component) components.lastElement()).setName(key);
	}

	private static String escape(final String s) {
		return s.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;");
	}
}
