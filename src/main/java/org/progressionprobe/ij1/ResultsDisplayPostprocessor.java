package org.progressionprobe.ij1;

import java.util.LinkedHashMap;

import org.progressionprobe.launcher.CommandRunner;
import org.scijava.Priority;
import org.scijava.module.Module;
import org.scijava.module.process.AbstractPostprocessorPlugin;
import org.scijava.module.process.PostprocessorPlugin;
import org.scijava.platform.PlatformService;
import org.scijava.plugin.Parameter;
import org.scijava.plugin.Plugin;
import org.scijava.ui.UIService;

/**
 * In Fiji, shows the results of every suite command run from the menu or a macro through
 * {@link ResultsDisplay}; nothing when headless or in a batch-mode macro. The outputs themselves
 * (Open Volume's image, Engine Info's report) are left to Fiji, which shows them itself; a study's
 * {@code report.html} opens in the web browser.
 */
@Plugin(type = PostprocessorPlugin.class, priority = Priority.VERY_LOW)
public class ResultsDisplayPostprocessor extends AbstractPostprocessorPlugin {

	@Parameter(required = false)
	private UIService ui;

	@Parameter(required = false)
	private PlatformService platform;

	@Override
	public void process(final Module module) {
		if (!CommandRunner.isCompletedSuiteRun(module))
			return;
		if (ui == null || ui.isHeadless() || !ResultsDisplay.available())
			return;
		ResultsDisplay.show(module.getInfo().getTitle(), new LinkedHashMap<>(module.getInputs()), CommandRunner.outputs(module), false, platform);
	}
}
