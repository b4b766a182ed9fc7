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
			final String unaligned = "none-roi_builtin-registration", aligned = "pair-roi_builtin-registration";
			assertEquals(List.of("none_change", "none-roi_change", "pair_change", "pair-roi_change", "atlas_change", "atlas-roi_change", unaligned,
					unaligned, unaligned, unaligned, unaligned, aligned, aligned, aligned, aligned, aligned), comparison.texts("setting"));
			final List<String> layers = List.of("all", "enc1", "enc2", "enc3", "volume_change");
			assertEquals(layers, comparison.texts("layer").subList(6, 11), "the built-in network in the crop, layer by layer");
			assertEquals(layers, comparison.texts("layer").subList(11, 16));
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
}
