package org.progressionprobe.probe;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;

import org.junit.jupiter.api.Test;

class PairedBootstrapTest {

	private static final int[] LABELS = { 1, 1, 1, 0, 0, 0, 0 };
	private static final double[] A = { 0.9, 0.7, 0.4, 0.5, 0.2, 0.3, 0.1 };
	private static final double[] B = { 0.6, 0.3, 0.5, 0.7, 0.2, 0.4, 0.35 };
	private static final List<String> GROUPS = List.of("s1", "s2", "s3", "s4", "s5", "s6", "s7");

	@Test
	void agreesWithTheExactBootstrapDistribution() {
		// the direct computation: all 7^7 equally likely resamples of the 7 subjects
		final int n = LABELS.length;
		final int[] pick = new int[n];
		double sum = 0, sumSq = 0, below = 0, above = 0, count = 0;
		for (long code = 0; code < (long) Math.pow(n, n); code++) {
			long c = code;
			int positives = 0;
			for (int i = 0; i < n; i++) {
				pick[i] = (int) (c % n);
				c /= n;
				positives += LABELS[pick[i]];
			}
			if (positives == 0 || positives == n)
				continue;
			final int[] l = new int[n];
			final double[] a = new double[n], b = new double[n];
			for (int i = 0; i < n; i++) {
				l[i] = LABELS[pick[i]];
				a[i] = A[pick[i]];
				b[i] = B[pick[i]];
			}
			final double d = Metric.auc(l, a) - Metric.auc(l, b);
			sum += d;
			sumSq += d * d;
			below += d <= 0 ? 1 : 0;
			above += d >= 0 ? 1 : 0;
			count++;
		}
		final double exactMean = sum / count, exactSd = Math.sqrt(sumSq / count - exactMean * exactMean);
		final double exactP = 2 * Math.min(below, above) / count;

		final double[] d = PairedBootstrap.replicates(LABELS, A, B, GROUPS, 40_000, 3);
		double m = 0, s = 0;
		for (final double v : d)
			m += v;
		m /= d.length;
		for (final double v : d)
			s += (v - m) * (v - m);
		s = Math.sqrt(s / d.length);
		assertEquals(exactMean, m, 0.005);
		assertEquals(exactSd, s, 0.02 * exactSd);
		final PairedBootstrap result = PairedBootstrap.aucDifference(LABELS, A, B, GROUPS, 40_000, 3);
		assertEquals(exactP, result.p(), 0.01);
		assertEquals(Metric.auc(LABELS, A) - Metric.auc(LABELS, B), result.difference(), 1e-15);
		assertTrue(result.low() < result.difference() && result.difference() < result.high(), result.toString());
	}

	@Test
	void pairingNarrowsTheIntervalOfNearlyEqualScores() {
		final double[] a2 = A.clone();
		a2[2] = 0.45; // one positive moves past no negative: same ranks, AUC difference 0
		final PairedBootstrap same = PairedBootstrap.aucDifference(LABELS, A, a2, GROUPS, 2000, 1);
		assertEquals(0, same.difference());
		assertEquals(0, same.low());
		assertEquals(0, same.high());
		assertEquals(1, same.p());
	}
}
