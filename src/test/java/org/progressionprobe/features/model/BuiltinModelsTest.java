package org.progressionprobe.features.model;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.progressionprobe.io.CacheFolder;
import org.progressionprobe.io.VolumeIO;
import org.progressionprobe.launcher.CommandRunner;
import org.progressionprobe.sim.PhantomAtlas;
import org.progressionprobe.table.FeatureTable;
import org.progressionprobe.volume.Volume;
import org.scijava.Context;

/**
 * The shipped networks are addressed by name: "Model Features" with {@code model="builtin-unet"}
 * or {@code "builtin-registration"} copies the package from the plugin's resources into the cache
 * (once), opens it and writes features whose provenance names the built-in model; ONNX Runtime runs
 * them by default, TensorFlow on request, with the same features.
 */
class BuiltinModelsTest {

	private static Context context;
	private static String previousCache;

	@TempDir
	static Path cache;

	@TempDir
	Path tmp;

	@BeforeAll
	static void start() {
		context = new Context();
		// engines keep the cache folder they start with (native libraries load lazily from it): start them before moving the model cache
		ModelCache.prepareEngines();
		previousCache = System.getProperty(CacheFolder.PROPERTY);
		System.setProperty(CacheFolder.PROPERTY, cache.toString());
	}

	@AfterAll
	static void stop() {
		context.dispose();
		if (previousCache == null)
			System.clearProperty(CacheFolder.PROPERTY);
		else
			System.setProperty(CacheFolder.PROPERTY, previousCache);
	}

	@Test
	void modelFeaturesRunTheBuiltinNetworksByName() throws Exception {
		final Volume template = PhantomAtlas.create(4).template();
		final Path base = tmp.resolve("base.nii.gz"), follow = tmp.resolve("follow.nii.gz");
		VolumeIO.write(template, base);
		final Volume shrunk = template.copy();
		for (int i = 0; i < shrunk.data().length; i++)
			shrunk.data()[i] *= 0.9f;
		VolumeIO.write(shrunk, follow);
		for (final String name : BuiltinModels.NAMES) {
			final Path out = tmp.resolve(name + ".csv");
			final Map<String, Object> result = new CommandRunner(context).run(ModelFeaturesCommand.class, Map.of("baseline", base.toFile(), "followup",
					follow.toFile(), "model", name, "cache_dir", cache.resolve("models").toFile(), "output", out.toFile()));
			final FeatureTable t = FeatureTable.read(out);
			assertEquals(name, t.provenance().get("model"));
			assertEquals("OnnxRuntime", t.provenance().get("engine"), "the core engine runs the built-in networks by default");
			assertTrue((int) result.get("feature_count") > 20, name + ": " + result.get("feature_count"));
			assertEquals(t.columns().size(), (int) result.get("feature_count"));
			for (final String c : t.columns())
				assertTrue(Double.isFinite(t.number(0, c)), name + " " + c);
			// the same network in TensorFlow, where installed (the optional TensorFlow site), gives the same features
			final Path tfOut = tmp.resolve(name + "-tf.csv");
			new CommandRunner(context).run(ModelFeaturesCommand.class, Map.of("baseline", base.toFile(), "followup", follow.toFile(), "model", name,
					"cache_dir", cache.resolve("models").toFile(), "engine", "tensorflow", "output", tfOut.toFile()));
			final FeatureTable tf = FeatureTable.read(tfOut);
			assertEquals("TensorFlow", tf.provenance().get("engine"));
			assertEquals(t.columns(), tf.columns());
			for (final String c : t.columns())
				assertEquals(tf.number(0, c), t.number(0, c), 1e-4 * Math.max(1, Math.abs(tf.number(0, c))), name + " " + c);
		}
		final ModelPackage unet = ModelPackage.open(Path.of("builtin-unet"), cache.resolve("models"));
		assertEquals(PairMode.SINGLE, unet.pairMode());
		assertTrue(unet.featureLayers().containsAll(List.of("enc1", "enc2", "enc3", "probabilities")), unet.featureLayers().toString());
		final ModelPackage registration = ModelPackage.open(Path.of("builtin-registration"), cache.resolve("models"));
		assertEquals(PairMode.PAIR, registration.pairMode());
		assertEquals(List.of("enc1", "enc2", "enc3", "volume_change"), registration.featureLayers());
		try (Stream<Path> copies = Files.walk(cache.resolve("builtin"))) {
			assertEquals(2, copies.filter(Files::isRegularFile).count(), "each package is copied into the cache once");
		}
	}
}
