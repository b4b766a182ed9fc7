package org.progressionprobe.io;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;

/** SHA-256 digests as lower-case hex text: of bytes, of a file, or a digest to feed. */
public final class Sha256 {

	private Sha256() {}

	/** A fresh SHA-256 digest. */
	public static MessageDigest digest() {
		try {
			return MessageDigest.getInstance("SHA-256");
		} catch (final NoSuchAlgorithmException e) {
			throw new IllegalStateException("SHA-256 is part of every Java runtime", e);
		}
	}

	/** The hex digest of what a digest was fed. */
	public static String hex(final MessageDigest d) {
		return HexFormat.of().formatHex(d.digest());
	}

	/** The hex SHA-256 of bytes. */
	public static String of(final byte[] bytes) {
		final MessageDigest d = digest();
		d.update(bytes);
		return hex(d);
	}

	/** The hex SHA-256 of a file's content, read in chunks. */
	public static String of(final Path file) throws IOException {
		final MessageDigest d = digest();
		try (InputStream in = Files.newInputStream(file)) {
			final byte[] buf = new byte[1 << 16];
			for (int n; (n = in.read(buf)) > 0;)
				d.update(buf, 0, n);
		}
		return hex(d);
	}
}
