package org.progressionprobe.probe;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

import org.progressionprobe.table.Csv;

/**
 * The ROC curve of scores against 0/1 labels: one point (false positive rate, true positive rate)
 * per distinct score used as threshold ("score >= threshold" predicts 1), from (0, 0) at threshold
 * +infinity to (1, 1). Tied scores make one diagonal step, so the trapezoid area equals the
 * Mann-Whitney AUC.
 *
 * @param thresholds descending, the first +infinity
 * @param fpr false positive rate at each threshold
 * @param tpr true positive rate at each threshold
 */
public record RocCurve(double[] thresholds, double[] fpr, double[] tpr) {

	/** The curve of the given scores; needs both classes. */
	public static RocCurve of(final int[] labels, final double[] scores) {
		final int n = labels.length;
		final Integer[] order = new Integer[n];
		for (int i = 0; i < n; i++)
			order[i] = i;
		Arrays.sort(order, (a, b) -> Double.compare(scores[b], scores[a]));
		int positives = 0;
		for (final int l : labels)
			positives += l;
		final int negatives = n - positives;
		if (positives == 0 || negatives == 0)
			throw new IllegalArgumentException("A ROC curve needs both classes; got " + positives + " positive and " + negatives + " negative rows");
		final List<double[]> points = new ArrayList<>();
		points.add(new double[] { Double.POSITIVE_INFINITY, 0, 0 });
		int tp = 0, fp = 0;
		for (int k = 0; k < n;) {
			final double s = scores[order[k]];
			while (k < n && scores[order[k]] == s) {
				if (labels[order[k]] == 1)
					tp++;
				else
					fp++;
				k++;
			}
			points.add(new double[] { s, (double) fp / negatives, (double) tp / positives });
		}
		final double[] t = new double[points.size()], f = new double[points.size()], r = new double[points.size()];
		for (int i = 0; i < t.length; i++) {
			t[i] = points.get(i)[0];
			f[i] = points.get(i)[1];
			r[i] = points.get(i)[2];
		}
		return new RocCurve(t, f, r);
	}

	/** Trapezoid area under the curve. */
	public double area() {
		double a = 0;
		for (int i = 1; i < fpr.length; i++)
			a += (fpr[i] - fpr[i - 1]) * (tpr[i] + tpr[i - 1]) / 2;
		return a;
	}

	/** CSV text: threshold, fpr, tpr (threshold "inf" for the first point). */
	public String toCsv() {
		final StringBuilder sb = new StringBuilder("threshold,fpr,tpr\n");
		for (int i = 0; i < thresholds.length; i++)
			sb.append(Double.isInfinite(thresholds[i]) ? "inf" : Csv.number(thresholds[i])).append(',').append(Csv.number(fpr[i])).append(',')
					.append(Csv.number(tpr[i])).append('\n');
		return sb.toString();
	}
}
