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
		if (!(module.getInfo() instanceof CommandInfo) || !CommandRunner.isSuiteCommand((CommandInfo) module.getInfo()))
			return;
		if (module instanceof org.scijava.Cancelable && ((org.scijava.Cancelable) module).isCanceled())
			return;
		if (ui == null || ui.isHeadless() || !ResultsDisplay.available())
			return;
		final Map<String, Object> inputs = new LinkedHashMap<>(module.getInputs());
		final Map<String, Object> outputs = new LinkedHashMap<>();
		for (final ModuleItem<?> item : module.getInfo().outputs())
			if (!item.isInput())
				outputs.put(item.getName(), item.getValue(module));
		ResultsDisplay.show(module.getInfo().getTitle(), inputs, outputs, false, platform);
	}
}
