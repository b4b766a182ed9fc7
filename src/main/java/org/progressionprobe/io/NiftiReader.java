package org.progressionprobe.io;

import java.io.BufferedInputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.List;
import java.util.zip.GZIPInputStream;
import java.util.zip.ZipException;

import org.progressionprobe.volume.Volume;

/**
 * Reads NIfTI-1, NIfTI-2 and Analyze 7.5 files ({@code .nii}, {@code .nii.gz}, {@code .hdr}/{@code .img},
 * gzipped or not) in either byte order, every scalar datatype, with {@code scl_slope}/{@code scl_inter}
 * applied. A 4D (or higher) file gives its 3D volumes by index. Voxel data goes straight from the
 * (decompressing) stream into the volume's float array.
 */
public final class NiftiReader implements VolumeFormat {

	/** Deflate never compresses by more than about 1032:1; a header asking for more is lying. */
	static final long MAX_DEFLATE_RATIO = 1100;

	@Override
	public String name() {
		return "NIfTI";
	}

	@Override
	public boolean canRead(final Path file) {
		final String n = lowerName(file);
		return n.endsWith(".nii") || n.endsWith(".nii.gz") || n.endsWith(".hdr") || n.endsWith(".hdr.gz") || n.endsWith(".img")
				|| n.endsWith(".img.gz");
	}

	@Override
	public VolumeFileInfo info(final Path file) throws IOException {
		final NiftiHeader h = header(file);
		final String truncated = truncation(dataFile(file), h.voxOffset + h.volumes() * h.bytesPerVolume());
		return h.info().withWarnings(truncated == null ? List.of() : List.of(truncated));
	}

	/**
	 * Null if the data file holds at least {@code need} bytes (decompressed, for gzip: the data is
	 * streamed through, not kept), else what is missing.
	 */
	private static String truncation(final Path data, final long need) throws IOException {
		if (!isGzip(data)) {
			final long have = Files.size(data);
			return have < need ? "truncated: " + data.getFileName() + " should hold " + need + " bytes but has " + have : null;
		}
		long have = 0;
		try (InputStream in = open(data)) {
			final byte[] b = new byte[1 << 16];
			for (int r; have < need && (r = in.read(b)) > 0;)
				have += r;
		} catch (final EOFException | ZipException e) {
			return "truncated or corrupt: " + data.getFileName() + " should decompress to " + need + " bytes but ends after " + have
					+ " (" + e.getMessage() + ")";
		}
		return have < need ? "truncated: " + data.getFileName() + " should decompress to " + need + " bytes but holds " + have : null;
	}

	@Override
	public Volume read(final Path file, final int index) throws IOException {
		final NiftiHeader h = header(file);
		for (final String w : h.geometryWarnings())
			System.getLogger(NiftiReader.class.getName()).log(System.Logger.Level.WARNING, file + ": " + w);
		if (index < 0 || index >= h.volumes())
			throw new VolumeIOException(file, "volume index " + index + " is outside 0.." + (h.volumes() - 1));
		final Path data = dataFile(file);
		final long start = h.voxOffset + index * h.bytesPerVolume();
		final long need = start + h.bytesPerVolume();
		final long have = Files.size(data);
		if (!isGzip(data) && have < need)
			throw new VolumeIOException(data, "truncated: the header asks for " + need + " bytes but the file has " + have);
		if (isGzip(data) && have * MAX_DEFLATE_RATIO < need)
			throw new VolumeIOException(data, "truncated: the header asks for " + need + " bytes, more than " + have
					+ " gzip-compressed bytes can hold");
		final float[] voxels = new float[(int) h.voxelsPerVolume()];
		try (InputStream in = open(data)) {
			VoxelStreams.skip(in, data, start, "the voxel data");
			VoxelStreams.read(in, data, h.voxelType, h.order, voxels, h.effectiveSlope(), h.effectiveIntercept());
		}
		return Volume.wrap(voxels, h.size(0), h.size(1), h.size(2), h.voxelToWorld());
	}

	/** Number of 3D volumes in the file. */
	public int volumeCount(final Path file) throws IOException {
		return header(file).volumes();
	}

	NiftiHeader header(final Path file) throws IOException {
		final Path hdrFile = headerFile(file);
		if (Files.isRegularFile(hdrFile) && Files.size(hdrFile) == 0)
			throw new VolumeIOException(hdrFile, "empty file");
		try (InputStream in = open(hdrFile)) {
			final byte[] first = new byte[4];
			readHeaderBytes(in, hdrFile, first, 0, 4);
			final ByteOrder order = NiftiHeader.detectOrder(first);
			if (order == null)
				throw new VolumeIOException(hdrFile, "not a NIfTI or Analyze file: the header size field is neither 348 nor 540");
			final int size = java.nio.ByteBuffer.wrap(first).order(order).getInt();
			final byte[] bytes = new byte[size];
			System.arraycopy(first, 0, bytes, 0, 4);
			readHeaderBytes(in, hdrFile, bytes, 4, size - 4);
			return new NiftiHeader(hdrFile, bytes, order, !hdrFile.equals(dataFile(file)));
		}
	}

	private static void readHeaderBytes(final InputStream in, final Path file, final byte[] b, final int off, final int len)
			throws VolumeIOException {
		try {
			int done = 0;
			while (done < len) {
				final int r = in.read(b, off + done, len - done);
				if (r < 0)
					throw new VolumeIOException(file, "file ends inside the header (" + (off + done) + " bytes)");
				done += r;
			}
		} catch (final VolumeIOException e) {
			throw e;
		} catch (final EOFException e) {
			throw new VolumeIOException(file, "file ends inside the header", e);
		} catch (final ZipException e) {
			throw new VolumeIOException(file, "compressed data is corrupt", e);
		} catch (final IOException e) {
			throw new VolumeIOException(file, "cannot read the header", e);
		}
	}

	/** The header file of a pair, or the file itself. */
	static Path headerFile(final Path file) {
		final String n = file.getFileName().toString();
		final String l = n.toLowerCase();
		if (l.endsWith(".img"))
			return file.resolveSibling(n.substring(0, n.length() - 4) + (n.endsWith(".IMG") ? ".HDR" : ".hdr"));
		if (l.endsWith(".img.gz"))
			return file.resolveSibling(n.substring(0, n.length() - 7) + ".hdr.gz");
		return file;
	}

	/** The data file of a pair, or the file itself. */
	static Path dataFile(final Path file) {
		final String n = file.getFileName().toString();
		final String l = n.toLowerCase();
		if (l.endsWith(".hdr"))
			return file.resolveSibling(n.substring(0, n.length() - 4) + (n.endsWith(".HDR") ? ".IMG" : ".img"));
		if (l.endsWith(".hdr.gz"))
			return file.resolveSibling(n.substring(0, n.length() - 7) + ".img.gz");
		return file;
	}

	/** Opens a file, decompressing it if it starts with the gzip magic bytes. */
	static InputStream open(final Path file) throws IOException {
		final InputStream raw;
		try {
			raw = Files.newInputStream(file);
		} catch (final NoSuchFileException e) {
			throw new VolumeIOException(file, "file not found");
		}
		final BufferedInputStream in = new BufferedInputStream(raw, 1 << 16);
		in.mark(2);
		final int b0 = in.read(), b1 = in.read();
		in.reset();
		if (b0 == 0x1f && b1 == 0x8b) {
			try {
				return new GZIPInputStream(in, 1 << 16);
			} catch (final IOException e) {
				in.close();
				throw new VolumeIOException(file, "not a valid gzip file", e);
			}
		}
		return in;
	}

	static boolean isGzip(final Path file) throws IOException {
		try (InputStream in = Files.newInputStream(file)) {
			return in.read() == 0x1f && in.read() == 0x8b;
		} catch (final NoSuchFileException e) {
			throw new VolumeIOException(file, "file not found");
		}
	}

	/** The file's name in lower case ("" for a root), what the formats match their extensions against. */
	public static String lowerName(final Path file) {
		final Path name = file.getFileName();
		return name == null ? "" : name.toString().toLowerCase();
	}
}
