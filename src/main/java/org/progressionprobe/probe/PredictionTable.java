package org.progressionprobe.probe;

import java.util.ArrayList;
import java.util.List;
import java.util.TreeMap;

import org.progressionprobe.table.Csv;
import org.progressionprobe.table.FeatureTable;

/**
 * Predictions made elsewhere, read from a CSV with a 0/1 label column and a probability column
 * (values from 0 to 1), ready to be evaluated. Rows are grouped for the bootstrap by a group column
 * ({@code group}, else {@code subject}, else each row alone); a {@code fold} column, when present,
 * adds per-fold means.
 *
 * @param labels 0/1 per row
 * @param probabilities score per row
 * @param groups group per row
 * @param fold fold per row (0-based), or null
 */
public record PredictionTable(int[] labels, double[] probabilities, List<String> groups, int[] fold) {

	/**
	 * Reads and checks the columns.
	 *
	 * @param groupColumn grouping column, or null/empty for group, else subject, else rows
	 * @throws ProbeDataException listing every problem
	 */
	public static PredictionTable of(final FeatureTable table, final String labelColumn, final String probabilityColumn, final String groupColumn,
			final String source) {
		final List<String> problems = new ArrayList<>();
		for (final String c : List.of(labelColumn, probabilityColumn))
			if (!table.hasColumn(c))
				problems.add("no column '" + c + "' (columns: " + String.join(", ", table.columns()) + ")");
		final String group = groupColumn != null && !groupColumn.isBlank() ? groupColumn
				: table.hasColumn(ProbeColumns.GROUP) ? ProbeColumns.GROUP : table.hasColumn(ProbeColumns.SUBJECT) ? ProbeColumns.SUBJECT : null;
		if (group != null && !table.hasColumn(group))
			problems.add("no group column '" + group + "'");
		if (!problems.isEmpty())
			throw new ProbeDataException(source, problems);
		final int n = table.rowCount();
		final int[] labels = new int[n];
		final double[] p = new double[n];
		final List<String> groups = new ArrayList<>(n);
		int bad = 0;
		for (int i = 0; i < n; i++) {
			final double l = parse(table.text(i, labelColumn));
			p[i] = parse(table.text(i, probabilityColumn));
			if (l != 0 && l != 1 || !(p[i] >= 0 && p[i] <= 1)) {
				if (bad++ < 5)
					problems.add("row " + (i + 1) + ": label '" + table.text(i, labelColumn) + "', " + probabilityColumn + " '"
							+ table.text(i, probabilityColumn) + "' (need a label of 0 or 1 and a probability from 0 to 1)");
			} else
				labels[i] = (int) l;
			groups.add(group == null ? "row" + (i + 1) : table.text(i, group));
		}
		if (bad > 5)
			problems.add("and " + (bad - 5) + " more bad row(s)");
		int positives = 0;
		for (final int l : labels)
			positives += l;
		if (problems.isEmpty() && (positives == 0 || positives == n))
			problems.add("a single class: " + n + " rows, " + positives + " labelled 1; evaluation needs both classes");
		if (!problems.isEmpty())
			throw new ProbeDataException(source, problems);
		int[] fold = null;
		if (table.hasColumn("fold")) {
			final TreeMap<String, Integer> ids = new TreeMap<>();
			table.texts("fold").forEach(f -> ids.putIfAbsent(f, 0));
			int k = 0;
			for (final var e : ids.entrySet())
				e.setValue(k++);
			fold = table.texts("fold").stream().mapToInt(ids::get).toArray();
		}
		return new PredictionTable(labels, p, groups, fold);
	}

	/** Evaluates the predictions with bootstrap intervals. */
	public Evaluation evaluate(final double threshold, final int replicates, final long seed) {
		return Evaluation.of(labels, probabilities, groups, fold, threshold, replicates, seed);
	}

	private static double parse(final String s) {
		try {
			return Csv.parseNumber(s);
		} catch (final NumberFormatException e) {
			return Double.NaN;
		}
	}
}
