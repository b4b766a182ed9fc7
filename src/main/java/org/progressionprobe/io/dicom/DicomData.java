package org.progressionprobe.io.dicom;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.zip.DataFormatException;
import java.util.zip.Inflater;


/**
 * A DICOM data set parsed from a file: the file meta group, then the data set in the transfer
 * syntax the meta group names (implicit or explicit VR, little or big endian, or deflated), with
 * nested sequences and encapsulated pixel data (basic offset table and fragments). Element values
 * stay views on the file's bytes (mapped for large files); nothing is decoded until asked for.
 */
public final class DicomData {

	public static final int PIXEL_DATA = 0x7FE00010, FLOAT_PIXEL_DATA = 0x7FE00008, DOUBLE_PIXEL_DATA = 0x7FE00009;
	/** Files larger than this are memory-mapped (a header read touches only its pages); smaller ones, most slices, are read. */
	private static final long MAP_FROM = 64 << 20;
	private static final int ITEM = 0xFFFEE000, ITEM_END = 0xFFFEE00D, SEQUENCE_END = 0xFFFEE0DD;

	/** One element: its VR (guessed for implicit VR), and either a value, sequence items or encapsulated fragments. */
	static final class Element {
		final String vr;
		final ByteBuffer value;
		final long offset;
		final List<DicomData> items;
		final List<ByteBuffer> fragments;

		Element(final String vr, final ByteBuffer value, final long offset, final List<DicomData> items, final List<ByteBuffer> fragments) {
			this.vr = vr;
			this.value = value;
			this.offset = offset;
			this.items = items;
			this.fragments = fragments;
		}
	}

	private final Map<Integer, Element> elements = new HashMap<>();
	private final ByteOrder order;
	private final Path file;
	private TransferSyntax syntax;

	private DicomData(final Path file, final ByteOrder order) {
		this.file = file;
		this.order = order;
	}

	/**
	 * Parses a file.
	 *
	 * @return the data set, or null if the file is not DICOM (no "DICM" preamble and no plausible
	 *         data set at its start)
	 */
	public static DicomData read(final Path file) throws IOException {
		final long size = Files.size(file);
		if (size > Integer.MAX_VALUE)
			throw new DicomException(file, "a DICOM file over 2 GB is not supported");
		final ByteBuffer all;
		if (size > MAP_FROM)
			try (FileChannel ch = FileChannel.open(file, StandardOpenOption.READ)) {
				all = ch.map(FileChannel.MapMode.READ_ONLY, 0, size);
			}
		else
			all = ByteBuffer.wrap(Files.readAllBytes(file));
		final boolean preamble = all.limit() >= 132 && all.get(128) == 'D' && all.get(129) == 'I' && all.get(130) == 'C' && all.get(131) == 'M';
		all.order(ByteOrder.LITTLE_ENDIAN).position(preamble ? 132 : 0);
		if (!preamble && !plausibleStart(all))
			return null;
		final DicomData meta = new DicomData(file, ByteOrder.LITTLE_ENDIAN);
		final boolean explicitMeta = all.remaining() >= 6 && isVr(all.get(all.position() + 4), all.get(all.position() + 5));
		while (all.remaining() >= 8 && (all.getShort(all.position()) & 0xffff) == 0x0002)
			meta.element(all, explicitMeta, 0);
		final String uid = meta.string(0x00020010);
		final TransferSyntax ts = uid == null ? (explicitMeta ? TransferSyntax.EXPLICIT_LITTLE : TransferSyntax.IMPLICIT_LITTLE) : TransferSyntax.of(uid);
		ByteBuffer body = all.slice(all.position(), all.remaining());
		if (ts.deflated)
			body = inflate(file, body);
		final DicomData d = new DicomData(file, ts.bigEndian ? ByteOrder.BIG_ENDIAN : ByteOrder.LITTLE_ENDIAN);
		d.elements.putAll(meta.elements);
		d.syntax = ts;
		body.order(d.order);
		final long base = ts.deflated ? 0 : all.position();
		d.parse(body, ts.explicit, base, body.limit(), false);
		return d;
	}

	private static boolean plausibleStart(final ByteBuffer b) {
		if (b.remaining() < 8)
			return false;
		final int group = b.getShort(0) & 0xffff;
		return group == 0x0002 || group == 0x0008;
	}

	private static ByteBuffer inflate(final Path file, final ByteBuffer deflated) throws DicomException {
		final byte[] in = new byte[deflated.remaining()];
		deflated.get(in);
		final Inflater inflater = new Inflater(true);
		inflater.setInput(in);
		final ByteArrayOutputStream out = new ByteArrayOutputStream(in.length * 4);
		final byte[] buf = new byte[65536];
		try {
			while (!inflater.finished()) {
				final int n = inflater.inflate(buf);
				if (n == 0 && (inflater.needsInput() || inflater.needsDictionary()))
					break;
				out.write(buf, 0, n);
			}
		} catch (final DataFormatException e) {
			throw new DicomException(file, "the deflated data set is corrupt: " + e.getMessage(), e);
		} finally {
			inflater.end();
		}
		return ByteBuffer.wrap(out.toByteArray());
	}

	/** Parses elements from b's position until end (or the item end when inItem), keeping top-level offsets relative to base. */
	private void parse(final ByteBuffer b, final boolean explicit, final long base, final int end, final boolean inItem) throws DicomException {
		while (b.position() < end && b.remaining() >= 8) {
			final int tag = peekTag(b);
			if (tag == ITEM_END || tag == SEQUENCE_END) {
				b.position(b.position() + 8);
				if (inItem)
					return;
				continue;
			}
			final int at = b.position();
			element(b, explicit, base);
			if (b.position() <= at)
				throw new DicomException(file, "the DICOM data set does not advance at byte " + (base + at));
		}
	}

	private int peekTag(final ByteBuffer b) {
		return (b.getShort(b.position()) & 0xffff) << 16 | (b.getShort(b.position() + 2) & 0xffff);
	}

	private void element(final ByteBuffer b, final boolean explicit, final long base) throws DicomException {
		final int start = b.position();
		final int tag = peekTag(b);
		b.position(start + 4);
		String vr = null;
		long length;
		if (explicit && isVr(b.get(b.position()), b.get(b.position() + 1))) {
			vr = new String(new byte[] { b.get(), b.get() }, StandardCharsets.US_ASCII);
			if (longForm(vr)) {
				b.getShort();
				length = b.getInt() & 0xffffffffL;
			} else
				length = b.getShort() & 0xffff;
		} else
			length = b.getInt() & 0xffffffffL;
		final int valueStart = b.position();
		if (length == 0xffffffffL) {
			if (tag == PIXEL_DATA) {
				elements.put(tag, new Element(vr == null ? "OB" : vr, null, base + valueStart, null, fragments(b, base)));
				return;
			}
			final List<DicomData> items = new ArrayList<>();
			sequence(b, explicit && !"UN".equals(vr), base, Integer.MAX_VALUE, items);
			elements.putIfAbsent(tag, new Element("SQ", null, base + valueStart, items, null));
			return;
		}
		if (length > b.remaining()) {
			if (tag == PIXEL_DATA || tag == FLOAT_PIXEL_DATA || tag == DOUBLE_PIXEL_DATA) { // reported with the size the header expects
				elements.put(tag, new Element(vr == null ? "OW" : vr, b.slice(valueStart, b.remaining()), base + valueStart, null, null));
				b.position(b.limit());
				return;
			}
			throw new DicomException(file, String.format("truncated: element (%04X,%04X) of %d bytes at byte %d runs past the end of the data",
					tag >>> 16, tag & 0xffff, length, base + valueStart));
		}
		final int len = (int) length;
		final boolean sequence = "SQ".equals(vr) || (vr == null || "UN".equals(vr)) && len >= 8 && peekTagAt(b, valueStart) == ITEM;
		if (sequence) {
			final List<DicomData> items = new ArrayList<>();
			sequence(b, explicit && !"UN".equals(vr), base, valueStart + len, items);
			b.position(valueStart + len);
			elements.putIfAbsent(tag, new Element("SQ", null, base + valueStart, items, null));
			return;
		}
		elements.putIfAbsent(tag, new Element(vr, b.slice(valueStart, len).order(order), base + valueStart, null, null));
		b.position(valueStart + len);
	}

	private int peekTagAt(final ByteBuffer b, final int at) {
		return (b.getShort(at) & 0xffff) << 16 | (b.getShort(at + 2) & 0xffff);
	}

	private void sequence(final ByteBuffer b, final boolean explicit, final long base, final int end, final List<DicomData> items) throws DicomException {
		while (b.position() < end && b.remaining() >= 8) {
			final int tag = peekTag(b);
			b.position(b.position() + 4);
			final long length = b.getInt() & 0xffffffffL;
			if (tag == SEQUENCE_END)
				return;
			if (tag != ITEM)
				throw new DicomException(file, String.format("a sequence holds (%04X,%04X) where an item was expected, at byte %d", tag >>> 16,
						tag & 0xffff, base + b.position() - 8));
			final DicomData item = new DicomData(file, order);
			if (length == 0xffffffffL)
				item.parse(b, explicit, base, b.limit(), true);
			else {
				if (length > b.remaining())
					throw new DicomException(file, "truncated: a sequence item runs past the end of the data");
				final int itemEnd = b.position() + (int) length;
				item.parse(b, explicit, base, itemEnd, true);
				b.position(itemEnd);
			}
			items.add(item);
		}
	}

	/** Encapsulated pixel data: the basic offset table, then the fragments, up to the sequence delimiter. */
	private List<ByteBuffer> fragments(final ByteBuffer b, final long base) throws DicomException {
		final List<ByteBuffer> out = new ArrayList<>();
		while (b.remaining() >= 8) {
			final int tag = peekTag(b);
			b.position(b.position() + 4);
			final long length = b.getInt() & 0xffffffffL;
			if (tag == SEQUENCE_END)
				return out;
			if (tag != ITEM || length > b.remaining())
				throw new DicomException(file, "the encapsulated pixel data is truncated or corrupt at byte " + (base + b.position() - 8));
			out.add(b.slice(b.position(), (int) length).order(ByteOrder.LITTLE_ENDIAN));
			b.position(b.position() + (int) length);
		}
		throw new DicomException(file, "truncated: the encapsulated pixel data has no end (sequence delimiter)");
	}

	private static boolean isVr(final byte a, final byte b) {
		return a >= 'A' && a <= 'Z' && b >= 'A' && b <= 'Z';
	}

	private static boolean longForm(final String vr) {
		switch (vr) {
			case "OB": case "OD": case "OF": case "OL": case "OV": case "OW": case "SQ": case "SV": case "UC": case "UN": case "UR": case "UT": case "UV":
				return true;
			default:
				return false;
		}
	}

	public Path file() {
		return file;
	}

	public TransferSyntax syntax() {
		return syntax;
	}

	public boolean has(final int tag) {
		return elements.containsKey(tag);
	}

	/** A text value (all values joined by backslashes), trimmed; null if absent. */
	public String string(final int tag) {
		final Element e = elements.get(tag);
		if (e == null || e.value == null)
			return null;
		final ByteBuffer v = e.value.duplicate();
		final byte[] bytes = new byte[v.remaining()];
		v.get(bytes);
		return new String(bytes, StandardCharsets.ISO_8859_1).replace('\0', ' ').strip();
	}

	/** An unsigned 16-bit value (US), or def if absent; text values (from files that store them as IS) are parsed. */
	public int uint16(final int tag, final int def) {
		final Element e = elements.get(tag);
		if (e == null || e.value == null || e.value.remaining() < 2)
			return def;
		if (e.vr != null && (e.vr.equals("IS") || e.vr.equals("DS")))
			return (int) Double.parseDouble(string(tag).split("\\\\")[0]);
		return e.value.getShort(0) & 0xffff;
	}

	/** The first item of a sequence, or null. */
	public DicomData item(final int tag) {
		final List<DicomData> items = items(tag);
		return items.isEmpty() ? null : items.get(0);
	}

	/** The items of a sequence (empty if absent). */
	public List<DicomData> items(final int tag) {
		final Element e = elements.get(tag);
		return e == null || e.items == null ? List.of() : e.items;
	}

	/** The tag of the pixel data: Pixel Data, Float Pixel Data or Double Float Pixel Data; -1 if there is none. */
	public int pixelTag() {
		for (final int tag : new int[] { PIXEL_DATA, FLOAT_PIXEL_DATA, DOUBLE_PIXEL_DATA })
			if (elements.containsKey(tag))
				return tag;
		return -1;
	}

	/** The native pixel data's bytes (in the data set's byte order), or null if absent or encapsulated. */
	public ByteBuffer pixelBytes() {
		final Element e = elements.get(pixelTag());
		return e == null || e.value == null ? null : e.value.duplicate().order(order);
	}

	/** Byte offset of the pixel data's value in the file (in the inflated data for deflated files). */
	public long pixelOffset() {
		final Element e = elements.get(pixelTag());
		return e == null ? -1 : e.offset;
	}

	/** The number of fragments of encapsulated pixel data (without the basic offset table); 0 if not encapsulated. */
	public int fragmentCount() {
		final Element e = elements.get(PIXEL_DATA);
		return e == null || e.fragments == null ? 0 : Math.max(0, e.fragments.size() - 1);
	}

	/** True if the pixel data is encapsulated (compressed in fragments). */
	public boolean encapsulated() {
		final Element e = elements.get(PIXEL_DATA);
		return e != null && e.fragments != null;
	}

	/**
	 * The compressed bytes of each of count frames: all fragments for a single frame, by the basic
	 * offset table when it has entries, one fragment a frame when their numbers agree, or else split
	 * where a fragment starts with a frame's first bytes (JPEG SOI, JPEG 2000 SOC, RLE header).
	 */
	public List<ByteBuffer> compressedFrames(final int count) throws DicomException {
		final List<ByteBuffer> items = elements.get(PIXEL_DATA).fragments;
		if (items.isEmpty())
			throw new DicomException(file, "the encapsulated pixel data has no basic offset table item");
		final List<ByteBuffer> fragments = items.subList(1, items.size());
		final ByteBuffer table = items.get(0);
		final List<ByteBuffer> out = new ArrayList<>();
		if (count == 1)
			out.add(concat(fragments));
		else if (table.remaining() >= 4 * count) {
			long at = 0;
			int next = 1;
			List<ByteBuffer> frame = new ArrayList<>();
			for (final ByteBuffer f : fragments) {
				if (next < count && at == (table.getInt(4 * next) & 0xffffffffL)) {
					out.add(concat(frame));
					frame = new ArrayList<>();
					next++;
				}
				frame.add(f);
				at += 8 + f.remaining();
			}
			out.add(concat(frame));
		} else if (fragments.size() == count)
			out.addAll(fragments);
		else {
			List<ByteBuffer> frame = new ArrayList<>();
			for (final ByteBuffer f : fragments) {
				if (!frame.isEmpty() && startsFrame(f)) {
					out.add(concat(frame));
					frame = new ArrayList<>();
				}
				frame.add(f);
			}
			if (!frame.isEmpty())
				out.add(concat(frame));
		}
		if (out.size() != count)
			throw new DicomException(file, "the encapsulated pixel data has " + fragments.size() + " fragments for " + count
					+ " frames and no basic offset table to tell the frames apart");
		return out;
	}

	/** True if a fragment starts a frame: a JPEG SOI, a JPEG 2000 SOC or JP2 signature box, or an RLE header (offset 64 first). */
	private static boolean startsFrame(final ByteBuffer f) {
		if (f.remaining() < 8)
			return false;
		final ByteBuffer be = f.duplicate().order(ByteOrder.BIG_ENDIAN), le = f.duplicate().order(ByteOrder.LITTLE_ENDIAN);
		final int p = f.position(), marker = be.getShort(p) & 0xffff, segments = le.getInt(p);
		return marker == 0xFFD8 || marker == 0xFF4F || be.getInt(p) == 12 && be.getInt(p + 4) == 0x6A502020
				|| segments >= 1 && segments <= 15 && f.remaining() >= 64 && le.getInt(p + 4) == 64;
	}

	private static ByteBuffer concat(final List<ByteBuffer> parts) {
		if (parts.size() == 1)
			return parts.get(0).duplicate();
		int n = 0;
		for (final ByteBuffer p : parts)
			n += p.remaining();
		final ByteBuffer out = ByteBuffer.allocate(n);
		for (final ByteBuffer p : parts)
			out.put(p.duplicate());
		return out.flip();
	}

	/** The data set's byte order. */
	public ByteOrder order() {
		return order;
	}
}
