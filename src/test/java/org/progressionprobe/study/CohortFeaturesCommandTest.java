package org.progressionprobe.study;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.progressionprobe.command.Progress;
import org.progressionprobe.features.model.TestNets;
import org.progressionprobe.launcher.CommandRunner;
import org.progressionprobe.table.FeatureTable;
import org.progressionprobe.sim.CohortSimulator;
import org.progressionprobe.sim.SimulationSettings;
import org.progressionprobe.testing.BallCohort;
import org.scijava.Context;

class CohortFeaturesCommandTest {

	@TempDir
	static Path dir;
	static Context context;
	static Path cohort;

	@BeforeAll
	static void setUp() throws IOException {
		context = new Context();
		cohort = BallCohort.write(dir, 6, 11);
	}

	@AfterAll
	static void tearDown() {
		context.dispose();
	}

	private Map<String, Object> run(final Map<String, Object> inputs) {
		return new CommandRunner(context).run(CohortFeaturesCommand.class, inputs);
	}

	@Test
	void withACropChangeFeaturesPoolTheRegionOfInterestAndEveryValueIsFinite() throws IOException {
		final Path images = Path.of("test-images");
		final Path out = dir.resolve("roi.csv");
		run(Map.of("cohort", images.resolve("cohort/cohort.csv").toFile(), "output", out.toFile(), "alignment", "pair", "roi", "on",
				"roi_labels", "Hippocampus.*", "atlas", images.resolve("atlas_template.nii.gz").toFile(), "atlas_labels",
				images.resolve("atlas_labels.nii.gz").toFile(), "atlas_names", images.resolve("atlas_labels.txt").toFile()));
		final FeatureTable t = FeatureTable.read(out);
		assertEquals(6, t.rowCount());
		assertEquals(List.of("foreground", "Hippocampus_L", "Hippocampus_R"),
				t.numericColumns(List.of("label")).stream().map(n -> n.substring(n.indexOf('_', n.indexOf('_') + 1) + 1)).distinct().toList());
		for (int r = 0; r < t.rowCount(); r++)
			for (final String n : t.numericColumns(List.of("label")))
				assertTrue(Double.isFinite(t.number(r, n)), n + " of row " + r);
	}

	@Test
	void atlasSpaceAtAChosenVoxelSizeAndThreadsAndPairsAtOnceThatChangeNoNumber() throws IOException {
		final Path images = Path.of("test-images");
		final Map<String, Object> common = Map.of("cohort", images.resolve("cohort/cohort.csv").toFile(), "alignment", "atlas", "atlas",
				images.resolve("atlas_template.nii.gz").toFile(), "atlas_labels", images.resolve("atlas_labels.nii.gz").toFile(), "atlas_names",
				images.resolve("atlas_labels.txt").toFile(), "atlas_voxel_mm", "8");
		final Path serial = dir.resolve("atlas8-serial.csv"), parallel = dir.resolve("atlas8-parallel.csv");
		final Map<String, Object> one = new java.util.HashMap<>(common), two = new java.util.HashMap<>(common);
		one.putAll(Map.of("output", serial.toFile(), "threads", 1, "parallel_pairs", 1));
		two.putAll(Map.of("output", parallel.toFile(), "threads", 2, "parallel_pairs", 3));
		run(one);
		run(two);
		assertEquals(Files.readString(serial), Files.readString(parallel));
		final FeatureTable t = FeatureTable.read(parallel);
		assertEquals(6, t.rowCount());
		assertEquals("8.0", t.provenance().get("prepare.atlas_voxel_mm"));
		assertTrue(t.hasColumn("logjac_mean_Hippocampus_L"), t.columns().toString());
		for (int r = 0; r < t.rowCount(); r++)
			assertTrue(Double.isFinite(t.number(r, "logjac_mean_Hippocampus_L")), "row " + r);
	}

	@Test
	void withoutAnAtlasTheCohortsOwnBaselineLabelsArePooled() throws IOException {
		final Path out = dir.resolve("own-labels.csv");
		run(Map.of("cohort", Path.of("test-images/cohort/cohort.csv").toFile(), "output", out.toFile()));
		final FeatureTable t = FeatureTable.read(out);
		assertTrue(t.hasColumn("logjac_mean_label_14") && !t.hasColumn("logjac_mean_cell_0_0_0"), t.columns().toString());
		assertTrue(t.provenance().get("prepare.labels").contains("baseline_labels"), t.provenance().toString());
	}

	@Test
	void changeFeaturesOfACohortAndAResumedRunComputesNothing() throws IOException {
		final Path out = dir.resolve("change.csv");
		assertTrue(((String) run(Map.of("cohort", cohort.toFile(), "output", out.toFile())).get("summary")).startsWith("6 computed, 0 reused"));
		final FeatureTable t = FeatureTable.read(out);
		assertEquals(6, t.rowCount());
		assertEquals("none", t.provenance().get("prepare.alignment"));
		// progressors (odd subjects) lost 15% of the ball: its voxels contract, so the low tail of the log-Jacobian drops
		// below ln(0.85) = -0.16, the value of a uniform contraction
		for (int r = 0; r < 6; r++)
			if (r % 2 == 1)
				assertTrue(t.number(r, "logjac_p5_foreground") < -0.16, "progressor " + r + ": " + t.number(r, "logjac_p5_foreground"));
			else
				assertTrue(t.number(r, "logjac_p5_foreground") > -0.1, "stable " + r + ": " + t.number(r, "logjac_p5_foreground"));
		assertEquals("0 computed, 6 reused; wrote " + out, run(Map.of("cohort", cohort.toFile(), "output", out.toFile())).get("summary"));
	}

	@Test
	void modelFeaturesOfACohortAfterPairAlignment() throws IOException {
		final Path model = TestNets.pairnet(dir.resolve("pairnet"), "onnx");
		final Path out = dir.resolve("pairnet.csv");
		run(Map.of("cohort", cohort.toFile(), "output", out.toFile(), "extractor", model.toString(), "alignment", "pair", "layers", "enc2,enc3"));
		final FeatureTable t = FeatureTable.read(out);
		assertEquals(6, t.rowCount());
		assertEquals(2 + 16 + 32, t.columns().size(), "subject, label, 16 enc2 and 32 enc3 channels");
		assertTrue(t.hasColumn("enc3_gap_c31"), t.columns().toString());
		assertEquals("onnx", t.provenance().get("features.weights").split(" ")[0]);
	}

	@Test
	void aScanWithNaNVoxelsIsARecordedFailureOfModelFeaturesNamingTheFile() throws IOException {
		final Path cohortDir = Files.createDirectories(dir.resolve("nan-cohort"));
		final Path nanCohort = BallCohort.write(cohortDir, 4, 5);
		final Path scan = cohortDir.resolve("s2_b.nii.gz");
		final org.progressionprobe.volume.Volume v = org.progressionprobe.io.VolumeIO.read(scan);
		java.util.Arrays.fill(v.data(), 0, 30, Float.NaN);
		org.progressionprobe.io.VolumeIO.write(v, scan);
		final Path model = TestNets.pairnet(dir.resolve("pairnet-nan"), "onnx");
		final Path out = dir.resolve("nan.csv");
		final RuntimeException e = assertThrows(RuntimeException.class,
				() -> run(Map.of("cohort", nanCohort.toFile(), "output", out.toFile(), "extractor", model.toString())));
		assertTrue(e.getMessage().contains("1 of 4 subjects failed") && e.getMessage().contains(scan.toString()), e.getMessage());
		final String errors = Files.readString(dir.resolve("nan.csv.errors.csv"));
		assertTrue(errors.contains("s2,") && errors.contains("baseline scan " + scan) && errors.contains("30 non-finite voxels"), errors);
		assertEquals(3, Files.readAllLines(dir.resolve("nan.csv.partial")).stream().filter(l -> l.matches("s[0-3],.*")).count(),
				"the three other subjects are kept, s2 is not");
		for (final String subject : List.of("s0", "s1", "s3"))
			org.progressionprobe.io.VolumeIO.write(v, cohortDir.resolve(subject + "_b.nii.gz"));
		final RuntimeException all = assertThrows(RuntimeException.class,
				() -> run(Map.of("cohort", nanCohort.toFile(), "output", dir.resolve("nan-all.csv").toFile())));
		assertTrue(all.getMessage().contains("no subject succeeded, all 4 of 4 subjects failed"), all.getMessage());
	}

	@Test
	void withoutAlignmentPreRegistrationSeparatesProgressorsWithRepositionedHeadsBetter() throws IOException {
		final Path simulated = dir.resolve("moving-heads");
		final SimulationSettings sim = SimulationSettings.defaults().withSubjects(12, 21).withVoxelSize(3).withAtrophy(0.5, 20, 1).withMotion(5, 6);
		final Path cohortFile = new CohortSimulator(sim, Progress.NONE).run(simulated).cohort();
		final Path[] atlas = CohortSimulator.atlasFiles(simulated);
		final Map<String, Double> auc = new java.util.LinkedHashMap<>();
		for (final String prealign : List.of("affine", "none")) {
			final Path out = dir.resolve("moving-heads-" + prealign + ".csv");
			run(Map.of("cohort", cohortFile.toFile(), "output", out.toFile(), "alignment", "none", "atlas", atlas[0].toFile(), "atlas_labels",
					atlas[1].toFile(), "atlas_names", atlas[2].toFile(), "prealign", prealign));
			final FeatureTable t = FeatureTable.read(out);
			assertTrue(t.provenance().get("features.prealign").startsWith(prealign), t.provenance().toString());
			auc.put(prealign, shrinkageAuc(t));
		}
		// progressors lose 20% of their hippocampi and amygdalae on average: the mean log-Jacobian there is lower
		assertTrue(auc.get("affine") >= 0.8 && auc.get("affine") > auc.get("none") + 0.05, auc.toString());
	}

	/** AUC of minus the summed mean log-Jacobian of the hippocampi and amygdalae for telling progressors (label 1) from stable subjects. */
	private static double shrinkageAuc(final FeatureTable t) {
		final List<String> columns = t.numericColumns(List.of("label")).stream()
				.filter(c -> c.matches("logjac_mean_(Hippocampus|Amygdala)_[LR]")).toList();
		assertEquals(4, columns.size(), columns.toString());
		final List<Double> progressors = new java.util.ArrayList<>(), stable = new java.util.ArrayList<>();
		for (int r = 0; r < t.rowCount(); r++) {
			double sum = 0;
			for (final String c : columns)
				sum += t.number(r, c);
			(t.number(r, "label") == 1 ? progressors : stable).add(-sum);
		}
		double wins = 0;
		for (final double p : progressors)
			for (final double q : stable)
				wins += p > q ? 1 : p == q ? 0.5 : 0;
		return wins / (progressors.size() * stable.size());
	}

	@Test
	void aCohortWithAMissingScanIsRefusedNamingIt() throws IOException {
		final Path bad = dir.resolve("bad.csv");
		Files.writeString(bad, Files.readString(cohort).replace("s3_f.nii.gz", "s3_gone.nii.gz"));
		final RuntimeException e = assertThrows(RuntimeException.class, () -> run(Map.of("cohort", bad.toFile(), "output", dir.resolve("x.csv").toFile())));
		assertTrue(e.getMessage().contains("s3_gone.nii.gz not found"), e.getMessage());
		assertTrue(!Files.exists(dir.resolve("x.csv")));
	}
}
