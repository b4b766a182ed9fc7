package org.progressionprobe.report;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
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
import org.progressionprobe.features.model.TestNets;
import org.progressionprobe.launcher.CommandRunner;
import org.progressionprobe.study.Study;
import org.progressionprobe.study.StudyPlan;
import org.progressionprobe.study.StudySetting;
import org.progressionprobe.table.FeatureTable;
import org.progressionprobe.testing.BallCohort;
import org.scijava.Context;

class RunStudyCommandTest {

	@TempDir
	static Path dir;
	static Context context;
	static Path cohort;

	@BeforeAll
	static void makeCohort() throws IOException {
		context = new Context();
		cohort = BallCohort.write(dir, 16, 7);
	}

	@AfterAll
	static void closeContext() {
		context.dispose();
	}

	@Test
	void changeFeaturesSeparateProgressorsAndTheTableIsWritten() throws IOException {
		final Path out = dir.resolve("study");
		final Map<String, Object> outputs = new CommandRunner(context).run(RunStudyCommand.class,
				Map.of("cohort", cohort.toFile(), "output_dir", out.toFile(), "alignments", "none,pair", "folds", 4, "bootstrap", 200, "repeats", 2,
						"permutations", 9));
		final String table = (String) outputs.get("table");
		assertTrue(table.contains("none_change") && table.contains("pair_change"), table);
		assertTrue(Files.exists(out.resolve(Study.COMPARISON_PNG)), table);
		assertTrue(Files.exists(out.resolve("probes/none_change/roc.png")));
		final FeatureTable comparison = assertDoesNotThrowRead(out.resolve(Study.COMPARISON_CSV));
		assertEquals(2, comparison.rowCount());
		for (int r = 0; r < 2; r++)
			assertTrue(comparison.number(r, "auc") >= 0.85, "AUC of " + comparison.text(r, "setting") + " is " + comparison.number(r, "auc"));
		assertEquals(16, comparison.number(0, "subjects"));
		for (int r = 0; r < 2; r++) {
			assertEquals(2, comparison.number(r, "repeats"));
			assertEquals(0.1, comparison.number(r, "p_permutation"), 1e-12, "no label permutation reaches the true labels' AUC");
		}
		final FeatureTable pairs = FeatureTable.read(out.resolve(Study.COMPARISONS_CSV));
		assertEquals(List.of("pair_change"), pairs.texts("setting"));
		assertEquals(List.of("none_change"), pairs.texts("reference"));
		assertTrue(Files.readString(out.resolve(StudyReport.REPORT_HTML)).contains(pairs.text(0, "reading")));
		assertTrue(Files.exists(out.resolve(Study.NESTED_CSV)));
		try (java.util.stream.Stream<Path> transforms = Files.list(out.resolve(Study.TRANSFORMS_DIR))) {
			assertEquals(16, transforms.count(), "one pair registration per subject, kept for the other settings and reruns");
		}
	}

	@Test
	void aNetworkIsComparedLayerByLayer() throws IOException {
		final Path model = TestNets.pairnet(dir.resolve("pairnet"), "onnx");
		final Path out = dir.resolve("study-net");
		new CommandRunner(context).run(RunStudyCommand.class, Map.of("cohort", cohort.toFile(), "output_dir", out.toFile(), "alignments", "pair",
				"extractors", model.toString(), "folds", 4, "bootstrap", 100, "c", "1"));
		final FeatureTable comparison = FeatureTable.read(out.resolve(Study.COMPARISON_CSV));
		assertEquals(List.of("all", "enc1", "enc2", "enc3"), comparison.texts("layer"));
		assertEquals(List.of("8", "16", "32"), comparison.texts("features").subList(1, 4), "one pooled value per channel");
		for (int r = 0; r < 4; r++)
			assertEquals("", comparison.text(r, "error"));
	}

	@Test
	void atlasAlignmentOrACropWithoutAnAtlasUseThePhantomAtlas() throws IOException {
		final List<StudySetting> settings = new StudyPlan(List.of("none", "atlas"), List.of("off", "on"), List.of("Hippocampus.*"), 10,
				List.of(StudySetting.CHANGE), StudyPlan.ModelOptions.defaults(), null).settings();
		assertEquals(4, settings.size());
		assertNull(settings.get(0).atlas(), "none without a crop needs no atlas");
		for (final StudySetting s : settings.subList(1, 4)) {
			assertTrue(Files.exists(s.atlas().template()), s.id());
			assertEquals(2, s.atlas().load().labelsMatching(List.of("Hippocampus.*")).size(), s.id());
		}
	}

	@Test
	void aStudyInWhichNoSettingSucceededFailsAndOneWithSomeFailedSaysSo() throws IOException {
		final Path cohortDir = Files.createDirectories(dir.resolve("nan-cohort"));
		final Path nanCohort = BallCohort.write(cohortDir, 4, 9);
		for (int i = 0; i < 4; i++) {
			final Path scan = cohortDir.resolve("s" + i + "_b.nii.gz");
			final org.progressionprobe.volume.Volume v = org.progressionprobe.io.VolumeIO.read(scan);
			v.set(0, 0, 0, Float.NaN);
			org.progressionprobe.io.VolumeIO.write(v, scan);
		}
		final Path failed = dir.resolve("study-all-failed");
		final RuntimeException e = assertThrows(RuntimeException.class, () -> new CommandRunner(context).run(RunStudyCommand.class,
				Map.of("cohort", nanCohort.toFile(), "output_dir", failed.toFile(), "alignments", "none,pair", "folds", 2, "bootstrap", 10)));
		assertTrue(e.getMessage().startsWith("No setting succeeded: 2 of 2 settings failed: none_change (4 subject(s) failed")
				&& e.getMessage().contains("non-finite"), e.getMessage());
		assertEquals(2, FeatureTable.read(failed.resolve(Study.COMPARISON_CSV)).rowCount(), "the comparison still lists the errors");

		final Path noModel = Files.createDirectories(dir.resolve("not-a-model"));
		final Map<String, Object> outputs = new CommandRunner(context).run(RunStudyCommand.class, Map.of("cohort", cohort.toFile(), "output_dir",
				dir.resolve("study-some-failed").toFile(), "alignments", "none", "extractors", "change," + noModel, "folds", 4, "bootstrap", 50));
		final String table = (String) outputs.get("table");
		assertTrue(table.contains("none_change ") && table.contains("1 of 2 settings failed: none_not-a-model ("), table);
	}

	@Test
	void anUnknownAlignmentIsRefusedUpFront() {
		final RuntimeException e = assertThrows(RuntimeException.class, () -> new CommandRunner(context).run(RunStudyCommand.class,
				Map.of("cohort", cohort.toFile(), "output_dir", dir.resolve("x").toFile(), "alignments", "elastic")));
		assertTrue(e.getMessage().contains("Unknown alignment 'elastic'"), e.getMessage());
	}

	private static FeatureTable assertDoesNotThrowRead(final Path p) {
		try {
			return FeatureTable.read(p);
		} catch (final IOException e) {
			throw new AssertionError(e);
		}
	}
}
