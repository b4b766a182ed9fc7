package org.progressionprobe.pipeline;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import org.progressionprobe.io.AtomicOutput;
import org.progressionprobe.table.Cohort;
import org.progressionprobe.table.CohortPair;
import org.progressionprobe.table.Csv;
import org.progressionprobe.table.FeatureTable;
import org.progressionprobe.table.FeatureVector;

/**
 * The files of a feature table that is computed pair by pair and survives a kill: the output,
 * {@code <output>.partial} (each computed row appended at once) and {@code <output>.errors.csv}
 * (subjects that failed). Whoever computes the rows (one machine: {@link FeatureBatch}; a cluster
 * engine: its driver) keeps them here, so every runner writes the same file, row for row.
 * <p>
 * Opening reads the rows of an earlier run (complete output and partial file); they are reused only
 * if they were made with the same settings ({@link #requireProvenance}). {@link #finish} writes the
 * output, in cohort order, once every subject has a row.
 */
public final class ResumableTable {

	/** Provenance key of the cohort file. */
	public static final String COHORT_KEY = "cohort";

	private final Path output, partial, errors;
	/** The provenance of each earlier file read, without the cohort key. */
	private final Map<Path, Map<String, String>> earlier = new LinkedHashMap<>();
	/** The rows by subject: reused ones first, then those added; cells as written. */
	private final Map<String, List<String>> rows = new LinkedHashMap<>();
	private List<String> columns;
	private Map<String, String> provenance;

	private ResumableTable(final Path output) {
		this.output = output;
		this.partial = partialFile(output);
		this.errors = errorsFile(output);
	}

	/** Where rows go while a run is incomplete. */
	public static Path partialFile(final Path output) {
		return output.resolveSibling(output.getFileName() + ".partial");
	}

	/** Where the subjects that failed are listed. */
	public static Path errorsFile(final Path output) {
		return output.resolveSibling(output.getFileName() + ".errors.csv");
	}

	/**
	 * Reads the rows of an earlier complete output and of a partial file, if any (dropping a last line
	 * that a kill left without its newline), and creates the output's folder.
	 */
	public static ResumableTable open(final Path output) throws IOException {
		final ResumableTable t = new ResumableTable(output);
		if (output.toAbsolutePath().getParent() != null)
			Files.createDirectories(output.toAbsolutePath().getParent());
		for (final Path previous : List.of(t.output, t.partial)) {
			if (!Files.exists(previous))
				continue;
			truncateIncompleteLastLine(previous);
			final FeatureTable table = FeatureTable.read(previous);
			if (!table.hasColumn(Cohort.SUBJECT))
				throw new IOException(previous + ": no 'subject' column");
			final Map<String, String> had = new LinkedHashMap<>(table.provenance());
			had.remove(COHORT_KEY);
			t.earlier.put(previous, had);
			t.columns = table.columns();
			for (int r = 0; r < table.rowCount(); r++) {
				final List<String> row = new ArrayList<>();
				for (final String c : table.columns())
					row.add(table.text(r, c));
				t.rows.put(table.text(r, Cohort.SUBJECT), row);
			}
		}
		return t;
	}

	/**
	 * Sets the provenance of this run's rows; refuses earlier files made with other settings (their
	 * rows would not be comparable).
	 */
	public void requireProvenance(final Map<String, String> prov) throws IOException {
		for (final Map.Entry<Path, Map<String, String>> e : earlier.entrySet())
			if (!e.getValue().equals(prov))
				throw new IOException(e.getKey() + " was computed with other settings; delete it or choose another output. Differences: "
						+ differences(e.getValue(), prov));
		provenance = new LinkedHashMap<>(prov);
	}

	/** The keys whose values differ, as {@code key: earlier -> now}, one per line. */
	static String differences(final Map<String, String> earlier, final Map<String, String> now) {
		final java.util.Set<String> keys = new java.util.TreeSet<>(earlier.keySet());
		keys.addAll(now.keySet());
		final StringBuilder sb = new StringBuilder();
		for (final String k : keys)
			if (!java.util.Objects.equals(earlier.get(k), now.get(k)))
				sb.append("\n  ").append(k).append(": ").append(earlier.getOrDefault(k, "(none)")).append(" -> ").append(now.getOrDefault(k, "(none)"));
		return sb.toString();
	}

	/** The provenance of the earlier files (all equal once {@link #requireProvenance} passed), or null when there were none. */
	public Map<String, String> earlierProvenance() {
		return earlier.isEmpty() ? null : earlier.values().iterator().next();
	}

	/** True if the subject has a row (reused or added). */
	public boolean has(final String subject) {
		return rows.containsKey(subject);
	}

	/** The number of rows reused from earlier files or added since. */
	public int rowCount() {
		return rows.size();
	}

	/**
	 * Adds a computed pair: its row ({@code subject}, {@code label}, the features as {@link Csv#number})
	 * is appended to the partial file at once. A subject that already has a row is left as it is (the
	 * features are a function of the pair and the settings, so a second row would be the same).
	 *
	 * @return false if the subject already had a row
	 */
	public boolean add(final CohortPair pair, final FeatureVector v) throws IOException {
		if (provenance == null)
			throw new IllegalStateException("requireProvenance first");
		if (rows.containsKey(pair.subject()))
			return false;
		final List<String> cols = new ArrayList<>(List.of(Cohort.SUBJECT, Cohort.LABEL));
		cols.addAll(v.names());
		if (columns == null)
			columns = cols;
		else if (!columns.equals(cols))
			throw new IOException(pair.subject() + ": the extractor produced columns " + cols + " that differ from earlier rows " + columns);
		if (!Files.exists(partial))
			Files.writeString(partial, new FeatureTable(columns, provenance).headerText(), StandardCharsets.UTF_8);
		final List<String> row = new ArrayList<>(List.of(pair.subject(), pair.label() == null ? "" : pair.label().toString()));
		for (final double d : v.values())
			row.add(Csv.number(d));
		appendLine(partial, Csv.join(row));
		rows.put(pair.subject(), row);
		return true;
	}

	/**
	 * Ends a run: writes (or removes) the errors file and, when no subject failed, the output with
	 * the rows in cohort order, then removes the partial file.
	 *
	 * @param failures error message by subject of this run
	 * @return the table of the rows in cohort order (written only when {@code failures} is empty), or null if there are none
	 */
	public FeatureTable finish(final Cohort cohort, final Map<String, String> failures) throws IOException {
		if (provenance == null)
			throw new IllegalStateException("requireProvenance first");
		writeErrors(errors, failures);
		if (columns == null)
			return null;
		final Map<String, String> prov = new LinkedHashMap<>();
		prov.put(COHORT_KEY, cohort.file().toAbsolutePath().toString());
		prov.putAll(provenance);
		final FeatureTable table = new FeatureTable(columns, prov);
		for (final CohortPair pair : cohort.pairs()) {
			final List<String> row = rows.get(pair.subject());
			if (row == null)
				continue;
			final Map<String, String> cells = new LinkedHashMap<>();
			for (int i = 0; i < columns.size(); i++)
				cells.put(columns.get(i), row.get(i));
			table.addRow(cells);
		}
		if (failures.isEmpty()) {
			table.write(output);
			Files.deleteIfExists(partial);
		}
		return table;
	}

	/** A run killed while appending may leave a last line without its newline: drop it. */
	private static void truncateIncompleteLastLine(final Path file) throws IOException {
		final byte[] bytes = Files.readAllBytes(file);
		if (bytes.length == 0 || bytes[bytes.length - 1] == '\n')
			return;
		int end = bytes.length - 1;
		while (end >= 0 && bytes[end] != '\n')
			end--;
		try (var ch = java.nio.channels.FileChannel.open(file, StandardOpenOption.WRITE)) {
			ch.truncate(end + 1);
		}
	}

	private static void appendLine(final Path file, final String line) throws IOException {
		try (var ch = java.nio.channels.FileChannel.open(file, StandardOpenOption.WRITE, StandardOpenOption.APPEND)) {
			ch.write(java.nio.ByteBuffer.wrap((line + "\n").getBytes(StandardCharsets.UTF_8)));
			ch.force(false);
		}
	}

	private static void writeErrors(final Path file, final Map<String, String> failures) throws IOException {
		if (failures.isEmpty()) {
			Files.deleteIfExists(file);
			return;
		}
		final StringBuilder sb = new StringBuilder("subject,error\n");
		failures.forEach((s, e) -> sb.append(Csv.join(List.of(s, e.replace('\n', ' ')))).append('\n'));
		AtomicOutput.writeString(file, sb.toString());
	}
}
