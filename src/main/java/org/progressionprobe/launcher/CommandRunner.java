package org.progressionprobe.launcher;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutionException;

import org.progressionprobe.command.CommandFailure;
import org.progressionprobe.command.ParameterError;
import org.progressionprobe.command.ParameterValues;
import org.scijava.Context;
import org.scijava.command.CommandInfo;
import org.scijava.command.CommandService;
import org.scijava.convert.ConvertService;
import org.scijava.module.Module;
import org.scijava.module.ModuleItem;
import org.scijava.module.ModuleService;
import org.scijava.parse.Item;
import org.scijava.parse.ParseService;
import org.scijava.service.Service;

/**
 * Runs a Progression Probe command by title or class name with string or typed inputs, the way
 * Fiji's headless {@code --run} does: the same key syntax ({@code key1="value",key2=5}, parsed by
 * SciJava's ParseService), numbers and booleans parsed strictly, other values converted by the
 * ConvertService. Unlike a bare CommandService call it checks the inputs first: an unknown key, a
 * key given twice, a missing required one, a value that is not of the parameter's type or outside
 * its range or choices, an empty required path: each is a {@link UsageException} naming the
 * command, the key and the value; no remembered values from earlier runs are used.
 */
public final class CommandRunner {

	/** Menu prefix under which every command of the suite lives. */
	public static final String MENU_ROOT = "Plugins>Progression Probe>";

	private final Context context;
	private final CommandService commands;
	private final ConvertService convert;
	private final ParseService parser;
	private final ModuleService modules;

	public CommandRunner(final Context context) {
		this.context = context;
		this.commands = context.getService(CommandService.class);
		this.convert = context.getService(ConvertService.class);
		this.parser = context.getService(ParseService.class);
		this.modules = context.getService(ModuleService.class);
	}

	/** The suite's commands, sorted by title. */
	public List<CommandInfo> suiteCommands() {
		final List<CommandInfo> out = new ArrayList<>();
		for (final CommandInfo info : commands.getCommands())
			if (isSuiteCommand(info))
				out.add(info);
		out.sort((a, b) -> a.getTitle().compareToIgnoreCase(b.getTitle()));
		return out;
	}

	/** True for commands under {@value #MENU_ROOT}. */
	public static boolean isSuiteCommand(final CommandInfo info) {
		final org.scijava.MenuPath p = info.getMenuPath();
		return p != null && p.size() >= 3 && p.get(0).getName().equals("Plugins") && p.get(1).getName().equals("Progression Probe");
	}

	/** Finds a command by its title (case-insensitive), its menu path or its class name. */
	public CommandInfo find(final String titleOrClass) {
		final CommandInfo byClass = commands.getCommand(titleOrClass);
		if (byClass != null)
			return byClass;
		final String wanted = titleOrClass.trim();
		for (final CommandInfo info : commands.getCommands()) {
			if (info.getTitle() != null && info.getTitle().equalsIgnoreCase(wanted))
				return info;
			if (info.getMenuPath() != null && info.getMenuPath().getMenuString(false).replace(" > ", ">").equalsIgnoreCase(wanted))
				return info;
		}
		throw new UsageException("No command called '" + titleOrClass + "'. Known commands: "
				+ String.join(", ", suiteCommands().stream().map(CommandInfo::getTitle).toList()));
	}

	/** Parses Fiji's headless argument string {@code key1="value",key2=5} into a map. */
	public Map<String, Object> parseArguments(final String arguments) {
		final Map<String, Object> out = new LinkedHashMap<>();
		if (arguments == null || arguments.isBlank())
			return out;
		final List<Item> items;
		try {
			items = parser.parse(arguments, false);
		} catch (final RuntimeException e) {
			throw new UsageException("Cannot parse the arguments '" + arguments
					+ "': write them as key1=\"text\",key2=5 (quote every path and text value)", e);
		}
		for (final Item item : items) {
			if (item.name() == null)
				throw new UsageException("Argument '" + item.value() + "' has no key: write key=value");
			if (out.containsKey(item.name()))
				throw new UsageException("'" + item.name() + "' is given twice in '" + arguments + "': give each key once");
			out.put(item.name(), item.value());
		}
		return out;
	}

	/** Runs a command with inputs given as Fiji's headless argument string; returns its outputs. */
	public Map<String, Object> run(final String titleOrClass, final String arguments) {
		return run(find(titleOrClass), parseArguments(arguments));
	}

	/** Runs a command class with typed or string inputs; returns its outputs. */
	public Map<String, Object> run(final Class<? extends org.scijava.command.Command> command, final Map<String, Object> inputs) {
		final CommandInfo info = commands.getCommand(command.getName());
		if (info == null)
			throw new UsageException("Not a registered command: " + command.getName());
		return run(info, inputs);
	}

	/** Runs a command with typed or string inputs; returns its outputs, in declaration order. */
	public Map<String, Object> run(final CommandInfo info, final Map<String, Object> inputs) {
		final Module module = modules.createModule(info);
		final Map<String, Object> converted = new LinkedHashMap<>();
		final List<String> known = new ArrayList<>();
		for (final ModuleItem<?> item : info.inputs())
			if (isUserInput(item))
				known.add(item.getName());
		for (final Map.Entry<String, Object> e : inputs.entrySet()) {
			final ModuleItem<?> item = info.getInput(e.getKey());
			if (item == null || !isUserInput(item))
				throw new UsageException(info.getTitle() + ": unknown parameter '" + e.getKey() + "'. Parameters: " + String.join(", ", known));
			converted.put(e.getKey(), convertValue(info, item, e.getValue()));
		}
		for (final ModuleItem<?> item : info.inputs()) {
			if (!isUserInput(item) || converted.containsKey(item.getName()))
				continue;
			if (item.isRequired() && item.getValue(module) == null)
				throw new UsageException(info.getTitle() + ": missing parameter '" + item.getName() + "' (" + describe(item) + ")");
			module.resolveInput(item.getName());
		}
		for (final Map.Entry<String, Object> e : converted.entrySet()) {
			module.setInput(e.getKey(), e.getValue());
			module.resolveInput(e.getKey());
		}
		final Module done;
		try {
			done = modules.run(module, false).get();
		} catch (final InterruptedException e) {
			Thread.currentThread().interrupt();
			throw new IllegalStateException(info.getTitle() + " was interrupted", e);
		} catch (final ExecutionException e) {
			throw unwrap(e);
		}
		if (done instanceof org.scijava.Cancelable && ((org.scijava.Cancelable) done).isCanceled())
			throw new IllegalStateException(info.getTitle() + " was cancelled: " + ((org.scijava.Cancelable) done).getCancelReason());
		return outputs(done);
	}

	/** A finished module's outputs (items that are not also inputs), in declaration order. */
	public static Map<String, Object> outputs(final Module module) {
		final Map<String, Object> outputs = new LinkedHashMap<>();
		for (final ModuleItem<?> item : module.getInfo().outputs())
			if (!item.isInput())
				outputs.put(item.getName(), item.getValue(module));
		return outputs;
	}

	/** True for a module of one of the suite's commands that was not cancelled: what postprocessors act on. */
	public static boolean isCompletedSuiteRun(final Module module) {
		return module.getInfo() instanceof CommandInfo info && isSuiteCommand(info)
				&& !(module instanceof org.scijava.Cancelable c && c.isCanceled());
	}

	/**
	 * The most telling exception in a failed module's cause chain: a CommandFailure or ParameterError
	 * if any, else a CommandFailure with the root cause's message as CommandFailure.messageOf words it
	 * (an internal error with its type and place, never a bare exception name).
	 */
	static RuntimeException unwrap(final ExecutionException e) {
		Throwable root = e;
		for (Throwable t = e; t != null; t = t.getCause()) {
			if (t instanceof CommandFailure || t instanceof ParameterError)
				return (RuntimeException) t;
			root = t;
		}
		return new CommandFailure(CommandFailure.messageOf(root), root);
	}

	/** A problem with how a command was called: unknown command or key, missing or malformed value. */
	public static final class UsageException extends ParameterError {
		private static final long serialVersionUID = 1L;

		UsageException(final String message) {
			super(message);
		}

		UsageException(final String message, final Throwable cause) {
			super(message, cause);
		}
	}

	/**
	 * The value for a parameter. Text is read strictly for numbers and booleans (SciJava's
	 * ConvertService turns "abc" into 0 and wraps numbers that do not fit) and checked against the
	 * parameter's minimum, maximum and choices; an empty path is refused for a required parameter
	 * and means "unset" (null) for an optional one, never the working folder.
	 */
	private Object convertValue(final CommandInfo info, final ModuleItem<?> item, final Object value) {
		if (value == null || item.getType().isInstance(value) && !(value instanceof String))
			return value;
		final Class<?> t = item.getType();
		final String key = item.getName();
		if (value instanceof String text && t == java.io.File.class && text.isBlank()) {
			if (item.isRequired())
				throw new UsageException(EmptyPathPreprocessor.emptyPath(info.getTitle(), key));
			return null;
		}
		Object v;
		try {
			v = value instanceof String text ? fromText(key, text, t)
					: value instanceof Number n && !boxed(t).isInstance(n) ? fromText(key, String.valueOf(n), t) : null;
		} catch (final ParameterError e) {
			throw new UsageException(info.getTitle() + ": " + e.getMessage(), e);
		}
		if (v == null)
			v = t.isInstance(value) ? value : convert.convert(value, t);
		if (v == null)
			throw new UsageException(info.getTitle() + ": parameter '" + key + "' expects " + describe(item) + ", got '" + value + "'");
		checkRange(info, item, v, value);
		if (v instanceof String text && item.getChoices() != null && !item.getChoices().isEmpty()
				&& item.getChoices().stream().noneMatch(c -> String.valueOf(c).equalsIgnoreCase(text.trim())))
			throw new UsageException(info.getTitle() + ": " + key + " must be " + alternatives(item.getChoices()) + ", got '" + text + "'");
		return v;
	}

	/** Numbers and booleans parsed strictly; null for other types. */
	private static Object fromText(final String key, final String text, final Class<?> t) {
		if (t == int.class || t == Integer.class)
			return ParameterValues.integer(key, text);
		if (t == long.class || t == Long.class)
			return ParameterValues.integer(key, text, Long.MIN_VALUE, Long.MAX_VALUE);
		if (t == double.class || t == Double.class)
			return ParameterValues.number(key, text);
		if (t == float.class || t == Float.class)
			return (float) ParameterValues.number(key, text);
		if (t == boolean.class || t == Boolean.class)
			return ParameterValues.bool(key, text);
		return null;
	}

	/** "a, b or c". */
	private static String alternatives(final List<?> choices) {
		final List<String> c = choices.stream().map(String::valueOf).toList();
		return c.size() == 1 ? c.get(0) : String.join(", ", c.subList(0, c.size() - 1)) + " or " + c.get(c.size() - 1);
	}

	private static Class<?> boxed(final Class<?> t) {
		return t.isPrimitive() ? java.lang.invoke.MethodType.methodType(t).wrap().returnType() : t;
	}

	private static void checkRange(final CommandInfo info, final ModuleItem<?> item, final Object v, final Object given) {
		if (!(v instanceof Number n))
			return;
		final double x = n.doubleValue();
		final Number min = item.getMinimumValue() instanceof Number m ? m : null, max = item.getMaximumValue() instanceof Number m ? m : null;
		if (min != null && x < min.doubleValue() || max != null && x > max.doubleValue())
			throw new UsageException(info.getTitle() + ": " + item.getName() + " must be "
					+ (min != null && max != null ? "between " + number(min) + " and " + number(max)
							: min != null ? "at least " + number(min) : "at most " + number(max))
					+ ", got " + given);
	}

	private static String number(final Number n) {
		final double d = n.doubleValue();
		return d == Math.rint(d) && Math.abs(d) < 1e15 ? Long.toString((long) d) : Double.toString(d);
	}

	/** True for parameters a user sets: not services, not the context, not messages. */
	public static boolean isUserInput(final ModuleItem<?> item) {
		final Class<?> t = item.getType();
		return item.isInput() && !Service.class.isAssignableFrom(t) && !Context.class.isAssignableFrom(t)
				&& item.getVisibility() != org.scijava.ItemVisibility.MESSAGE;
	}

	/** Type and description of a parameter, for messages and help. */
	public static String describe(final ModuleItem<?> item) {
		final StringBuilder sb = new StringBuilder(simpleType(item.getType()));
		if (item.getChoices() != null && !item.getChoices().isEmpty())
			sb.append(" one of ").append(item.getChoices());
		if (item.getDescription() != null && !item.getDescription().isBlank())
			sb.append(": ").append(item.getDescription());
		return sb.toString();
	}

	static String simpleType(final Class<?> t) {
		if (t == java.io.File.class)
			return "path";
		if (t == String.class)
			return "text";
		if (t == int.class || t == Integer.class || t == long.class || t == Long.class)
			return "integer";
		if (t == double.class || t == Double.class || t == float.class || t == Float.class)
			return "number";
		if (t == boolean.class || t == Boolean.class)
			return "true/false";
		return t.getSimpleName();
	}

	public Context context() {
		return context;
	}
}
