package org.progressionprobe.report;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.awt.image.BufferedImage;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

import javax.imageio.ImageIO;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.progressionprobe.launcher.CommandRunner;
import org.progressionprobe.study.Study;
import org.progressionprobe.study.StudyResult;
import org.progressionprobe.study.StudyStatistics;
import org.progressionprobe.table.FeatureTable;
import org.scijava.Context;

class StudyReportTest {

	@TempDir
	Path dir;

	@Test
	void aLargeGridGivesReadableFiguresAndAFullReport() throws IOException {
		// 3 alignments x 2 crops x (change + 2 networks of 4 layers): 6 + 2 x 6 x 5 = 66 probes
		final List<StudyResult> results = SyntheticStudy.run(dir, List.of("none", "pair", "atlas"), List.of(false, true),
				List.of("change", "net-a", "net-b"), 4, 40, new StudyStatistics(2, 0, true));
		assertEquals(66, results.size());
		final Path html = new StudyReport(dir).write();
		final String text = Files.readString(html);
		for (final String section : List.of("Cohort and settings", "Forest plot", "Paired comparisons", "naive best", "nested cross-validation",
				"ROC curves", "Per-setting details", "How the features were made", "synthetic pair-roi_net-a"))
			assertTrue(text.contains(section), section);
		assertFalse(text.contains("src=\"http") || text.contains("href=\"http"), "self-contained, no network");
		assertTrue(text.split("<svg ").length - 1 >= 3, "heatmap, forest plot and ROC curves inline");

		final BufferedImage forest = ImageIO.read(dir.resolve(Study.COMPARISON_PNG).toFile());
		assertTrue(forest.getHeight() >= 66 * 20 && forest.getHeight() < 66 * 20 + 12 * 24 + 200, "a row per probe: " + forest.getHeight());
		assertTrue(forest.getWidth() < 1400, "no wider than a screen: " + forest.getWidth());
		final BufferedImage heatmap = ImageIO.read(dir.resolve(StudyReport.HEATMAP + ".png").toFile());
		assertEquals(84 + 11 * 26 + 56, heatmap.getHeight(), "rows extractor:layer (change, 2 x (all + 4 layers))");
		assertTrue(Files.readString(dir.resolve(StudyReport.HEATMAP + ".svg")).contains(">0.5") || text.contains(">0."), "values printed");

		final FeatureTable comparisons = FeatureTable.read(dir.resolve(Study.COMPARISONS_CSV));
		// vs none: change 5, each network 5 settings x 5 groups; layer vs best layer: 2 networks x 6 settings x 3
		assertEquals(5 + 2 * 25 + 2 * 6 * 3, comparisons.rowCount());
		final int strong = comparisons.find("setting", "pair-roi_change");
		assertEquals("none_change", comparisons.text(strong, "reference"));
		assertTrue(comparisons.number(strong, "difference") > 0.1, comparisons.text(strong, "reading"));
		assertTrue(comparisons.number(strong, "p_holm") >= comparisons.number(strong, "p"));
		assertTrue(comparisons.text(strong, "reading").matches("pair-roi_change vs none_change: \\+0\\.\\d\\d \\[.*\\], p=.* \\(Holm .*\\)"),
				comparisons.text(strong, "reading"));
		final FeatureTable nested = FeatureTable.read(dir.resolve(Study.NESTED_CSV));
		assertTrue(nested.number(nested.find("estimate", "nested"), "auc") <= nested.number(nested.find("estimate", "naive_best"), "auc"));
	}

	@Test
	void aSmallGridWithPermutationsAndTheCommand() throws IOException {
		final List<StudyResult> results = SyntheticStudy.run(dir, List.of("none", "pair", "atlas"), List.of(true), List.of("change"), 0, 30,
				new StudyStatistics(1, 19, false));
		assertEquals(3, results.size());
		for (final StudyResult r : results)
			assertTrue(r.permutationP() > 0 && r.permutationP() <= 1, r.line());
		assertEquals(1.0 / 20, results.get(1).permutationP(), 1e-12, "pair-roi carries a strong signal: " + results.get(1).line());
		final Context context = new Context();
		try {
			final Map<String, Object> out = new CommandRunner(context).run(StudyReportCommand.class, Map.of("study_dir", dir.toFile()));
			assertEquals(dir.resolve(StudyReport.REPORT_HTML).toString(), out.get("report"));
		} finally {
			context.dispose();
		}
		final String text = Files.readString(dir.resolve(StudyReport.REPORT_HTML));
		assertTrue(text.contains("Nested cross-validation was not run"));
		assertTrue(text.contains("pair-roi_change vs none-roi_change") == false, "the reference is the extractor's none setting without a crop");
		assertTrue(Files.exists(dir.resolve(StudyReport.ROC + ".svg")));
		final BufferedImage forest = ImageIO.read(dir.resolve(Study.COMPARISON_PNG).toFile());
		assertTrue(forest.getHeight() < 260 && forest.getWidth() < 1100, forest.getWidth() + "x" + forest.getHeight());
	}
}
