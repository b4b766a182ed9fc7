package org.progressionprobe.io.dicom;

import java.nio.ByteBuffer;
import java.nio.file.Path;
import java.util.Arrays;


/**
 * JPEG Lossless, process 14 (ITU T.81 Annex H): Huffman-coded differences from one of the seven
 * predictors, restart intervals, point transform, 2 to 16 bits, one or more components (interleaved
 * in one scan or in a scan each). Other JPEG processes are refused with their name.
 */
final class JpegLosslessDecoder {

	/** A decoded image: its size, sample precision (bits) and the samples, component plane after plane. */
	static final class Image {
		final int width, height, components, precision;
		final int[] samples;

		Image(final int width, final int height, final int components, final int precision) {
			this.width = width;
			this.height = height;
			this.components = components;
			this.precision = precision;
			samples = new int[width * height * components];
		}
	}

	/** One Huffman table for DC differences (T.81 Annex C and F.2.2.3). */
	private static final class Huffman {
		final int[] maxCode = new int[18], valPtr = new int[17], minCode = new int[17];
		final int[] values;
		/** For each 9-bit lookahead: code length << 8 | value of a code of at most 9 bits, or 0. */
		final int[] fast = new int[1 << FAST_BITS];

		Huffman(final int[] counts, final int[] values) {
			this.values = values;
			int code = 0, k = 0;
			for (int l = 1; l <= 16; l++) {
				valPtr[l] = k;
				minCode[l] = code;
				for (int i = 0; i < counts[l - 1] && l <= FAST_BITS && k + i < values.length; i++) {
					final int first = (code + i) << (FAST_BITS - l);
					Arrays.fill(fast, first, first + (1 << (FAST_BITS - l)), l << 8 | values[k + i]);
				}
				code += counts[l - 1];
				k += counts[l - 1];
				maxCode[l] = counts[l - 1] == 0 ? -1 : code - 1;
				code <<= 1;
			}
			maxCode[17] = Integer.MAX_VALUE;
		}
	}

	private static final int FAST_BITS = 9;

	private final Path file;
	private final ByteBuffer in;
	private final Huffman[] tables = new Huffman[4];
	private long bits;
	private int bitCount;
	private boolean markerHit;

	private JpegLosslessDecoder(final Path file, final ByteBuffer in) {
		this.file = file;
		this.in = in.duplicate();
	}

	/** Decodes a frame that the DICOM header says is width x height with the given number of components. */
	static Image decode(final Path file, final ByteBuffer stream, final int width, final int height, final int components) throws DicomException {
		return new JpegLosslessDecoder(file, stream).decode(width, height, components);
	}

	private Image decode(final int width, final int height, final int components) throws DicomException {
		if (in.remaining() < 4 || u8() != 0xFF || u8() != 0xD8)
			throw error("the JPEG frame does not start with an SOI marker");
		Image image = null;
		int[] componentIds = null;
		int restartInterval = 0;
		while (in.hasRemaining()) {
			int m = u8();
			if (m != 0xFF)
				continue;
			while (m == 0xFF && in.hasRemaining())
				m = u8();
			switch (m) {
				case 0xD9:
					if (image == null)
						throw error("the JPEG frame ends before its image");
					return image;
				case 0xC4:
					huffmanTables();
					break;
				case 0xC3: {
					final int length = u16(), p = u8(), h = u16(), w = u16(), n = u8();
					if (length != 8 + 3 * n || p < 2 || p > 16 || w == 0 || h == 0 || n == 0)
						throw error("the JPEG frame header is invalid (" + w + " x " + h + ", " + n + " components, " + p + " bits)");
					componentIds = new int[n];
					for (int c = 0; c < n; c++) {
						componentIds[c] = u8();
						final int sampling = u8();
						u8();
						if (sampling != 0x11)
							throw error("JPEG lossless with subsampled components is not supported");
					}
					if (w != width || h != height || n != components)
						throw error("its JPEG frame is " + w + " x " + h + " with " + n + " components but the header says " + width + " x " + height
								+ " with " + components);
					image = new Image(w, h, n, p);
					break;
				}
				case 0xDD:
					u16();
					restartInterval = u16();
					break;
				case 0xDA:
					if (image == null)
						throw error("a JPEG scan comes before the frame header");
					scan(image, componentIds, restartInterval);
					break;
				case 0xC0: case 0xC1: case 0xC2:
					throw error("the JPEG data is lossy DCT-based (process " + (m == 0xC2 ? "10" : "1/2/4")
							+ "), not JPEG Lossless, though the transfer syntax says lossless");
				case 0xC5: case 0xC6: case 0xC7: case 0xC9: case 0xCA: case 0xCB: case 0xCD: case 0xCE: case 0xCF:
					throw error(String.format("JPEG process of marker FF%02X (hierarchical or arithmetic-coded) is not supported", m));
				default:
					if (m >= 0xD0 && m <= 0xD8 || m == 0x01)
						break; // markers without a length
					skip(u16() - 2);
			}
		}
		throw error("the JPEG frame has no EOI marker");
	}

	private void huffmanTables() throws DicomException {
		final int end = in.position() + u16();
		while (in.position() < end - 2) {
			final int tcTh = u8();
			final int[] counts = new int[16];
			int total = 0;
			for (int i = 0; i < 16; i++)
				total += counts[i] = u8();
			final int[] values = new int[total];
			for (int i = 0; i < total; i++)
				values[i] = u8();
			if ((tcTh >> 4) == 0)
				tables[tcTh & 3] = new Huffman(counts, values);
		}
		in.position(end - 2);
	}

	private void scan(final Image image, final int[] componentIds, final int restartInterval) throws DicomException {
		final int length = u16(), ns = u8();
		if (length != 6 + 2 * ns)
			throw error("the JPEG scan header is invalid");
		final int[] plane = new int[ns];
		final Huffman[] huffman = new Huffman[ns];
		for (int i = 0; i < ns; i++) {
			final int id = u8(), table = u8() >> 4;
			plane[i] = -1;
			for (int c = 0; c < componentIds.length; c++)
				if (componentIds[c] == id)
					plane[i] = c;
			if (plane[i] < 0 || tables[table & 3] == null)
				throw error("a JPEG scan names component " + id + " or a Huffman table that is not defined");
			huffman[i] = tables[table & 3];
		}
		final int predictor = u8();
		u8();
		final int pointTransform = u8() & 15;
		if (predictor < 1 || predictor > 7)
			throw error("JPEG lossless predictor " + predictor + " is not one of 1..7");
		final int w = image.width, h = image.height, planeSize = w * h, mask = (1 << image.precision) - 1;
		final int initial = 1 << (image.precision - pointTransform - 1);
		final int[] s = image.samples;
		final int[] reduced = new int[ns * planeSize]; // values before the point transform, for prediction
		bits = 0;
		bitCount = 0;
		markerHit = false;
		int mcu = 0, firstLine = 0;
		boolean restart = true;
		for (int y = 0; y < h; y++)
			for (int x = 0; x < w; x++, mcu++) {
				if (restartInterval > 0 && mcu > 0 && mcu % restartInterval == 0) {
					restartMarker();
					restart = true;
				}
				if (restart) {
					firstLine = y;
					restart = false;
				}
				for (int i = 0; i < ns; i++) {
					final int base = i * planeSize, at = base + y * w + x;
					final int prediction;
					if (y == firstLine)
						prediction = x == 0 ? initial : reduced[at - 1];
					else if (x == 0)
						prediction = reduced[at - w];
					else {
						final int ra = reduced[at - 1], rb = reduced[at - w], rc = reduced[at - w - 1];
						switch (predictor) {
							case 1: prediction = ra; break;
							case 2: prediction = rb; break;
							case 3: prediction = rc; break;
							case 4: prediction = ra + rb - rc; break;
							case 5: prediction = ra + ((rb - rc) >> 1); break;
							case 6: prediction = rb + ((ra - rc) >> 1); break;
							default: prediction = (ra + rb) >> 1;
						}
					}
					final int v = (prediction + difference(huffman[i])) & 0xffff & (mask >> pointTransform);
					reduced[at] = v;
					s[plane[i] * planeSize + y * w + x] = v << pointTransform;
				}
			}
	}

	private int difference(final Huffman t) throws DicomException {
		final int fast = t.fast[peek(FAST_BITS)];
		int ssss;
		if (fast != 0) {
			bitCount -= fast >> 8;
			ssss = fast & 0xff;
		} else {
			int l = FAST_BITS + 1;
			int code = peek(l);
			while (code > t.maxCode[l]) {
				if (++l > 16)
					throw error("the JPEG data holds a Huffman code that its table does not define");
				code = peek(l);
			}
			if (t.valPtr[l] + code - t.minCode[l] >= t.values.length)
				throw error("the JPEG data holds a Huffman code that its table does not define");
			bitCount -= l;
			ssss = t.values[t.valPtr[l] + code - t.minCode[l]];
		}
		if (ssss == 0)
			return 0;
		if (ssss == 16)
			return 32768;
		if (ssss > 16)
			throw error("the JPEG data holds a difference of " + ssss + " bits");
		final int v = peek(ssss);
		bitCount -= ssss;
		return v < 1 << (ssss - 1) ? v - (1 << ssss) + 1 : v;
	}

	/** The next n (at most 16) bits without consuming them; past a marker the data reads as zeros. */
	private int peek(final int n) {
		while (bitCount < n) {
			int b = 0;
			if (!markerHit && in.hasRemaining()) {
				b = in.get() & 0xff;
				if (b == 0xFF) {
					final int next = in.hasRemaining() ? in.get(in.position()) & 0xff : 0xD9;
					if (next == 0)
						in.get();
					else {
						markerHit = true; // a marker: leave it for the caller
						in.position(in.position() - 1);
						b = 0;
					}
				}
			}
			bits = bits << 8 | b;
			bitCount += 8;
		}
		return (int) (bits >>> (bitCount - n)) & ((1 << n) - 1);
	}

	private void restartMarker() throws DicomException {
		bitCount = 0;
		markerHit = false;
		while (in.remaining() >= 2) {
			if ((in.get(in.position()) & 0xff) == 0xFF && (in.get(in.position() + 1) & 0xf8) == 0xD0) {
				in.position(in.position() + 2);
				return;
			}
			in.get();
		}
		throw error("the JPEG data ends before a restart marker");
	}

	private int u8() throws DicomException {
		if (!in.hasRemaining())
			throw error("the JPEG data is truncated");
		return in.get() & 0xff;
	}

	private int u16() throws DicomException {
		return u8() << 8 | u8();
	}

	private void skip(final int n) throws DicomException {
		if (n < 0 || n > in.remaining())
			throw error("the JPEG data is truncated");
		in.position(in.position() + n);
	}

	private DicomException error(final String problem) {
		return new DicomException(file, problem);
	}
}
