package org.progressionprobe.ij1;

import java.util.LinkedHashMap;
import java.util.Map;

import org.progressionprobe.launcher.CommandRunner;
import org.scijava.Priority;
import org.scijava.command.CommandInfo;
import org.scijava.module.Module;
import org.scijava.module.ModuleItem;
import org.scijava.module.process.AbstractPostprocessorPlugin;
import org.scijava.module.process.PostprocessorPlugin;
import org.scijava.plugin.Plugin;

/**
 * Hands the outputs of every suite command run through SciJava's module machinery (Fiji's menus and
 * macros, {@code --run}, scripts) to {@link MacroBridge}, so that an ImageJ macro in Fiji reads them
 * with the same {@code call(...)} as in plain ImageJ.
 */
@Plugin(type = PostprocessorPlugin.class, priority = Priority.VERY_LOW)
public class OutputRecorder extends AbstractPostprocessorPlugin {

	@Override
	public void process(final Module module) {
		if (!(module.getInfo() instanceof CommandInfo) || !CommandRunner.isSuiteCommand((CommandInfo) module.getInfo()))
			return;
		if (module instanceof org.scijava.Cancelable && ((org.scijava.Cancelable) module).isCanceled())
			return;
		final Map<String, Object> outputs = new LinkedHashMap<>();
		for (final ModuleItem<?> item : module.getInfo().outputs())
			if (!item.isInput())
				outputs.put(item.getName(), item.getValue(module));
		MacroBridge.record(module.getInfo().getTitle(), outputs);
	}
}
