package org.progressionprobe.ij1;

import org.progressionprobe.launcher.CommandRunner;
import org.scijava.Priority;
import org.scijava.module.Module;
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
		if (!CommandRunner.isCompletedSuiteRun(module))
			return;
		MacroBridge.record(module.getInfo().getTitle(), CommandRunner.outputs(module));
	}
}
