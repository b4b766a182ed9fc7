package org.progressionprobe.io;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.TreeMap;

import org.progressionprobe.volume.Atlas;

/**
 * The files of an {@link Atlas}: a template image, a label image on its grid, and a label-names text
 * file with one {@code value name [anything]} line per label (the format of AAL's {@code aal.nii.txt}).
 */
public final class AtlasFiles {

	private AtlasFiles() {}

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
}
