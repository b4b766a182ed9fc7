package org.progressionprobe.features.model;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import java.io.IOException;
import java.nio.FloatBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.progressionprobe.testing.SharedData;

import com.google.gson.JsonElement;
import com.google.gson.JsonObject;
import com.google.gson.JsonParser;

/**
 * Every output of the reference networks in ../shared/models, run by our engines on the reference
 * input, matches what PyTorch computed in Python (expected.json) to 1e-4 relative.
 */
class EngineReferenceTest {

	@ParameterizedTest
	@CsvSource({ "pairnet, pt, 2", "pairnet, onnx, 2", "imagenet, pt, 1", "imagenet, onnx, 1" })
	void outputsMatchPyTorch(final String net, final String ext, final int channels) throws Exception {
		final Path file = SharedData.require("models/" + net + "." + ext);
		final JsonObject expected = expected().getAsJsonObject(net);
		final List<String> names = new ArrayList<>(expected.keySet());
		final long[] shape = { 1, channels, 32, 32, 32 };
		try (InferenceSession s = ext.equals("pt") ? TorchScriptSession.open(net, file, names, Device.CPU)
				: OnnxSession.open(net, file, channels == 2 ? "pair" : "image", shape, Device.CPU);
				InferenceSession.Outputs out = s.run(TestNets.referenceInput(channels, 32), shape, names)) {
			for (final String name : names) {
				final JsonObject e = expected.getAsJsonObject(name);
				final long[] eShape = toLongs(e.get("shape").getAsJsonArray());
				assertArrayEquals(eShape, out.shape(name), net + "." + ext + " " + name);
				final FloatBuffer v = out.data(name);
				final Stats st = Stats.of(v, eShape);
				assertClose(e.get("sum").getAsDouble(), st.sum, net + "." + ext + " " + name + " sum");
				assertClose(e.get("mean").getAsDouble(), st.mean, net + "." + ext + " " + name + " mean");
				for (int c = 0; c < e.get("gap_first4").getAsJsonArray().size(); c++)
					assertClose(e.get("gap_first4").getAsJsonArray().get(c).getAsDouble(), st.gap[c], net + "." + ext + " " + name + " gap c" + c);
			}
		}
	}

	static JsonObject expected() throws IOException {
		return JsonParser.parseString(Files.readString(SharedData.require("models/expected.json"))).getAsJsonObject();
	}

	/** 1e-4 relative, with a floor for values near zero. */
	static void assertClose(final double expected, final double actual, final String what) {
		assertEquals(expected, actual, 1e-4 * Math.abs(expected) + 1e-6, what);
	}

	private static long[] toLongs(final com.google.gson.JsonArray a) {
		final long[] out = new long[a.size()];
		int i = 0;
		for (final JsonElement x : a)
			out[i++] = x.getAsLong();
		return out;
	}

	/** Sum, mean and per-channel means of a channels-first [1,C,...] tensor. */
	record Stats(double sum, double mean, double[] gap) {
		static Stats of(final FloatBuffer v, final long[] shape) {
			final int c = (int) shape[1];
			final int per = (int) (v.limit() / c);
			final double[] gap = new double[c];
			double sum = 0;
			for (int k = 0; k < c; k++) {
				double s = 0;
				for (int i = 0; i < per; i++)
					s += v.get(k * per + i);
				gap[k] = s / per;
				sum += s;
			}
			return new Stats(sum, sum / v.limit(), gap);
		}
	}

}
