package org.progressionprobe.demo;

import java.io.File;
import java.util.List;

import org.progressionprobe.command.CommandFailure;
import org.progressionprobe.command.ParameterLists;
import org.progressionprobe.command.OverallProgress;
import org.progressionprobe.study.StudyStatistics;
import org.scijava.ItemIO;
import org.scijava.app.StatusService;
import org.scijava.command.Command;
import org.scijava.log.LogService;
import org.scijava.plugin.Attr;
import org.scijava.plugin.Menu;
import org.scijava.plugin.Parameter;
import org.scijava.plugin.Plugin;
import org.scijava.widget.FileWidget;

/** The demo pipeline ({@link Demo}): simulate a cohort, run the study grid on it, print the comparison. */
@Plugin(type = Command.class, menu = { @Menu(label = "Plugins"), @Menu(label = "Progression Probe"), @Menu(label = "Run Demo", weight = 6) }, headless = true,
		description = "Simulate a cohort of phantom heads (half with hippocampal atrophy) and compare alignments and crops with change features,"
				+ " plus the built-in networks' layers: offline, minutes on two cores")
public class RunDemoCommand implements Command {

	@Parameter(label = "Output folder", style = FileWidget.DIRECTORY_STYLE, description = "cohort/, study/ and demo_report.txt; a rerun resumes")
	private File output_dir;

	@Parameter(label = "Subjects", min = "8", required = false)
	private int subjects = Demo.defaults().subjects();

	@Parameter(label = "Voxel size (mm)", min = "1", max = "6", required = false)
	private double voxel_size_mm = Demo.defaults().voxelSizeMm();

	@Parameter(label = "Seed", required = false)
	private long seed = Demo.defaults().seed();

	@Parameter(label = "Extractors", required = false, description = "comma-separated: change, model packages or built-in model names")
	private String extractors = "change";

	@Parameter(label = "Networks", required = false,
			description = "comma-separated model packages or built-in names, read out layer by layer on the unaligned whole view and in the crop, unaligned, pair- and atlas-aligned (empty: none)")
	private String models = String.join(",", Demo.defaults().models());

	@Parameter(label = "Cross-validation repeats", required = false, min = "" + StudyStatistics.MIN_REPEATS, attrs = @Attr(name = "group", value = "Advanced"),
			description = "new grouped stratified splits; AUC = mean over repeats (5 recommended)")
	private int repeats = StudyStatistics.defaults().repeats();

	@Parameter(label = "Permutations", required = false, min = "0", attrs = @Attr(name = "group", value = "Advanced"),
			description = "label permutations per setting for the above-chance test (0 = none)")
	private int permutations = StudyStatistics.defaults().permutations();

	@Parameter(label = "Nested cross-validation", required = false, attrs = @Attr(name = "group", value = "Advanced"),
			description = "an honest estimate of the best setting, beside the naive best")
	private boolean nested = StudyStatistics.defaults().nested();

	@Parameter(type = ItemIO.OUTPUT, label = "Report")
	private String report;

	@Parameter
	private LogService log;

	@Parameter
	private StatusService status;

	@Override
	public void run() {
		CommandFailure.guard("Run Demo", log, () -> {
			final List<String> e = ParameterLists.split(extractors);
			report = new Demo(subjects, voxel_size_mm, seed, e, ParameterLists.split(models)).run(output_dir.toPath(), new OverallProgress("Run Demo", status, log),
					new StudyStatistics(repeats, permutations, nested));
			log.info(report);
		});
	}
}
