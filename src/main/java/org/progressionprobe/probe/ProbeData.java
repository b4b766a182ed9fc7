package org.progressionprobe.probe;

import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;

import org.progressionprobe.table.Csv;
import org.progressionprobe.table.FeatureTable;

/**
 * The rows of a feature table that a probe learns from or is applied to: a matrix of numeric
 * features, the subject and group of each row and, for training, its 0/1 label. Built from any
 * feature CSV with a subject column, a label column and numeric feature columns, whoever wrote it;
 * columns with no number in any row (text such as a site name) are ignored, a column of numbers with
 * some text cells is refused naming the cells. Validation collects every problem before failing
 * (missing label column, labels other than 0/1, conflicting labels of one subject, a single class,
 * too few subjects per class for the folds, non-finite features naming column and subject);
 * constant columns are dropped with a note.
 */
public final class ProbeData {

	private static final int MAX_LISTED = 5;

	private final String source;
	private final List<String> features;
	private final double[][] x;
	private final int[] labels;
	private final List<String> subjects;
	private final List<String> groups;
	private final Map<String, String> provenance;
	private final List<String> notes;

	/**
	 * @param source where the rows come from (a file name), used in messages
	 * @param features feature names, one per column of {@code x}
	 * @param x one row of feature values per table row
	 * @param labels 0/1 per row, or null when the rows are unlabelled
	 * @param subjects subject per row
	 * @param groups group per row (rows of one group never straddle a train/test split)
	 * @param provenance the table's provenance lines
	 * @param notes what was ignored or dropped while reading
	 */
	public ProbeData(final String source, final List<String> features, final double[][] x, final int[] labels, final List<String> subjects,
			final List<String> groups, final Map<String, String> provenance, final List<String> notes) {
		if (subjects.size() != x.length || groups.size() != x.length || (labels != null && labels.length != x.length))
			throw new IllegalArgumentException("Rows, subjects, groups and labels differ in number");
		for (final double[] row : x)
			if (row.length != features.size())
				throw new IllegalArgumentException("A row has " + row.length + " values for " + features.size() + " features");
		this.source = source;
		this.features = List.copyOf(features);
		this.x = x;
		this.labels = labels;
		this.subjects = List.copyOf(subjects);
		this.groups = List.copyOf(groups);
		this.provenance = Collections.unmodifiableMap(new LinkedHashMap<>(provenance));
		this.notes = List.copyOf(notes);
	}

	/** Reads a feature table for training; see {@link #forTraining(FeatureTable, ProbeColumns, int, String)}. */
	public static ProbeData readForTraining(final Path file, final ProbeColumns columns, final int folds) throws IOException {
		return forTraining(FeatureTable.read(file), columns, folds, file.toString());
	}

	/**
	 * Labelled rows for training and cross-validation. Every numeric column other than the subject,
	 * label and group columns is a feature.
	 *
	 * @param folds each class needs at least this many groups (0 to skip that check)
	 * @throws ProbeDataException listing every problem found
	 */
	public static ProbeData forTraining(final FeatureTable table, final ProbeColumns columns, final int folds, final String source) {
		final List<String> problems = new ArrayList<>();
		final List<String> notes = new ArrayList<>();
		final String groupColumn = columns.groupIn(table);
		requireColumn(table, columns.subject(), "subject", problems);
		if (!groupColumn.equals(columns.subject()))
			requireColumn(table, groupColumn, "group", problems);
		int[] labels = null;
		if (!table.hasColumn(columns.label()))
			problems.add("no label column '" + columns.label() + "' (columns: " + String.join(", ", table.columns()) + ")");
		else
			labels = readLabels(table, columns, problems);
		if (table.rowCount() == 0)
			problems.add("no rows");

		final List<String> subjects = table.hasColumn(columns.subject()) ? table.texts(columns.subject()) : rowNumbers(table.rowCount());
		final List<String> groups = table.hasColumn(groupColumn) ? table.texts(groupColumn) : subjects;
		if (labels != null && problems.isEmpty())
			checkConsistentLabels(labels, subjects, problems);
		if (labels != null && problems.isEmpty())
			checkClasses(labels, groups, folds, groupColumn, problems);

		final List<String> keys = List.of(columns.subject(), columns.label(), groupColumn);
		final List<String> numeric = table.numericColumns(keys);
		for (final String column : table.columns())
			if (!keys.contains(column) && !numeric.contains(column) && isNumber(table.texts(column)))
				problems.add(textCells(column, table.texts(column), subjects));
		noteIgnored(table, columns, groupColumn, numeric, notes);
		final double[][] all = table.matrix(numeric);
		checkFinite(numeric, all, subjects, problems);
		final List<String> features = new ArrayList<>();
		final List<String> constant = new ArrayList<>();
		for (int j = 0; j < numeric.size(); j++)
			(isConstant(all, j) ? constant : features).add(numeric.get(j));
		if (!constant.isEmpty())
			notes.add("dropped " + constant.size() + " constant column(s): " + listed(constant));
		if (features.isEmpty() && problems.isEmpty())
			problems.add(numeric.isEmpty() ? "no numeric feature columns" : "every numeric feature column is constant");
		if (!problems.isEmpty())
			throw new ProbeDataException(source, problems);
		return new ProbeData(source, features, select(all, numeric, features), labels, subjects, groups, table.provenance(), notes);
	}

	/**
	 * Rows to which a trained probe is applied: the probe's feature columns, in the probe's order.
	 * Labels are kept when the label column is present and holds 0/1 values only.
	 *
	 * @throws ProbeDataException naming the missing columns or the non-finite values
	 */
	public static ProbeData forPrediction(final FeatureTable table, final List<String> features, final ProbeColumns columns, final String source) {
		final List<String> problems = new ArrayList<>();
		final List<String> missing = features.stream().filter(f -> !table.hasColumn(f)).toList();
		if (!missing.isEmpty())
			problems.add("missing " + missing.size() + " of the probe's " + features.size() + " feature column(s): " + listed(missing));
		if (!problems.isEmpty())
			throw new ProbeDataException(source, problems);
		final List<String> subjects = table.hasColumn(columns.subject()) ? table.texts(columns.subject()) : rowNumbers(table.rowCount());
		final String groupColumn = columns.groupIn(table);
		final List<String> groups = table.hasColumn(groupColumn) ? table.texts(groupColumn) : subjects;
		final double[][] x = new double[table.rowCount()][features.size()];
		final Set<String> numeric = new java.util.HashSet<>(table.numericColumns(List.of()));
		for (int j = 0; j < features.size(); j++) {
			final List<String> texts = table.texts(features.get(j));
			if (!numeric.contains(features.get(j))) {
				problems.add(textCells(features.get(j), texts, subjects));
				continue;
			}
			for (int i = 0; i < x.length; i++)
				x[i][j] = Csv.parseNumber(texts.get(i));
		}
		if (problems.isEmpty())
			checkFinite(features, x, subjects, problems);
		if (!problems.isEmpty())
			throw new ProbeDataException(source, problems);
		int[] labels = null;
		if (table.hasColumn(columns.label())) {
			final List<String> labelProblems = new ArrayList<>();
			labels = readLabels(table, columns, labelProblems);
			if (!labelProblems.isEmpty())
				labels = null;
		}
		return new ProbeData(source, features, x, labels, subjects, groups, table.provenance(), List.of());
	}

	/** The rows with the given indices, in that order. */
	public ProbeData rows(final int[] index) {
		final double[][] sx = new double[index.length][];
		final int[] sl = labels == null ? null : new int[index.length];
		final List<String> ss = new ArrayList<>(index.length);
		final List<String> sg = new ArrayList<>(index.length);
		for (int k = 0; k < index.length; k++) {
			sx[k] = x[index[k]];
			if (sl != null)
				sl[k] = labels[index[k]];
			ss.add(subjects.get(index[k]));
			sg.add(groups.get(index[k]));
		}
		return new ProbeData(source, features, sx, sl, ss, sg, provenance, notes);
	}

	public String source() {
		return source;
	}

	/** Feature names, in column order of {@link #x()}. */
	public List<String> features() {
		return features;
	}

	/** Feature values, one row per table row (not copied). */
	public double[][] x() {
		return x;
	}

	public boolean isLabelled() {
		return labels != null;
	}

	/** 0/1 labels; throws if the rows are unlabelled. */
	public int[] labels() {
		if (labels == null)
			throw new IllegalStateException(source + ": the rows have no labels");
		return labels.clone();
	}

	public List<String> subjects() {
		return subjects;
	}

	public List<String> groups() {
		return groups;
	}

	public Map<String, String> provenance() {
		return provenance;
	}

	/** What was ignored or dropped while reading, one sentence each. */
	public List<String> notes() {
		return notes;
	}

	public int rowCount() {
		return x.length;
	}

	private static void requireColumn(final FeatureTable table, final String column, final String what, final List<String> problems) {
		if (!table.hasColumn(column))
			problems.add("no " + what + " column '" + column + "' (columns: " + String.join(", ", table.columns()) + ")");
	}

	private static int[] readLabels(final FeatureTable table, final ProbeColumns columns, final List<String> problems) {
		final List<String> texts = table.texts(columns.label());
		final List<String> subjects = table.hasColumn(columns.subject()) ? table.texts(columns.subject()) : rowNumbers(texts.size());
		final int[] labels = new int[texts.size()];
		final List<String> bad = new ArrayList<>();
		int badCount = 0;
		for (int i = 0; i < labels.length; i++) {
			double v;
			try {
				v = Csv.parseNumber(texts.get(i));
			} catch (final NumberFormatException e) {
				v = Double.NaN;
			}
			if (v == 0 || v == 1)
				labels[i] = (int) v;
			else {
				badCount++;
				if (bad.size() < MAX_LISTED)
					bad.add("'" + texts.get(i) + "' (row " + (i + 1) + ", subject " + subjects.get(i) + ")");
			}
		}
		if (badCount > 0)
			problems.add("label column '" + columns.label() + "' must hold 0 or 1; " + badCount + " row(s) do not: " + String.join(", ", bad)
					+ (badCount > bad.size() ? ", ..." : ""));
		return labels;
	}

	/** True if some cell of the column holds a number (empty, nan and na cells do not count). */
	private static boolean isNumber(final List<String> texts) {
		for (final String t : texts) {
			try {
				if (!Double.isNaN(Csv.parseNumber(t)))
					return true;
			} catch (final NumberFormatException e) {
				// a text cell
			}
		}
		return false;
	}

	/** "column X: 2 cell(s) are not numbers: 'abc' (row 3, subject s3), ...". */
	private static String textCells(final String column, final List<String> texts, final List<String> subjects) {
		final List<String> where = new ArrayList<>();
		for (int i = 0; i < texts.size(); i++) {
			try {
				Csv.parseNumber(texts.get(i));
			} catch (final NumberFormatException e) {
				where.add("'" + texts.get(i) + "' (row " + (i + 1) + ", subject " + subjects.get(i) + ")");
			}
		}
		return "column " + column + ": " + where.size() + " cell(s) are not numbers: "
				+ String.join(", ", where.subList(0, Math.min(MAX_LISTED, where.size()))) + (where.size() > MAX_LISTED ? ", ..." : "");
	}

	/** Every row of one subject must carry the same label. */
	private static void checkConsistentLabels(final int[] labels, final List<String> subjects, final List<String> problems) {
		final Map<String, Integer> first = new LinkedHashMap<>();
		final Set<String> reported = new LinkedHashSet<>();
		for (int i = 0; i < labels.length; i++) {
			final Integer row = first.putIfAbsent(subjects.get(i), i);
			if (row != null && labels[row] != labels[i] && reported.add(subjects.get(i)))
				problems.add("subject " + subjects.get(i) + " has conflicting labels: " + labels[row] + " (row " + (row + 1) + ") and " + labels[i]
						+ " (row " + (i + 1) + ")");
		}
	}

	private static void checkClasses(final int[] labels, final List<String> groups, final int folds, final String groupColumn, final List<String> problems) {
		final int[] rows = new int[2];
		final List<Set<String>> groupsPerClass = List.of(new LinkedHashSet<>(), new LinkedHashSet<>());
		for (int i = 0; i < labels.length; i++) {
			rows[labels[i]]++;
			groupsPerClass.get(labels[i]).add(groups.get(i));
		}
		if (rows[0] == 0 || rows[1] == 0) {
			final int only = rows[0] == 0 ? 1 : 0;
			problems.add("a single class: every one of the " + labels.length + " rows has label " + only + "; a probe needs rows of both classes (0 and 1)");
			return;
		}
		for (int c = 0; c < 2; c++)
			if (folds > 0 && groupsPerClass.get(c).size() < folds)
				problems.add("class " + c + " has " + groupsPerClass.get(c).size() + " " + (groupColumn + "(s)") + " (" + rows[c]
						+ " rows), fewer than the " + folds + " folds: use fewer folds or more data");
	}

	private static void checkFinite(final List<String> columns, final double[][] x, final List<String> subjects, final List<String> problems) {
		final Map<String, List<String>> bad = new TreeMap<>();
		for (int j = 0; j < columns.size(); j++) {
			final List<String> where = new ArrayList<>();
			for (int i = 0; i < x.length; i++)
				if (!Double.isFinite(x[i][j]))
					where.add("subject " + subjects.get(i) + " (" + Csv.number(x[i][j]) + ")");
			if (!where.isEmpty())
				bad.put(columns.get(j), where);
		}
		int listedColumns = 0;
		for (final Map.Entry<String, List<String>> e : bad.entrySet()) {
			if (listedColumns++ == MAX_LISTED) {
				problems.add("and " + (bad.size() - MAX_LISTED) + " more column(s) with non-finite values");
				break;
			}
			final List<String> where = e.getValue();
			problems.add("column " + e.getKey() + " is not finite for " + where.size() + " row(s): "
					+ String.join(", ", where.subList(0, Math.min(MAX_LISTED, where.size()))) + (where.size() > MAX_LISTED ? ", ..." : ""));
		}
	}

	private static void noteIgnored(final FeatureTable table, final ProbeColumns columns, final String groupColumn, final List<String> numeric,
			final List<String> notes) {
		final List<String> ignored = new ArrayList<>();
		for (final String c : table.columns())
			if (!numeric.contains(c) && !c.equals(columns.subject()) && !c.equals(columns.label()) && !c.equals(groupColumn))
				ignored.add(c);
		if (!ignored.isEmpty())
			notes.add("ignored " + ignored.size() + " non-numeric column(s): " + listed(ignored));
	}

	private static boolean isConstant(final double[][] x, final int j) {
		for (int i = 1; i < x.length; i++)
			if (x[i][j] != x[0][j] && Double.isFinite(x[i][j]))
				return false;
		return true;
	}

	private static double[][] select(final double[][] all, final List<String> from, final List<String> keep) {
		final int[] idx = keep.stream().mapToInt(from::indexOf).toArray();
		final double[][] out = new double[all.length][idx.length];
		for (int i = 0; i < all.length; i++)
			for (int k = 0; k < idx.length; k++)
				out[i][k] = all[i][idx[k]];
		return out;
	}

	private static List<String> rowNumbers(final int n) {
		final List<String> out = new ArrayList<>(n);
		for (int i = 1; i <= n; i++)
			out.add("row" + i);
		return out;
	}

	static String listed(final List<String> names) {
		if (names.size() <= 2 * MAX_LISTED)
			return String.join(", ", names);
		return String.join(", ", names.subList(0, 2 * MAX_LISTED)) + ", ... (" + (names.size() - 2 * MAX_LISTED) + " more)";
	}
}
