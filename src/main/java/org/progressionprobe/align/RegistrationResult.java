package org.progressionprobe.align;

import java.util.List;
import java.util.Map;

import org.progressionprobe.volume.AffineTransform3D;

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
		final Json j = new Json();
		j.begin();
		j.beginObject("settings");
		for (final Map.Entry<String, String> e : settings.toMap().entrySet())
			j.raw(e.getKey(), e.getValue(), !isText(e.getKey()));
		j.end();
		j.value("metric", settings.metric().key());
		j.value("similarity", similarity);
		j.value("converged", converged);
		j.value("iterations", iterations());
		j.value("two_d", twoD);
		j.value("direction", "fixed world to moving world (mm, RAS)");
		j.array("matrix", transform.matrix());
		j.array("translation", transform.translation());
		j.array("centre", transform.centre());
		j.beginArray("stages");
		for (final Stage s : stages) {
			j.beginObject(null);
			j.value("level", s.level());
			j.value("spacing_mm", s.spacingMm());
			j.value("transform_type", s.transformType().key());
			j.value("samples", s.samples());
			j.value("iterations", s.iterations());
			j.value("similarity", s.similarity());
			j.value("overlap", s.overlap());
			j.value("converged", s.converged());
			j.value("stop", s.stop());
			j.end();
		}
		j.endArray();
		j.end();
		return j.toString();
	}

	private static boolean isText(final String key) {
		return key.equals("transform_type") || key.equals("metric") || key.equals("init");
	}
}
