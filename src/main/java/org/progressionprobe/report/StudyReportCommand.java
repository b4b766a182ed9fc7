package org.progressionprobe.report;

import java.io.File;

import org.progressionprobe.command.CommandFailure;
import org.scijava.ItemIO;
import org.scijava.command.Command;
import org.scijava.log.LogService;
import org.scijava.plugin.Menu;
import org.scijava.plugin.Parameter;
import org.scijava.plugin.Plugin;
import org.scijava.widget.FileWidget;

/** (Re)builds the report of an existing study folder: figures (PNG and SVG) and {@code report.html}. */
@Plugin(type = Command.class, menu = { @Menu(label = "Plugins"), @Menu(label = "Progression Probe"), @Menu(label = "Study", weight = 5),
		@Menu(label = "Study Report", weight = 3) }, headless = true,
		description = "Build report.html and the figures (forest plot, heatmap, ROC curves) from a study folder written by Run Study")
public class StudyReportCommand implements Command {

	@Parameter(label = "Study folder", style = FileWidget.DIRECTORY_STYLE, description = "the output folder of Run Study (holds comparison.csv)")
	private File study_dir;

	@Parameter(type = ItemIO.OUTPUT, label = "Report")
	private String report;

	@Parameter
	private LogService log;

	@Override
	public void run() {
		CommandFailure.guard("Study Report", log, () -> {
			report = new StudyReport(study_dir.toPath()).write().toString();
			log.info("Study Report: " + report);
		});
	}
}
