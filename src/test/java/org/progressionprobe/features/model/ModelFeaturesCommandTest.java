package org.progressionprobe.features.model;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.progressionprobe.command.CommandFailure;
import org.progressionprobe.io.CacheFolder;
import org.progressionprobe.io.VolumeIO;
import org.progressionprobe.launcher.CommandRunner;
import org.progressionprobe.volume.AffineTransform3D;
import org.progressionprobe.volume.ScanPair;
import org.progressionprobe.volume.Volume;
import org.scijava.Context;

/** Model Features and Engine Info run headless through the CommandRunner, as a macro or the launcher would. */
class ModelFeaturesCommandTest {

	private static Context context;

	@TempDir
	Path tmp;

	@BeforeAll
	static void start() {
		context = new Context();
	}

	@AfterAll
	static void stop() {
		context.dispose();
	}

	private Map<String, Object> run(final Class<? extends org.scijava.command.Command> c, final Map<String, Object> in) {
		return new CommandRunner(context).run(c, in);
	}

	@Test
	void aScanWithNaNVoxelsIsRefusedNamingTheFileAndNothingIsWritten() throws Exception {
		final Path pkg = TestNets.pairnet(tmp.resolve("pairnet"), "onnx");
		final Path base = tmp.resolve("base.nii.gz"), follow = tmp.resolve("follow-nan.nii.gz");
		VolumeIO.write(TestNets.referenceVolume(1, 32), base);
		final org.progressionprobe.volume.Volume bad = TestNets.referenceVolume(0, 32);
		bad.set(4, 5, 6, Float.NaN);
		VolumeIO.write(bad, follow);
		final Path out = tmp.resolve("nan.csv");
		final CommandFailure e = assertThrows(CommandFailure.class, () -> run(ModelFeaturesCommand.class,
				Map.of("baseline", base.toFile(), "followup", follow.toFile(), "model", pkg.toFile(), "output", out.toFile())));
		assertTrue(e.getMessage().contains(follow.toString()) && e.getMessage().contains("1 non-finite voxel"), e.getMessage());
		assertFalse(Files.exists(out), "no row of NaN features");
	}

	@Test
	void writesOneRowWithProvenance() throws Exception {
		final Path pkg = TestNets.pairnet(tmp.resolve("pairnet"), "onnx", "pt");
		final Path base = tmp.resolve("base.nii.gz"), follow = tmp.resolve("follow.nii.gz");
		VolumeIO.write(TestNets.referenceVolume(1, 32), base);
		VolumeIO.write(TestNets.referenceVolume(0, 32), follow);
		final Path onnx = tmp.resolve("out/onnx.csv"), torch = tmp.resolve("out/torch.csv");
		final Map<String, Object> out = run(ModelFeaturesCommand.class, Map.of("baseline", base.toFile(), "followup", follow.toFile(), "model",
				pkg.toFile(), "layers", "enc1, enc3", "pooling", "gap,grid", "output", onnx.toFile()));
		assertEquals((8 + 32) * 9, out.get("feature_count"));
		run(ModelFeaturesCommand.class, Map.of("baseline", base.toFile(), "followup", follow.toFile(), "model", pkg.toFile(), "layers", "enc1,enc3",
				"pooling", "gap,grid", "engine", "torchscript", "output", torch.toFile()));
		final List<String> a = Files.readAllLines(onnx), b = Files.readAllLines(torch);
		assertTrue(a.contains("# engine: OnnxRuntime") && b.contains("# engine: PyTorch"), a + "\n" + b);
		assertTrue(a.contains("# device: cpu") && a.contains("# layers: enc1,enc3") && a.contains("# pooling: gap,grid (grid 2)")
				&& a.contains("# input_size: 32x32x32 (z x y x x)") && a.contains("# pair_mode: pair"), a.toString());
		assertTrue(a.stream().anyMatch(l -> l.startsWith("# engine_version: 1.22")), a.toString());
		final List<String> rowsA = a.stream().filter(l -> !l.startsWith("#")).toList(), rowsB = b.stream().filter(l -> !l.startsWith("#")).toList();
		assertEquals(2, rowsA.size());
		assertEquals(rowsA.get(0), rowsB.get(0));
		final String[] names = rowsA.get(0).split(","), va = rowsA.get(1).split(","), vb = rowsB.get(1).split(",");
		assertEquals("enc1_gap_c00", names[0]);
		assertEquals("enc1_grid2_c00_z0y0x0", names[8]);
		assertEquals(names.length, va.length);
		final double expected = EngineReferenceTest.expected().getAsJsonObject("pairnet").getAsJsonObject("enc1").getAsJsonArray("gap_first4").get(1)
				.getAsDouble();
		EngineReferenceTest.assertClose(expected, Double.parseDouble(va[1]), "enc1_gap_c01 from the CSV");
		for (int i = 0; i < va.length; i++)
			EngineReferenceTest.assertClose(Double.parseDouble(va[i]), Double.parseDouble(vb[i]), "ONNX vs TorchScript " + names[i]);
	}

	@Test
	void badInputLeavesNoOutput() throws Exception {
		final Path pkg = TestNets.pairnet(tmp.resolve("pairnet"), "onnx");
		final Path base = tmp.resolve("base.nii.gz");
		VolumeIO.write(TestNets.referenceVolume(1, 16), base);
		final Path out = tmp.resolve("f.csv");
		final CommandFailure layer = assertThrows(CommandFailure.class, () -> run(ModelFeaturesCommand.class,
				Map.of("baseline", base.toFile(), "followup", base.toFile(), "model", pkg.toFile(), "layers", "enc7", "output", out.toFile())));
		assertTrue(layer.getMessage().contains("has no layer 'enc7'"), layer.getMessage());
		final CommandFailure builtin = assertThrows(CommandFailure.class, () -> run(ModelFeaturesCommand.class,
				Map.of("baseline", base.toFile(), "followup", base.toFile(), "model", "builtin-nonesuch", "output", out.toFile())));
		assertTrue(builtin.getMessage().contains("no built-in model called 'builtin-nonesuch'"), builtin.getMessage());
		final CommandFailure gpu = assertThrows(CommandFailure.class, () -> run(ModelFeaturesCommand.class,
				Map.of("baseline", base.toFile(), "followup", base.toFile(), "model", pkg.toFile(), "device", "gpu", "output", out.toFile())));
		assertTrue(gpu.getMessage().contains("device gpu was requested"), gpu.getMessage());
		final CommandFailure pooling = assertThrows(CommandFailure.class, () -> run(ModelFeaturesCommand.class,
				Map.of("baseline", base.toFile(), "followup", base.toFile(), "model", pkg.toFile(), "pooling", "median", "output", out.toFile())));
		assertTrue(pooling.getMessage().contains("Unknown pooling 'median'"), pooling.getMessage());
		final CommandFailure roi = assertThrows(CommandFailure.class, () -> run(ModelFeaturesCommand.class,
				Map.of("baseline", base.toFile(), "followup", base.toFile(), "model", pkg.toFile(), "pooling", "roi", "output", out.toFile())));
		assertTrue(roi.getMessage().contains("roi pooling needs a mask"), roi.getMessage());
		assertFalse(Files.exists(out));
		try (var s = Files.list(tmp)) {
			assertTrue(s.noneMatch(p -> p.getFileName().toString().endsWith(".part")));
		}
	}

	@Test
	void aFollowupThatMissesTheBaselineOrANanScanIsRefusedNamingIt() throws Exception {
		final Path pkg = TestNets.pairnet(tmp.resolve("pairnet"), "onnx");
		final Path base = tmp.resolve("base.nii.gz"), far = tmp.resolve("far.nii.gz"), nan = tmp.resolve("nan.nii.gz");
		VolumeIO.write(TestNets.referenceVolume(1, 16), base);
		VolumeIO.write(Volume.wrap(TestNets.referenceChannel(0, 16), 16, 16, 16, AffineTransform3D.of(1, 0, 0, 1000, 0, 1, 0, 0, 0, 0, 1, 0)), far);
		final float[] holes = TestNets.referenceChannel(0, 16);
		holes[100] = Float.NaN;
		VolumeIO.write(Volume.wrap(holes, 16, 16, 16, new AffineTransform3D()), nan);
		final Path out = tmp.resolve("f.csv");
		final CommandFailure away = assertThrows(CommandFailure.class, () -> run(ModelFeaturesCommand.class,
				Map.of("baseline", base.toFile(), "followup", far.toFile(), "model", pkg.toFile(), "output", out.toFile())));
		assertTrue(away.getMessage().startsWith(far + " does not overlap the baseline " + base + " in world space"), away.getMessage());
		final CommandFailure holed = assertThrows(CommandFailure.class, () -> run(ModelFeaturesCommand.class,
				Map.of("baseline", base.toFile(), "followup", nan.toFile(), "model", pkg.toFile(), "output", out.toFile())));
		assertTrue(holed.getMessage().contains(nan.toString()) && holed.getMessage().contains("non-finite"), holed.getMessage());
		assertFalse(Files.exists(out));

		try (ModelFeatures extractor = new ModelFeatures(ModelPackage.open(pkg, tmp.resolve("cache")), FeatureSettings.parse("", "gap", 2,
				"diff", "cpu", "auto", tmp.resolve("cache")))) {
			final Volume b = VolumeIO.read(base), f = VolumeIO.read(far);
			final IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> extractor.compute(new ScanPair("s7", b, f, null)));
			assertTrue(e.getMessage().startsWith("s7: follow-up scan does not overlap the baseline in world space"), e.getMessage());
			assertEquals(extractor.compute(b, b).size(), extractor.compute(new ScanPair("s8", b, b, null)).size());
		}
	}

	@Test
	void engineInfoListsEnginesVersionsAndDevices() {
		final String info = (String) run(EngineInfoCommand.class, Map.of()).get("info");
		assertTrue(info.contains("OnnxRuntime 1.22.0: cpu"), info);
		assertTrue(info.contains("PyTorch 2.7.1: cpu"), info);
		assertTrue(info.contains("TensorFlow 2.18") || info.contains("TensorFlow 2."), info);
		assertTrue(info.contains("offline: ai.djl.offline=true"), info);
		final String oneDnn = System.getenv(OneDnn.VARIABLE) != null ? System.getenv(OneDnn.VARIABLE) : "1";
		assertTrue(info.contains(OneDnn.VARIABLE + "=" + oneDnn), "TensorFlow runs with oneDNN on unless the user chose: " + info);
		if (System.getenv("DJL_CACHE_DIR") == null && System.getenv("ENGINE_CACHE_DIR") == null)
			assertTrue(info.contains("native library in " + CacheFolder.root().resolve("djl")), "PyTorch's library is unpacked into our cache: " + info);
	}
}
