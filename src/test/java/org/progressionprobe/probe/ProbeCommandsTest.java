package org.progressionprobe.probe;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.awt.image.BufferedImage;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;

import javax.imageio.ImageIO;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.progressionprobe.io.VolumeIO;
import org.progressionprobe.launcher.CommandRunner;
import org.progressionprobe.table.Csv;
import org.progressionprobe.table.FeatureTable;
import org.progressionprobe.volume.AffineTransform3D;
import org.progressionprobe.volume.Volume;
import org.scijava.Context;

/** Train Probe, Apply Probe and Evaluate Predictions run headless through the CommandRunner. */
class ProbeCommandsTest {

	private static final List<String> REGIONS = List.of("Hippocampus_L", "Hippocampus_R", "Amygdala_L", "Frontal_Sup_L");

	private static Context context;
	private static CommandRunner runner;

	@TempDir
	Path dir;

	@BeforeAll
	static void start() {
		context = new Context();
		runner = new CommandRunner(context);
	}

	@AfterAll
	static void stop() {
		context.dispose();
	}

	/** Regional columns (the first informative), grid-cell columns, a non-regional age and a text column. */
	private static FeatureTable regionalTable(final int subjects, final long seed) {
		final List<String> header = new ArrayList<>(List.of("subject", "site", "label", "age"));
		REGIONS.forEach(r -> header.add("logjac_mean_" + r));
		header.add("logjac_mean_cell_0_0_0");
		header.add("logjac_mean_cell_1_1_1");
		final FeatureTable t = new FeatureTable(header, Map.of("features", "change features (synthetic)"));
		final Random r = new Random(seed);
		for (int s = 0; s < subjects; s++) {
			final int label = s % 2;
			final Map<String, String> row = new LinkedHashMap<>();
			row.put("subject", "p" + s);
			row.put("site", s % 3 == 0 ? "A" : "B");
			row.put("label", Integer.toString(label));
			row.put("age", Csv.number(60 + 10 * r.nextGaussian()));
			for (final String reg : REGIONS)
				row.put("logjac_mean_" + reg, Csv.number(r.nextGaussian() - (reg.equals("Hippocampus_L") ? 2.5 * label : 0)));
			row.put("logjac_mean_cell_0_0_0", Csv.number(r.nextGaussian()));
			row.put("logjac_mean_cell_1_1_1", Csv.number(r.nextGaussian() + 1.5 * label));
			t.addRow(row);
		}
		return t;
	}

	private Path atlasLabels() throws Exception {
		final Volume labels = Volume.zeros(12, 12, 8, AffineTransform3D.of(2, 0, 0, -12, 0, 2, 0, -12, 0, 0, 2, -8));
		for (int v = 1; v <= 4; v++)
			for (int z = 2; z < 6; z++)
				for (int y = 2; y < 5; y++)
					for (int x = 0; x < 3; x++)
						labels.set(x + 3 * (v - 1), y + (v % 2) * 4, z, v);
		final Path p = dir.resolve("labels.nii.gz");
		VolumeIO.writeLabels(labels, p);
		Files.writeString(dir.resolve("labels.txt"), "1 Hippocampus_L 1\n2 Hippocampus_R 2\n3 Amygdala_L 3\n4 Frontal_Sup_L 4\n");
		return p;
	}

	@Test
	void trainApplyAndEvaluateEndToEnd() throws Exception {
		final Path features = dir.resolve("features.csv");
		regionalTable(60, 1).write(features);
		final Path out = dir.resolve("probe");
		final Map<String, Object> result = runner.run(TrainProbeCommand.class, Map.of("features", features.toFile(), "output_dir", out.toFile(),
				"folds", 5, "bootstrap", 200, "labels", atlasLabels().toFile(), "label_names", dir.resolve("labels.txt").toFile()));
		final String summary = (String) result.get("summary");
		assertTrue(summary.matches("(?s)AUC 0\\.\\d{3} \\[0\\.\\d{3}, [01]\\.\\d{3}\\], F1 .*"), summary);
		for (final String f : List.of("probe.tribuo", "metrics.csv", "metrics.json", "predictions_cv.csv", "roc.png", "roc.csv", "weights.csv",
				"weightmap_logjac_mean.nii.gz", "weightmap_logjac_mean.png", "weightmap_logjac_mean_cells.nii.gz"))
			assertTrue(Files.isRegularFile(out.resolve(f)), f + " missing; have " + List.of(out.toFile().list()));
		try (var files = Files.list(out)) {
			assertFalse(files.anyMatch(p -> p.getFileName().toString().endsWith(".part")), "temporary files left behind");
		}
		final FeatureTable metrics = FeatureTable.read(out.resolve("metrics.csv"));
		final double auc = metrics.number(metrics.find("metric", "auc"), "value");
		assertTrue(auc > 0.85, "AUC " + auc);
		assertTrue(summary.contains("site"), "ignored text column noted: " + summary);

		final BufferedImage roc = ImageIO.read(out.resolve("roc.png").toFile());
		assertTrue(roc.getWidth() >= 400 && roc.getHeight() >= 400, roc.getWidth() + "x" + roc.getHeight());

		// the weight map holds the weight of each region's column; Hippocampus_L carries the (negative) signal
		final FeatureTable weights = FeatureTable.read(out.resolve("weights.csv"));
		final double wHippo = weights.number(weights.find("feature", "logjac_mean_Hippocampus_L"), "weight_standardized");
		assertTrue(wHippo < 0, "Hippocampus_L weight " + wHippo);
		for (int i = 0; i < weights.rowCount(); i++)
			if (!weights.text(i, "feature").equals("logjac_mean_Hippocampus_L") && !weights.text(i, "feature").equals("(intercept)"))
				assertTrue(Math.abs(weights.number(i, "weight_standardized")) < Math.abs(wHippo), weights.toCsv());
		final Volume map = VolumeIO.read(out.resolve("weightmap_logjac_mean.nii.gz"));
		assertEquals((float) wHippo, map.get(1, 7, 3), 1e-6);
		assertEquals(0f, map.get(11, 11, 7));
		final Volume cells = VolumeIO.read(out.resolve("weightmap_logjac_mean_cells.nii.gz"));
		final double wCell = weights.number(weights.find("feature", "logjac_mean_cell_1_1_1"), "weight_standardized");
		assertEquals((float) wCell, cells.get(11, 11, 7), 1e-6);

		// apply the saved probe to new pairs; evaluate predictions made "elsewhere"
		final Path fresh = dir.resolve("fresh.csv");
		regionalTable(40, 2).write(fresh);
		final Path predictions = dir.resolve("pred/predictions.csv");
		final String applied = (String) runner.run(ApplyProbeCommand.class, Map.of("probe", out.resolve("probe.tribuo").toFile(), "features",
				fresh.toFile(), "output", predictions.toFile())).get("summary");
		assertTrue(applied.startsWith("40 rows"), applied);
		final FeatureTable pred = FeatureTable.read(predictions);
		assertEquals(List.of("subject", "probability", "predicted", "label"), pred.columns());
		assertTrue(pred.provenance().containsKey("probe_cv_auc"), pred.provenance().toString());
		final String evaluated = (String) runner.run(EvaluatePredictionsCommand.class, Map.of("predictions", predictions.toFile(), "output_dir",
				dir.resolve("eval").toFile(), "bootstrap", 200)).get("summary");
		assertTrue(evaluated.startsWith("AUC 0.") && evaluated.contains("40 rows"), evaluated);
		final FeatureTable m = FeatureTable.read(dir.resolve("eval/metrics.csv"));
		assertTrue(m.number(m.find("metric", "auc"), "value") > 0.8, m.toCsv());
		assertTrue(Files.isRegularFile(dir.resolve("eval/roc.png")));

		// evaluating the cross-validation's own predictions reproduces its pooled and per-fold metrics
		runner.run(EvaluatePredictionsCommand.class, Map.of("predictions", out.resolve("predictions_cv.csv").toFile(), "output_dir",
				dir.resolve("eval_cv").toFile(), "bootstrap", 200));
		assertEquals(Files.readString(out.resolve("metrics.csv")), Files.readString(dir.resolve("eval_cv/metrics.csv")));
	}

	@Test
	void applyRefusesATableWithoutTheProbesColumns() throws Exception {
		final Path features = dir.resolve("features.csv");
		regionalTable(30, 3).write(features);
		final Path out = dir.resolve("probe");
		runner.run(TrainProbeCommand.class, Map.of("features", features.toFile(), "output_dir", out.toFile(), "c", "1", "bootstrap", 0));
		final Path partial = dir.resolve("partial.csv");
		Files.writeString(partial, "subject,age,logjac_mean_Hippocampus_L\nq1,70,0.1\n");
		final RuntimeException e = assertThrows(RuntimeException.class, () -> runner.run(ApplyProbeCommand.class,
				Map.of("probe", out.resolve("probe.tribuo").toFile(), "features", partial.toFile(), "output", dir.resolve("p.csv").toFile())));
		assertTrue(e.getMessage().contains("partial.csv") && e.getMessage().contains("logjac_mean_Hippocampus_R")
				&& e.getMessage().contains("logjac_mean_cell_1_1_1") && !e.getMessage().contains(", age"), e.getMessage());
		assertFalse(Files.exists(dir.resolve("p.csv")));
	}

	@Test
	void trainingErrorsNameTheFileAndTheProblemAndWriteNothing() throws Exception {
		final Path single = dir.resolve("single.csv");
		Files.writeString(single, "subject,label,a,b\ns1,1,1,2\ns2,1,2,1\ns3,1,3,3\n");
		final Path out = dir.resolve("out");
		RuntimeException e = assertThrows(RuntimeException.class,
				() -> runner.run(TrainProbeCommand.class, Map.of("features", single.toFile(), "output_dir", out.toFile(), "folds", 2)));
		assertTrue(e.getMessage().contains("single.csv") && e.getMessage().contains("a single class"), e.getMessage());
		final Path noLabel = dir.resolve("nolabel.csv");
		Files.writeString(noLabel, "subject,a,b\ns1,1,2\n");
		e = assertThrows(RuntimeException.class,
				() -> runner.run(TrainProbeCommand.class, Map.of("features", noLabel.toFile(), "output_dir", out.toFile())));
		assertTrue(e.getMessage().contains("nolabel.csv") && e.getMessage().contains("no label column 'label'"), e.getMessage());
		assertFalse(Files.exists(out));
	}
}
