package org.progressionprobe.align;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.List;

import org.junit.jupiter.api.Test;
import org.progressionprobe.align.RegistrationSettings.Metric;
import org.progressionprobe.align.RegistrationSettings.TransformType;

import com.google.gson.JsonParser;

/**
 * {@code registration.json} as gson writes it holds the same entries, in the same order, as the
 * report the project's former hand-written writer produced (kept as a test resource), and reads back.
 */
class RegistrationJsonTest {

	static RegistrationResult result() {
		final RegistrationSettings s = RegistrationSettings.defaults().withMetric(Metric.MI).with("levels", "3");
		return new RegistrationResult(
				new CentredAffine(new double[] { 1, 0.1, 0, 0, 1, 0, 0, 0, 0.9 }, new double[] { 1.5, -2, 0.25 }, new double[] { 10, 20, 30 }), -0.75,
				true, false, List.of(new RegistrationResult.Stage(0, 8, TransformType.RIGID, 500, 40, -0.5, 0.99, true, "tolerance \"x\""),
						new RegistrationResult.Stage(1, 4, TransformType.AFFINE, 1000, 60, Double.NaN, 1, false, "iterations")),
				s);
	}

	@Test
	void sameReportAsTheHandWrittenWriter() throws IOException {
		final String json = result().toJson();
		assertEquals(JsonParser.parseString(resource("registration-hand-written.json")), JsonParser.parseString(json), json);
		assertEquals(result().settings(), RegistrationSettings.fromJson(json));
	}

	@Test
	void readsTheHandWrittenReport() throws IOException {
		assertEquals(result().settings(), RegistrationSettings.fromJson(resource("registration-hand-written.json")));
	}

	@Test
	void brokenReportIsAClearError() {
		final IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> RegistrationSettings.fromJson("{\"metric\": \"mi\"}"));
		assertTrue(e.getMessage().contains("\"settings\""), e.getMessage());
		final IllegalArgumentException f = assertThrows(IllegalArgumentException.class, () -> RegistrationSettings.fromJson("{\"settings\": {"));
		assertTrue(f.getMessage().contains("not valid JSON"), f.getMessage());
	}

	private static String resource(final String name) throws IOException {
		try (InputStream in = RegistrationJsonTest.class.getResourceAsStream(name)) {
			return new String(in.readAllBytes(), StandardCharsets.UTF_8);
		}
	}
}
