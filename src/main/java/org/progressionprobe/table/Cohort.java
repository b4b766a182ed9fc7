package org.progressionprobe.table;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

import org.progressionprobe.io.AtomicOutput;

/**
 * A cohort file: CSV with columns {@code subject, baseline, followup, label} (label 0/1, optional
 * when only applying a probe) and any extra columns; scan paths relative to the file's folder.
 * Reading validates everything up front and lists every problem at once: missing or unreadable
 * scans, duplicate subjects, labels that are not 0/1, a single class.
 */
public final class Cohort {

	/** Column names of a cohort file. */
	public static final String SUBJECT = "subject", BASELINE = "baseline", FOLLOWUP = "followup", LABEL = "label";

	private final Path file;
	private final List<CohortPair> pairs;

	public Cohort(final Path file, final List<CohortPair> pairs) {
		this.file = file;
		this.pairs = List.copyOf(pairs);
	}

	/** Reads and validates a cohort file whose labels must be 0/1 with both classes present. */
	public static Cohort readLabelled(final Path file) throws IOException {
		return read(file, true);
	}

	/**
	 * Reads and validates a cohort file.
	 *
	 * @param requireLabels true for training: every label 0 or 1, both classes present
	 */
	public static Cohort read(final Path file, final boolean requireLabels) throws IOException {
		final List<String> problems = new ArrayList<>();
		final List<String> lines;
		try {
			lines = Files.readAllLines(file, StandardCharsets.UTF_8);
		} catch (final java.nio.file.NoSuchFileException e) {
			throw new CohortException(file, List.of("file not found"));
		}
		if (!lines.isEmpty())
			lines.set(0, Csv.withoutBom(lines.get(0)));
		final List<String> content = Csv.records(lines).stream().filter(l -> !l.isBlank() && !l.startsWith("#")).toList();
		if (content.isEmpty())
			throw new CohortException(file, List.of("no header line"));
		final List<String> header = Csv.split(content.get(0));
		for (final String required : requireLabels ? List.of(SUBJECT, BASELINE, FOLLOWUP, LABEL) : List.of(SUBJECT, BASELINE, FOLLOWUP))
			if (!header.contains(required))
				problems.add("missing column '" + required + "' (header: " + String.join(",", header) + ")");
		if (!problems.isEmpty())
			throw new CohortException(file, problems);
		final Path dir = file.toAbsolutePath().getParent();
		final List<CohortPair> pairs = new ArrayList<>();
		final Set<String> subjects = new HashSet<>();
		final Set<Integer> classes = new HashSet<>();
		for (int i = 1; i < content.size(); i++) {
			final String where = "row " + i;
			final List<String> f = Csv.split(content.get(i));
			if (f.size() != header.size()) {
				problems.add(where + ": " + f.size() + " fields, header has " + header.size());
				continue;
			}
			final Map<String, String> cells = new LinkedHashMap<>();
			for (int c = 0; c < header.size(); c++)
				cells.put(header.get(c), f.get(c));
			final String subject = cells.remove(SUBJECT);
			if (subject.isEmpty())
				problems.add(where + ": empty subject");
			else if (!subjects.add(subject))
				problems.add(where + ": duplicate subject '" + subject + "'");
			final Path baseline = scan(dir, cells.remove(BASELINE), where + " (" + subject + ") baseline", problems);
			final Path followup = scan(dir, cells.remove(FOLLOWUP), where + " (" + subject + ") followup", problems);
			Integer label = null;
			final String l = cells.remove(LABEL);
			if (l != null && !l.isEmpty()) {
				if (l.equals("0") || l.equals("1") || l.equals("0.0") || l.equals("1.0")) {
					label = l.startsWith("1") ? 1 : 0;
					classes.add(label);
				} else
					problems.add(where + " (" + subject + "): label '" + l + "' is not 0 or 1");
			} else if (requireLabels)
				problems.add(where + " (" + subject + "): no label");
			final String labels = cells.get(CohortPair.BASELINE_LABELS);
			if (labels != null && !labels.isEmpty()) {
				final Path lp = scan(dir, labels, where + " (" + subject + ") baseline_labels", problems);
				cells.put(CohortPair.BASELINE_LABELS, lp.toString());
			}
			pairs.add(new CohortPair(subject, baseline, followup, label, cells));
		}
		if (pairs.isEmpty())
			problems.add("no subjects");
		if (requireLabels && problems.isEmpty() && classes.size() < 2)
			problems.add("a single class: every label is " + classes.iterator().next() + "; a probe needs progressors (1) and stable subjects (0)");
		if (!problems.isEmpty())
			throw new CohortException(file, problems);
		return new Cohort(file, pairs);
	}

	private static Path scan(final Path dir, final String text, final String what, final List<String> problems) {
		if (text == null || text.isEmpty()) {
			problems.add(what + ": no path");
			return null;
		}
		final Path p = dir.resolve(text).normalize();
		if (!Files.exists(p))
			problems.add(what + ": " + p + " not found");
		else if (!Files.isReadable(p))
			problems.add(what + ": " + p + " is not readable");
		return p;
	}

	/** Writes a cohort file with paths relative to its folder where possible. */
	public static void write(final Path file, final List<CohortPair> pairs) throws IOException {
		final Path dir = file.toAbsolutePath().getParent();
		final List<String> extra = pairs.isEmpty() ? List.of() : List.copyOf(pairs.get(0).extra().keySet());
		final StringBuilder sb = new StringBuilder();
		final List<String> header = new ArrayList<>(List.of(SUBJECT, BASELINE, FOLLOWUP, LABEL));
		header.addAll(extra);
		sb.append(Csv.join(header)).append('\n');
		for (final CohortPair p : pairs) {
			final List<String> row = new ArrayList<>(List.of(p.subject(), relative(dir, p.baseline()), relative(dir, p.followup()),
					p.label() == null ? "" : p.label().toString()));
			for (final String e : extra)
				row.add(p.extra().getOrDefault(e, ""));
			sb.append(Csv.join(row)).append('\n');
		}
		AtomicOutput.writeString(file, sb.toString());
	}

	private static String relative(final Path dir, final Path p) {
		final Path abs = p.toAbsolutePath().normalize();
		return abs.startsWith(dir) ? dir.relativize(abs).toString() : abs.toString();
	}

	public Path file() {
		return file;
	}

	public List<CohortPair> pairs() {
		return pairs;
	}

	public int size() {
		return pairs.size();
	}

	/** A cohort file with problems; the message lists them all, one per line. */
	public static final class CohortException extends IOException {
		private static final long serialVersionUID = 1L;
		private final transient List<String> problems;

		public CohortException(final Path file, final List<String> problems) {
			super(file + ": " + problems.size() + " problem" + (problems.size() == 1 ? "" : "s") + " in the cohort file:\n  - "
					+ String.join("\n  - ", problems));
			this.problems = List.copyOf(problems);
		}

		public List<String> problems() {
			return problems;
		}
	}
}
