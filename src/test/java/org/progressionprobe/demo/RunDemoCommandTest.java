package org.progressionprobe.demo;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.progressionprobe.launcher.CommandRunner;
import org.progressionprobe.study.Study;
import org.progressionprobe.table.FeatureTable;
import org.scijava.Context;

class RunDemoCommandTest {

	@TempDir
	Path dir;

	@Test
	void simulatesACohortRunsTheStudyGridAndResumes() throws Exception {
		final Context context = new Context();
		try {
			final Map<String, Object> inputs = Map.of("output_dir", dir.toFile(), "subjects", 10, "voxel_size_mm", 6);
			final String report = (String) new CommandRunner(context).run(RunDemoCommand.class, inputs).get("report");
			final FeatureTable comparison = FeatureTable.read(dir.resolve("study").resolve(Study.COMPARISON_CSV));
			final List<String> settings = comparison.texts("setting"), layers = comparison.texts("layer");
			assertEquals(List.of("none_change", "none-roi_change", "pair_change", "pair-roi_change", "atlas_change", "atlas-roi_change"),
					settings.subList(0, 6));
			final List<String> registrationLayers = List.of("all", "enc1", "enc2", "enc3", "volume_change"),
					unetLayers = List.of("all", "enc1", "enc2", "enc3", "dec2", "dec1", "probabilities");
			int row = 6;
			for (final String network : List.of("builtin-registration", "builtin-unet")) {
				final List<String> networkLayers = network.equals("builtin-unet") ? unetLayers : registrationLayers;
				for (final String readout : List.of("none", "none-roi", "pair-roi", "atlas-roi")) {
					final int end = row + networkLayers.size();
					assertEquals(networkLayers, layers.subList(row, end), "the network " + network + " layer by layer, " + readout);
					for (final String s : settings.subList(row, end))
						assertEquals(readout + "_" + network, s);
					row = end;
				}
			}
			assertEquals(row, comparison.rowCount());
			try (java.util.stream.Stream<Path> transforms = Files.list(dir.resolve("study").resolve(Study.TRANSFORMS_DIR))) {
				assertEquals(30, transforms.count(), "each subject's follow-up registered to its baseline and both scans to the atlas, once for all settings");
			}
			for (int r = 0; r < comparison.rowCount(); r++) {
				assertEquals("", comparison.text(r, "error"), comparison.text(r, "setting"));
				assertEquals(10, comparison.number(r, "subjects"));
			}
			assertTrue(report.contains("10 subjects (5 progressors, 5 stable)"), report);
			assertEquals(report, Files.readString(dir.resolve(Demo.REPORT)));
			final String again = (String) new CommandRunner(context).run(RunDemoCommand.class, inputs).get("report");
			assertTrue(again.contains("0 simulated, 10 already complete"), again);
		} finally {
			context.dispose();
		}
	}

	@Test
	void repeatsPermutationsAndNestedReachTheStudy() throws Exception {
		final Context context = new Context();
		try {
			new CommandRunner(context).run(RunDemoCommand.class,
					Map.of("output_dir", dir.toFile(), "subjects", 10, "voxel_size_mm", 6, "models", "", "repeats", 2, "permutations", 4, "nested", false));
			final FeatureTable comparison = FeatureTable.read(dir.resolve("study").resolve(Study.COMPARISON_CSV));
			assertEquals(6, comparison.rowCount());
			for (int r = 0; r < comparison.rowCount(); r++) {
				assertEquals(2, comparison.number(r, "repeats"), comparison.text(r, "setting") + ": " + comparison.text(r, "error"));
				final double p = comparison.number(r, "p_permutation");
				assertTrue(p >= 0.2 && p <= 1, comparison.text(r, "setting") + ": p " + p + " is not a 4-permutation p-value");
			}
			assertTrue(Files.notExists(dir.resolve("study").resolve(Study.NESTED_CSV)), "nested=false skips nested cross-validation");
		} finally {
			context.dispose();
		}
	}
}
