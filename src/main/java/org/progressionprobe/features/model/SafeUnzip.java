package org.progressionprobe.features.model;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.Comparator;
import java.util.stream.Stream;
import java.util.zip.ZipEntry;
import java.util.zip.ZipInputStream;

/**
 * Unpacks a zip once into a cache folder, safely: an entry whose name would land outside the unpack
 * folder (absolute, or climbing with {@code ..}: "zip-slip") refuses the whole archive, and the total
 * size is capped. The archive is unpacked into a temporary folder that is renamed into place only
 * when complete, so a killed run never leaves a half-unpacked package that looks whole.
 */
final class SafeUnzip {

	/** Largest total uncompressed size accepted (64 GiB): a guard against zip bombs. */
	static final long MAX_BYTES = 64L << 30;

	private SafeUnzip() {}

	/**
	 * The folder {@code root/<zip name>-<first 16 hex digits of its sha256>}, unpacked now if absent.
	 *
	 * @param label the model, for messages
	 */
	static Path unpackCached(final String label, final Path zip, final Path root) throws ModelException {
		final String base = zip.getFileName().toString().replaceFirst("(?i)\\.zip$", "");
		final Path target = root.resolve(base + "-" + PackageWeights.sha256(label, zip).substring(0, 16));
		if (Files.isDirectory(target))
			return target;
		Path tmp = null;
		try {
			Files.createDirectories(root);
			tmp = Files.createTempDirectory(root, "." + base + ".part");
			unpack(label, zip, tmp);
			try {
				Files.move(tmp, target, StandardCopyOption.ATOMIC_MOVE);
			} catch (final AtomicMoveNotSupportedException e) {
				Files.move(tmp, target);
			}
			tmp = null;
			return target;
		} catch (final FileAlreadyExistsException e) {
			if (Files.isDirectory(target))
				return target; // another run unpacked it first
			throw new ModelException(label, "cannot unpack " + zip.getFileName() + ": " + e.getFile() + " is both a file and a folder in the zip", e);
		} catch (final IOException e) {
			if (e instanceof ModelException)
				throw (ModelException) e;
			if (Files.isDirectory(target))
				return target;
			throw new ModelException(label, "cannot unpack " + zip.getFileName() + " into " + root, e);
		} finally {
			if (tmp != null)
				deleteTree(tmp);
		}
	}

	/** Unpacks every entry of {@code zip} into the existing folder {@code dir}. */
	static void unpack(final String label, final Path zip, final Path dir) throws IOException {
		final String link = symbolicLink(zip);
		if (link != null)
			throw new ModelException(label, "the zip " + zip.getFileName() + " has an entry '" + link
					+ "' that is a symbolic link; links in a package are refused (zip it with the files themselves, without -y/--symlinks)");
		final Path base = dir.toAbsolutePath().normalize();
		long total = 0;
		try (ZipInputStream in = new ZipInputStream(Files.newInputStream(zip))) {
			for (ZipEntry e; (e = in.getNextEntry()) != null;) {
				final String name = e.getName();
				final Path out = base.resolve(name).normalize();
				if (name.startsWith("/") || name.startsWith("\\") || name.contains(":") || !out.startsWith(base) || out.equals(base))
					throw new ModelException(label, "the zip " + zip.getFileName() + " has an entry '" + name
							+ "' that would land outside the unpack folder (zip-slip); the package is refused");
				if (e.isDirectory()) {
					Files.createDirectories(out);
					continue;
				}
				Files.createDirectories(out.getParent());
				try (OutputStream os = Files.newOutputStream(out)) {
					total += copy(in, os, MAX_BYTES - total);
				}
				if (total >= MAX_BYTES)
					throw new ModelException(label, "the zip " + zip.getFileName() + " unpacks to more than " + (MAX_BYTES >> 30) + " GiB; refused");
			}
		} catch (final java.util.zip.ZipException e) {
			throw new ModelException(label, zip.getFileName() + " is not a readable zip", e);
		}
	}

	/** Unix file type bits of a symbolic link in a zip entry's external attributes (upper 16 bits). */
	private static final int S_IFMT = 0170000, S_IFLNK = 0120000;

	/**
	 * The name of the first entry that the zip's central directory marks as a Unix symbolic link, or
	 * null. (ZipInputStream does not expose the entry's Unix mode; it would write the link target as a
	 * regular file.) A zip whose directory cannot be found is left to the unpacking to report.
	 */
	static String symbolicLink(final Path zip) throws IOException {
		try (java.nio.channels.FileChannel ch = java.nio.channels.FileChannel.open(zip)) {
			final long size = ch.size();
			final int tail = (int) Math.min(size, 22 + 0xFFFF);
			final java.nio.ByteBuffer end = read(ch, size - tail, tail);
			int eocd = -1;
			for (int i = tail - 22; i >= 0; i--)
				if (end.getInt(i) == 0x06054b50) {
					eocd = i;
					break;
				}
			if (eocd < 0)
				return null;
			long entries = end.getShort(eocd + 10) & 0xFFFF;
			long dirSize = end.getInt(eocd + 12) & 0xFFFFFFFFL, dirOffset = end.getInt(eocd + 16) & 0xFFFFFFFFL;
			if ((entries == 0xFFFF || dirOffset == 0xFFFFFFFFL || dirSize == 0xFFFFFFFFL) && eocd >= 20
					&& end.getInt(eocd - 20) == 0x07064b50) {
				final java.nio.ByteBuffer z = read(ch, end.getLong(eocd - 20 + 8), 56);
				if (z.getInt(0) != 0x06064b50)
					return null;
				entries = z.getLong(32);
				dirSize = z.getLong(40);
				dirOffset = z.getLong(48);
			}
			if (dirOffset < 0 || dirSize < 0 || dirOffset + dirSize > size || dirSize > Integer.MAX_VALUE)
				return null;
			final java.nio.ByteBuffer d = read(ch, dirOffset, (int) dirSize);
			int at = 0;
			for (long k = 0; k < entries && at + 46 <= d.limit() && d.getInt(at) == 0x02014b50; k++) {
				final int madeBy = (d.getShort(at + 4) & 0xFFFF) >> 8;
				final int nameLength = d.getShort(at + 28) & 0xFFFF, extra = d.getShort(at + 30) & 0xFFFF, comment = d.getShort(at + 32) & 0xFFFF;
				final int mode = d.getInt(at + 38) >>> 16;
				if (madeBy == 3 && (mode & S_IFMT) == S_IFLNK && at + 46 + nameLength <= d.limit()) {
					final byte[] name = new byte[nameLength];
					d.get(at + 46, name);
					return new String(name, java.nio.charset.StandardCharsets.UTF_8);
				}
				at += 46 + nameLength + extra + comment;
			}
			return null;
		}
	}

	private static java.nio.ByteBuffer read(final java.nio.channels.FileChannel ch, final long from, final int length) throws IOException {
		final java.nio.ByteBuffer b = java.nio.ByteBuffer.allocate(length).order(java.nio.ByteOrder.LITTLE_ENDIAN);
		for (int r = 0; b.hasRemaining() && r >= 0;)
			r = ch.read(b, from + b.position());
		return b.flip().order(java.nio.ByteOrder.LITTLE_ENDIAN);
	}

	private static long copy(final InputStream in, final OutputStream out, final long limit) throws IOException {
		final byte[] buf = new byte[1 << 16];
		long n = 0;
		for (int r; (r = in.read(buf)) > 0;) {
			out.write(buf, 0, r);
			n += r;
			if (n >= limit)
				break;
		}
		return n;
	}

	static void deleteTree(final Path dir) {
		try (Stream<Path> s = Files.walk(dir)) {
			s.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
		} catch (final IOException e) {
			// best effort: a leftover temporary folder is ignored by later runs
		}
	}
}
