package org.progressionprobe.sim;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.File;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.progressionprobe.command.CommandFailure;
import org.progressionprobe.io.AtlasFiles;
import org.progressionprobe.io.VolumeIO;
import org.progressionprobe.launcher.CommandRunner;
import org.progressionprobe.launcher.Launcher;
import org.progressionprobe.table.Cohort;
import org.progressionprobe.table.FeatureTable;
import org.progressionprobe.testing.SharedData;
import org.progressionprobe.volume.Atlas;
import org.progressionprobe.volume.Volume;
import org.scijava.Context;

class SimulateCohortCommandTest {

	@Test
	void runsHeadlessThroughTheCommandRunner(@TempDir final Path dir) throws IOException {
		try (Context context = new Context()) {
			final Map<String, Object> out = new CommandRunner(context).run(SimulateCohortCommand.class,
					Map.of("output_dir", dir.toFile(), "subjects", 4, "seed", 12, "voxel_size_mm", 4, "write_displacement", true));
			final File cohort = (File) out.get("cohort");
			assertEquals(dir.resolve("cohort.csv").toFile(), cohort);
			assertTrue(((String) out.get("summary")).startsWith("4 subjects (2 progressors, 2 stable)"), (String) out.get("summary"));
			final Cohort c = Cohort.readLabelled(cohort.toPath());
			assertEquals(4, c.size());
			assertTrue(Files.exists(dir.resolve("sub-004_displacement.nii.gz")));
			assertEquals(4, FeatureTable.read(dir.resolve("truth.csv")).rowCount());
		}
	}

	@Test
	void badValuesFailWithTheKeyAndNoOutput(@TempDir final Path dir) {
		try (Context context = new Context()) {
			final CommandFailure e = org.junit.jupiter.api.Assertions.assertThrows(CommandFailure.class,
					() -> new CommandRunner(context).run(SimulateCohortCommand.class,
							Map.of("output_dir", dir.resolve("out").toFile(), "subjects", 2, "noise", 2.5)));
			assertTrue(e.getMessage().contains("noise") && e.getMessage().contains("2.5"), e.getMessage());
			assertFalse(Files.exists(dir.resolve("out")), "nothing written for bad settings");
		}
	}

	@Test
	void runsThroughTheLauncherWithFijiSyntax(@TempDir final Path dir) throws IOException {
		final ByteArrayOutputStream out = new ByteArrayOutputStream(), err = new ByteArrayOutputStream();
		final int status = new Launcher(new PrintStream(out, true, StandardCharsets.UTF_8), new PrintStream(err, true, StandardCharsets.UTF_8))
				.run(new String[] { "--run", "Simulate Cohort", "output_dir=\"" + dir + "\",subjects=2,seed=4,voxel_size_mm=4,write_labels=false" });
		assertEquals(0, status, err.toString(StandardCharsets.UTF_8));
		final String text = out.toString(StandardCharsets.UTF_8);
		assertTrue(text.contains("cohort = " + dir.resolve("cohort.csv")), text);
		assertTrue(text.contains("summary = 2 subjects (1 progressors, 1 stable)"), text);
		assertFalse(Files.exists(dir.resolve("sub-001_baseline_labels.nii.gz")), "write_labels=false");
		assertEquals(2, Cohort.readLabelled(dir.resolve("cohort.csv")).size());
	}

	@Test
	void simulatesFromColin27AndAal(@TempDir final Path dir) throws IOException {
		final Path ch2 = SharedData.require("data/template/ch2.nii.gz"), aal = SharedData.require("data/template/aal.nii.gz"),
				names = SharedData.require("data/template/aal.nii.txt");
		try (Context context = new Context()) {
			new CommandRunner(context).run(SimulateCohortCommand.class, Map.of("output_dir", dir.toFile(), "subjects", 2, "seed", 3,
					"voxel_size_mm", 3, "progressor_fraction", 1, "template", ch2.toFile(), "atlas", aal.toFile(), "atlas_names", names.toFile()));
		}
		final Atlas atlas = AtlasFiles.read(dir.resolve("atlas_template.nii.gz"), dir.resolve("atlas_labels.nii.gz"), dir.resolve("atlas_labels.txt"));
		assertEquals(116, atlas.names().size());
		assertEquals(3.0, atlas.template().voxelSize()[0], 0.05, "coarsened to 3 mm");
		final Volume baseline = VolumeIO.read(dir.resolve("sub-001_baseline.nii.gz"));
		assertTrue(baseline.sameGrid(atlas.template()));
		final FeatureTable truth = FeatureTable.read(dir.resolve("truth.csv"));
		// only the hippocampi shrink by default with a given atlas
		assertEquals(List.of("target_change_percent_Hippocampus_L", "target_change_percent_Hippocampus_R"),
				truth.columns().stream().filter(c -> c.startsWith("target_")).toList());
		for (int row = 0; row < 2; row++) {
			for (final String side : List.of("L", "R")) {
				final double change = truth.number(row, "volume_change_percent_Hippocampus_" + side);
				assertEquals(truth.number(row, "target_change_percent_Hippocampus_" + side), change, 0.6);
				assertTrue(change < -4.5, "hippocampus shrinks: " + change);
			}
			assertEquals(0, truth.number(row, "volume_change_percent_Amygdala_L"), 1.5, "the amygdala barely moves");
			assertEquals(0, truth.number(row, "volume_change_percent_Frontal_Sup_L"), 0.02, "far regions are untouched");
		}
	}

	@Test
	void theDialogsDefaultsAreTheSettingsDefaultsAsBefore() {
		final org.scijava.command.CommandInfo info = new org.scijava.command.CommandInfo(SimulateCohortCommand.class.getName());
		final Map<String, Object> expected = new java.util.TreeMap<>(Map.ofEntries(Map.entry("subjects", 40), Map.entry("seed", 1L),
				Map.entry("progressor_fraction", 0.5), Map.entry("atrophy_percent", 10.0), Map.entry("ageing_percent", 1.0), Map.entry("atrophy_labels", ""),
				Map.entry("fill_labels", "CSF.*,.*Ventricle.*"), Map.entry("max_rotation_deg", 3.0), Map.entry("max_shift_mm", 3.0), Map.entry("noise", 0.03),
				Map.entry("bias", 0.1), Map.entry("anatomy_mm", 3.0), Map.entry("voxel_size_mm", 2.0), Map.entry("write_labels", true),
				Map.entry("write_displacement", false), Map.entry("write_anatomy", false)));
		final Map<String, Object> shown = new java.util.TreeMap<>();
		expected.keySet().forEach(k -> shown.put(k, info.getInput(k).getDefaultValue()));
		assertEquals(expected, shown);
	}
}
