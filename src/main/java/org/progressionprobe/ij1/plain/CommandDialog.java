package org.progressionprobe.ij1.plain;

import java.awt.Button;
import java.awt.Checkbox;
import java.awt.Choice;
import java.awt.Color;
import java.awt.Component;
import java.awt.Container;
import java.awt.FlowLayout;
import java.awt.GridBagConstraints;
import java.awt.GridBagLayout;
import java.awt.Label;
import java.awt.Panel;
import java.awt.TextField;
import java.io.File;
import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Supplier;

import org.progressionprobe.command.ParameterLists;
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
 * component is named after its key (tests and screenshots drive the dialogs by name). Values are read
 * from the fields, so the dialog records nothing itself: the macro line is {@link RecordedOptions}'.
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
		final Form first = new Form(info.getTitle(), info, main, advanced.size());
		first.dialog.showDialog();
		if (first.dialog.wasCanceled())
			return null;
		values.putAll(first.values());
		if (first.advanced != null && first.advanced.getState()) {
			final Form second = new Form(info.getTitle() + ": advanced settings", info, advanced, 0);
			second.dialog.showDialog();
			if (second.dialog.wasCanceled())
				return null;
			values.putAll(second.values());
		} else
			for (final ModuleItem<?> item : advanced)
				values.put(item.getName(), RecordedOptions.defaultText(item));
		return values;
	}

	/**
	 * A dialog with a field per item (plus the "Advanced settings" checkbox when {@code advancedCount > 0})
	 * and a reader per field. Values are read from the fields themselves, never through GenericDialog's
	 * getNext* methods, which would record them for the macro recorder under their labels.
	 */
	static final class Form {

		final GenericDialog dialog;
		final Checkbox advanced;
		private final Map<String, Supplier<String>> readers = new LinkedHashMap<>();

		Form(final String title, final CommandInfo info, final List<ModuleItem<?>> items, final int advancedCount) {
			dialog = new GenericDialog(title);
			final StringBuilder help = new StringBuilder("<html><h3>" + escape(info.getTitle()) + "</h3>");
			if (info.getDescription() != null)
				help.append("<p>").append(escape(info.getDescription())).append("</p>");
			help.append("<table>");
			for (final ModuleItem<?> item : items) {
				add(item);
				help.append("<tr><td><b>").append(escape(label(item))).append("</b> (").append(item.getName()).append(")</td><td>")
						.append(escape(item.getDescription() == null ? "" : item.getDescription())).append("</td></tr>");
			}
			if (advancedCount > 0) {
				// GenericDialog spaces only a dialog's first checkbox from the row above; this one always stands apart
				dialog.setInsets(15, 20, 0);
				dialog.addCheckbox("Advanced settings (" + advancedCount + " more, in a second dialog)", false);
				advanced = (Checkbox) dialog.getCheckboxes().lastElement();
				advanced.setName(ADVANCED_CHECKBOX);
			} else
				advanced = null;
			dialog.addHelp(help.append("</table></html>").toString());
		}

		/** The fields' values as text. */
		Map<String, String> values() {
			final Map<String, String> out = new LinkedHashMap<>();
			readers.forEach((key, reader) -> out.put(key, reader.get().strip()));
			return out;
		}

		private void add(final ModuleItem<?> item) {
			final String label = label(item);
			final String key = item.getName();
			final Class<?> t = item.getType();
			final String def = RecordedOptions.defaultText(item);
			final String style = item.getWidgetStyle() == null ? "" : item.getWidgetStyle();
			final String[] options = options(item);
			final Component field;
			if (t == ImagePlus.class) {
				dialog.addImageChoice(label, null);
				final Choice c = (Choice) dialog.getChoices().lastElement();
				readers.put(key, c::getSelectedItem);
				field = c;
			} else if (t == File.class) {
				if (style.contains(FileWidget.DIRECTORY_STYLE))
					dialog.addDirectoryField(label, def, 26);
				else if (style.contains(FileWidget.SAVE_STYLE))
					dialog.addStringField(label, def, 26);
				else
					dialog.addFileField(label, def, 26);
				final TextField f = (TextField) dialog.getStringFields().lastElement();
				if (style.contains(FileWidget.SAVE_STYLE))
					besides(f, saveButton(label, f));
				readers.put(key, f::getText);
				field = f;
			} else if (t == boolean.class || t == Boolean.class) {
				dialog.addCheckbox(label, Boolean.parseBoolean(def));
				final Checkbox c = (Checkbox) dialog.getCheckboxes().lastElement();
				readers.put(key, () -> String.valueOf(c.getState()));
				field = c;
			} else if (options != null) {
				// a row of checkboxes in the place of a text field
				dialog.addStringField(label, def, 10);
				final TextField placeholder = (TextField) dialog.getStringFields().lastElement();
				final Panel row = new Panel(new FlowLayout(FlowLayout.LEFT, 4, 0));
				final List<String> on = ParameterLists.split(def);
				final List<Checkbox> boxes = new ArrayList<>();
				for (final String o : options) {
					final Checkbox c = new Checkbox(o, on.contains(o));
					c.setName(key + ":" + o);
					boxes.add(c);
					row.add(c);
				}
				replace(placeholder, row);
				readers.put(key, () -> String.join(",", boxes.stream().filter(Checkbox::getState).map(Checkbox::getLabel).toList()));
				field = row;
			} else if (item.getChoices() != null && !item.getChoices().isEmpty()) {
				final String[] choices = item.getChoices().stream().map(String::valueOf).toArray(String[]::new);
				dialog.addChoice(label, choices, def.isEmpty() ? choices[0] : def);
				final Choice c = (Choice) dialog.getChoices().lastElement();
				readers.put(key, c::getSelectedItem);
				field = c;
			} else if (RecordedOptions.isNumber(t)) {
				dialog.addNumericField(label, Double.parseDouble(def), digits(def), 8, "");
				final TextField f = (TextField) dialog.getNumericFields().lastElement();
				readers.put(key, f::getText);
				field = f;
			} else {
				dialog.addStringField(label, def, 18);
				final TextField f = (TextField) dialog.getStringFields().lastElement();
				readers.put(key, f::getText);
				field = f;
			}
			field.setName(key);
			final String help = options == null ? shortHelp(item) : ""; // a row of checkboxes speaks for itself
			if (!help.isEmpty()) {
				final Label l = new Label(help);
				l.setForeground(Color.DARK_GRAY);
				besides(field, l);
			}
		}

		private Button saveButton(final String label, final TextField field) {
			final Button b = new Button("Save as...");
			b.addActionListener(e -> {
				final File current = new File(field.getText());
				final SaveDialog sd = new SaveDialog(label, current.getParent(), current.getName(), "");
				if (sd.getFileName() != null)
					field.setText(new File(sd.getDirectory(), sd.getFileName()).getPath());
			});
			return b;
		}

		/** Puts {@code extra} to the right of a field: into the field's row panel, or a new one in its place. */
		private void besides(final Component field, final Component extra) {
			final Container parent = field.getParent();
			if (parent != dialog && parent != null) {
				parent.add(extra);
				return;
			}
			final Panel row = new Panel(new FlowLayout(FlowLayout.LEFT, 4, 0));
			replace(field, row);
			row.add(field);
			row.add(extra);
		}

		/** Puts {@code by} where {@code component} is in the dialog's grid (the component leaves the dialog). */
		private void replace(final Component component, final Component by) {
			final GridBagLayout layout = (GridBagLayout) dialog.getLayout();
			final GridBagConstraints c = layout.getConstraints(component);
			dialog.remove(component);
			dialog.add(by, c);
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
		return o == null || o.isBlank() ? null : ParameterLists.split(o).toArray(String[]::new);
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

	private static String escape(final String s) {
		return s.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;");
	}
}
