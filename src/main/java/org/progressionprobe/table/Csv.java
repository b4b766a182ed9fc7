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

	/** Splits one line into fields (no embedded newlines). */
	public static List<String> split(final String line) {
		final List<String> out = new ArrayList<>();
		final StringBuilder f = new StringBuilder();
		boolean quoted = false;
		for (int i = 0; i < line.length(); i++) {
			final char c = line.charAt(i);
			if (quoted) {
				if (c == '"') {
					if (i + 1 < line.length() && line.charAt(i + 1) == '"') {
						f.append('"');
						i++;
					} else
						quoted = false;
				} else
					f.append(c);
			} else if (c == '"')
				quoted = true;
			else if (c == ',') {
				out.add(f.toString().trim());
				f.setLength(0);
			} else
				f.append(c);
		}
		out.add(f.toString().trim());
		return out;
	}

	/** Joins fields into a line, quoting those that contain commas, quotes or leading/trailing spaces. */
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
		if (s.contains(",") || s.contains("\"") || s.contains("\n") || !s.equals(s.trim()))
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
