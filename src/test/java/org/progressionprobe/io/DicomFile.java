package org.progressionprobe.io;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Map;
import java.util.TreeMap;

/**
 * A test's own minimal DICOM reader and editor, independent of ImageJ: the file meta group in
 * explicit VR little endian, the data set in implicit VR little endian (the transfer syntax of the
 * shared Siemens slices). It reads tags to check what the reader under test says, and writes edited
 * copies (new positions, orientation, rescaling, pixel values) to make test series.
 */
final class DicomFile {

	final byte[] preambleAndMeta;
	/** Top-level elements of the data set by tag (group << 16 | element): the value bytes. */
	final TreeMap<Integer, byte[]> elements = new TreeMap<>(Integer::compareUnsigned);

	DicomFile(final Path file) throws IOException {
		final ByteBuffer b = ByteBuffer.wrap(Files.readAllBytes(file)).order(ByteOrder.LITTLE_ENDIAN);
		if (b.get(128) != 'D' || b.get(131) != 'M')
			throw new IOException(file + ": no DICM preamble");
		final int metaEnd = 144 + b.getInt(140); // (0002,0000) UL at 132..143 holds the length of the rest of the meta group
		final String syntax = metaString(b, metaEnd, 0x00020010);
		if (!syntax.equals("1.2.840.10008.1.2"))
			throw new IOException(file + ": this test helper reads implicit VR little endian only, not " + syntax);
		preambleAndMeta = Arrays.copyOf(b.array(), metaEnd);
		b.position(metaEnd);
		while (b.remaining() >= 8) {
			final int tag = (b.getShort() & 0xffff) << 16 | (b.getShort() & 0xffff);
			final int length = b.getInt();
			if (length == -1) {
				skipUndefined(b);
				continue;
			}
			final byte[] value = new byte[length];
			b.get(value);
			elements.put(tag, value);
		}
	}

	private static String metaString(final ByteBuffer b, final int end, final int wanted) {
		int p = 132;
		while (p < end) {
			final int tag = (b.getShort(p) & 0xffff) << 16 | (b.getShort(p + 2) & 0xffff);
			final String vr = new String(new byte[] { b.get(p + 4), b.get(p + 5) }, StandardCharsets.US_ASCII);
			final boolean longForm = vr.equals("OB") || vr.equals("OW") || vr.equals("SQ") || vr.equals("UN") || vr.equals("UT");
			final int len = longForm ? b.getInt(p + 8) : b.getShort(p + 6) & 0xffff;
			final int value = p + (longForm ? 12 : 8);
			if (tag == wanted)
				return new String(b.array(), value, len, StandardCharsets.US_ASCII).replace("\0", "").strip();
			p = value + len;
		}
		return "";
	}

	/** Skips a sequence or item of undefined length, nested ones included. */
	private static void skipUndefined(final ByteBuffer b) {
		while (b.remaining() >= 8) {
			final int tag = (b.getShort() & 0xffff) << 16 | (b.getShort() & 0xffff);
			final int length = b.getInt();
			if (tag == 0xFFFEE0DD || tag == 0xFFFEE00D)
				return;
			if (length == -1)
				skipUndefined(b);
			else
				b.position(b.position() + length);
		}
	}

	String string(final int tag) {
		final byte[] v = elements.get(tag);
		return v == null ? null : new String(v, StandardCharsets.ISO_8859_1).replace("\0", "").strip();
	}

	double[] numbers(final int tag) {
		return Arrays.stream(string(tag).split("\\\\")).mapToDouble(s -> Double.parseDouble(s.strip())).toArray();
	}

	int uint16(final int tag) {
		return ByteBuffer.wrap(elements.get(tag)).order(ByteOrder.LITTLE_ENDIAN).getShort() & 0xffff;
	}

	/** The 16-bit pixel values, row by row. */
	short[] pixels() {
		final short[] p = new short[uint16(0x00280010) * uint16(0x00280011)];
		ByteBuffer.wrap(elements.get(0x7FE00010)).order(ByteOrder.LITTLE_ENDIAN).asShortBuffer().get(p);
		return p;
	}

	DicomFile set(final int tag, final String value) {
		final byte[] v = value.getBytes(StandardCharsets.ISO_8859_1);
		elements.put(tag, v.length % 2 == 0 ? v : Arrays.copyOf(v, v.length + 1));
		if (v.length % 2 == 1)
			elements.get(tag)[v.length] = ' ';
		return this;
	}

	DicomFile setUint16(final int tag, final int value) {
		elements.put(tag, ByteBuffer.allocate(2).order(ByteOrder.LITTLE_ENDIAN).putShort((short) value).array());
		return this;
	}

	DicomFile setPixels(final short[] p) {
		final ByteBuffer b = ByteBuffer.allocate(2 * p.length).order(ByteOrder.LITTLE_ENDIAN);
		b.asShortBuffer().put(p);
		elements.put(0x7FE00010, b.array());
		return this;
	}

	DicomFile set(final int tag, final double... values) {
		final StringBuilder sb = new StringBuilder();
		for (final double v : values)
			sb.append(sb.length() > 0 ? "\\" : "").append(String.format(java.util.Locale.ROOT, "%.6f", v));
		return set(tag, sb.toString());
	}

	void write(final Path file) throws IOException {
		final ByteArrayOutputStream out = new ByteArrayOutputStream();
		out.write(preambleAndMeta);
		final ByteBuffer h = ByteBuffer.allocate(8).order(ByteOrder.LITTLE_ENDIAN);
		for (final Map.Entry<Integer, byte[]> e : elements.entrySet()) {
			h.clear();
			h.putShort((short) (e.getKey() >>> 16)).putShort((short) (e.getKey() & 0xffff)).putInt(e.getValue().length);
			out.write(h.array());
			out.write(e.getValue());
		}
		Files.write(file, out.toByteArray());
	}
}
