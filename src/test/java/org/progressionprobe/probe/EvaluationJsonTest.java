package org.progressionprobe.probe;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;

import org.junit.jupiter.api.Test;

import com.google.gson.JsonParser;

/**
 * {@code metrics.json} as gson writes it holds the same entries, in the same order, as the file
 * the project's former hand-written escaper produced (kept as a test resource), including text
 * that needs escaping, NaN (null) and entries named like the evaluation's own (left out).
 */
class EvaluationJsonTest {

	@Test
	void sameMetricsAsTheHandWrittenWriter() throws IOException {
		final int n = 20;
		final int[] labels = new int[n];
		final double[] p = new double[n];
		final Random r = new Random(3);
		final List<String> groups = new ArrayList<>();
		for (int i = 0; i < n; i++) {
			labels[i] = i % 2;
			p[i] = 1 / (1 + Math.exp(-(labels[i] - 0.5) * 2 - r.nextGaussian()));
			groups.add("s" + i / 2);
		}
		final Map<String, Object> extra = new LinkedHashMap<>();
		extra.put("features", "a \"q\"\n\\b");
		extra.put("rows", 99);
		extra.put("c", 0.25);
		extra.put("nan", Double.NaN);
		extra.put("whole", 3.0);
		extra.put("flag", true);
		final String json = Evaluation.of(labels, p, groups, null, 0.5, 50, 9).toJson(extra);
		final String before;
		try (InputStream in = getClass().getResourceAsStream("metrics-hand-written.json")) {
			before = new String(in.readAllBytes(), StandardCharsets.UTF_8);
		}
		assertEquals(JsonParser.parseString(before), JsonParser.parseString(json), json);
		assertEquals(List.copyOf(JsonParser.parseString(before).getAsJsonObject().keySet()),
				List.copyOf(JsonParser.parseString(json).getAsJsonObject().keySet()));
	}
}
