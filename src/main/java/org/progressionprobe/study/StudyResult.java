package org.progressionprobe.study;

import java.util.List;
import java.util.Locale;

import org.progressionprobe.probe.Evaluation.Estimate;
import org.progressionprobe.table.Csv;

/**
 * One row of a study's comparison table: a setting (and, for a network, a layer), how many subjects
 * and features it had, and its cross-validated AUC, F1 and balanced accuracy with 95% intervals, or
 * the reason it has no result.
 */
public record StudyResult(String setting, String alignment, boolean roi, String extractor, String layer, int subjects, int features,
		Estimate auc, Estimate f1, Estimate balancedAccuracy, String error) {

	/** Column names of the comparison table. */
	public static final List<String> COLUMNS = List.of("setting", "alignment", "roi", "extractor", "layer", "subjects", "features", "auc",
			"auc_low", "auc_high", "f1", "f1_low", "f1_high", "balanced_accuracy", "balanced_accuracy_low", "balanced_accuracy_high", "error");

	/** A row for a setting that failed. */
	public static StudyResult failed(final FeatureSetting s, final String error) {
		final Estimate none = new Estimate(Double.NaN, Double.NaN, Double.NaN);
		return new StudyResult(s.id(), s.alignment().key(), s.crops(), s.extractor(), "", 0, 0, none, none, none, error);
	}

	public boolean ok() {
		return error == null || error.isEmpty();
	}

	/** A label for plots and tables: setting id plus layer. */
	public String label() {
		return layer.isEmpty() || layer.equals("all") ? setting : setting + ":" + layer;
	}

	/** The row's cells, in {@link #COLUMNS} order. */
	public List<String> cells() {
		return List.of(setting, alignment, Boolean.toString(roi), extractor, layer, Integer.toString(subjects), Integer.toString(features),
				num(auc.value()), num(auc.low()), num(auc.high()), num(f1.value()), num(f1.low()), num(f1.high()), num(balancedAccuracy.value()),
				num(balancedAccuracy.low()), num(balancedAccuracy.high()), error == null ? "" : error);
	}

	private static String num(final double v) {
		return Double.isNaN(v) ? "nan" : String.format(Locale.ROOT, "%.4f", v);
	}

	/** One line for a console table. */
	public String line() {
		if (!ok())
			return String.format(Locale.ROOT, "%-34s failed: %s", label(), error);
		return String.format(Locale.ROOT, "%-34s n=%-4d features=%-5d AUC %s  F1 %s", label(), subjects, features, auc, f1);
	}

	static String csvLine(final List<String> cells) {
		return Csv.join(cells);
	}
}
