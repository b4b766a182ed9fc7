package org.progressionprobe.io;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;

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

	/** Lets {@code producer} write a temporary file next to {@code target}, then renames it over the target. */
	public static void produce(final Path target, final FileProducer producer) throws IOException {
		final Path abs = target.toAbsolutePath();
		final Path dir = abs.getParent();
		if (dir != null)
			Files.createDirectories(dir);
		final Path tmp = abs.resolveSibling("." + abs.getFileName() + "." + Long.toHexString(System.nanoTime()) + "-"
				+ ProcessHandle.current().pid() + ".part");
		boolean done = false;
		try {
			producer.produce(tmp);
			try {
				Files.move(tmp, abs, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
			} catch (final AtomicMoveNotSupportedException e) {
				Files.move(tmp, abs, StandardCopyOption.REPLACE_EXISTING);
			}
			done = true;
		} finally {
			if (!done)
				Files.deleteIfExists(tmp);
		}
	}
}
