package org.progressionprobe.features.model;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.FloatBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Random;

import org.junit.jupiter.api.Test;
import org.progressionprobe.table.FeatureVector;
import org.junit.jupiter.api.io.TempDir;
import org.progressionprobe.volume.Volume;
import org.tensorflow.Graph;
import org.tensorflow.Operand;
import org.tensorflow.SavedModelBundle;
import org.tensorflow.Session;
import org.tensorflow.Signature;
import org.tensorflow.ndarray.Shape;
import org.tensorflow.ndarray.buffer.DataBuffers;
import org.tensorflow.op.Ops;
import org.tensorflow.op.core.Placeholder;
import org.tensorflow.types.TFloat32;

/**
 * A TensorFlow SavedModel built here with TensorFlow Java (two 3D convolutions with seeded weights,
 * channels-last), loaded back through the model-feature engine, and checked against the same
 * convolutions computed in plain Java.
 */
class SavedModelTest {

	static final int D = 8, CIN = 2, C1 = 4, C2 = 3, K = 3;

	@TempDir
	Path tmp;

	@Test
	void savedModelOutputsAndFeaturesMatchPlainJava() throws Exception {
		final Random r = new Random(42);
		final float[] w1 = randoms(r, K * K * K * CIN * C1), b1 = randoms(r, C1), w2 = randoms(r, K * K * K * C1 * C2);
		final Path pkg = tmp.resolve("tfnet");
		export(pkg.resolve("saved_model"), w1, b1, w2);
		Files.writeString(pkg.resolve("rdf.yaml"), """
				format_version: 0.5.3
				type: model
				name: tfnet
				inputs:
				  - id: pair
				    axes: [{type: batch}, {type: space, id: z, size: 8}, {type: space, id: y, size: 8}, {type: space, id: x, size: 8},
				           {type: channel, channel_names: [followup, baseline]}]
				outputs:
				  - id: enc1
				    axes: [{type: batch}, {type: space, id: z}, {type: space, id: y}, {type: space, id: x}, {type: channel}]
				  - id: enc2
				    axes: [{type: batch}, {type: space, id: z}, {type: space, id: y}, {type: space, id: x}, {type: channel}]
				weights:
				  tensorflow_saved_model_bundle:
				    source: saved_model
				    tensorflow_version: "2.16"
				config:
				  progression_probe: {feature_layers: [enc1, enc2], pair_mode: pair}
				""");
		// channels-last input: x[z][y][x][c], channel 0 = follow-up, 1 = baseline
		final float[] follow = TestNets.referenceChannel(0, D), base = TestNets.referenceChannel(1, D);
		final float[] input = new float[D * D * D * CIN];
		for (int i = 0; i < D * D * D; i++) {
			input[i * CIN] = follow[i];
			input[i * CIN + 1] = base[i];
		}
		final float[] enc1 = conv(input, D, CIN, w1, C1, 1);
		for (int i = 0; i < enc1.length; i++)
			enc1[i] = Math.max(0, enc1[i] + b1[i % C1]);
		final float[] enc2 = conv(enc1, D, C1, w2, C2, 2);

		final ModelPackage p = ModelPackage.open(pkg);
		try (InferenceSession s = SavedModelSession.open("tfnet", p.weightsPath(WeightsFormat.TENSORFLOW, tmp), "pair", Device.CPU);
				InferenceSession.Outputs out = s.run(direct(input), p.inputShape(), List.of("enc1", "enc2"))) {
			assertArrayEquals(new long[] { 1, D, D, D, C1 }, out.shape("enc1"));
			assertArrayEquals(new long[] { 1, D / 2, D / 2, D / 2, C2 }, out.shape("enc2"));
			assertArrayEquals(enc1, toArray(out.data("enc1")), 1e-4f);
			assertArrayEquals(enc2, toArray(out.data("enc2")), 1e-4f);
		}
		final ModelException gpu = org.junit.jupiter.api.Assertions.assertThrows(ModelException.class,
				() -> new ModelFeatures(p, FeatureSettings.defaults().withDevice(Device.GPU)));
		org.junit.jupiter.api.Assertions.assertTrue(gpu.getMessage().contains("device gpu was requested, but TensorFlow"), gpu.getMessage());
		try (ModelFeatures fx = new ModelFeatures(p, FeatureSettings.defaults().withPooling(List.of(Pooling.GAP, Pooling.GMP)))) {
			final Volume fv = Volume.wrap(follow, D, D, D, new org.progressionprobe.volume.AffineTransform3D());
			final Volume bv = Volume.wrap(base, D, D, D, new org.progressionprobe.volume.AffineTransform3D());
			final FeatureVector v = fx.compute(bv, fv);
			assertEquals("TensorFlow", fx.provenance().get("engine"));
			assertEquals(2 * (C1 + C2), v.size());
			for (int c = 0; c < C2; c++) {
				double sum = 0, max = Double.NEGATIVE_INFINITY;
				for (int i = c; i < enc2.length; i += C2) {
					sum += enc2[i];
					max = Math.max(max, enc2[i]);
				}
				EngineReferenceTest.assertClose(sum / (enc2.length / C2), v.get("enc2_gap_c0" + c), "enc2 gap c" + c);
				EngineReferenceTest.assertClose(max, v.get("enc2_gmp_c0" + c), "enc2 gmp c" + c);
			}
		}
	}

	@Test
	void zippedSavedModelIsUnpackedIntoTheCache() throws Exception {
		final Random r = new Random(7);
		final Path pkg = tmp.resolve("zipped");
		export(tmp.resolve("sm"), randoms(r, K * K * K * CIN * C1), randoms(r, C1), randoms(r, K * K * K * C1 * C2));
		Files.createDirectories(pkg);
		try (java.util.zip.ZipOutputStream z = new java.util.zip.ZipOutputStream(Files.newOutputStream(pkg.resolve("tf_weights.zip")));
				java.util.stream.Stream<Path> files = Files.walk(tmp.resolve("sm"))) {
			for (final Path f : files.filter(Files::isRegularFile).toList()) {
				z.putNextEntry(new java.util.zip.ZipEntry(tmp.resolve("sm").relativize(f).toString()));
				z.write(Files.readAllBytes(f));
				z.closeEntry();
			}
		}
		Files.writeString(pkg.resolve("rdf.yaml"), """
				type: model
				name: zipped tf
				inputs:
				  - id: pair
				    axes: bzyxc
				    shape: [1, 8, 8, 8, 2]
				outputs:
				  - {id: enc1, axes: bzyxc}
				  - {id: enc2, axes: bzyxc}
				weights:
				  tensorflow_saved_model_bundle: {source: tf_weights.zip}
				""");
		final Path cache = tmp.resolve("cache");
		try (ModelFeatures fx = new ModelFeatures(ModelPackage.open(pkg, cache), FeatureSettings.defaults().withUnpackRoot(cache))) {
			final FeatureVector v = fx.compute(TestNets.referenceVolume(1, D), TestNets.referenceVolume(0, D));
			assertEquals(C1 + C2, v.size());
			assertEquals("pair", fx.provenance().get("pair_mode"), "two channels and no declared mode: pair");
		}
		try (java.util.stream.Stream<Path> s = Files.list(cache)) {
			assertTrue(s.anyMatch(p -> p.getFileName().toString().startsWith("tf_weights-")));
		}
	}

	private static float[] randoms(final Random r, final int n) {
		final float[] a = new float[n];
		for (int i = 0; i < n; i++)
			a[i] = (float) (r.nextGaussian() * 0.3);
		return a;
	}

	private static java.nio.ByteBuffer direct(final float[] values) {
		final java.nio.ByteBuffer b = java.nio.ByteBuffer.allocateDirect(values.length * 4).order(java.nio.ByteOrder.nativeOrder());
		b.asFloatBuffer().put(values);
		return b;
	}

	private static float[] toArray(final FloatBuffer b) {
		final float[] a = new float[b.limit()];
		b.get(0, a);
		return a;
	}

	/** Builds enc1 = relu(conv3d(x, w1) + b1), enc2 = conv3d(enc1, w2, stride 2), SAME padding, and saves it. */
	private static void export(final Path dir, final float[] w1, final float[] b1, final float[] w2) throws Exception {
		ModelCache.prepareEngines();
		try (Graph g = new Graph()) {
			final Ops tf = Ops.create(g);
			final Placeholder<TFloat32> x = tf.placeholder(TFloat32.class, Placeholder.shape(Shape.of(1, D, D, D, CIN)));
			final Operand<TFloat32> e1 = tf.nn.relu(tf.math.add(
					tf.nn.conv3d(x, tf.constant(Shape.of(K, K, K, CIN, C1), DataBuffers.of(w1)), List.of(1L, 1L, 1L, 1L, 1L), "SAME"),
					tf.constant(Shape.of(C1), DataBuffers.of(b1))));
			final Operand<TFloat32> e2 = tf.nn.conv3d(e1, tf.constant(Shape.of(K, K, K, C1, C2), DataBuffers.of(w2)), List.of(1L, 2L, 2L, 2L, 1L),
					"SAME");
			try (Session s = new Session(g)) {
				SavedModelBundle.exporter(dir.toString()).withSession(s)
						.withSignature(Signature.builder().key(Signature.DEFAULT_KEY).input("pair", x).output("enc1", e1).output("enc2", e2).build())
						.export();
			}
		}
	}

	/**
	 * TensorFlow's conv3d, channels-last, SAME padding: out size ceil(n / s), padding before =
	 * total / 2 with total = max((out - 1) s + k - n, 0); filter [kz][ky][kx][cin][cout].
	 */
	static float[] conv(final float[] in, final int n, final int cin, final float[] w, final int cout, final int s) {
		final int o = (n + s - 1) / s;
		final int before = Math.max((o - 1) * s + K - n, 0) / 2;
		final float[] out = new float[o * o * o * cout];
		for (int z = 0; z < o; z++)
			for (int y = 0; y < o; y++)
				for (int x = 0; x < o; x++)
					for (int co = 0; co < cout; co++) {
						double acc = 0;
						for (int kz = 0; kz < K; kz++)
							for (int ky = 0; ky < K; ky++)
								for (int kx = 0; kx < K; kx++) {
									final int iz = z * s + kz - before, iy = y * s + ky - before, ix = x * s + kx - before;
									if (iz < 0 || iy < 0 || ix < 0 || iz >= n || iy >= n || ix >= n)
										continue;
									for (int ci = 0; ci < cin; ci++)
										acc += in[((iz * n + iy) * n + ix) * cin + ci] * w[(((kz * K + ky) * K + kx) * cin + ci) * cout + co];
								}
						out[((z * o + y) * o + x) * cout + co] = (float) acc;
					}
		return out;
	}
}
