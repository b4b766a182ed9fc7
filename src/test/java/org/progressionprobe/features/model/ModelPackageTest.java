package org.progressionprobe.features.model;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.List;
import java.util.stream.Stream;
import java.util.zip.ZipEntry;
import java.util.zip.ZipOutputStream;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.progressionprobe.testing.SharedData;

/** Reading model packages, and every kind of bad package giving an error that names the model and the problem. */
class ModelPackageTest {

	@TempDir
	Path tmp;

	@Test
	void readsTheDescription() throws Exception {
		final ModelPackage p = ModelPackage.open(TestNets.pairnet(tmp.resolve("p"), "pt", "onnx"));
		assertEquals("pairnet test", p.name());
		assertEquals(PairMode.PAIR, p.pairMode());
		assertEquals(List.of("enc1", "enc2", "enc3"), p.featureLayers());
		assertEquals(List.of("disp", "enc1", "enc2", "enc3"), p.outputs());
		assertEquals(List.of(WeightsFormat.ONNX, WeightsFormat.TORCHSCRIPT), p.weightsFormats());
		assertEquals("bczyx", p.inputLayout().toString());
		assertEquals(List.of(1L, 2L, 32L, 32L, 32L), Stream.of(p.inputShape()).flatMapToLong(java.util.Arrays::stream).boxed().toList());
	}

	@Test
	void zipIsUnpackedOnceIntoTheCacheFolder() throws Exception {
		final Path dir = TestNets.pairnet(tmp.resolve("p"), "onnx");
		final Path zip = tmp.resolve("pairnet.zip");
		try (ZipOutputStream out = new ZipOutputStream(Files.newOutputStream(zip))) {
			for (final String f : List.of("rdf.yaml", "pairnet.onnx"))
				put(out, "pairnet/" + f, Files.readAllBytes(dir.resolve(f)));
		}
		final Path cache = tmp.resolve("cache");
		final ModelPackage a = ModelPackage.open(zip, cache);
		assertTrue(a.folder().startsWith(cache), a.folder().toString());
		assertTrue(a.folder().toString().contains("pairnet-"), a.folder().toString());
		final ModelPackage b = ModelPackage.open(zip, cache);
		assertEquals(a.folder(), b.folder());
		try (Stream<Path> s = Files.list(cache)) {
			assertEquals(1, s.count(), "one folder, no leftovers");
		}
		try (ModelFeatures fx = new ModelFeatures(a, FeatureSettings.defaults().withUnpackRoot(cache))) {
			assertEquals(56, fx.compute(TestNets.referenceVolume(1, 32), TestNets.referenceVolume(0, 32)).size());
		}
	}

	@Test
	void zipSlipEntryIsRefused() throws Exception {
		final Path dir = TestNets.pairnet(tmp.resolve("p"), "onnx");
		final Path zip = tmp.resolve("evil.zip");
		try (ZipOutputStream out = new ZipOutputStream(Files.newOutputStream(zip))) {
			put(out, "rdf.yaml", Files.readAllBytes(dir.resolve("rdf.yaml")));
			put(out, "../../escaped.txt", "gotcha".getBytes());
		}
		final Path cache = tmp.resolve("cache").resolve("models");
		final ModelException e = assertThrows(ModelException.class, () -> ModelPackage.open(zip, cache));
		assertTrue(e.getMessage().contains(zip.toString()) && e.getMessage().contains("zip-slip") && e.getMessage().contains("../../escaped.txt"),
				e.getMessage());
		assertFalse(Files.exists(tmp.resolve("escaped.txt")));
		assertFalse(Files.exists(tmp.resolve("cache").resolve("escaped.txt")));
		try (Stream<Path> s = Files.list(cache)) {
			assertEquals(0, s.count(), "nothing left in the cache");
		}
	}

	@Test
	void unknownLayerIsNamed() throws Exception {
		final ModelPackage p = ModelPackage.open(TestNets.pairnet(tmp.resolve("p"), "onnx"));
		final ModelException e = assertThrows(ModelException.class,
				() -> new ModelFeatures(p, FeatureSettings.defaults().withLayers(List.of("enc1", "enc9"))));
		assertTrue(e.getMessage().contains(p.label()) && e.getMessage().contains("'enc9'") && e.getMessage().contains("enc1, enc2, enc3"),
				e.getMessage());
	}

	@Test
	void declaredFeatureLayerMustBeAnOutput() throws Exception {
		final Path dir = TestNets.writePackage(tmp.resolve("p"), "pairnet", List.of("onnx"), "", "    feature_layers: [enc1, bottleneck]\n");
		final ModelException e = assertThrows(ModelException.class, () -> ModelPackage.open(dir));
		assertTrue(e.getMessage().contains("'bottleneck'") && e.getMessage().contains("not an output"), e.getMessage());
	}

	@Test
	void channelCountMustFitThePairMode() throws Exception {
		final Path single = TestNets.writePackage(tmp.resolve("a"), "imagenet", List.of("onnx"), "", "    pair_mode: pair\n");
		final ModelException e = assertThrows(ModelException.class, () -> ModelPackage.open(single));
		assertTrue(e.getMessage().startsWith("model " + single) && e.getMessage().contains("pair_mode pair needs an input with 2 channels")
				&& e.getMessage().contains("has 1"), e.getMessage());
		final Path pair = TestNets.writePackage(tmp.resolve("b"), "pairnet", List.of("onnx"), "", "    pair_mode: single\n");
		assertTrue(assertThrows(ModelException.class, () -> ModelPackage.open(pair)).getMessage().contains("pair_mode single needs an input with 1"));
	}

	@Test
	void inputSizeMustFitTheNetwork() throws Exception {
		final Path dir = TestNets.pairnet(tmp.resolve("p"), "onnx");
		Files.writeString(dir.resolve("rdf.yaml"), Files.readString(dir.resolve("rdf.yaml")).replace("channel_names: [followup, baseline]",
				"channel_names: [followup, baseline, extra]").replace("pair_mode: pair", "pair_mode: single"));
		final ModelException channels = assertThrows(ModelException.class, () -> ModelPackage.open(dir));
		assertTrue(channels.getMessage().contains("needs an input with 1 channel") && channels.getMessage().contains("has 3"), channels.getMessage());

		final Path two = TestNets.pairnet(tmp.resolve("q"), "onnx");
		Files.writeString(two.resolve("rdf.yaml"), Files.readString(two.resolve("rdf.yaml")).replace("      - {type: space, id: z, size: 32}\n", ""));
		final ModelException dims = assertThrows(ModelException.class, () -> ModelPackage.open(two));
		assertTrue(dims.getMessage().contains("need a 3D input"), dims.getMessage());

		final ModelPackage wrongGraph = ModelPackage.open(TestNets.pairnet(tmp.resolve("s"), "onnx"));
		// a 1-channel graph where the description declares 2 channels
		Files.copy(SharedData.require("models/imagenet.onnx"), wrongGraph.folder().resolve("pairnet.onnx"), StandardCopyOption.REPLACE_EXISTING);
		final ModelException graph = assertThrows(ModelException.class, () -> new ModelFeatures(wrongGraph, FeatureSettings.defaults()));
		assertTrue(graph.getMessage().contains("[1, 2, 32, 32, 32]") && graph.getMessage().contains("[1, 1, -1, -1, -1]"), graph.getMessage());
	}

	@Test
	void parameterisedSizeNeedsAnInputSize() throws Exception {
		final Path dir = TestNets.pairnet(tmp.resolve("p"), "onnx");
		final String rdf = Files.readString(dir.resolve("rdf.yaml")).replace("size: 32}", "size: {min: 8, step: 8}}");
		Files.writeString(dir.resolve("rdf.yaml"), rdf);
		assertTrue(assertThrows(ModelException.class, () -> ModelPackage.open(dir)).getMessage().contains("give config progression_probe input_size"));
		Files.writeString(dir.resolve("rdf.yaml"), rdf + "    input_size: [20, 16, 16]\n");
		assertTrue(assertThrows(ModelException.class, () -> ModelPackage.open(dir)).getMessage().contains("does not fit the input's z axis"));
		Files.writeString(dir.resolve("rdf.yaml"), rdf + "    input_size: [24, 16, 40]\n");
		final ModelPackage p = ModelPackage.open(dir);
		assertEquals(List.of(24, 16, 40), java.util.Arrays.stream(p.inputSize()).boxed().toList());
		try (ModelFeatures fx = new ModelFeatures(p, FeatureSettings.defaults().withLayers(List.of("enc3")))) {
			assertEquals(32, fx.compute(TestNets.referenceVolume(1, 32), TestNets.referenceVolume(0, 32)).size());
		}
	}

	@Test
	void corruptWeightsAreNamed() throws Exception {
		for (final String ext : List.of("pt", "onnx")) {
			final Path dir = TestNets.pairnet(tmp.resolve("p" + ext), ext);
			final byte[] good = Files.readAllBytes(dir.resolve("pairnet." + ext));
			Files.write(dir.resolve("pairnet." + ext), java.util.Arrays.copyOf(good, good.length / 3));
			final ModelException e = assertThrows(ModelException.class, () -> new ModelFeatures(ModelPackage.open(dir), FeatureSettings.defaults()));
			assertTrue(e.getMessage().startsWith("model " + dir) && e.getMessage().contains("cannot load the " + (ext.equals("pt") ? "TorchScript" : "ONNX")
					+ " weights pairnet." + ext), e.getMessage());
		}
	}

	@Test
	void checksumMismatchIsNamed() throws Exception {
		final Path dir = TestNets.pairnet(tmp.resolve("p"), "onnx");
		Files.writeString(dir.resolve("rdf.yaml"), Files.readString(dir.resolve("rdf.yaml")).replace("    opset_version: 13\n",
				"    opset_version: 13\n    sha256: " + "0".repeat(64) + "\n"));
		final ModelException e = assertThrows(ModelException.class, () -> new ModelFeatures(ModelPackage.open(dir), FeatureSettings.defaults()));
		assertTrue(e.getMessage().contains("pairnet.onnx is corrupt or was changed"), e.getMessage());
	}

	@Test
	void weightsOutsideThePackageOrOnlineAreRefused() throws Exception {
		final Path dir = TestNets.pairnet(tmp.resolve("p"), "onnx");
		final String rdf = Files.readString(dir.resolve("rdf.yaml"));
		Files.writeString(dir.resolve("rdf.yaml"), rdf.replace("source: pairnet.onnx", "source: ../other/pairnet.onnx"));
		assertTrue(assertThrows(ModelException.class, () -> new ModelFeatures(ModelPackage.open(dir), FeatureSettings.defaults())).getMessage()
				.contains("points outside the package"));
		Files.writeString(dir.resolve("rdf.yaml"), rdf.replace("source: pairnet.onnx", "source: https://example.org/pairnet.onnx"));
		assertTrue(assertThrows(ModelException.class, () -> new ModelFeatures(ModelPackage.open(dir), FeatureSettings.defaults())).getMessage()
				.contains("never download"));
	}

	@Test
	void missingWeightsFormatAndBuiltinsAreNamed() throws Exception {
		final ModelPackage p = ModelPackage.open(TestNets.pairnet(tmp.resolve("p"), "onnx"));
		final ModelException tf = assertThrows(ModelException.class,
				() -> new ModelFeatures(p, FeatureSettings.defaults().withWeights(WeightsFormat.TENSORFLOW)));
		assertTrue(tf.getMessage().contains("has no tensorflow_saved_model_bundle weights (it has [onnx])"), tf.getMessage());
		final ModelException builtin = assertThrows(ModelException.class, () -> ModelPackage.open(Path.of("builtin-nonesuch")));
		assertTrue(builtin.getMessage().contains("no built-in model called 'builtin-nonesuch'"), builtin.getMessage());
		final ModelException missing = assertThrows(ModelException.class, () -> ModelPackage.open(tmp.resolve("nope")));
		assertTrue(missing.getMessage().endsWith("nope: no such file or folder"), missing.getMessage());
	}

	@Test
	void unsafeYamlIsRefused() throws Exception {
		final Path dir = TestNets.pairnet(tmp.resolve("p"), "onnx");
		Files.writeString(dir.resolve("rdf.yaml"), "!!javax.script.ScriptEngineManager [!!java.net.URLClassLoader [[!!java.net.URL [\"http://x\"]]]]\n"
				+ Files.readString(dir.resolve("rdf.yaml")));
		final ModelException e = assertThrows(ModelException.class, () -> ModelPackage.open(dir));
		assertTrue(e.getMessage().contains("cannot read rdf.yaml"), e.getMessage());
	}

	@Test
	void gpuRequestFailsClearlyWithoutAGpu() throws Exception {
		final ModelPackage p = ModelPackage.open(TestNets.pairnet(tmp.resolve("p"), "onnx", "pt"));
		for (final WeightsFormat f : List.of(WeightsFormat.ONNX, WeightsFormat.TORCHSCRIPT)) {
			final ModelException e = assertThrows(ModelException.class,
					() -> new ModelFeatures(p, FeatureSettings.defaults().withWeights(f).withDevice(Device.GPU)));
			assertTrue(e.getMessage().contains("device gpu was requested") && e.getMessage().contains("use device=cpu"), e.getMessage());
		}
	}

	@Test
	void aSymbolicLinkEntryIsRefusedNamingIt() throws Exception {
		// as `zip -y` stores a link: the target path as the entry's data, Unix mode 0120777 in the central directory
		final Path dir = TestNets.pairnet(tmp.resolve("p"), "onnx");
		final Path zip = tmp.resolve("linked.zip");
		try (ZipOutputStream out = new ZipOutputStream(Files.newOutputStream(zip))) {
			put(out, "pkg/rdf.yaml", Files.readAllBytes(dir.resolve("rdf.yaml")));
			put(out, "pkg/weights", "/etc".getBytes());
			put(out, "pkg/weights/passwd", "x".getBytes());
		}
		TestNets.markAsLink(zip, "pkg/weights");
		final Path cache = tmp.resolve("cache");
		final ModelException e = assertThrows(ModelException.class, () -> ModelPackage.open(zip, cache));
		assertTrue(e.getMessage().contains(zip.toString()) && e.getMessage().contains("'pkg/weights'") && e.getMessage().contains("symbolic link"),
				e.getMessage());
		try (Stream<Path> s = Files.list(cache)) {
			assertEquals(0, s.count(), "nothing left in the cache");
		}
		// the same zip without the link bit: a file that is also a folder, said as such
		try (ZipOutputStream out = new ZipOutputStream(Files.newOutputStream(zip))) {
			put(out, "pkg/rdf.yaml", Files.readAllBytes(dir.resolve("rdf.yaml")));
			put(out, "pkg/weights", "/etc".getBytes());
			put(out, "pkg/weights/passwd", "x".getBytes());
		}
		final ModelException f = assertThrows(ModelException.class, () -> ModelPackage.open(zip, cache));
		assertTrue(f.getMessage().contains("weights is both a file and a folder in the zip"), f.getMessage());
	}

	private static void put(final ZipOutputStream out, final String name, final byte[] data) throws IOException {
		out.putNextEntry(new ZipEntry(name));
		final OutputStream o = out;
		o.write(data);
		out.closeEntry();
	}
}
