package org.progressionprobe.features.model;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Collections;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.stream.Stream;

import org.progressionprobe.io.Sha256;

/**
 * The weights a package declares, by format in order of preference, and their resolution to a file
 * (or SavedModel folder) that is inside the package, present and matches its declared sha256; no
 * weights are ever downloaded.
 */
final class PackageWeights {

	/** A weights entry: its file or folder as the description gives it, and its declared checksum (or null). */
	record Entry(WeightsFormat format, String sourceText, String sha256) {}

	private final String label;
	private final Path folder;
	private final Map<WeightsFormat, Entry> entries;

	/**
	 * @param label the package, for messages
	 * @param folder the package's folder, which holds the weights
	 * @param entries the declared weights in order of preference
	 */
	PackageWeights(final String label, final Path folder, final Map<WeightsFormat, Entry> entries) {
		this.label = label;
		this.folder = folder;
		this.entries = Collections.unmodifiableMap(entries);
	}

	/** The weights formats present, in order of preference. */
	List<WeightsFormat> formats() {
		return List.copyOf(entries.keySet());
	}

	/**
	 * The weights to run: the requested format, or the most preferred one present.
	 *
	 * @param requested a format, or null for the preferred one
	 */
	WeightsFormat choose(final WeightsFormat requested) throws ModelException {
		if (requested == null)
			return entries.keySet().iterator().next();
		if (!entries.containsKey(requested))
			throw new ModelException(label, "has no " + requested.key() + " weights (it has " + keys() + ")");
		return requested;
	}

	/** The formats' keys as the description names them. */
	List<String> keys() {
		return entries.keySet().stream().map(WeightsFormat::key).toList();
	}

	/**
	 * The weights file (or SavedModel folder) of a format, checked: inside the package, present, and
	 * matching its declared sha256. A zipped SavedModel is unpacked under {@code unpackRoot}.
	 */
	Path path(final WeightsFormat format, final Path unpackRoot) throws ModelException {
		final Entry w = entries.get(format);
		if (w == null)
			throw new ModelException(label, "has no " + format.key() + " weights");
		final String src = w.sourceText();
		if (src.contains("://"))
			throw new ModelException(label, format.key() + " weights are a URL (" + src + "); model features never download: put the file in the package");
		final Path base = folder.toAbsolutePath().normalize();
		final Path p = base.resolve(src).normalize();
		if (!p.startsWith(base))
			throw new ModelException(label, format.key() + " weights source '" + src + "' points outside the package");
		if (!Files.exists(p))
			throw new ModelException(label, format.key() + " weights file " + src + " is missing");
		if (w.sha256() != null && Files.isRegularFile(p)) {
			final String actual = sha256(label, p);
			if (!actual.equalsIgnoreCase(w.sha256()))
				throw new ModelException(label, format.key() + " weights file " + src + " is corrupt or was changed: its sha256 is " + actual
						+ ", the description says " + w.sha256());
		}
		if (format == WeightsFormat.TENSORFLOW && Files.isRegularFile(p)) {
			if (!p.getFileName().toString().toLowerCase(Locale.ROOT).endsWith(".zip"))
				throw new ModelException(label, "tensorflow_saved_model_bundle must be a folder or a .zip, got " + src);
			final Path unpacked = SafeUnzip.unpackCached(label, p, unpackRoot);
			return Files.isRegularFile(unpacked.resolve("saved_model.pb")) ? unpacked : findSavedModel(unpacked);
		}
		return p;
	}

	private Path findSavedModel(final Path dir) throws ModelException {
		try (Stream<Path> s = Files.walk(dir, 3)) {
			return s.filter(p -> p.getFileName().toString().equals("saved_model.pb")).map(Path::getParent).findFirst()
					.orElseThrow(() -> new ModelException(label, "the zipped SavedModel has no saved_model.pb"));
		} catch (final IOException e) {
			throw new ModelException(label, "cannot list the unpacked SavedModel", e);
		}
	}

	static String sha256(final String label, final Path file) throws ModelException {
		try {
			return Sha256.of(file);
		} catch (final IOException e) {
			throw new ModelException(label, "cannot read " + file.getFileName(), e);
		}
	}
}
