package org.progressionprobe.probe;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;

import org.junit.jupiter.api.Test;
import org.progressionprobe.stats.Percentile;

class MetricTest {

	// positives score 0.35, 0.8, 0.4; negatives 0.1, 0.4, 0.4. Pairs won: 0.35 beats 0.1 (1);
	// 0.8 beats all (3); 0.4 beats 0.1 and ties twice (1 + 0.5 + 0.5). AUC = 6 / 9.
	private static final int[] LABELS = { 0, 0, 1, 1, 0, 1 };
	private static final double[] SCORES = { 0.1, 0.4, 0.35, 0.8, 0.4, 0.4 };

	@Test
	void aucMatchesAHandComputedExampleWithTies() {
		assertEquals(6.0 / 9.0, Metric.auc(LABELS, SCORES), 1e-15);
		assertEquals(1.0, Metric.auc(new int[] { 0, 1 }, new double[] { 0.2, 0.9 }));
		assertEquals(0.5, Metric.auc(new int[] { 0, 1, 0, 1 }, new double[] { 0.3, 0.3, 0.3, 0.3 }));
		assertTrue(Double.isNaN(Metric.auc(new int[] { 1, 1 }, new double[] { 0.2, 0.9 })));
	}

	@Test
	void rocCurveStepsDiagonallyOverTiesAndItsAreaIsTheAuc() {
		final RocCurve roc = RocCurve.of(LABELS, SCORES);
		assertArrayEquals(new double[] { 0, 0, 2 / 3.0, 2 / 3.0, 1 }, roc.fpr(), 1e-15);
		assertArrayEquals(new double[] { 0, 1 / 3.0, 2 / 3.0, 1, 1 }, roc.tpr(), 1e-15);
		assertEquals(6.0 / 9.0, roc.area(), 1e-15);
		assertTrue(roc.toCsv().startsWith("threshold,fpr,tpr\ninf,0,0\n0.8,0,0.3333333333333333\n"), roc.toCsv());
	}

	@Test
	void thresholdMetricsMatchACountedConfusionMatrix() {
		// at 0.4: predicted 1 = {0.4, 0.8, 0.4, 0.4} -> TP 2 (0.8, 0.4), FP 2, FN 1 (0.35), TN 1 (0.1)
		final double[] m = Metric.all(LABELS, SCORES, 0.4);
		assertEquals(2 * 2.0 / (2 * 2 + 2 + 1), m[Metric.F1.ordinal()], 1e-15);
		assertEquals(2 / 3.0, m[Metric.SENSITIVITY.ordinal()], 1e-15);
		assertEquals(1 / 3.0, m[Metric.SPECIFICITY.ordinal()], 1e-15);
		assertEquals(0.5, m[Metric.BALANCED_ACCURACY.ordinal()], 1e-15);
		assertEquals(0.0, Metric.all(new int[] { 0, 0, 1 }, new double[] { 0.1, 0.2, 0.3 }, 0.9)[Metric.F1.ordinal()]);
	}

	@Test
	void bootstrapIntervalsAreSeededAndBracketTheEstimate() {
		final int n = 80;
		final int[] labels = new int[n];
		final double[] p = new double[n];
		final java.util.Random r = new java.util.Random(3);
		final List<String> groups = new java.util.ArrayList<>();
		for (int i = 0; i < n; i++) {
			labels[i] = i % 2;
			p[i] = 1 / (1 + Math.exp(-(labels[i] - 0.5) * 2 - r.nextGaussian()));
			groups.add("s" + i / 2);
		}
		final Evaluation a = Evaluation.of(labels, p, groups, null, 0.5, 400, 9);
		final Evaluation b = Evaluation.of(labels, p, groups, null, 0.5, 400, 9);
		assertEquals(a.toCsv(), b.toCsv());
		for (final Metric m : Metric.values()) {
			final Evaluation.Estimate e = a.pooled(m);
			assertTrue(e.low() <= e.value() && e.value() <= e.high() && e.high() - e.low() > 0.01, m + " " + e);
		}
		assertEquals(Metric.auc(labels, p), a.pooled(Metric.AUC).value());
		final com.google.gson.JsonObject json = com.google.gson.JsonParser.parseString(a.toJson(java.util.Map.of("x", "y"))).getAsJsonObject();
		assertEquals("y", json.get("x").getAsString());
		assertEquals(a.pooled(Metric.AUC).value(), json.getAsJsonObject("pooled").getAsJsonObject("auc").get("value").getAsDouble());
	}

	@Test
	void percentileInterpolatesLikeNumpy() {
		assertEquals(1.075, Percentile.of(new double[] { 1, 2, 3, 4 }, 2.5), 1e-12);
		assertEquals(3.925, Percentile.of(new double[] { 1, 2, 3, 4 }, 97.5), 1e-12);
	}
}
