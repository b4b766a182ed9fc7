package org.progressionprobe.builtin;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.InputStream;
import java.nio.FloatBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.zip.ZipEntry;
import java.util.zip.ZipInputStream;

import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.progressionprobe.command.Progress;
import org.progressionprobe.features.model.ModelPackage;
import org.progressionprobe.features.model.WeightsFormat;
import org.tensorflow.Result;
import org.tensorflow.SavedModelBundle;
import org.tensorflow.SessionFunction;
import org.tensorflow.ndarray.NdArrays;
import org.tensorflow.ndarray.Shape;
import org.tensorflow.ndarray.buffer.DataBuffers;
import org.tensorflow.types.TFloat32;

import ai.onnxruntime.OnnxTensor;
import ai.onnxruntime.OrtEnvironment;
import ai.onnxruntime.OrtSession;

/**
 * The ONNX export shipped in each built-in package: the graph {@link OnnxExport} writes from the
 * package's SavedModel now (so the committed file is not stale after a retraining), preferred by
 * model features, and numerically the TensorFlow network on every output, for the whole view and the
 * ROI crop of a simulated subject that neither training nor the held-out figures saw.
 */
class OnnxExportTest {

	/** Largest difference allowed, relative to the largest magnitude of an output. */
	static final double TOLERANCE = 2e-5;

	@TempDir
	Path tmp;

	@ParameterizedTest
	@ValueSource(strings = { "builtin-unet", "builtin-registration" })
	void onnxExportIsTheTensorFlowNetwork(final String name) throws Exception {
		final Path zip = tmp.resolve(name + ".zip");
		try (InputStream in = OnnxExportTest.class.getResourceAsStream("/org/progressionprobe/builtin/" + name + ".zip")) {
			Files.copy(in, zip);
		}
		final Map<String, byte[]> files = new TreeMap<>();
		try (ZipInputStream in = new ZipInputStream(Files.newInputStream(zip))) {
			for (ZipEntry e; (e = in.getNextEntry()) != null;)
				files.put(e.getName(), in.readAllBytes());
		}
		assertArrayEquals(OnnxExport.export(files), files.get(OnnxExport.FILE),
				"the shipped model.onnx is the export of the shipped SavedModel (rerun OnnxExport after training)");

		assertOnnxIsTensorFlow(zip, name);
	}

	/**
	 * A registration network with the global affine field ({@code global_motion}), trained for a few
	 * steps by the command: its export is the TensorFlow network too, for a package trained anew as
	 * for the shipped one.
	 */
	@org.junit.jupiter.api.Test
	void globalMotionFieldExportsToo() throws Exception {
		final Path zip = tmp.resolve("global.zip");
		final Map<String, Object> in = new java.util.HashMap<>(Map.of("network", "registration", "output", zip.toFile(), "subjects", 2, "held_out", 1,
				"steps", 20, "seed", 4, "voxel_size_mm", 8.0, "channels", 4, "levels", 3, "input_size", "16,16,16"));
		in.put("global_motion", true);
		in.put("learning_rate", 5e-3);
		try (org.scijava.Context context = new org.scijava.Context()) {
			new org.progressionprobe.launcher.CommandRunner(context).run(TrainBuiltinNetworkCommand.class, in);
		}
		final Path folder = ModelPackage.open(zip, tmp.resolve("read")).folder();
		final TrainingSettings settings = TrainingSettings.read(folder.resolve("training_settings.txt"));
		assertTrue(settings.globalMotion());
		assertTrue(OnnxExport.weights(NetworkTrainer.task(settings).network(), folder.resolve("saved_model")).containsKey(UNet3D.MOTION + "_w"),
				"the network has the motion head");
		OnnxExport.addTo(zip);
		assertOnnxIsTensorFlow(zip, "global-motion");
	}

	/** Every output of the package's ONNX export equals its SavedModel's on a fresh subject's whole view and ROI crop. */
	private void assertOnnxIsTensorFlow(final Path zip, final String name) throws Exception {
		final ModelPackage p = ModelPackage.open(zip, tmp.resolve("cache"));
		assertEquals(List.of(WeightsFormat.ONNX, WeightsFormat.TENSORFLOW), p.weightsFormats(), "ONNX first: model features run it by default");
		final TrainingSettings s = ShippedNetworksTest.onThisMachine(TrainingSettings.read(p.folder().resolve("training_settings.txt"))).withSeed(992)
				.withHeldOut(1);
		final BuiltinTask task = NetworkTrainer.task(s);
		final int[] zyx = s.inputSize();
		ai.djl.engine.Engine.getEngine("OnnxRuntime");
		final OrtEnvironment env = OrtEnvironment.getEnvironment();
		int compared = 0;
		try (SavedModelBundle tf = SavedModelBundle.load(p.folder().resolve("saved_model").toString(), SavedModelBundle.DEFAULT_TAG);
				OrtSession ort = env.createSession(p.folder().resolve(OnnxExport.FILE).toString(), new OrtSession.SessionOptions())) {
			final SessionFunction f = tf.function("serving_default");
			final List<String> outputs = new ArrayList<>(f.signature().outputNames());
			assertEquals(new java.util.TreeSet<>(outputs), new java.util.TreeSet<>(ort.getOutputNames()), "the same outputs");
			for (final TrainingSubject subject : TrainingSubject.simulate(s, true, tmp.resolve("subjects"), Progress.NONE))
				for (final BuiltinTask.Sample sample : task.evaluationSamples(subject)) {
					final int cin = sample.input().length;
					final float[] in = new float[zyx[0] * zyx[1] * zyx[2] * cin];
					NetworkTrainer.interleave(sample.input(), in, 0);
					final long[] shape = { 1, zyx[0], zyx[1], zyx[2], cin };
					try (TFloat32 x = TFloat32.tensorOf(Shape.of(shape), DataBuffers.of(in, true, false));
							Result r = f.call(Map.of(task.inputName(), x));
							OnnxTensor ox = OnnxTensor.createTensor(env, FloatBuffer.wrap(in), shape);
							OrtSession.Result o = ort.run(Map.of(task.inputName(), ox))) {
						for (final String out : outputs) {
							final TFloat32 t = (TFloat32) r.get(out).orElseThrow();
							final float[] expected = new float[Math.toIntExact(t.shape().size())];
							t.copyTo(NdArrays.wrap(t.shape(), DataBuffers.of(expected, false, false)));
							final OnnxTensor actual = (OnnxTensor) o.get(out).orElseThrow();
							assertArrayEquals(t.shape().asArray(), actual.getInfo().getShape(), name + " " + out + ": shape");
							final FloatBuffer a = actual.getFloatBuffer();
							double maxAbs = 0, maxDiff = 0;
							for (int i = 0; i < expected.length; i++) {
								maxAbs = Math.max(maxAbs, Math.abs(expected[i]));
								maxDiff = Math.max(maxDiff, Math.abs(expected[i] - a.get(i)));
							}
							System.out.printf("%s %s %s: max |TF| %.4g, max |ONNX - TF| %.3g (%.2g relative)%n", name, sample.view(), out, maxAbs, maxDiff,
									maxDiff / maxAbs);
							assertTrue(maxAbs > 0, name + " " + out + " is not all zero");
							assertTrue(maxDiff <= TOLERANCE * maxAbs, name + " " + sample.view() + " " + out + ": max difference " + maxDiff + " of max " + maxAbs);
							compared++;
						}
					}
				}
		}
		assertTrue(compared >= 2 * 6, "every output of both views compared: " + compared);
	}
}
