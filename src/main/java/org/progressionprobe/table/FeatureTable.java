package org.progressionprobe.table;

import java.io.BufferedReader;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import org.progressionprobe.io.AtomicOutput;

/**
 * A feature table as a plain CSV file any tool can read: provenance in leading lines
 * {@code # key: value}, a header line, then one row per pair. Key columns (such as {@code subject}
 * and {@code label}) and numeric feature columns live side by side; {@link #numericColumns} finds
 * the features. A single-pair output is the header plus one row of numeric feature columns.
 */
public final class FeatureTable {

	private final Map<String, String> provenance;
	private final List<String> columns;
	private final List<List<String>> rows = new ArrayList<>();

	/** An empty table with the given columns and provenance. */
	public FeatureTable(final List<String> columns, final Map<String, String> provenance) {
		if (columns.stream().distinct().count() != columns.size())
			throw new IllegalArgumentException("Duplicate column names: " + columns);
		this.columns = List.copyOf(columns);
		this.provenance = new LinkedHashMap<>(provenance);
	}

	/** The table of one pair: its features as one row. */
	public static FeatureTable single(final FeatureVector features, final Map<String, String> provenance) {
		final FeatureTable t = new FeatureTable(features.names(), provenance);
		t.addRow(Map.of(), features);
		return t;
	}

	/** Reads a feature table; errors name the file and line. */
	public static FeatureTable read(final Path file) throws IOException {
		final Map<String, String> prov = new LinkedHashMap<>();
		FeatureTable table = null;
		int lineNo = 0;
		try (BufferedReader r = Files.newBufferedReader(file, StandardCharsets.UTF_8)) {
			String line;
			while ((line = r.readLine()) != null) {
				if (lineNo++ == 0)
					line = Csv.withoutBom(line);
				if (line.isBlank())
					continue;
				if (table == null && line.startsWith("#")) {
					final String body = line.substring(1).trim();
					final int colon = body.indexOf(':');
					if (colon > 0)
						prov.put(body.substring(0, colon).trim(), body.substring(colon + 1).trim());
					continue;
				}
				if (line.startsWith("#"))
					continue;
				final int first = lineNo;
				while (Csv.continues(line)) {
					final String next = r.readLine();
					if (next == null)
						throw new IOException(file + ": line " + first + ": a quoted field is not closed before the end of the file");
					line += "\n" + next;
					lineNo++;
				}
				final List<String> fields = Csv.split(line);
				if (table == null) {
					try {
						table = new FeatureTable(fields, prov);
					} catch (final IllegalArgumentException e) {
						throw new IOException(file + ": line " + first + ": " + e.getMessage());
					}
				} else {
					if (fields.size() != table.columns.size())
						throw new IOException(file + ": line " + first + " has " + fields.size() + " fields but the header has " + table.columns.size());
					table.rows.add(fields);
				}
			}
		} catch (final NoSuchFileException e) {
			throw new IOException(file + ": file not found");
		}
		if (table == null)
			throw new IOException(file + ": no header line (empty feature table)");
		return table;
	}

	/** Writes the table atomically. */
	public void write(final Path file) throws IOException {
		AtomicOutput.writeString(file, toCsv());
	}

	/** The whole file's text. */
	public String toCsv() {
		final StringBuilder sb = new StringBuilder(headerText());
		for (final List<String> row : rows)
			sb.append(Csv.join(row)).append('\n');
		return sb.toString();
	}

	/** Provenance lines and header line, each ending in a newline. */
	public String headerText() {
		final StringBuilder sb = new StringBuilder();
		for (final Map.Entry<String, String> e : provenance.entrySet())
			sb.append("# ").append(e.getKey()).append(": ").append(e.getValue().replace('\n', ' ')).append('\n');
		sb.append(Csv.join(columns)).append('\n');
		return sb.toString();
	}

	/** Adds a row: key values by column name, then the features; every column must be given exactly once. */
	public FeatureTable addRow(final Map<String, String> keys, final FeatureVector features) {
		final Map<String, String> cells = new LinkedHashMap<>(keys);
		for (int i = 0; i < features.size(); i++)
			if (cells.put(features.names().get(i), Csv.number(features.get(i))) != null)
				throw new IllegalArgumentException("Column " + features.names().get(i) + " given twice");
		addRow(cells);
		return this;
	}

	/** Adds a row of text cells by column name; every column must be present. */
	public void addRow(final Map<String, String> cells) {
		if (!cells.keySet().equals(new java.util.HashSet<>(columns)))
			throw new IllegalArgumentException("Row columns " + cells.keySet() + " do not match the table's " + columns);
		final List<String> row = new ArrayList<>(columns.size());
		for (final String c : columns)
			row.add(cells.get(c));
		rows.add(row);
	}

	public Map<String, String> provenance() {
		return provenance;
	}

	public List<String> columns() {
		return columns;
	}

	public int rowCount() {
		return rows.size();
	}

	public boolean hasColumn(final String name) {
		return columns.contains(name);
	}

	/** The text of a cell. */
	public String text(final int row, final String column) {
		return rows.get(row).get(index(column));
	}

	/** A cell as a number (NaN for empty or "nan"). */
	public double number(final int row, final String column) {
		final String s = text(row, column);
		try {
			return Csv.parseNumber(s);
		} catch (final NumberFormatException e) {
			throw new IllegalArgumentException("Row " + (row + 1) + ", column " + column + ": '" + s + "' is not a number");
		}
	}

	/** A whole column as text. */
	public List<String> texts(final String column) {
		final int c = index(column);
		return rows.stream().map(r -> r.get(c)).toList();
	}

	/** Columns, other than the excluded ones, whose every cell is a number. */
	public List<String> numericColumns(final Collection<String> exclude) {
		final List<String> out = new ArrayList<>();
		for (int c = 0; c < columns.size(); c++) {
			if (exclude.contains(columns.get(c)))
				continue;
			boolean numeric = true;
			for (final List<String> row : rows) {
				try {
					Csv.parseNumber(row.get(c));
				} catch (final NumberFormatException e) {
					numeric = false;
					break;
				}
			}
			if (numeric)
				out.add(columns.get(c));
		}
		return out;
	}

	/** The values of the given columns, one array per row. */
	public double[][] matrix(final List<String> featureColumns) {
		final double[][] m = new double[rows.size()][featureColumns.size()];
		for (int j = 0; j < featureColumns.size(); j++) {
			final String col = featureColumns.get(j);
			for (int i = 0; i < rows.size(); i++)
				m[i][j] = number(i, col);
		}
		return m;
	}

	/** A table with only the given columns (in that order) and the same provenance. */
	public FeatureTable select(final List<String> keep) {
		final FeatureTable t = new FeatureTable(keep, provenance);
		final int[] idx = keep.stream().mapToInt(this::index).toArray();
		for (final List<String> row : rows) {
			final List<String> r = new ArrayList<>(idx.length);
			for (final int i : idx)
				r.add(row.get(i));
			t.rows.add(r);
		}
		return t;
	}

	/** The row index of the first row whose column has the given text, or -1. */
	public int find(final String column, final String value) {
		final int c = index(column);
		for (int i = 0; i < rows.size(); i++)
			if (rows.get(i).get(c).equals(value))
				return i;
		return -1;
	}

	private int index(final String column) {
		final int c = columns.indexOf(column);
		if (c < 0)
			throw new IllegalArgumentException("No column '" + column + "'; columns: " + columns);
		return c;
	}
}
