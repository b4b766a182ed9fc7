package org.progressionprobe.study;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

import org.progressionprobe.probe.Evaluation.Estimate;
import org.progressionprobe.table.Csv;
import org.progressionprobe.table.FeatureTable;

/**
 * One row of a study's comparison table: a setting (and, for a network, a layer), how many subjects
 * and features it had, and its cross-validated AUC, F1 and balanced accuracy with 95% intervals, or
 * the reason it has no result. With repeated cross-validation the metrics are means over the
 * repeats ({@code aucRepeatSd}: how much the split alone moves the AUC); {@code permutationP} is the
 * permutation test's p-value for "above chance" (NaN when not run).
 */
public record StudyResult(String setting, String alignment, boolean roi, String extractor, String layer, int subjects, int features,
		Estimate auc, Estimate f1, Estimate balancedAccuracy, int repeats, double aucRepeatSd, double permutationP, String error) {

	/** Column names of the comparison table. */
	public static final List<String> COLUMNS = List.of("setting", "alignment", "roi", "extractor", "layer", "subjects", "features", "auc",
			"auc_low", "auc_high", "f1", "f1_low", "f1_high", "balanced_accuracy", "balanced_accuracy_low", "balanced_accuracy_high", "repeats", "auc_repeat_sd", "p_permutation", "error");

	/** A row for a setting that failed. */
	public static StudyResult failed(final StudySetting s, final String error) {
		final Estimate none = new Estimate(Double.NaN, Double.NaN, Double.NaN);
		return new StudyResult(s.id(), s.alignment().key(), s.crops(), s.extractor(), "", 0, 0, none, none, none, 0, Double.NaN, Double.NaN, error);
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
				num(balancedAccuracy.low()), num(balancedAccuracy.high()), Integer.toString(repeats), num(aucRepeatSd), num(permutationP),
				error == null ? "" : error);
	}

	private static String num(final double v) {
		return Double.isNaN(v) ? "nan" : String.format(Locale.ROOT, "%.4f", v);
	}

	/** One line for a console table. */
	public String line() {
		if (!ok())
			return String.format(Locale.ROOT, "%-34s failed: %s", label(), error);
		return String.format(Locale.ROOT, "%-34s n=%-4d features=%-5d AUC %s  F1 %s", label(), subjects, features, auc, f1)
				+ (Double.isNaN(permutationP) ? "" : String.format(Locale.ROOT, "  p(perm)=%.3g", permutationP));
	}

	static String csvLine(final List<String> cells) {
		return Csv.join(cells);
	}

	/** The rows of a comparison table written by {@link Study} (columns added later read as absent: 1 repeat, NaN). */
	public static List<StudyResult> read(final FeatureTable table) {
		final List<StudyResult> out = new ArrayList<>();
		for (int r = 0; r < table.rowCount(); r++)
			out.add(new StudyResult(table.text(r, "setting"), table.text(r, "alignment"), Boolean.parseBoolean(table.text(r, "roi")),
					table.text(r, "extractor"), table.text(r, "layer"), (int) table.number(r, "subjects"), (int) table.number(r, "features"),
					estimate(table, r, "auc"), estimate(table, r, "f1"), estimate(table, r, "balanced_accuracy"),
					table.hasColumn("repeats") ? (int) table.number(r, "repeats") : 1, optional(table, r, "auc_repeat_sd"),
					optional(table, r, "p_permutation"), table.text(r, "error")));
		return out;
	}

	private static Estimate estimate(final FeatureTable t, final int r, final String metric) {
		return new Estimate(t.number(r, metric), t.number(r, metric + "_low"), t.number(r, metric + "_high"));
	}

	private static double optional(final FeatureTable t, final int r, final String column) {
		return t.hasColumn(column) ? t.number(r, column) : Double.NaN;
	}
}
