package org.progressionprobe.io.dicom;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import org.progressionprobe.volume.Volume;

/**
 * The frames of a DICOM file's pixel data as stored values (before rescaling): native (any byte
 * order), RLE Lossless, JPEG Lossless or JPEG 2000. Native and RLE 16-bit words are read whole,
 * signed when PixelRepresentation is 1 (as ImageJ does); decoded JPEG samples are signed from their
 * BitsStored-wide pattern. Colour (3 samples) becomes luminance. The constructor checks that the
 * pixels can be decoded and are all there; it decodes nothing.
 */
public final class PixelFrames {

	private final DicomData data;
	private final Path file;
	private final int rows, columns, frames, samples, bitsAllocated, bitsStored, planar;
	private final boolean signed, floats;
	private List<ByteBuffer> compressed;

	public PixelFrames(final DicomData data, final int rows, final int columns, final int frames) throws DicomException {
		this.data = data;
		file = data.file();
		this.rows = rows;
		this.columns = columns;
		this.frames = frames;
		samples = data.uint16(0x00280002, 1);
		bitsAllocated = data.uint16(0x00280100, 16);
		bitsStored = Math.min(bitsAllocated, Math.max(1, data.uint16(0x00280101, bitsAllocated)));
		signed = data.uint16(0x00280103, 0) == 1;
		planar = data.uint16(0x00280006, 0);
		final TransferSyntax ts = data.syntax();
		if (ts.codec == TransferSyntax.Codec.NONE)
			throw new DicomException(file, TransferSyntax.unsupported(ts == TransferSyntax.UNKNOWN ? "The transfer syntax" : ts.title,
					ts == TransferSyntax.UNKNOWN ? data.string(0x00020010) : ts.uid));
		if (data.pixelTag() < 0)
			throw new DicomException(file, "the DICOM file holds no pixel data");
		floats = data.pixelTag() != DicomData.PIXEL_DATA;
		if (samples != 1 && samples != 3)
			throw new DicomException(file, samples + " samples per pixel are not supported (1 or 3)");
		if (floats ? bitsAllocated != (data.pixelTag() == DicomData.FLOAT_PIXEL_DATA ? 32 : 64) || samples != 1
				: bitsAllocated != 8 && bitsAllocated != 16 && bitsAllocated != 32)
			throw new DicomException(file, "BitsAllocated " + bitsAllocated + " with " + samples + " samples is not supported for "
					+ (floats ? "floating-point pixel data (32 or 64, one sample)" : "Pixel Data (8, 16 or 32)"));
		if (ts.codec == TransferSyntax.Codec.NATIVE) {
			if (data.encapsulated())
				throw new DicomException(file, "the pixel data is encapsulated (compressed) but the transfer syntax " + ts.title + " says native");
			final long need = (long) rows * columns * frames * samples * (bitsAllocated / 8);
			final ByteBuffer b = data.pixelBytes();
			if (b.remaining() < need) {
				long size;
				try {
					size = Files.size(file);
				} catch (final IOException e) {
					size = -1;
				}
				throw new DicomException(file, "truncated: the header describes " + need + " bytes of pixels from byte " + data.pixelOffset()
						+ (ts.deflated ? " of the inflated data set, which has " + (data.pixelOffset() + b.remaining()) + " bytes"
								: " but the file has " + size));
			}
		} else if (!data.encapsulated())
			throw new DicomException(file, "the transfer syntax " + ts.title + " needs encapsulated pixel data but the file has native pixel data");
		else if (data.fragmentCount() < frames)
			throw new DicomException(file, "truncated: the header describes " + frames + " frames but the encapsulated pixel data has "
					+ data.fragmentCount() + " fragments");
	}

	/** Bits of the stored values, e.g. "int16", "uint8" or "rgb24". */
	public String voxelType() {
		return samples == 3 ? "rgb24" : floats ? "float" + bitsAllocated : (signed ? "int" : "uint") + bitsAllocated;
	}

	/** Frame k's stored values, row by row. */
	public double[] frame(final int k) throws DicomException {
		final int pixels = rows * columns;
		final double[] out = new double[pixels];
		final TransferSyntax.Codec codec = data.syntax().codec;
		if (codec == TransferSyntax.Codec.NATIVE) {
			native_(k, out);
			return out;
		}
		if (compressed == null)
			compressed = data.compressedFrames(frames);
		final ByteBuffer frame = compressed.get(k);
		final int[] v;
		int width = bitsAllocated;
		if (codec == TransferSyntax.Codec.RLE)
			v = RleDecoder.decode(file, frame, pixels, samples, bitsAllocated / 8);
		else if (codec == TransferSyntax.Codec.JPEG_LOSSLESS) {
			final JpegLosslessDecoder.Image image = JpegLosslessDecoder.decode(file, frame, columns, rows, samples);
			v = image.samples;
			width = image.precision;
		} else {
			v = Jpeg2000Decoder.decode(file, frame, columns, rows, samples);
			width = bitsStored;
		}
		for (int i = 0; i < pixels; i++)
			out[i] = samples == 3 ? Volume.luminance(v[i] & 0xff, v[pixels + i] & 0xff, v[2 * pixels + i] & 0xff) : signed(v[i], width);
		return out;
	}

	private double signed(final int v, final int width) {
		if (width >= 32)
			return signed ? v : v & 0xffffffffL;
		if (!signed || v < 0)
			return v;
		return v >= 1 << (width - 1) && v < 1L << width ? v - (1 << width) : v;
	}

	private void native_(final int k, final double[] out) {
		final ByteBuffer b = data.pixelBytes();
		final int pixels = out.length, bytes = bitsAllocated / 8;
		final int start = k * pixels * samples * bytes;
		for (int i = 0; i < pixels; i++) {
			if (samples == 3) {
				final int r, g, bl;
				if (planar == 1) {
					r = b.get(start + i) & 0xff;
					g = b.get(start + pixels + i) & 0xff;
					bl = b.get(start + 2 * pixels + i) & 0xff;
				} else {
					r = b.get(start + 3 * i) & 0xff;
					g = b.get(start + 3 * i + 1) & 0xff;
					bl = b.get(start + 3 * i + 2) & 0xff;
				}
				out[i] = Volume.luminance(r, g, bl);
				continue;
			}
			final int at = start + i * bytes;
			switch (bytes) {
				case 1:
					out[i] = signed ? b.get(at) : b.get(at) & 0xff;
					break;
				case 2:
					out[i] = signed ? b.getShort(at) : b.getShort(at) & 0xffff;
					break;
				case 8:
					out[i] = b.getDouble(at);
					break;
				default:
					if (floats)
						out[i] = b.getFloat(at);
					else
						out[i] = signed ? b.getInt(at) : b.getInt(at) & 0xffffffffL;
			}
		}
	}
}
