package org.progressionprobe.probe;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.progressionprobe.command.Progress;
import org.progressionprobe.probe.Evaluation.Estimate;
import org.progressionprobe.table.FeatureTable;

class ProbeTrainerTest {

	@TempDir
	Path dir;

	private static ProbeData data(final FeatureTable t, final int folds) {
		return ProbeData.forTraining(t, ProbeColumns.defaults(), folds, "synthetic.csv");
	}

	@Test
	void separableTableGetsAucNearOne() {
		final ProbeData d = data(SyntheticTables.signal(90, 20, 5, 3.0, 1), 5);
		final CrossValidationResult cv = new ProbeTrainer(ProbeSettings.defaults().withBootstrap(200), Progress.NONE).crossValidate(d);
		final Estimate auc = cv.evaluation().pooled(Metric.AUC);
		assertTrue(auc.value() > 0.98, "AUC " + auc);
		assertTrue(cv.evaluation().pooled(Metric.F1).value() > 0.9, "F1 " + cv.evaluation().pooled(Metric.F1));
		assertTrue(auc.low() > 0.9 && auc.high() <= 1.0, "interval " + auc);
		assertEquals(5, cv.cPerFold().length);
	}

	@Test
	void pureNoiseGetsAucNearHalfWithAnIntervalContainingHalf() {
		final ProbeData d = data(SyntheticTables.signal(120, 20, 0, 0, 2), 5);
		final CrossValidationResult cv = new ProbeTrainer(ProbeSettings.defaults().withC(1).withBootstrap(500), Progress.NONE).crossValidate(d);
		final Estimate auc = cv.evaluation().pooled(Metric.AUC);
		assertTrue(Math.abs(auc.value() - 0.5) < 0.15, "AUC " + auc);
		assertTrue(auc.low() < 0.5 && auc.high() > 0.5, "interval " + auc);
	}

	@Test
	void groupingBySubjectPreventsLeakageThatInflatesAuc() {
		final ProbeSettings s = ProbeSettings.defaults().withC(1).withBootstrap(300);
		final ProbeTrainer trainer = new ProbeTrainer(s, Progress.NONE);
		final ProbeData leaky = data(SyntheticTables.fingerprinted(40, 4, 40, true, 3), 5);
		final ProbeData grouped = data(SyntheticTables.fingerprinted(40, 4, 40, false, 3), 5);
		final CrossValidationResult leakyCv = trainer.crossValidate(leaky);
		final CrossValidationResult groupedCv = trainer.crossValidate(grouped);
		final double leakyAuc = leakyCv.evaluation().pooled(Metric.AUC).value();
		final Estimate groupedAuc = groupedCv.evaluation().pooled(Metric.AUC);
		assertTrue(leakyAuc > 0.85, "with visits of a subject on both sides the labels leak: AUC " + leakyAuc);
		assertTrue(groupedAuc.low() < 0.5 && groupedAuc.high() > 0.5, "grouped AUC " + groupedAuc);
		final int[] fold = groupedCv.fold();
		final Map<String, Integer> foldOf = new HashMap<>();
		for (int i = 0; i < fold.length; i++) {
			final int f = fold[i];
			assertEquals(f, foldOf.computeIfAbsent(grouped.groups().get(i), g -> f), "subject " + grouped.groups().get(i) + " in two folds");
		}
	}

	@Test
	void foldsAreStratifiedGroupedAndSeeded() {
		final ProbeData d = data(SyntheticTables.fingerprinted(30, 3, 4, false, 4), 5);
		final int[] a = StratifiedGroupFolds.assign(d.labels(), d.groups(), 5, 7);
		assertArrayEquals(a, StratifiedGroupFolds.assign(d.labels(), d.groups(), 5, 7));
		final Map<String, Set<Integer>> folds = new HashMap<>();
		final int[][] perFold = new int[5][2];
		for (int i = 0; i < a.length; i++) {
			folds.computeIfAbsent(d.groups().get(i), g -> new HashSet<>()).add(a[i]);
			perFold[a[i]][d.labels()[i]]++;
		}
		folds.values().forEach(f -> assertEquals(1, f.size(), "a subject in two folds"));
		for (final int[] c : perFold)
			assertEquals(9, c[0], 3.01, "class 0 rows per fold " + c[0]);
	}

	@Test
	void sameSeedSameNumbers() {
		final ProbeData d = data(SyntheticTables.signal(60, 10, 2, 1.0, 5), 3);
		final ProbeSettings s = ProbeSettings.defaults().withFolds(3).withBootstrap(100).withSeed(11);
		final CrossValidationResult a = new ProbeTrainer(s, Progress.NONE).crossValidate(d);
		final CrossValidationResult b = new ProbeTrainer(s, Progress.NONE).crossValidate(d);
		assertArrayEquals(a.probabilities(), b.probabilities());
		assertEquals(a.evaluation().toCsv(), b.evaluation().toCsv());
	}

	@Test
	void saveLoadApplyGivesIdenticalProbabilities() throws Exception {
		final FeatureTable t = SyntheticTables.signal(60, 12, 3, 1.5, 6);
		final ProbeData d = data(t, 5);
		final ProbeTrainer trainer = new ProbeTrainer(ProbeSettings.defaults().withBootstrap(50), Progress.NONE);
		final ProbeTrainer.Training training = trainer.train(d);
		final TrainedProbe probe = training.probe();
		final Path file = dir.resolve("probe.tribuo");
		probe.save(file);
		final TrainedProbe loaded = TrainedProbe.load(file);
		final FeatureTable fresh = SyntheticTables.signal(30, 12, 3, 1.5, 99);
		final Predictions before = probe.predict(fresh, ProbeColumns.defaults(), "fresh.csv");
		final Predictions after = loaded.predict(fresh, ProbeColumns.defaults(), "fresh.csv");
		assertArrayEquals(before.probabilities(), after.probabilities());
		assertEquals(probe.features(), loaded.features());
		assertArrayEquals(probe.standardizer().mean(), loaded.standardizer().mean());
		assertEquals(probe.c(), loaded.c());
		assertEquals(t.provenance().get("features"), loaded.trainingTableProvenance().get("features"));
		assertEquals(training.crossValidation().evaluation().pooled(Metric.AUC).value(), loaded.metrics().get("auc"));
		assertTrue(loaded.model().getProvenance().getTrainerProvenance().toString().contains("L2R_LR"), loaded.model().getProvenance().toString());
		// the probe's weights point the right way: informative features (shifted up in class 1) get positive weights
		for (int j = 0; j < 3; j++)
			assertTrue(loaded.weights().get(j).standardized() > 0, loaded.weights().get(j).toString());
		// predictions on the training rows agree with a by-hand logistic model from the stored weights
		final double[][] z = loaded.standardizer().apply(d.x());
		final double[] p = loaded.probabilities(d.x());
		for (int i = 0; i < z.length; i++) {
			double s = loaded.intercept();
			for (int j = 0; j < z[i].length; j++)
				s += loaded.weights().get(j).standardized() * z[i][j];
			assertEquals(1 / (1 + Math.exp(-s)), p[i], 1e-9);
		}
	}

	@Test
	void fittedProbeIsTheOptimumOfBalancedLogisticRegressionWithAFreeIntercept() {
		// objective: |w|^2 / 2 + C sum_i s_i logloss(y_i, w.z_i + b), s_i = n / (2 n_class); b not penalised.
		// At the optimum: w_j + C sum_i s_i (p_i - y_i) z_ij = 0 and sum_i s_i (p_i - y_i) = 0.
		final ProbeData d = data(SyntheticTables.signal(90, 8, 3, 1.0, 8), 5);
		final double c = 0.5;
		final TrainedProbe probe = new ProbeTrainer(ProbeSettings.defaults().withTolerance(1e-8), Progress.NONE).fit(d, c, Map.of());
		final int[] y = d.labels();
		int positives = 0;
		for (final int v : y)
			positives += v;
		final double[][] z = probe.standardizer().apply(d.x());
		final double[] p = probe.probabilities(d.x());
		final double[] grad = new double[z[0].length + 1];
		for (int i = 0; i < y.length; i++) {
			final double s = y.length / (2.0 * (y[i] == 1 ? positives : y.length - positives));
			for (int j = 0; j < z[i].length; j++)
				grad[j] += c * s * (p[i] - y[i]) * z[i][j];
			grad[z[i].length] += s * (p[i] - y[i]);
		}
		for (int j = 0; j < z[0].length; j++)
			assertEquals(0, grad[j] + probe.weights().get(j).standardized(), 1e-5, "gradient of weight " + j);
		assertEquals(0, grad[z[0].length], 1e-5, "gradient of the intercept");
		assertTrue(Math.abs(probe.intercept()) > 0.05, "a non-trivial intercept " + probe.intercept());
	}

	@Test
	void applyingToATableMissingColumnsNamesThem() throws Exception {
		final ProbeData d = data(SyntheticTables.signal(40, 6, 2, 2, 7), 5);
		final TrainedProbe probe = new ProbeTrainer(ProbeSettings.defaults().withC(1), Progress.NONE).fit(d, 1, Map.of());
		final FeatureTable partial = new FeatureTable(List.of("subject", "f000", "f001", "f002", "f003"), Map.of());
		partial.addRow(Map.of("subject", "x", "f000", "1", "f001", "1", "f002", "1", "f003", "1"));
		final ProbeDataException e = org.junit.jupiter.api.Assertions.assertThrows(ProbeDataException.class,
				() -> probe.predict(partial, ProbeColumns.defaults(), "partial.csv"));
		assertTrue(e.getMessage().contains("partial.csv") && e.getMessage().contains("f004, f005") && !e.getMessage().contains("f003"),
				e.getMessage());
	}
}
