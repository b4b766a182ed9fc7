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

	/** Reads {@code value name ...} lines; blank lines and lines starting with # are skipped. */
	public static Map<Integer, String> readNames(final Path file) throws IOException {
		final Map<Integer, String> out = new TreeMap<>();
		int n = 0;
		for (final String line : Files.readAllLines(file, StandardCharsets.UTF_8)) {
			n++;
			final String t = line.trim();
			if (t.isEmpty() || t.startsWith("#"))
				continue;
			final String[] f = t.split("\\s+");
			try {
				if (f.length < 2)
					throw new NumberFormatException();
				out.put(Integer.parseInt(f[0]), f[1]);
			} catch (final NumberFormatException e) {
				throw new IOException(file + ": line " + n + " is not 'value name': " + t);
			}
		}
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
		final List<Integer> out = new ArrayList<>();
		for (final Map.Entry<Integer, String> e : names.entrySet())
			for (final String p : patterns)
				if (e.getValue().equalsIgnoreCase(p) || e.getValue().matches(p)) {
					out.add(e.getKey());
					break;
				}
		return out;
	}
}
