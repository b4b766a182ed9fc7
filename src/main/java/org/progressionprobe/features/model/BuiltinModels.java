package org.progressionprobe.features.model;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import org.progressionprobe.io.AtomicOutput;
import org.progressionprobe.io.CacheFolder;
import org.progressionprobe.io.Sha256;

/**
 * The model packages shipped inside the plugin, addressed by name ({@code builtin-unet},
 * {@code builtin-registration}): zips in the plugin's resources, written by the "Train Built-in
 * Network" command. On first use a package is copied into {@link CacheFolder#root()}{@code /builtin/<content hash>/}
 * (a new plugin version brings a new file), then opened like any
 * other zipped package. Each package holds the network twice: the TensorFlow SavedModel its training
 * wrote and an ONNX export of the same weights ({@code org.progressionprobe.builtin.OnnxExport}),
 * which model features prefer, so that the built-in networks run on ONNX Runtime, the engine of the
 * core update site, and need TensorFlow (an optional site) only when asked for ({@code engine=tensorflow}).
 */
public final class BuiltinModels {

	/** The names, in the order they are listed to users. */
	public static final List<String> NAMES = List.of("builtin-unet", "builtin-registration");

	/** Where the packages lie among the plugin's resources. */
	static final String RESOURCES = "/org/progressionprobe/builtin/";

	private BuiltinModels() {}

	/** True if the path the user gave names a built-in model (and is no existing file). */
	static boolean names(final Path p) {
		final Path f = p.getFileName();
		return f != null && !Files.exists(p) && f.toString().startsWith("builtin-");
	}

	/** The package zip of a built-in model, copied into the cache if not there yet. */
	static Path zip(final String name) throws ModelException {
		if (!NAMES.contains(name))
			throw new ModelException(name, "there is no built-in model called '" + name + "' (built-in: " + String.join(", ", NAMES)
					+ "); or give a model package (a folder or .zip with rdf.yaml)");
		final byte[] bytes;
		try (InputStream in = BuiltinModels.class.getResourceAsStream(RESOURCES + name + ".zip")) {
			if (in == null)
				throw new ModelException(name, "the built-in model is missing from the plugin's resources (" + RESOURCES + name + ".zip)");
			bytes = in.readAllBytes();
		} catch (final IOException e) {
			throw new ModelException(name, "cannot read the built-in model from the plugin's resources", e);
		}
		final String hash = Sha256.of(bytes).substring(0, 16);
		final Path file = CacheFolder.root().resolve("builtin").resolve(hash).resolve(name + ".zip");
		if (!Files.isRegularFile(file))
			try {
				AtomicOutput.write(file, out -> out.write(bytes));
			} catch (final IOException e) {
				throw new ModelException(name, "cannot copy the built-in model into the cache " + file.getParent(), e);
			}
		return file;
	}
}
