package org.progressionprobe.features.model;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.util.List;

import org.junit.jupiter.api.Test;
import org.progressionprobe.table.FeatureVector;
import org.junit.jupiter.api.io.TempDir;
import org.progressionprobe.volume.Volume;

import com.google.gson.JsonObject;

/** End to end: scans in, pooled features out, checked against PyTorch's numbers and against each other. */
class ModelFeaturesTest {

	@TempDir
	Path tmp;

	private static FeatureSettings settings() {
		return FeatureSettings.defaults();
	}

	@Test
	void pairGapFeaturesAreWhatPyTorchComputes() throws Exception {
		final Path pkg = TestNets.pairnet(tmp.resolve("pairnet"), "onnx", "pt");
		final JsonObject expected = EngineReferenceTest.expected().getAsJsonObject("pairnet");
		// channel 0 of the reference input is the follow-up, channel 1 the baseline; 32^3 needs no resampling
		final Volume follow = TestNets.referenceVolume(0, 32), base = TestNets.referenceVolume(1, 32);
		for (final WeightsFormat f : List.of(WeightsFormat.ONNX, WeightsFormat.TORCHSCRIPT))
			try (ModelFeatures fx = new ModelFeatures(ModelPackage.open(pkg), settings().withWeights(f))) {
				final FeatureVector v = fx.compute(base, follow);
				assertEquals(8 + 16 + 32, v.size());
				assertEquals("enc1_gap_c00", v.names().get(0));
				assertEquals("enc3_gap_c31", v.names().get(v.size() - 1));
				for (final String layer : List.of("enc1", "enc2", "enc3"))
					for (int c = 0; c < 4; c++)
						EngineReferenceTest.assertClose(expected.getAsJsonObject(layer).getAsJsonArray("gap_first4").get(c).getAsDouble(),
								v.get(layer + "_gap_c0" + c), f + " " + layer + " c" + c);
				assertEquals(f == WeightsFormat.ONNX ? "OnnxRuntime" : "PyTorch", fx.provenance().get("engine"));
			}
	}

	@Test
	void onnxIsPreferredWhenBothWeightsArePresent() throws Exception {
		try (ModelFeatures fx = new ModelFeatures(ModelPackage.open(TestNets.pairnet(tmp.resolve("p"), "pt", "onnx")), settings())) {
			assertEquals("OnnxRuntime", fx.provenance().get("engine"));
			assertTrue(fx.provenance().get("engine_version").startsWith("1.22"), fx.provenance().toString());
			assertEquals("cpu", fx.provenance().get("device"));
		}
	}

	@Test
	void singleModelCombinesBothScans() throws Exception {
		final ModelPackage pkg = ModelPackage.open(TestNets.imagenet(tmp.resolve("imagenet"), "onnx"));
		final JsonObject expected = EngineReferenceTest.expected().getAsJsonObject("imagenet");
		final Volume base = TestNets.referenceVolume(0, 32), follow = TestNets.referenceVolume(1, 32);
		final FeatureVector both;
		try (ModelFeatures fx = new ModelFeatures(pkg, settings().withCombine(Combination.BOTH).withLayers(List.of("enc2")))) {
			both = fx.compute(base, follow);
		}
		assertEquals(3 * 16, both.size());
		assertEquals(List.of("enc2_base_gap_c00", "enc2_follow_gap_c00", "enc2_diff_gap_c00"),
				List.of(both.names().get(0), both.names().get(16), both.names().get(32)));
		for (int c = 0; c < 4; c++)
			EngineReferenceTest.assertClose(expected.getAsJsonObject("enc2").getAsJsonArray("gap_first4").get(c).getAsDouble(),
					both.get("enc2_base_gap_c0" + c), "base c" + c);
		for (int c = 0; c < 16; c++) {
			final String k = String.format("%02d", c);
			assertEquals(both.get("enc2_follow_gap_c" + k) - both.get("enc2_base_gap_c" + k), both.get("enc2_diff_gap_c" + k), 1e-12);
		}
		try (ModelFeatures fx = new ModelFeatures(pkg, settings().withLayers(List.of("enc2")))) {
			final FeatureVector diff = fx.compute(base, follow);
			assertEquals(16, diff.size());
			assertEquals(both.get("enc2_diff_gap_c07"), diff.get("enc2_diff_gap_c07"), 0);
		}
	}

	@Test
	void gridRoiAndMaxAgreeWithTheGlobalAverage() throws Exception {
		final ModelPackage pkg = ModelPackage.open(TestNets.pairnet(tmp.resolve("p"), "onnx"));
		final Volume follow = TestNets.referenceVolume(0, 32), base = TestNets.referenceVolume(1, 32);
		final Volume all = base.zerosLike();
		java.util.Arrays.fill(all.data(), 1f);
		final Volume lowerHalf = base.zerosLike();
		for (int z = 0; z < 16; z++)
			for (int y = 0; y < 32; y++)
				for (int x = 0; x < 32; x++)
					lowerHalf.set(x, y, z, 1f);
		try (ModelFeatures fx = new ModelFeatures(pkg, settings().withPooling(List.of(Pooling.GAP, Pooling.GMP, Pooling.ROI, Pooling.GRID)));
				ModelFeatures half = new ModelFeatures(pkg, settings().withPooling(List.of(Pooling.ROI)))) {
			final FeatureVector v = fx.compute(base, follow, all);
			final FeatureVector h = half.compute(base, follow, lowerHalf);
			assertEquals((8 + 16 + 32) * (3 + 8), v.size());
			for (final String layer : List.of("enc1", "enc2", "enc3"))
				for (int c = 0; c < 8; c++) {
					final String k = String.format("_c%02d", c);
					final double gap = v.get(layer + "_gap" + k);
					assertEquals(gap, v.get(layer + "_roi" + k), 1e-6, "a full mask is the global average");
					assertTrue(v.get(layer + "_gmp" + k) >= gap);
					double cells = 0, lower = 0;
					for (int z = 0; z < 2; z++)
						for (int y = 0; y < 2; y++)
							for (int x = 0; x < 2; x++) {
								final double cell = v.get(layer + "_grid2" + k + "_z" + z + "y" + y + "x" + x);
								cells += cell / 8;
								if (z == 0)
									lower += cell / 4;
							}
					assertEquals(gap, cells, 1e-6, "equal cells average to the global average");
					assertEquals(lower, h.get(layer + "_roi" + k), 1e-6, "the lower half mask is the mean of the lower grid cells");
				}
		}
	}

	@Test
	void resamplesAndNormalisesAnyScanSize() throws Exception {
		final Path dir = TestNets.writePackage(tmp.resolve("p"), "pairnet", List.of("onnx"),
				"    preprocessing:\n      - id: scale_range\n        kwargs: {axes: [z, y, x], min_percentile: 0, max_percentile: 99}\n"
						+ "      - id: clip\n        kwargs: {min: 0, max: 1}\n",
				"    feature_layers: [enc1, enc3]\n    pair_mode: pair\n");
		final Volume base = TestNets.referenceVolume(1, 48), follow = TestNets.referenceVolume(0, 40);
		for (final float[] d : List.of(base.data(), follow.data()))
			for (int i = 0; i < d.length; i++)
				d[i] = d[i] * 1000 + 20;
		try (ModelFeatures fx = new ModelFeatures(ModelPackage.open(dir), settings())) {
			final FeatureVector a = fx.compute(base, follow);
			final FeatureVector b = fx.compute(base, follow);
			assertEquals(8 + 32, a.size());
			assertArrayEquals(a.values(), b.values(), "same inputs, same numbers");
			assertTrue(fx.provenance().get("preprocessing").contains("scale_range"));
			for (final double x : a.values())
				assertTrue(Double.isFinite(x) && Math.abs(x) < 10, "normalised inputs give moderate features: " + x);
		}
	}
}
