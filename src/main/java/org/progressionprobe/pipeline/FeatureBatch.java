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

import org.progressionprobe.command.Progress;
import org.progressionprobe.features.PairFeatures;
import org.progressionprobe.table.Cohort;
import org.progressionprobe.table.CohortPair;
import org.progressionprobe.table.Csv;
import org.progressionprobe.table.FeatureTable;
import org.progressionprobe.table.FeatureVector;

/**
 * Computes a feature table over a cohort: one row per subject ({@code subject}, {@code label}, then
 * the features), with the settings of the pair source and the extractor as provenance.
 * <p>
 * Resumable and atomic: each computed row is appended at once to {@code <output>.partial}; the
 * output itself appears only when every subject is done. A killed run, started again with the same
 * settings, reuses the rows of the partial file (and of an earlier complete output) and computes
 * only the missing subjects. A subject that fails is recorded in {@code <output>.errors.csv} and
 * the others go on; running again retries only the failed ones.
 */
public final class FeatureBatch {

	/** Provenance key of the cohort file. */
	public static final String COHORT_KEY = "cohort";

	private final PairSource source;
	private final PairFeatures features;
	private final Progress progress;

	public FeatureBatch(final PairSource source, final PairFeatures features, final Progress progress) {
		this.source = source;
		this.features = features;
		this.progress = progress;
	}

	/** What a batch run produced. */
	public record Result(Path output, int computed, int reused, Map<String, String> failures) {
		/** True when every subject has a row. */
		public boolean complete() {
			return failures.isEmpty();
		}
	}

	/** The provenance a batch of these settings writes; equal provenance means reusable rows. */
	public Map<String, String> provenance() {
		final Map<String, String> p = new LinkedHashMap<>();
		source.provenance().forEach((k, v) -> p.put("prepare." + k, v));
		features.provenance().forEach((k, v) -> p.put("features." + k, v));
		return p;
	}

	/** Computes the missing rows of {@code output} for the cohort; see the class description. */
	public Result run(final Cohort cohort, final Path output) throws IOException {
		final Map<String, String> prov = provenance();
		if (output.toAbsolutePath().getParent() != null)
			Files.createDirectories(output.toAbsolutePath().getParent());
		final Path partial = output.resolveSibling(output.getFileName() + ".partial");
		final Path errorsFile = output.resolveSibling(output.getFileName() + ".errors.csv");
		final Map<String, List<String>> cached = new LinkedHashMap<>();
		List<String> columns = null;
		for (final Path previous : List.of(output, partial)) {
			if (!Files.exists(previous))
				continue;
			final FeatureTable t = readReusable(previous, prov);
			columns = t.columns();
			for (int r = 0; r < t.rowCount(); r++) {
				final List<String> row = new ArrayList<>();
				for (final String c : t.columns())
					row.add(t.text(r, c));
				cached.put(t.text(r, Cohort.SUBJECT), row);
			}
		}
		final Map<String, String> failures = new LinkedHashMap<>();
		int computed = 0, reused = 0, done = 0;
		for (final CohortPair pair : cohort.pairs()) {
			progress.checkCancelled();
			progress.report("Features", done++, cohort.size());
			if (cached.containsKey(pair.subject())) {
				reused++;
				continue;
			}
			final FeatureVector v;
			try {
				v = features.compute(source.prepare(pair));
			} catch (final java.util.concurrent.CancellationException e) {
				throw e;
			} catch (final Exception e) {
				failures.put(pair.subject(), e.getMessage() != null ? e.getMessage() : e.toString());
				continue;
			}
			final List<String> cols = new ArrayList<>(List.of(Cohort.SUBJECT, Cohort.LABEL));
			cols.addAll(v.names());
			if (columns == null)
				columns = cols;
			else if (!columns.equals(cols))
				throw new IOException(pair.subject() + ": the extractor produced columns " + cols + " that differ from earlier rows " + columns);
			if (!Files.exists(partial))
				Files.writeString(partial, new FeatureTable(columns, prov).headerText(), StandardCharsets.UTF_8);
			final List<String> row = new ArrayList<>(List.of(pair.subject(), pair.label() == null ? "" : pair.label().toString()));
			for (final double d : v.values())
				row.add(Csv.number(d));
			appendLine(partial, Csv.join(row));
			cached.put(pair.subject(), row);
			computed++;
		}
		progress.report("Features", cohort.size(), cohort.size());
		writeErrors(errorsFile, failures);
		if (columns != null) {
			final FeatureTable table = new FeatureTable(columns, withCohort(prov, cohort));
			for (final CohortPair pair : cohort.pairs()) {
				final List<String> row = cached.get(pair.subject());
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
		}
		return new Result(output, computed, reused, failures);
	}

	private static Map<String, String> withCohort(final Map<String, String> prov, final Cohort cohort) {
		final Map<String, String> p = new LinkedHashMap<>();
		p.put(COHORT_KEY, cohort.file().toAbsolutePath().toString());
		p.putAll(prov);
		return p;
	}

	/** Reads an earlier output or partial file, refusing it if it was made with other settings. */
	private static FeatureTable readReusable(final Path file, final Map<String, String> prov) throws IOException {
		truncateIncompleteLastLine(file);
		final FeatureTable t = FeatureTable.read(file);
		final Map<String, String> had = new LinkedHashMap<>(t.provenance());
		had.remove(COHORT_KEY);
		if (!had.equals(prov))
			throw new IOException(file + " was computed with other settings; delete it or choose another output.\n  it has: " + had
					+ "\n  now:    " + prov);
		if (!t.hasColumn(Cohort.SUBJECT))
			throw new IOException(file + ": no 'subject' column");
		return t;
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
		org.progressionprobe.io.AtomicOutput.writeString(file, sb.toString());
	}
}
