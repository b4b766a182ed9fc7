package org.progressionprobe.study;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.progressionprobe.command.Progress;
import org.progressionprobe.launcher.CommandRunner;
import org.progressionprobe.report.RunStudyCommand;
import org.progressionprobe.report.StudyReport;
import org.progressionprobe.sim.CohortSimulator;
import org.progressionprobe.sim.SimulationSettings;
import org.progressionprobe.table.FeatureTable;
import org.scijava.Context;

/** pooling_regions=atlas on a cohort whose progressors lose volume in the hippocampi and amygdalae only. */
class AtlasRegionPoolingTest {

	@TempDir
	static Path dir;
	static Context context;
	static Path[] atlas;
	static FeatureTable grid, regions;

	@BeforeAll
	static void simulate() throws IOException {
		context = new Context();
		new CohortSimulator(SimulationSettings.defaults().withSubjects(20, 5).withVoxelSize(4).withAtrophy(0.5, 8, 2).withOutputs(false, false, false),
				Progress.NONE).run(dir);
		atlas = CohortSimulator.atlasFiles(dir);
		grid = study("grid");
		regions = study("atlas");
	}

	@AfterAll
	static void closeContext() {
		context.dispose();
	}

	private static FeatureTable study(final String regions) throws IOException {
		final Path out = dir.resolve("study-" + regions);
		final Map<String, Object> p = new HashMap<>(Map.of("cohort", dir.resolve(CohortSimulator.COHORT).toFile(), "output_dir", out.toFile(), "alignments",
				"pair", "folds", 4, "bootstrap", 100, "nested", false, "pooling_regions", regions));
		p.putAll(Map.of("atlas", atlas[0].toFile(), "atlas_labels", atlas[1].toFile(), "atlas_names", atlas[2].toFile()));
		new CommandRunner(context).run(RunStudyCommand.class, p);
		return FeatureTable.read(out.resolve(Study.COMPARISON_CSV));
	}

	@Test
	void atlasRegionsGiveRegionalColumnsAndSeparateAtLeastAsWellAsTheGrid() throws IOException {
		assertEquals(List.of("pair_change"), grid.texts("setting"));
		assertEquals(List.of("pair-regions_change"), regions.texts("setting"));
		final List<String> regional = FeatureTable.read(dir.resolve("study-atlas").resolve(Study.FEATURES_DIR).resolve("pair-regions_change.csv")).columns();
		final List<String> cells = FeatureTable.read(dir.resolve("study-grid").resolve(Study.FEATURES_DIR).resolve("pair_change.csv")).columns();
		assertTrue(regional.stream().anyMatch(c -> c.contains("Hippocampus_L")) && regional.stream().anyMatch(c -> c.contains("Amygdala_R")), regional.toString());
		assertFalse(regional.stream().anyMatch(c -> c.contains("cell_")), regional.toString());
		assertTrue(cells.stream().anyMatch(c -> c.contains("cell_")), cells.toString());
		final double aucRegions = regions.number(0, "auc"), aucGrid = grid.number(0, "auc");
		assertTrue(aucRegions >= 0.7 && aucRegions >= aucGrid, "atlas regions " + aucRegions + ", grid " + aucGrid);
	}

	@Test
	void theReportDrawsTheBestSettingsWeightsOverTheAtlasOnlyWhenTheyAreRegional() throws IOException {
		final Path best = dir.resolve("study-atlas").resolve(Study.BEST_DIR);
		final String note = Files.readString(best.resolve(Study.BEST_NOTE));
		assertTrue(note.contains("best setting: pair-regions_change") && note.contains("weight maps: "), note);
		try (java.util.stream.Stream<Path> files = Files.list(best)) {
			assertTrue(files.anyMatch(f -> f.getFileName().toString().matches("weightmap_.*\\.png")), note);
		}
		final String html = Files.readString(dir.resolve("study-atlas").resolve(StudyReport.REPORT_HTML));
		final String section = html.substring(html.indexOf("Weights of the best setting over anatomy"));
		assertTrue(section.indexOf("data:image/png;base64,") > 0 && section.indexOf("data:image/png;base64,") < section.indexOf("<h2>"), "map embedded in its section");
		final String gridHtml = Files.readString(dir.resolve("study-grid").resolve(StudyReport.REPORT_HTML));
		final String gridSection = gridHtml.substring(gridHtml.indexOf("Weights of the best setting over anatomy"), gridHtml.indexOf("<h2>Per-setting details"));
		assertTrue(gridSection.contains("no weight map: no feature column names an atlas region"), gridSection);
		assertFalse(gridSection.contains("data:image/png"), gridSection);
		try (java.util.stream.Stream<Path> files = Files.list(dir.resolve("study-grid").resolve(Study.BEST_DIR))) {
			assertEquals(List.of(Study.BEST_NOTE), files.map(f -> f.getFileName().toString()).toList());
		}
	}
}
