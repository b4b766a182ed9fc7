package org.progressionprobe.io.dicom;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Path;


/**
 * DICOM RLE Lossless (PS3.5 Annex G): a 64-byte header with up to 15 segment offsets, one PackBits
 * segment per byte plane (most significant byte first, sample by sample).
 */
final class RleDecoder {

	private RleDecoder() {}

	/**
	 * @return the frame's values, sample plane after sample plane, each the bytes of its segments
	 *         put together (as the native encoding would hold them, unsigned)
	 */
	static int[] decode(final Path file, final ByteBuffer frame, final int pixels, final int samples, final int bytesPerSample)
			throws DicomException {
		final ByteBuffer in = frame.duplicate().order(ByteOrder.LITTLE_ENDIAN);
		if (in.remaining() < 64)
			throw new DicomException(file, "an RLE frame is shorter than its 64-byte header");
		final int segments = in.getInt(0);
		if (segments != samples * bytesPerSample)
			throw new DicomException(file, "an RLE frame has " + segments + " segments but " + samples + " samples of " + bytesPerSample
					+ " bytes need " + samples * bytesPerSample);
		final int[] out = new int[pixels * samples];
		final byte[] plane = new byte[pixels];
		for (int s = 0; s < segments; s++) {
			final int start = in.getInt(4 + 4 * s);
			final int end = s + 1 < segments ? in.getInt(8 + 4 * s) : in.limit();
			if (start < 64 || end > in.limit() || end < start)
				throw new DicomException(file, "RLE segment " + (s + 1) + " has offsets " + start + ".." + end + " outside the frame of " + in.limit()
						+ " bytes");
			unpack(file, in, start, end, plane);
			final int sample = s / bytesPerSample, shift = 8 * (bytesPerSample - 1 - s % bytesPerSample);
			for (int i = 0, o = sample * pixels; i < pixels; i++, o++)
				out[o] |= (plane[i] & 0xff) << shift;
		}
		return out;
	}

	/** PackBits: n in 0..127 copies n+1 bytes, n in -127..-1 repeats the next byte 1-n times, -128 does nothing. */
	private static void unpack(final Path file, final ByteBuffer in, int p, final int end, final byte[] out) throws DicomException {
		int o = 0;
		while (o < out.length && p < end) {
			final int n = in.get(p++);
			if (n >= 0) {
				final int count = Math.min(n + 1, Math.min(out.length - o, end - p));
				for (int i = 0; i < count; i++)
					out[o++] = in.get(p++);
			} else if (n != -128 && p < end) {
				final byte v = in.get(p++);
				for (int i = Math.min(1 - n, out.length - o); i > 0; i--)
					out[o++] = v;
			}
		}
		if (o < out.length)
			throw new DicomException(file, "an RLE segment decodes to " + o + " bytes but the frame has " + out.length + " pixels");
	}
}
