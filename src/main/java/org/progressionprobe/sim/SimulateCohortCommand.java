package org.progressionprobe.sim;

import java.io.File;
import org.progressionprobe.command.CommandFailure;
import org.progressionprobe.command.ParameterLists;
import org.progressionprobe.command.StatusProgress;
import org.scijava.ItemIO;
import org.scijava.app.StatusService;
import org.scijava.command.Command;
import org.scijava.log.LogService;
import org.scijava.plugin.Attr;
import org.scijava.plugin.Menu;
import org.scijava.plugin.Parameter;
import org.scijava.plugin.Plugin;
import org.scijava.widget.FileWidget;

/** Simulates a longitudinal cohort with known truth (scans, cohort.csv, truth.csv) from a phantom or a given atlas. */
@Plugin(type = Command.class, menu = { @Menu(label = "Plugins"), @Menu(label = "Progression Probe"), @Menu(label = "Study", weight = 5),
		@Menu(label = "Simulate Cohort", weight = 1) }, headless = true,
		description = "Simulate baseline/follow-up scan pairs with known regional atrophy and head motion, a cohort.csv and a truth.csv")
public class SimulateCohortCommand implements Command {

	@Parameter(label = "Output folder", style = FileWidget.DIRECTORY_STYLE, description = "where scans, cohort.csv and truth.csv go; a rerun resumes")
	private File output_dir;

	@Parameter(label = "Subjects", min = "1", description = "number of subjects")
	private int subjects = SimulationSettings.defaults().subjects();

	@Parameter(label = "Seed", description = "same seed, same files")
	private long seed = SimulationSettings.defaults().seed();

	@Parameter(label = "Progressor fraction", min = "0", max = "1", description = "share of subjects with atrophy (label 1)")
	private double progressor_fraction = SimulationSettings.defaults().progressorFraction();

	@Parameter(label = "Atrophy (%)", min = "0", max = "40", description = "mean volume loss of each atrophy label in a progressor (each draws within +-50%)")
	private double atrophy_percent = SimulationSettings.defaults().atrophyPercent();

	@Parameter(label = "Normal ageing (%)", min = "0", max = "40", description = "mean volume loss of each atrophy label in a stable subject",
			attrs = @Attr(name = "group", value = "Advanced"))
	private double ageing_percent = SimulationSettings.defaults().ageingPercent();

	@Parameter(label = "Atrophy labels", required = false,
			description = "comma-separated label names or regular expressions; empty: Hippocampus.*,Amygdala.* (phantom) or Hippocampus.* (given atlas)",
			attrs = @Attr(name = "group", value = "Advanced"))
	private String atrophy_labels = String.join(",", SimulationSettings.defaults().atrophyLabels());

	@Parameter(label = "Fill labels", required = false, description = "labels that take up the lost volume (none found: unlabelled tissue)",
			attrs = @Attr(name = "group", value = "Advanced"))
	private String fill_labels = String.join(",", SimulationSettings.defaults().fillLabels());

	@Parameter(label = "Max rotation (deg)", min = "0", max = "30", description = "largest head rotation between scans, per axis",
			attrs = @Attr(name = "group", value = "Advanced"))
	private double max_rotation_deg = SimulationSettings.defaults().maxRotationDeg();

	@Parameter(label = "Max shift (mm)", min = "0", max = "50", description = "largest head shift between scans, per axis",
			attrs = @Attr(name = "group", value = "Advanced"))
	private double max_shift_mm = SimulationSettings.defaults().maxShiftMm();

	@Parameter(label = "Noise", min = "0", max = "1", description = "Rician noise sigma as a fraction of the white-matter intensity",
			attrs = @Attr(name = "group", value = "Advanced"))
	private double noise = SimulationSettings.defaults().noise();

	@Parameter(label = "Bias", min = "0", max = "1", description = "strength of the smooth multiplicative bias field (RMS of its log)",
			attrs = @Attr(name = "group", value = "Advanced"))
	private double bias = SimulationSettings.defaults().bias();

	@Parameter(label = "Anatomical variation (mm)", min = "0", max = "10", description = "RMS of the smooth random displacement between subjects",
			attrs = @Attr(name = "group", value = "Advanced"))
	private double anatomy_mm = SimulationSettings.defaults().anatomyMm();

	@Parameter(label = "Voxel size (mm)", min = "0.5", max = "10", description = "phantom voxel size; a given atlas is coarsened to it")
	private double voxel_size_mm = SimulationSettings.defaults().voxelSizeMm();

	@Parameter(label = "Template (optional)", required = false, style = FileWidget.OPEN_STYLE, description = "e.g. Colin27 ch2.nii.gz; empty: the phantom")
	private File template;

	@Parameter(label = "Atlas labels (optional)", required = false, style = FileWidget.OPEN_STYLE, description = "label image on the template's grid, e.g. aal.nii.gz")
	private File atlas;

	@Parameter(label = "Atlas label names (optional)", required = false, style = FileWidget.OPEN_STYLE, description = "'value name' lines, e.g. aal.nii.txt")
	private File atlas_names;

	@Parameter(label = "Write baseline label maps", description = "sub-*_baseline_labels.nii.gz")
	private boolean write_labels = SimulationSettings.defaults().writeLabels();

	@Parameter(label = "Write true displacement fields", description = "sub-*_displacement.nii.gz: the atrophy displacement, follow-up to baseline, mm",
			attrs = @Attr(name = "group", value = "Advanced"))
	private boolean write_displacement = SimulationSettings.defaults().writeDisplacement();

	@Parameter(label = "Write true maps to the atlas", description = "sub-*_anatomy.nii.gz: baseline point p shows the atlas at p + a(p), mm",
			attrs = @Attr(name = "group", value = "Advanced"))
	private boolean write_anatomy = SimulationSettings.defaults().writeAnatomy();

	@Parameter(type = ItemIO.OUTPUT, label = "Cohort file")
	private File cohort;

	@Parameter(type = ItemIO.OUTPUT, label = "Summary")
	private String summary;

	@Parameter
	private LogService log;

	@Parameter(required = false)
	private StatusService status;

	@Override
	public void run() {
		CommandFailure.guard("Simulate Cohort", log, () -> {
			final SimulationSettings settings = new SimulationSettings(subjects, seed, progressor_fraction, atrophy_percent, ageing_percent,
					ParameterLists.split(atrophy_labels), ParameterLists.split(fill_labels), max_rotation_deg, max_shift_mm, noise, bias, anatomy_mm, voxel_size_mm, path(template),
					path(atlas), path(atlas_names), write_labels, write_displacement, write_anatomy);
			final CohortSimulator.Result r = new CohortSimulator(settings, new StatusProgress(status, log)).run(output_dir.toPath());
			cohort = r.cohort().toFile();
			summary = r.summary();
			log.info(summary);
		});
	}

	private static java.nio.file.Path path(final File f) {
		return f == null || f.getPath().isEmpty() ? null : f.toPath();
	}
}
