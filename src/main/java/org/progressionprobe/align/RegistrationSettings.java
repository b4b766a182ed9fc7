package org.progressionprobe.align;

import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;

import org.progressionprobe.io.JsonText;

import com.google.gson.JsonElement;
import com.google.gson.JsonObject;

/**
 * Every setting of an affine registration, in one parameter set that is saved next to the result
 * (elastix's idea: the parameter file is the method). Keys are snake_case, the same as the
 * commands' macro keys; {@link #toMap()} and {@link #fromMap(Map)} convert to and from text.
 *
 * @param transformType the transform that is optimised at the end: translation, rigid or affine
 * @param metric ncc (normalised cross-correlation: same contrast) or mi (Mattes mutual information: across contrasts)
 * @param init how the transform starts: none (identity), geometry (grid centres), com (centres of mass), moments
 *        (centres of mass and principal axes)
 * @param levels number of pyramid levels; level spacings double from the finest one
 * @param iterations the most optimiser iterations per level (and per stage of the staged coarsest level)
 * @param samples the most fixed-image voxels the metric uses per level (a seeded random subset when the level has more)
 * @param histogramBins histogram bins of mutual information
 * @param finestSpacingMm voxel spacing of the finest level in mm; 0 = the fixed image's own (full resolution)
 * @param smoothing Gaussian sigma of a level as a fraction of its spacing (ITK's 0.5); the full-resolution level is not smoothed
 * @param staged whether the coarsest level first optimises a translation, then a rigid transform, before the final type
 * @param toleranceMm convergence: a level stops when an iteration moves no point of the image (within the radius of
 *        the sampled region) by more than this, scaled by the level's spacing relative to the finest
 * @param minOverlap the smallest fraction of fixed samples that must map inside the moving image (and its mask)
 * @param seed seed of the sample selection
 */
public record RegistrationSettings(TransformType transformType, Metric metric, Init init, int levels, int iterations, int samples,
		int histogramBins, double finestSpacingMm, double smoothing, boolean staged, double toleranceMm, double minOverlap, long seed) {

	/** The transform being optimised. */
	public enum TransformType {
		TRANSLATION, RIGID, AFFINE;

		public String key() {
			return name().toLowerCase(Locale.ROOT);
		}

		/** Degrees of freedom in 3D or 2D. */
		public int parameters(final boolean twoD) {
			return switch (this) {
			case TRANSLATION -> twoD ? 2 : 3;
			case RIGID -> twoD ? 3 : 6;
			case AFFINE -> twoD ? 6 : 12;
			};
		}
	}

	/** The similarity measure. */
	public enum Metric {
		/** Normalised cross-correlation: images of the same contrast. */
		NCC,
		/** Mattes mutual information: images of different contrasts. */
		MI;

		public String key() {
			return name().toLowerCase(Locale.ROOT);
		}
	}

	/** The starting transform. */
	public enum Init {
		NONE("none"), GEOMETRY("geometry"), CENTRE_OF_MASS("com"), MOMENTS("moments");

		private final String key;

		Init(final String key) {
			this.key = key;
		}

		public String key() {
			return key;
		}
	}

	/** The metric of two scans of one subject on one scanner (one contrast): the default. */
	public static final Metric PAIR_METRIC = Metric.NCC;

	/** The metric of a scan against an atlas template, whose contrast may differ from the scan's ({@link #atlasDefaults()}). */
	public static final Metric ATLAS_METRIC = Metric.MI;

	/** The range of {@code levels}; commands' dialog limits read these. */
	public static final int MIN_LEVELS = 1, MAX_LEVELS = 8;

	/** The least {@code iterations}. */
	public static final int MIN_ITERATIONS = 1;

	/** The least {@code samples}. */
	public static final int MIN_SAMPLES = 1000;

	public RegistrationSettings {
		require(transformType != null && metric != null && init != null, "transform_type, metric and init must be given");
		require(levels >= MIN_LEVELS && levels <= MAX_LEVELS, "levels must be " + MIN_LEVELS + ".." + MAX_LEVELS + ", got " + levels);
		require(iterations >= MIN_ITERATIONS, "iterations must be >= " + MIN_ITERATIONS + ", got " + iterations);
		require(samples >= MIN_SAMPLES, "samples must be >= " + MIN_SAMPLES + ", got " + samples);
		require(histogramBins >= 8 && histogramBins <= 256, "histogram_bins must be 8..256, got " + histogramBins);
		require(finestSpacingMm >= 0 && Double.isFinite(finestSpacingMm), "finest_spacing_mm must be >= 0, got " + finestSpacingMm);
		require(smoothing >= 0 && smoothing <= 4, "smoothing must be 0..4, got " + smoothing);
		require(toleranceMm > 0 && toleranceMm < 10, "tolerance_mm must be in (0, 10), got " + toleranceMm);
		require(minOverlap > 0 && minOverlap <= 1, "min_overlap must be in (0, 1], got " + minOverlap);
	}

	/**
	 * Defaults of two scans of one subject: affine, NCC ({@link #PAIR_METRIC}), centres of mass, 4 levels
	 * (8, 4, 2, 1 x the finest spacing), 200 iterations, 60000 samples, 32 bins, staged, 0.002 mm
	 * tolerance, 25% overlap, seed 1.
	 */
	public static RegistrationSettings defaults() {
		return new RegistrationSettings(TransformType.AFFINE, PAIR_METRIC, Init.CENTRE_OF_MASS, 4, 200, 60000, 32, 0, 0.5, true, 0.002, 0.25, 1);
	}

	/** Defaults of a scan against an atlas template: the {@link #defaults()} with mutual information ({@link #ATLAS_METRIC}). */
	public static RegistrationSettings atlasDefaults() {
		return defaults().withMetric(ATLAS_METRIC);
	}

	public RegistrationSettings withTransformType(final TransformType t) {
		return new RegistrationSettings(t, metric, init, levels, iterations, samples, histogramBins, finestSpacingMm, smoothing, staged,
				toleranceMm, minOverlap, seed);
	}

	public RegistrationSettings withMetric(final Metric m) {
		return new RegistrationSettings(transformType, m, init, levels, iterations, samples, histogramBins, finestSpacingMm, smoothing,
				staged, toleranceMm, minOverlap, seed);
	}

	public RegistrationSettings withInit(final Init i) {
		return new RegistrationSettings(transformType, metric, i, levels, iterations, samples, histogramBins, finestSpacingMm, smoothing,
				staged, toleranceMm, minOverlap, seed);
	}

	/** A copy with one setting changed, by its key and text value. */
	public RegistrationSettings with(final String key, final String value) {
		final Map<String, String> m = toMap();
		if (!m.containsKey(key))
			throw new IllegalArgumentException("Unknown registration setting '" + key + "'. Settings: " + String.join(", ", m.keySet()));
		m.put(key, value);
		return fromMap(m);
	}

	/** The settings as key = text value, in a fixed order. */
	public Map<String, String> toMap() {
		final Map<String, String> m = new LinkedHashMap<>();
		m.put("transform_type", transformType.key());
		m.put("metric", metric.key());
		m.put("init", init.key());
		m.put("levels", Integer.toString(levels));
		m.put("iterations", Integer.toString(iterations));
		m.put("samples", Integer.toString(samples));
		m.put("histogram_bins", Integer.toString(histogramBins));
		m.put("finest_spacing_mm", Double.toString(finestSpacingMm));
		m.put("smoothing", Double.toString(smoothing));
		m.put("staged", Boolean.toString(staged));
		m.put("tolerance_mm", Double.toString(toleranceMm));
		m.put("min_overlap", Double.toString(minOverlap));
		m.put("seed", Long.toString(seed));
		return m;
	}

	/** Settings from key = text value; missing keys take the defaults, unknown keys are an error. */
	public static RegistrationSettings fromMap(final Map<String, String> in) {
		final Map<String, String> m = defaults().toMap();
		for (final Map.Entry<String, String> e : in.entrySet()) {
			if (!m.containsKey(e.getKey()))
				throw new IllegalArgumentException("Unknown registration setting '" + e.getKey() + "'. Settings: " + String.join(", ", m.keySet()));
			m.put(e.getKey(), e.getValue().trim());
		}
		try {
			return new RegistrationSettings(parseEnum(TransformType.values(), m.get("transform_type"), "transform_type"),
					parseEnum(Metric.values(), m.get("metric"), "metric"), parseInit(m.get("init")), Integer.parseInt(m.get("levels")),
					Integer.parseInt(m.get("iterations")), Integer.parseInt(m.get("samples")), Integer.parseInt(m.get("histogram_bins")),
					Double.parseDouble(m.get("finest_spacing_mm")), Double.parseDouble(m.get("smoothing")), parseBoolean(m.get("staged")),
					Double.parseDouble(m.get("tolerance_mm")), Double.parseDouble(m.get("min_overlap")), Long.parseLong(m.get("seed")));
		} catch (final NumberFormatException e) {
			throw new IllegalArgumentException("A registration setting is not a number: " + e.getMessage(), e);
		}
	}

	/** The settings saved in a registration report ({@link RegistrationResult#toJson()}). */
	public static RegistrationSettings fromJson(final String json) {
		final JsonObject report = JsonText.readObject(json, "The registration report");
		if (!report.has("settings") || !report.get("settings").isJsonObject())
			throw new IllegalArgumentException("No \"settings\" object in the registration report");
		final Map<String, String> m = new LinkedHashMap<>();
		for (final Map.Entry<String, JsonElement> e : report.getAsJsonObject("settings").entrySet())
			m.put(e.getKey(), e.getValue().isJsonPrimitive() ? e.getValue().getAsString() : e.getValue().toString());
		return fromMap(m);
	}

	/** The enum constant whose key or name is {@code text} (case-insensitive). */
	static <E extends Enum<E>> E parseEnum(final E[] values, final String text, final String key) {
		for (final E v : values)
			if (v.name().equalsIgnoreCase(text))
				return v;
		throw new IllegalArgumentException(key + " must be one of " + Arrays.stream(values).map(v -> v.name().toLowerCase(Locale.ROOT)).toList()
				+ ", got '" + text + "'");
	}

	private static Init parseInit(final String text) {
		for (final Init i : Init.values())
			if (i.key.equalsIgnoreCase(text) || i.name().equalsIgnoreCase(text))
				return i;
		throw new IllegalArgumentException("init must be one of none, geometry, com, moments; got '" + text + "'");
	}

	private static boolean parseBoolean(final String text) {
		if (text.equalsIgnoreCase("true"))
			return true;
		if (text.equalsIgnoreCase("false"))
			return false;
		throw new IllegalArgumentException("staged must be true or false, got '" + text + "'");
	}

	private static void require(final boolean ok, final String message) {
		if (!ok)
			throw new IllegalArgumentException(message);
	}
}
