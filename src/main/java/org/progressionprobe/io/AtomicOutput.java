package org.progressionprobe.io;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.List;

/**
 * Writes a file so that it either appears complete or not at all: the content goes to a temporary
 * file in the same folder, which is renamed over the target only when writing succeeded. A crash or
 * an exception leaves no half-written target behind.
 */
public final class AtomicOutput {

	/** Writes the content of a file to an output stream. */
	@FunctionalInterface
	public interface Writer {
		void write(OutputStream out) throws IOException;
	}

	/** Produces a file at a given (temporary) path. */
	@FunctionalInterface
	public interface FileProducer {
		void produce(Path tmp) throws IOException;
	}

	private AtomicOutput() {}

	/** Writes {@code target} atomically through an output stream. */
	public static void write(final Path target, final Writer writer) throws IOException {
		produce(target, tmp -> {
			try (OutputStream out = Files.newOutputStream(tmp)) {
				writer.write(out);
			}
		});
	}

	/** Writes {@code target} atomically from a string (UTF-8). */
	public static void writeString(final Path target, final String content) throws IOException {
		write(target, out -> out.write(content.getBytes(java.nio.charset.StandardCharsets.UTF_8)));
	}

	/** Produces several files that belong together (a header and its data file) at given temporary paths. */
	@FunctionalInterface
	public interface FilesProducer {
		void produce(List<Path> tmps) throws IOException;
	}

	/**
	 * Lets {@code producer} write temporary files next to each target, then renames them over the
	 * targets in the given order (put the file that refers to the others last). If producing fails,
	 * no target is touched and the temporary files are removed.
	 */
	public static void produceAll(final List<Path> targets, final FilesProducer producer) throws IOException {
		final List<Path> abs = new ArrayList<>();
		final List<Path> tmps = new ArrayList<>();
		for (final Path t : targets) {
			final Path a = t.toAbsolutePath();
			if (a.getParent() != null)
				createFolder(a.getParent());
			abs.add(a);
			tmps.add(tmpFor(a));
		}
		try {
			producer.produce(tmps);
			for (int i = 0; i < abs.size(); i++)
				move(tmps.get(i), abs.get(i));
		} finally {
			for (final Path tmp : tmps)
				Files.deleteIfExists(tmp);
		}
	}

	/** Lets {@code producer} write a temporary file next to {@code target}, then renames it over the target. */
	public static void produce(final Path target, final FileProducer producer) throws IOException {
		final Path abs = target.toAbsolutePath();
		final Path dir = abs.getParent();
		if (dir != null)
			createFolder(dir);
		final Path tmp = tmpFor(abs);
		boolean done = false;
		try {
			producer.produce(tmp);
			move(tmp, abs);
			done = true;
		} finally {
			if (!done)
				Files.deleteIfExists(tmp);
		}
	}

	/**
	 * Creates a folder and its parents; a path that is (or passes through) an existing regular file is
	 * refused with a message that says so ({@link #checkFolder}).
	 */
	public static Path createFolder(final Path dir) throws IOException {
		checkFolder(dir);
		return Files.createDirectories(dir);
	}

	/**
	 * Checks, without creating anything, that a folder exists or can be made: a command calls it
	 * before its work, so that an output folder that is an existing file fails at once, with a
	 * message that says so.
	 */
	public static void checkFolder(final Path dir) throws VolumeIOException {
		for (Path p = dir.toAbsolutePath(); p != null; p = p.getParent())
			if (Files.exists(p)) {
				if (!Files.isDirectory(p))
					throw new VolumeIOException(dir, "cannot be used as a folder: " + (p.equals(dir.toAbsolutePath()) ? "it" : p)
							+ " is an existing file, not a folder");
				return;
			}
	}

	private static Path tmpFor(final Path abs) {
		return abs.resolveSibling("." + abs.getFileName() + "." + Long.toHexString(System.nanoTime()) + "-" + ProcessHandle.current().pid()
				+ ".part");
	}

	private static void move(final Path tmp, final Path target) throws IOException {
		if (Files.isDirectory(target))
			throw new VolumeIOException(target, "cannot be written: it is an existing folder, not a file");
		try {
			Files.move(tmp, target, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
		} catch (final AtomicMoveNotSupportedException e) {
			Files.move(tmp, target, StandardCopyOption.REPLACE_EXISTING);
		}
	}
}
