package org.progressionprobe.align;

import java.util.List;
import java.util.Map;

import org.progressionprobe.io.JsonText;
import org.progressionprobe.volume.AffineTransform3D;

import com.google.gson.JsonArray;
import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import com.google.gson.JsonPrimitive;

/**
 * The outcome of an affine registration: the transform that maps fixed-world points to
 * moving-world points (ITK's direction: what {@code Resampler.resample(moving, Grid.of(fixed), t)}
 * needs), the final similarity, whether the finest level converged, a report per level and stage,
 * and the settings that produced it. {@link #toJson()} is what {@code registration.json} holds.
 *
 * @param transform fixed world (mm, RAS) to moving world
 * @param similarity NCC or mutual information (nats) at the end, on the finest level's samples
 * @param converged true if the finest level stopped by its convergence criterion, not by the iteration limit
 * @param twoD true if both images are 2D (one slice) and only in-plane parameters moved
 * @param stages one report per level and stage, coarsest first
 * @param settings the settings used
 */
public record RegistrationResult(CentredAffine transform, double similarity, boolean converged, boolean twoD, List<Stage> stages,
		RegistrationSettings settings) {

	/**
	 * What one optimisation stage did.
	 *
	 * @param level pyramid level, 0 = coarsest
	 * @param spacingMm nominal spacing of the level
	 * @param transformType transform optimised
	 * @param samples fixed samples used
	 * @param iterations optimiser iterations
	 * @param similarity similarity at the end of the stage
	 * @param overlap fraction of the samples that mapped inside the moving image at the end
	 * @param converged whether the stage stopped by its convergence criterion
	 * @param stop why it stopped
	 */
	public record Stage(int level, double spacingMm, RegistrationSettings.TransformType transformType, int samples, int iterations,
			double similarity, double overlap, boolean converged, String stop) {}

	/** The transform as a plain 3x4 affine, fixed world to moving world. */
	public AffineTransform3D affine() {
		return transform.toAffine();
	}

	/** Total optimiser iterations over all levels and stages. */
	public int iterations() {
		return stages.stream().mapToInt(Stage::iterations).sum();
	}

	/** The settings, the result and the per-level reports as JSON. */
	public String toJson() {
		final JsonObject settingsJson = new JsonObject();
		for (final Map.Entry<String, String> e : settings.toMap().entrySet())
			settingsJson.add(e.getKey(), isText(e.getKey()) ? new JsonPrimitive(e.getValue()) : JsonParser.parseString(e.getValue()));
		final JsonObject j = new JsonObject();
		j.add("settings", settingsJson);
		j.addProperty("metric", settings.metric().key());
		j.add("similarity", JsonText.number(similarity));
		j.addProperty("converged", converged);
		j.addProperty("iterations", iterations());
		j.addProperty("two_d", twoD);
		j.addProperty("direction", "fixed world to moving world (mm, RAS)");
		j.add("matrix", array(transform.matrix()));
		j.add("translation", array(transform.translation()));
		j.add("centre", array(transform.centre()));
		final JsonArray stagesJson = new JsonArray();
		for (final Stage s : stages) {
			final JsonObject o = new JsonObject();
			o.addProperty("level", s.level());
			o.add("spacing_mm", JsonText.number(s.spacingMm()));
			o.addProperty("transform_type", s.transformType().key());
			o.addProperty("samples", s.samples());
			o.addProperty("iterations", s.iterations());
			o.add("similarity", JsonText.number(s.similarity()));
			o.add("overlap", JsonText.number(s.overlap()));
			o.addProperty("converged", s.converged());
			o.addProperty("stop", s.stop());
			stagesJson.add(o);
		}
		j.add("stages", stagesJson);
		return JsonText.write(j);
	}

	private static JsonArray array(final double[] values) {
		final JsonArray a = new JsonArray();
		for (final double v : values)
			a.add(JsonText.number(v));
		return a;
	}

	private static boolean isText(final String key) {
		return key.equals("transform_type") || key.equals("metric") || key.equals("init");
	}
}
