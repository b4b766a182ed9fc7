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
		final Path target = root.resolve(base + "-" + ModelPackage.sha256(label, zip).substring(0, 16));
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
			return target;
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
