package org.progressionprobe.ij1;

import java.net.URL;

import org.progressionprobe.command.CommandFailure;
import org.scijava.ItemIO;
import org.scijava.command.Command;
import org.scijava.log.LogService;
import org.scijava.platform.PlatformService;
import org.scijava.plugin.Menu;
import org.scijava.plugin.Parameter;
import org.scijava.plugin.Plugin;
import org.scijava.ui.UIService;

/**
 * The Help entry of the menu: opens the project's README in the web browser (only when the user
 * chooses it, and only with a display; headless it just returns the address).
 */
@Plugin(type = Command.class, menu = { @Menu(label = "Plugins"), @Menu(label = "Progression Probe"),
		@Menu(label = "Progression Probe Help", weight = 9) }, headless = true, description = "Open the README (usage, commands, macros) in the web browser")
public class HelpCommand implements Command {

	/** The README's address (the project URL of the pom). */
	public static final String README = "https://github.com/progression-probe/progression-probe#readme";

	@Parameter(type = ItemIO.OUTPUT, label = "README")
	private String url;

	@Parameter(required = false)
	private UIService ui;

	@Parameter(required = false)
	private PlatformService platform;

	@Parameter
	private LogService log;

	@Override
	public void run() {
		url = README;
		if (ui == null || ui.isHeadless() || platform == null)
			return;
		CommandFailure.guard("Progression Probe Help", log, () -> platform.open(new URL(url)));
	}
}
