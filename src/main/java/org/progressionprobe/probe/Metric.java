package org.progressionprobe.probe;

import java.util.Arrays;
import java.util.Locale;

/**
 * The measures of a binary probe, computed from 0/1 labels and the predicted probability of class
 * 1: AUC (Mann-Whitney, ties count one half) and, at a probability threshold, F1 of class 1,
 * balanced accuracy, sensitivity (recall of class 1) and specificity (recall of class 0).
 * Undefined values (AUC or a recall without rows of a class) are NaN; F1 is 0 when nothing is
 * predicted or labelled 1 (scikit-learn's convention).
 */
public enum Metric {
	AUC("AUC"), F1("F1"), BALANCED_ACCURACY("balanced accuracy"), SENSITIVITY("sensitivity"), SPECIFICITY("specificity");

	private final String title;

	Metric(final String title) {
		this.title = title;
	}

	/** Name in files: auc, f1, balanced_accuracy, ... */
	public String key() {
		return name().toLowerCase(Locale.ROOT);
	}

	/** Name for people. */
	public String title() {
		return title;
	}

	/** Every metric, indexed by ordinal. */
	public static double[] all(final int[] labels, final double[] probabilities, final double threshold) {
		if (labels.length != probabilities.length)
			throw new IllegalArgumentException(labels.length + " labels for " + probabilities.length + " probabilities");
		int tp = 0, fp = 0, tn = 0, fn = 0;
		for (int i = 0; i < labels.length; i++) {
			final boolean predicted = probabilities[i] >= threshold;
			if (labels[i] == 1) {
				if (predicted)
					tp++;
				else
					fn++;
			} else if (predicted)
				fp++;
			else
				tn++;
		}
		final double[] out = new double[values().length];
		out[AUC.ordinal()] = auc(labels, probabilities);
		out[F1.ordinal()] = 2 * tp + fp + fn == 0 ? 0 : 2.0 * tp / (2 * tp + fp + fn);
		out[SENSITIVITY.ordinal()] = tp + fn == 0 ? Double.NaN : (double) tp / (tp + fn);
		out[SPECIFICITY.ordinal()] = tn + fp == 0 ? Double.NaN : (double) tn / (tn + fp);
		out[BALANCED_ACCURACY.ordinal()] = (out[SENSITIVITY.ordinal()] + out[SPECIFICITY.ordinal()]) / 2;
		return out;
	}

	/**
	 * Area under the ROC curve as the Mann-Whitney statistic: the chance that a random row of class 1
	 * scores higher than a random row of class 0, ties counting one half. NaN with a single class.
	 */
	public static double auc(final int[] labels, final double[] scores) {
		final int n = labels.length;
		final Integer[] order = new Integer[n];
		for (int i = 0; i < n; i++)
			order[i] = i;
		Arrays.sort(order, (a, b) -> Double.compare(scores[a], scores[b]));
		double positiveRankSum = 0;
		long positives = 0;
		for (int start = 0; start < n;) {
			int end = start;
			while (end + 1 < n && scores[order[end + 1]] == scores[order[start]])
				end++;
			final double midRank = (start + end) / 2.0 + 1;
			for (int k = start; k <= end; k++)
				if (labels[order[k]] == 1) {
					positiveRankSum += midRank;
					positives++;
				}
			start = end + 1;
		}
		final long negatives = n - positives;
		if (positives == 0 || negatives == 0)
			return Double.NaN;
		return (positiveRankSum - positives * (positives + 1) / 2.0) / ((double) positives * negatives);
	}
}
