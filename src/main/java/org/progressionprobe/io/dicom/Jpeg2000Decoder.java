package org.progressionprobe.io.dicom;

import java.awt.image.Raster;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Path;

import javax.imageio.stream.MemoryCacheImageInputStream;

import com.github.jaiimageio.jpeg2000.impl.J2KImageReader;
import com.github.jaiimageio.jpeg2000.impl.J2KImageReaderSpi;


/**
 * JPEG 2000 frames through jai-imageio-jpeg2000's reader, created directly (not looked up in the
 * ImageIO registry, which a plugin class loader may not reach). Only its raster is used.
 */
final class Jpeg2000Decoder {

	private Jpeg2000Decoder() {}

	/** @return the samples, band after band, as the raster holds them (signed for signed codestreams) */
	static int[] decode(final Path file, final ByteBuffer frame, final int width, final int height, final int samples) throws DicomException {
		final ByteBuffer siz = frame.duplicate().order(ByteOrder.BIG_ENDIAN);
		final int p = siz.position();
		// a codestream (SOC, SIZ): check its size before the decoder allocates it
		if (siz.remaining() >= 24 && (siz.getShort(p) & 0xffff) == 0xFF4F && (siz.getShort(p + 2) & 0xffff) == 0xFF51) {
			final long w = (siz.getInt(p + 8) & 0xffffffffL) - (siz.getInt(p + 16) & 0xffffffffL);
			final long h = (siz.getInt(p + 12) & 0xffffffffL) - (siz.getInt(p + 20) & 0xffffffffL);
			if (w != width || h != height)
				throw new DicomException(file, "its JPEG 2000 frame is " + w + " x " + h + " but the header says " + width + " x " + height);
		}
		final byte[] bytes = new byte[frame.remaining()];
		frame.duplicate().get(bytes);
		final J2KImageReader reader = new J2KImageReader(new J2KImageReaderSpi());
		final Raster raster;
		try (MemoryCacheImageInputStream in = new MemoryCacheImageInputStream(new ByteArrayInputStream(bytes))) {
			reader.setInput(in);
			raster = reader.readRaster(0, null);
		} catch (final IOException | RuntimeException e) {
			throw new DicomException(file, "cannot decode its JPEG 2000 frame: " + e.getMessage(), e);
		} finally {
			reader.dispose();
		}
		if (raster.getWidth() != width || raster.getHeight() != height || raster.getNumBands() != samples)
			throw new DicomException(file, "its JPEG 2000 frame is " + raster.getWidth() + " x " + raster.getHeight() + " with " + raster.getNumBands()
					+ " components but the header says " + width + " x " + height + " with " + samples);
		final int[] out = new int[width * height * samples];
		int[] band = new int[width * height];
		for (int b = 0; b < samples; b++) {
			band = raster.getSamples(raster.getMinX(), raster.getMinY(), width, height, b, band);
			System.arraycopy(band, 0, out, b * width * height, band.length);
		}
		return out;
	}
}
