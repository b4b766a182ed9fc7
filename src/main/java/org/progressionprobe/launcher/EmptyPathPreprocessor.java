package org.progressionprobe.launcher;

import java.io.File;

import org.scijava.Priority;
import org.scijava.command.CommandInfo;
import org.scijava.log.LogService;
import org.scijava.module.Module;
import org.scijava.module.ModuleItem;
import org.scijava.module.process.AbstractPreprocessorPlugin;
import org.scijava.module.process.PreprocessorPlugin;
import org.scijava.plugin.Parameter;
import org.scijava.plugin.Plugin;

/**
 * Empty paths given to a suite command through SciJava itself (Fiji's {@code --headless --run},
 * scripts, macros): SciJava converts "" into a File with an empty path, which Java resolves to the
 * working folder. Before the command runs, an empty required path cancels it with a message naming
 * the key (logged as an error), and an empty optional path is unset (null), as in the launcher.
 * Numbers cannot be checked here: by the time preprocessors run, SciJava has already converted the
 * text ("abc" to 0) and the text is gone; the launcher and the ImageJ 1 bridge parse it strictly.
 */
@Plugin(type = PreprocessorPlugin.class, priority = Priority.HIGH)
public class EmptyPathPreprocessor extends AbstractPreprocessorPlugin {

	@Parameter(required = false)
	private LogService log;

	@Override
	public void process(final Module module) {
		if (!(module.getInfo() instanceof CommandInfo) || !CommandRunner.isSuiteCommand((CommandInfo) module.getInfo()))
			return;
		for (final ModuleItem<?> item : module.getInfo().inputs()) {
			if (item.getType() != File.class || !(item.getValue(module) instanceof File f) || !f.getPath().isBlank())
				continue;
			if (item.isRequired()) {
				final String reason = emptyPath(module.getInfo().getTitle(), item.getName());
				if (log != null)
					log.error(reason);
				cancel(reason);
				return;
			}
			module.setInput(item.getName(), null);
		}
	}

	/** The message for an empty required path. */
	static String emptyPath(final String title, final String key) {
		return title + ": '" + key + "' is empty: give a path";
	}
}
