package org.progressionprobe.features.model;

import org.progressionprobe.command.CommandFailure;
import org.scijava.ItemIO;
import org.scijava.command.Command;
import org.scijava.log.LogService;
import org.scijava.plugin.Menu;
import org.scijava.plugin.Parameter;
import org.scijava.plugin.Plugin;

/** Lists the inference engines for model features, their versions and devices. */
@Plugin(type = Command.class, menu = { @Menu(label = "Plugins"), @Menu(label = "Progression Probe"), @Menu(label = "Engine Info", weight = 8) }, headless = true,
		description = "Inference engines (ONNX Runtime, PyTorch, TensorFlow) with versions and devices")
public class EngineInfoCommand implements Command {

	@Parameter(type = ItemIO.OUTPUT, label = "Engines")
	private String info;

	@Parameter
	private LogService log;

	@Override
	public void run() {
		CommandFailure.guard("Engine Info", log, () -> {
			info = EngineInfo.describe();
			log.info(info);
		});
	}
}
