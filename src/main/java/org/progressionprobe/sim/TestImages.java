package org.progressionprobe.sim;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.List;

import org.progressionprobe.command.Progress;
import org.progressionprobe.io.AtomicOutput;

/**
 * Writes the small volumes kept in the repository's {@code test-images/} folder, for the README's
 * demo and for tests of other steps, from the simulator itself (4 mm phantom, fixed seeds):
 * <ul>
 * <li>{@code phantom_baseline.nii.gz}, {@code phantom_followup.nii.gz}: one progressor's pair;
 * {@code phantom_labels.nii.gz}: its baseline labels; {@code phantom_displacement.nii.gz}: its true
 * atrophy displacement (follow-up to baseline, mm); {@code phantom_truth.csv}: its truth row</li>
 * <li>{@code atlas_template.nii.gz}, {@code atlas_labels.nii.gz}, {@code atlas_labels.txt}: the 4 mm phantom atlas</li>
 * <li>{@code cohort/}: {@code cohort.csv} and {@code truth.csv} of 6 subjects (3 progressors) with
 * their scans and baseline labels</li>
 * </ul>
 * Run {@code scripts/make-test-images.sh} (or this class with the output folder as argument);
 * the same code always writes the same content.
 */
public final class TestImages {

	/** Seeds and sizes of the committed images. */
	static final long PAIR_SEED = 2026, COHORT_SEED = 7;
	static final int COHORT_SUBJECTS = 6;
	static final double VOXEL_MM = 4;

	private TestImages() {}

	public static void main(final String[] args) throws IOException {
		final Path out = Path.of(args.length > 0 ? args[0] : "test-images");
		write(out);
		System.out.println("Test images written to " + out.toAbsolutePath());
	}

	/** Writes every test image into {@code out} (created if needed), replacing earlier versions. */
	public static void write(final Path out) throws IOException {
		Files.createDirectories(out.resolve("cohort"));
		final Path work = Files.createTempDirectory("progression-test-images");
		try {
			final SimulationSettings base = SimulationSettings.defaults().withVoxelSize(VOXEL_MM);
			final Path pair = work.resolve("pair");
			new CohortSimulator(base.withSubjects(1, PAIR_SEED).withAtrophy(1, base.atrophyPercent(), base.ageingPercent()).withOutputs(true, true, false),
					Progress.NONE, 1).run(pair);
			copy(pair.resolve("sub-001_baseline.nii.gz"), out.resolve("phantom_baseline.nii.gz"));
			copy(pair.resolve("sub-001_followup.nii.gz"), out.resolve("phantom_followup.nii.gz"));
			copy(pair.resolve("sub-001_baseline_labels.nii.gz"), out.resolve("phantom_labels.nii.gz"));
			copy(pair.resolve("sub-001_displacement.nii.gz"), out.resolve("phantom_displacement.nii.gz"));
			copy(pair.resolve(CohortSimulator.TRUTH), out.resolve("phantom_truth.csv"));
			for (final Path f : CohortSimulator.atlasFiles(pair))
				copy(f, out.resolve(f.getFileName().toString()));

			final Path cohort = work.resolve("cohort");
			new CohortSimulator(base.withSubjects(COHORT_SUBJECTS, COHORT_SEED).withOutputs(true, false, false), Progress.NONE, 1).run(cohort);
			copy(cohort.resolve(CohortSimulator.COHORT), out.resolve("cohort").resolve(CohortSimulator.COHORT));
			copy(cohort.resolve(CohortSimulator.TRUTH), out.resolve("cohort").resolve(CohortSimulator.TRUTH));
			for (int i = 1; i <= COHORT_SUBJECTS; i++)
				for (final String kind : List.of("baseline", "followup", "baseline_labels")) {
					final String f = String.format("sub-%03d_%s.nii.gz", i, kind);
					copy(cohort.resolve(f), out.resolve("cohort").resolve(f));
				}
		} finally {
			try (var files = Files.walk(work)) {
				for (final Path p : files.sorted(java.util.Comparator.reverseOrder()).toList())
					Files.deleteIfExists(p);
			}
		}
	}

	private static void copy(final Path from, final Path to) throws IOException {
		AtomicOutput.produce(to, tmp -> Files.copy(from, tmp, StandardCopyOption.REPLACE_EXISTING));
	}
}
