package org.progressionprobe.volume;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

import org.progressionprobe.io.AtomicOutput;
import org.progressionprobe.io.VolumeIO;

/**
 * A template image with a label image on the same grid and a name for each label: the target of
 * atlas alignment, the source of region-of-interest crops and of regional feature pooling.
 * Label names are read from a text file with one {@code value name [anything]} line per label
 * (the format of AAL's {@code aal.nii.txt}).
 *
 * @param template intensity template
 * @param labels integer labels on the template's grid, 0 = background
 * @param names label value to name
 */
public record Atlas(Volume template, Volume labels, Map<Integer, String> names) {

	public Atlas {
		if (!labels.sameGrid(template))
			throw new IllegalArgumentException("The atlas labels must lie on the template's grid: " + labels + " vs " + template);
		names = Collections.unmodifiableMap(new TreeMap<>(names));
	}

	/** Reads a template, a label image and a label-name file. */
	public static Atlas read(final Path template, final Path labels, final Path names) throws IOException {
		return new Atlas(VolumeIO.read(template), VolumeIO.read(labels), readNames(names));
	}

	/**
	 * Reads {@code value name ...} lines; blank lines and lines starting with # are skipped. Text is
	 * UTF-8 (ISO-8859-1 when it is not valid UTF-8). A missing file, a binary file, a file without
	 * names, and a value or a name given twice are refused with the file and the line.
	 */
	public static Map<Integer, String> readNames(final Path file) throws IOException {
		final byte[] bytes;
		try {
			bytes = Files.readAllBytes(file);
		} catch (final java.nio.file.NoSuchFileException e) {
			throw new IOException(file + ": label names file not found");
		}
		for (final byte b : bytes)
			if (b == 0)
				throw new IOException(file + ": not a label names file: it holds binary data, not 'value name' text lines");
		String text;
		try {
			text = StandardCharsets.UTF_8.newDecoder().decode(java.nio.ByteBuffer.wrap(bytes)).toString();
		} catch (final java.nio.charset.CharacterCodingException e) {
			text = new String(bytes, StandardCharsets.ISO_8859_1);
		}
		final Map<Integer, String> out = new TreeMap<>();
		final Map<Integer, Integer> valueLine = new TreeMap<>();
		final Map<String, Integer> nameLine = new java.util.HashMap<>();
		int n = 0;
		for (final String line : text.split("\\R", -1)) {
			n++;
			final String t = line.strip();
			if (t.isEmpty() || t.startsWith("#"))
				continue;
			final String[] f = t.split("\\s+");
			final int value;
			try {
				if (f.length < 2)
					throw new NumberFormatException();
				value = Integer.parseInt(f[0]);
			} catch (final NumberFormatException e) {
				throw new IOException(file + ": line " + n + " is not 'value name': " + (t.length() > 80 ? t.substring(0, 80) + "..." : t));
			}
			if (valueLine.containsKey(value))
				throw new IOException(file + ": line " + n + " names label " + value + " again ('" + f[1] + "'; line " + valueLine.get(value) + ": '"
						+ out.get(value) + "')");
			if (nameLine.containsKey(f[1]))
				throw new IOException(file + ": line " + n + " gives the name '" + f[1] + "' to label " + value + ", but line " + nameLine.get(f[1])
						+ " gives it to another label: label names must be unique");
			out.put(value, f[1]);
			valueLine.put(value, n);
			nameLine.put(f[1], n);
		}
		if (out.isEmpty())
			throw new IOException(file + ": the label names file holds no 'value name' line");
		return out;
	}

	/**
	 * Writes label names as {@code value name value} lines, AAL's three-column layout with the label
	 * value as the code, readable by {@link #readNames}; atomically.
	 */
	public static void writeNames(final Map<Integer, String> names, final Path file) throws IOException {
		final StringBuilder sb = new StringBuilder();
		for (final Map.Entry<Integer, String> e : new TreeMap<>(names).entrySet()) {
			if (e.getValue().isEmpty() || e.getValue().chars().anyMatch(Character::isWhitespace))
				throw new IllegalArgumentException("A label name must be one word: '" + e.getValue() + "' (label " + e.getKey() + ")");
			sb.append(e.getKey()).append(' ').append(e.getValue()).append(' ').append(e.getKey()).append('\n');
		}
		AtomicOutput.writeString(file, sb.toString());
	}

	/** Label values whose names match any of the given names or regular expressions (e.g. "Hippocampus_.*"). */
	public List<Integer> labelsMatching(final List<String> patterns) {
		return labelsMatching(names, patterns);
	}

	/** The label values of {@code names} whose name equals (ignoring case) or matches one of the patterns, in the map's order. */
	public static List<Integer> labelsMatching(final Map<Integer, String> names, final List<String> patterns) {
		return labelsMatching(names, patterns, "label names");
	}

	/**
	 * As {@link #labelsMatching(Map, List)}; a pattern that is not a valid regular expression is
	 * refused with a message naming {@code key}, the parameter it came from.
	 */
	public static List<Integer> labelsMatching(final Map<Integer, String> names, final List<String> patterns, final String key) {
		final List<java.util.regex.Pattern> compiled = new ArrayList<>();
		for (final String p : patterns)
			try {
				compiled.add(java.util.regex.Pattern.compile(p));
			} catch (final java.util.regex.PatternSyntaxException e) {
				throw new IllegalArgumentException(key + ": '" + p + "' is not a valid regular expression (labels are chosen by name or by a"
						+ " regular expression such as Hippocampus_.*; escape special characters with \\): " + e.getDescription()
						+ " near index " + e.getIndex());
			}
		final List<Integer> out = new ArrayList<>();
		for (final Map.Entry<Integer, String> e : names.entrySet())
			for (int k = 0; k < patterns.size(); k++)
				if (e.getValue().equalsIgnoreCase(patterns.get(k)) || compiled.get(k).matcher(e.getValue()).matches()) {
					out.add(e.getKey());
					break;
				}
		return out;
	}
}
