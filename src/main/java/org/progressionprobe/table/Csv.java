package org.progressionprobe.table;

import java.util.ArrayList;
import java.util.List;

/** Minimal RFC 4180 CSV: fields separated by commas, quoted with double quotes when needed. */
public final class Csv {

	private Csv() {}

	/** The first line of a file without the UTF-8 byte order mark that spreadsheet programs write. */
	public static String withoutBom(final String firstLine) {
		return firstLine.startsWith("\ufeff") ? firstLine.substring(1) : firstLine;
	}

	/**
	 * Splits one record into fields. A quoted field is kept exactly as written between its quotes
	 * (edge spaces, commas, doubled quotes, newlines); an unquoted field is trimmed.
	 */
	public static List<String> split(final String record) {
		final List<String> out = new ArrayList<>();
		final StringBuilder f = new StringBuilder();
		boolean inQuotes = false, quotedField = false;
		for (int i = 0; i < record.length(); i++) {
			final char c = record.charAt(i);
			if (inQuotes) {
				if (c == '"') {
					if (i + 1 < record.length() && record.charAt(i + 1) == '"') {
						f.append('"');
						i++;
					} else
						inQuotes = false;
				} else
					f.append(c);
			} else if (c == '"') {
				if (!quotedField && f.toString().isBlank()) {
					f.setLength(0);
					quotedField = true;
				}
				inQuotes = true;
			} else if (c == ',') {
				out.add(quotedField ? f.toString() : f.toString().trim());
				f.setLength(0);
				quotedField = false;
			} else if (!(quotedField && Character.isWhitespace(c)))
				f.append(c);
		}
		out.add(quotedField ? f.toString() : f.toString().trim());
		return out;
	}

	/** True if the text ends inside a quoted field: the record goes on on the next line. */
	public static boolean continues(final String text) {
		return text.chars().filter(c -> c == '"').count() % 2 == 1;
	}

	/** Lines joined into records: a line that ends inside a quoted field is joined to the next with a newline. */
	public static List<String> records(final List<String> lines) {
		final List<String> out = new ArrayList<>();
		String open = null;
		for (final String line : lines) {
			final String record = open == null ? line : open + "\n" + line;
			if (continues(record))
				open = record;
			else {
				out.add(record);
				open = null;
			}
		}
		if (open != null)
			out.add(open);
		return out;
	}

	/** Joins fields into a record, quoting those that contain commas, quotes, line breaks or leading/trailing spaces. */
	public static String join(final List<String> fields) {
		final StringBuilder sb = new StringBuilder();
		for (int i = 0; i < fields.size(); i++) {
			if (i > 0)
				sb.append(',');
			sb.append(quote(fields.get(i)));
		}
		return sb.toString();
	}

	static String quote(final String s) {
		if (s == null)
			return "";
		if (s.contains(",") || s.contains("\"") || s.contains("\n") || s.contains("\r") || !s.equals(s.trim()))
			return '"' + s.replace("\"", "\"\"") + '"';
		return s;
	}

	/** Shortest decimal text that reads back to the same double; "nan" for NaN. */
	public static String number(final double v) {
		if (Double.isNaN(v))
			return "nan";
		if (v == Math.rint(v) && Math.abs(v) < 1e15)
			return Long.toString((long) v);
		return Double.toString(v);
	}

	/** Parses a number as written by {@link #number} or by other tools (nan, inf, empty = NaN). */
	public static double parseNumber(final String s) {
		final String t = s.trim().toLowerCase();
		if (t.isEmpty() || t.equals("nan") || t.equals("na"))
			return Double.NaN;
		if (t.equals("inf") || t.equals("+inf") || t.equals("infinity"))
			return Double.POSITIVE_INFINITY;
		if (t.equals("-inf") || t.equals("-infinity"))
			return Double.NEGATIVE_INFINITY;
		return Double.parseDouble(t);
	}
}
