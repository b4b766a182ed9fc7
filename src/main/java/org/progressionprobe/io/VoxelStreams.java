package org.progressionprobe.io;

import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Path;
import java.util.zip.ZipException;

/**
 * Reads raw voxel data from a stream straight into a float array, a chunk at a time, so a volume
 * never exists twice in memory. Truncated and corrupt streams become {@link VolumeIOException}s
 * that name the file.
 */
final class VoxelStreams {

	private static final int CHUNK_BYTES = 1 << 20;

	private VoxelStreams() {}

	/** Reads {@code dst.length} voxels of the given type and byte order into {@code dst}. */
	static void read(final InputStream in, final Path file, final VoxelType type, final ByteOrder order, final float[] dst,
			final double slope, final double intercept) throws VolumeIOException {
		final int perChunk = Math.max(1, CHUNK_BYTES / type.bytes());
		final ByteBuffer buffer = ByteBuffer.allocate(perChunk * type.bytes()).order(order);
		final long totalBytes = (long) dst.length * type.bytes();
		long done = 0;
		try {
			for (int offset = 0; offset < dst.length; offset += perChunk) {
				final int n = Math.min(perChunk, dst.length - offset);
				final int want = n * type.bytes();
				readFully(in, buffer.array(), want, file, done, totalBytes);
				buffer.clear().limit(want);
				type.decode(buffer, dst, offset, n, slope, intercept);
				done += want;
			}
		} catch (final VolumeIOException e) {
			throw e;
		} catch (final ZipException e) {
			throw new VolumeIOException(file, "compressed data is corrupt", e);
		} catch (final IOException e) {
			throw new VolumeIOException(file, "cannot read voxel data", e);
		}
	}

	/**
	 * Reads one component of interleaved multi-component voxels ({@code components} values per voxel on
	 * disk) into {@code dst}; with one component this is {@link #read}.
	 */
	static void readComponent(final InputStream in, final Path file, final VoxelType type, final ByteOrder order, final float[] dst,
			final int components, final int component) throws VolumeIOException {
		if (components == 1) {
			read(in, file, type, order, dst, 1, 0);
			return;
		}
		final int voxelBytes = type.bytes() * components;
		final int perChunk = Math.max(1, CHUNK_BYTES / voxelBytes);
		final ByteBuffer buffer = ByteBuffer.allocate(perChunk * voxelBytes).order(order);
		final float[] scratch = new float[perChunk * components];
		final long totalBytes = (long) dst.length * voxelBytes;
		long done = 0;
		try {
			for (int offset = 0; offset < dst.length; offset += perChunk) {
				final int n = Math.min(perChunk, dst.length - offset);
				final int want = n * voxelBytes;
				readFully(in, buffer.array(), want, file, done, totalBytes);
				buffer.clear().limit(want);
				type.decode(buffer, scratch, 0, n * components, 1, 0);
				for (int i = 0; i < n; i++)
					dst[offset + i] = scratch[i * components + component];
				done += want;
			}
		} catch (final VolumeIOException e) {
			throw e;
		} catch (final ZipException e) {
			throw new VolumeIOException(file, "compressed data is corrupt", e);
		} catch (final IOException e) {
			throw new VolumeIOException(file, "cannot read voxel data", e);
		}
	}

	/** Writes voxels little-endian in the given type (integer types rounded), a chunk at a time. */
	static void write(final OutputStream out, final float[] data, final NiftiWriter.Datatype type) throws IOException {
		final int chunk = Math.max(1, CHUNK_BYTES / type.bytes);
		final ByteBuffer buf = ByteBuffer.allocate(chunk * type.bytes).order(ByteOrder.LITTLE_ENDIAN);
		for (int off = 0; off < data.length; off += chunk) {
			final int n = Math.min(chunk, data.length - off);
			buf.clear();
			switch (type) {
			case UINT8:
				for (int i = off; i < off + n; i++)
					buf.put((byte) Math.round(data[i]));
				break;
			case INT16:
				for (int i = off; i < off + n; i++)
					buf.putShort((short) Math.round(data[i]));
				break;
			default:
				buf.asFloatBuffer().put(data, off, n);
				buf.position(4 * n);
			}
			out.write(buf.array(), 0, buf.position());
		}
	}

	/** Skips exactly {@code n} bytes, failing with a clear message if the stream ends first. */
	static void skip(final InputStream in, final Path file, final long n, final String what) throws VolumeIOException {
		long left = n;
		try {
			final byte[] scratch = new byte[(int) Math.min(CHUNK_BYTES, Math.max(1, n))];
			while (left > 0) {
				final int r = in.read(scratch, 0, (int) Math.min(scratch.length, left));
				if (r < 0)
					throw new VolumeIOException(file, "file ends before " + what + " (" + (n - left) + " of " + n + " bytes)");
				left -= r;
			}
		} catch (final VolumeIOException e) {
			throw e;
		} catch (final ZipException e) {
			throw new VolumeIOException(file, "compressed data is corrupt", e);
		} catch (final IOException e) {
			throw new VolumeIOException(file, "cannot read " + what, e);
		}
	}

	private static void readFully(final InputStream in, final byte[] b, final int len, final Path file, final long done, final long total)
			throws IOException {
		int off = 0;
		try {
			while (off < len) {
				final int r = in.read(b, off, len - off);
				if (r < 0)
					throw truncated(file, done + off, total);
				off += r;
			}
		} catch (final EOFException e) {
			throw truncated(file, done + off, total);
		}
	}

	private static VolumeIOException truncated(final Path file, final long have, final long total) {
		return new VolumeIOException(file, "truncated: voxel data ends after " + have + " of " + total + " bytes");
	}
}
