package org.progressionprobe.io;

import java.io.BufferedInputStream;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.SequenceInputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.zip.GZIPInputStream;
import java.util.zip.Inflater;
import java.util.zip.InflaterInputStream;

import org.progressionprobe.volume.Volume;

/**
 * Reads MetaImage files ({@code .mha}, {@code .mhd}) as ITK does: 1D to 4D (and higher), every MetaIO
 * element type, either byte order, raw or zlib-compressed ({@code CompressedData = True}, the
 * {@code .zraw} convention), data inline ({@code LOCAL}), in one file, a {@code LIST} of files or a
 * numbered file pattern, binary or ASCII. A 2D image becomes a volume with one slice whose third axis
 * has spacing 1 and is perpendicular to the 2D plane. The file's LPS geometry becomes RAS.
 * <p>
 * Multi-channel images: 3 or 4 unsigned-char channels are RGB(A) and read as luminance; any other
 * channel count is a vector image whose components are read as separate volumes (volume index =
 * {@code t * channels + c}).
 */
public final class MetaImageReader implements VolumeFormat {

	@Override
	public String name() {
		return "MetaImage";
	}

	@Override
	public boolean canRead(final Path file) {
		final String n = NiftiReader.lowerName(file);
		return n.endsWith(".mha") || n.endsWith(".mhd");
	}

	@Override
	public VolumeFileInfo info(final Path file) throws IOException {
		final MetaImageHeader h = new MetaImageHeader(file);
		try {
			checkAvailable(h);
		} catch (final VolumeIOException e) {
			return h.info().withWarnings(List.of(e.problem()));
		}
		return h.info();
	}

	/** Number of volumes in the file. */
	public int volumeCount(final Path file) throws IOException {
		return new MetaImageHeader(file).volumes();
	}

	@Override
	public Volume read(final Path file, final int index) throws IOException {
		final MetaImageHeader h = new MetaImageHeader(file);
		if (index < 0 || index >= h.volumes())
			throw new VolumeIOException(file, "volume index " + index + " is outside 0.." + (h.volumes() - 1));
		if (!h.binary && (h.voxelType == VoxelType.RGB24 || h.voxelType == VoxelType.RGBA32))
			throw new VolumeIOException(file, "ASCII (BinaryData = False) colour images are not supported");
		checkAvailable(h);
		final int comps = h.componentsAsVolumes();
		final int component = index % comps;
		final long block = index / comps;
		final float[] voxels = new float[(int) h.voxelsPerVolume()];
		final Path dataName = h.dataFiles.size() == 1 ? h.dataFiles.get(0) : file;
		try (InputStream in = open(h)) {
			if (h.binary) {
				VoxelStreams.skip(in, dataName, block * h.voxelsPerVolume() * h.bytesPerVoxel(), "volume " + index);
				VoxelStreams.readComponent(in, dataName, h.voxelType, h.order, voxels, comps, component);
			} else
				readAscii(in, dataName, h, voxels, block * h.voxelsPerVolume() * comps, comps, component);
		} catch (final VolumeIOException e) {
			throw inDataFile(file, e);
		}
		return Volume.wrap(voxels, h.size(0), h.size(1), h.size(2), h.voxelToWorld());
	}

	/** A problem found in a data file, reported on the header file that the user named. */
	private static VolumeIOException inDataFile(final Path header, final VolumeIOException e) {
		if (e.file() == null || e.file().equals(header))
			return e;
		return new VolumeIOException(header, "data file " + e.file().getFileName() + ": " + e.problem(), e);
	}

	/** Fails before allocating anything when the data files cannot hold what the header promises. */
	private static void checkAvailable(final MetaImageHeader h) throws IOException {
		if (!h.binary)
			return;
		final long need = h.totalBytes();
		if (h.dataFiles.isEmpty()) {
			final long have = Files.size(h.file) - h.localOffset;
			if (h.compressed ? have * NiftiReader.MAX_DEFLATE_RATIO < need : have < need)
				throw new VolumeIOException(h.file, "truncated: the header asks for " + need + " bytes of voxel data but the file holds "
						+ have + (h.compressed ? " compressed" : ""));
			return;
		}
		long have = 0;
		for (final Path p : h.dataFiles)
			have += Files.size(p) - (h.compressed ? 0 : Math.max(0, h.headerSize));
		if (h.compressed ? have * NiftiReader.MAX_DEFLATE_RATIO < need : have < need)
			throw new VolumeIOException(h.file, "truncated: the header asks for " + need + " bytes of voxel data but the data file"
					+ (h.dataFiles.size() == 1 ? " " + h.dataFiles.get(0).getFileName() + " holds " : "s hold ") + have + (h.compressed ? " compressed" : ""));
	}

	/** The voxel data of all data files as one stream, decompressed. */
	private static InputStream open(final MetaImageHeader h) throws IOException {
		if (h.dataFiles.isEmpty()) {
			final InputStream in = new BufferedInputStream(Files.newInputStream(h.file), 1 << 16);
			VoxelStreams.skip(in, h.file, h.localOffset, "the voxel data");
			return h.compressed ? decompress(in, h.file) : in;
		}
		final long perFile = h.totalBytes() / h.dataFiles.size();
		final List<InputStream> parts = new ArrayList<>();
		try {
			for (final Path p : h.dataFiles) {
				final InputStream in = new BufferedInputStream(Files.newInputStream(p), 1 << 16);
				parts.add(in);
				if (h.compressed)
					parts.set(parts.size() - 1, decompress(in, p));
				else {
					final long skip = h.headerSize >= 0 ? h.headerSize : Files.size(p) - perFile;
					VoxelStreams.skip(in, p, Math.max(0, skip), "the voxel data (HeaderSize)");
				}
			}
		} catch (final IOException | RuntimeException e) {
			for (final InputStream in : parts)
				in.close();
			throw e;
		}
		return parts.size() == 1 ? parts.get(0) : new SequenceInputStream(Collections.enumeration(parts));
	}

	/** zlib (MetaIO's default) or gzip, told apart by the first bytes, as MetaIO's inflateInit2(47) does. */
	private static InputStream decompress(final InputStream raw, final Path file) throws IOException {
		final BufferedInputStream in = raw instanceof BufferedInputStream ? (BufferedInputStream) raw : new BufferedInputStream(raw, 1 << 16);
		in.mark(2);
		final int b0 = in.read(), b1 = in.read();
		in.reset();
		if (b0 < 0)
			throw new VolumeIOException(file, "truncated: no compressed voxel data");
		if (b0 == 0x1f && b1 == 0x8b) {
			try {
				return new GZIPInputStream(in, 1 << 16);
			} catch (final IOException e) {
				in.close();
				throw new VolumeIOException(file, "compressed data is corrupt", e);
			}
		}
		return new InflaterInputStream(in, new Inflater(), 1 << 16) {
			@Override
			public void close() throws IOException {
				super.close();
				inf.end();
			}
		};
	}

	/** Reads whitespace-separated numbers (BinaryData = False). */
	private static void readAscii(final InputStream in, final Path file, final MetaImageHeader h, final float[] dst, final long skipValues,
			final int comps, final int component) throws VolumeIOException {
		final BufferedReader r = new BufferedReader(new InputStreamReader(in, StandardCharsets.ISO_8859_1), 1 << 16);
		final StringBuilder token = new StringBuilder();
		final long total = skipValues + (long) dst.length * comps;
		long done = 0;
		try {
			while (done < total) {
				token.setLength(0);
				int c;
				while ((c = r.read()) >= 0 && Character.isWhitespace(c)) {
					// skip separators
				}
				while (c >= 0 && !Character.isWhitespace(c)) {
					token.append((char) c);
					c = r.read();
				}
				if (token.length() == 0)
					throw new VolumeIOException(file, "truncated: ASCII voxel data ends after " + done + " of " + total + " values");
				if (done >= skipValues) {
					final long k = done - skipValues;
					if (k % comps == component) {
						final double v;
						try {
							v = Double.parseDouble(token.toString());
						} catch (final NumberFormatException e) {
							throw new VolumeIOException(file, "ASCII voxel value '" + token + "' is not a number");
						}
						dst[(int) (k / comps)] = (float) v;
					}
				}
				done++;
			}
		} catch (final VolumeIOException e) {
			throw e;
		} catch (final IOException e) {
			throw new VolumeIOException(file, "cannot read ASCII voxel data", e);
		}
	}
}
