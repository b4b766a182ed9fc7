package org.progressionprobe.distribution;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Comparator;
import java.util.HexFormat;
import java.util.List;
import java.util.jar.JarEntry;
import java.util.jar.JarFile;

/**
 * The checksum Fiji's updater records in {@code db.xml.gz} and compares with installed files,
 * reimplemented from the imagej-updater's documented behaviour (its {@code UpdaterUtil.getDigest}):
 * <ul>
 * <li>plain files: SHA-1 of the path on the site (ASCII, e.g. {@code macros/x.ijm}) followed by the
 * file's bytes;</li>
 * <li>jars: SHA-1 over the entries sorted by name, each contributing its name (ASCII) and its
 * content, so that rebuilding a jar with the same content keeps the checksum. Two filters apply:
 * {@code .properties} entries lose their comment lines (Maven writes a date there), and the
 * manifest contributes no content at all (the updater keeps only a {@code Main-Class} line but
 * compares an upper-cased line with the mixed-case prefix, so nothing is kept; we do the same so the
 * checksums agree).</li>
 * </ul>
 */
public final class FijiChecksum {

	private FijiChecksum() {}

	/** The checksum of {@code file} stored at {@code sitePath} (e.g. {@code jars/x-1.0.jar}). */
	public static String of(final String sitePath, final Path file) throws IOException {
		if (sitePath.endsWith(".jar"))
			return ofJar(file);
		final MessageDigest d = sha1();
		d.update(sitePath.getBytes(StandardCharsets.US_ASCII));
		try (InputStream in = Files.newInputStream(file)) {
			final byte[] buf = new byte[1 << 16];
			for (int n; (n = in.read(buf)) > 0;)
				d.update(buf, 0, n);
		}
		return HexFormat.of().formatHex(d.digest());
	}

	/** The content checksum of a jar. */
	public static String ofJar(final Path jarFile) throws IOException {
		final MessageDigest d = sha1();
		try (JarFile jar = new JarFile(jarFile.toFile())) {
			final List<JarEntry> entries = new ArrayList<>(Collections.list(jar.entries()));
			entries.sort(Comparator.comparing(JarEntry::getName));
			for (final JarEntry e : entries) {
				d.update(e.getName().getBytes(StandardCharsets.US_ASCII));
				if (e.getName().equals("META-INF/MANIFEST.MF"))
					continue;
				try (InputStream in = jar.getInputStream(e)) {
					final byte[] content = in.readAllBytes();
					d.update(e.getName().endsWith(".properties") ? withoutCommentLines(content) : content);
				}
			}
		}
		return HexFormat.of().formatHex(d.digest());
	}

	/**
	 * A .properties file without its comment lines, as the updater filters it: a '#' at the start of
	 * a line drops the characters up to the line's end but keeps the newline. "Start of a line" is a
	 * state of the updater's stream: a newline read in the middle of a line sets it, and any character
	 * other than '#' read at a line start clears it, a newline included; so after an empty line or an
	 * empty comment ("#" then a newline) the next line does not count as a line start and is kept.
	 */
	static byte[] withoutCommentLines(final byte[] in) {
		final ByteArrayOutputStream out = new ByteArrayOutputStream(in.length);
		final Filter f = new Filter(in);
		for (int ch; (ch = f.read()) >= 0;)
			out.write(ch);
		return out.toByteArray();
	}

	private static final class Filter {
		private final byte[] in;
		private int pos;
		private boolean lineStart = true;

		Filter(final byte[] in) {
			this.in = in;
		}

		int read() {
			int ch = pos < in.length ? in[pos++] & 0xff : -1;
			if (lineStart) {
				if (ch == '#') {
					do
						ch = read();
					while (ch != '\n' && ch != -1);
				} else
					lineStart = false;
			} else if (ch == '\n')
				lineStart = true;
			return ch;
		}
	}

	private static MessageDigest sha1() {
		try {
			return MessageDigest.getInstance("SHA-1");
		} catch (final NoSuchAlgorithmException e) {
			throw new UncheckedIOException(new IOException("SHA-1 is not available", e));
		}
	}
}
