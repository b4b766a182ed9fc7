package org.progressionprobe.demo;

import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

import org.progressionprobe.align.AtlasSource;
import org.progressionprobe.align.RoiBox;
import org.progressionprobe.command.Progress;
import org.progressionprobe.io.AtomicOutput;
import org.progressionprobe.probe.ProbeSettings;
import org.progressionprobe.report.StudyReport;
import org.progressionprobe.sim.CohortSimulator;
import org.progressionprobe.sim.SimulationSettings;
import org.progressionprobe.study.Study;
import org.progressionprobe.study.StudyPlan;
import org.progressionprobe.study.StudyResult;
import org.progressionprobe.study.StudySetting;
import org.progressionprobe.study.StudyStatistics;
import org.progressionprobe.table.Cohort;

/**
 * The demo pipeline, offline and without weights: simulates a cohort of phantom heads with and
 * without hippocampal atrophy (Simulate Cohort), then runs the study grid on it (Run Study):
 * the extractors with no alignment, pair alignment and atlas alignment, each with and without a
 * crop to the hippocampi and amygdalae, plus each network of {@code models} read out layer by
 * layer on the unaligned whole view and in that crop without alignment, after pair alignment and
 * after atlas alignment (the model-feature example, set out to show how much a pair network and a
 * single-scan network each depend on alignment and the crop), a cross-validated linear probe for
 * each, the comparison table, paired comparisons, nested cross-validation and the study report
 * ({@code study/report.html}). Everything lands in one folder; a rerun resumes where it
 * stopped.
 *
 * @param subjects cohort size (half progressors)
 * @param voxelSizeMm voxel size of the simulated scans
 * @param seed seed of the cohort and the probes
 * @param extractors the grid's extractors ("change", model packages, built-in names)
 * @param models networks (packages or built-in names) read out unaligned on the whole view and in the crop unaligned, pair- and atlas-aligned
 */
public record Demo(int subjects, double voxelSizeMm, long seed, List<String> extractors, List<String> models) {

	/** Where the cohort, the study and the report go inside the demo folder. */
	public static final String COHORT_DIR = "cohort", STUDY_DIR = "study", REPORT = "demo_report.txt";

	/** 32 subjects at 3 mm, seed 1, change features, the built-in registration network and task UNet: minutes on two cores. */
	public static Demo defaults() {
		return new Demo(32, 3, 1, List.of("change"), List.of("builtin-registration", "builtin-unet"));
	}

	private static StudyPlan modelPlan(final String model, final List<String> alignments, final String roi, final AtlasSource atlas) {
		return new StudyPlan(alignments, List.of(roi), SimulationSettings.PHANTOM_ATROPHY_LABELS, RoiBox.DEFAULT_MARGIN_MM, List.of(model),
				StudyPlan.ModelOptions.defaults(), atlas);
	}

	/**
	 * Runs the demo into {@code dir}; returns the report (also written to {@code dir/demo_report.txt}).
	 * Fails, after writing the report, when no setting of the study succeeded.
	 */
	public String run(final Path dir, final Progress progress) throws IOException {
		return run(dir, progress, StudyStatistics.defaults());
	}

	/** As {@link #run(Path, Progress)}, with these cross-validation repeats, permutations and nested cross-validation. */
	public String run(final Path dir, final Progress progress, final StudyStatistics statistics) throws IOException {
		final long start = System.nanoTime();
		final Path cohortDir = dir.resolve(COHORT_DIR);
		final SimulationSettings sim = SimulationSettings.defaults().withSubjects(subjects, seed).withVoxelSize(voxelSizeMm);
		final CohortSimulator.Result simulated = new CohortSimulator(sim, progress).run(cohortDir);
		final AtlasSource atlas = AtlasSource.simulated(cohortDir);
		final StudyPlan plan = new StudyPlan(List.of("none", "pair", "atlas"), List.of("off", "on"), SimulationSettings.PHANTOM_ATROPHY_LABELS,
				RoiBox.DEFAULT_MARGIN_MM, extractors, StudyPlan.ModelOptions.defaults(), atlas);
		final List<StudySetting> settings = new ArrayList<>(plan.settings());
		for (final String model : models) {
			settings.addAll(modelPlan(model, List.of("none"), "off", atlas).settings());
			settings.addAll(modelPlan(model, List.of("none", "pair", "atlas"), "on", atlas).settings());
		}
		final ProbeSettings probe = ProbeSettings.defaults().withSeed(seed);
		final List<StudyResult> results = new Study(settings, probe, progress).withStatistics(statistics).run(Cohort.readLabelled(simulated.cohort()), dir.resolve(STUDY_DIR));
		final Path html = new StudyReport(dir.resolve(STUDY_DIR)).write();
		final List<String> lines = new ArrayList<>();
		lines.add("Progression Probe demo: " + simulated.summary());
		lines.add("Study (" + dir.resolve(STUDY_DIR).resolve(Study.COMPARISON_CSV) + ", report " + html + "):");
		lines.add(Study.table(results));
		lines.add(String.format("Done in %.0f s. Setting ids: alignment (none, pair, atlas), -roi = cropped to %s, then the extractor.",
				(System.nanoTime() - start) * 1e-9, String.join(", ", SimulationSettings.PHANTOM_ATROPHY_LABELS)));
		final String report = String.join("\n", lines) + "\n";
		AtomicOutput.writeString(dir.resolve(REPORT), report);
		Study.requireSuccess(results);
		return report;
	}
}
