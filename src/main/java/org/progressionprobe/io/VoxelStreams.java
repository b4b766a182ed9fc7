package org.progressionprobe.io;

import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
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
