package org.progressionprobe.features.model;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.stream.IntStream;

/**
 * The intensity normalisation a model description declares for its input, applied in order to the
 * resampled scans. Supported bioimage.io operations: {@code scale_range} (percentiles, e.g. the
 * clamp of [min, 99th percentile] to [0, 1] that uniGradICON applies to MRI, with {@code clip}),
 * {@code zero_mean_unit_variance}, {@code scale_linear}, {@code clip}, {@code binarize} and
 * {@code ensure_dtype} (float32 only). Statistics are over each channel (scan) alone when the
 * operation's {@code axes} leave out the channel axis, else over the whole tensor, as bioimage.io
 * defines it. Percentiles interpolate linearly (numpy's default).
 */
public final class Preprocessing {

	/** One declared operation. */
	record Step(String id, Map<String, Object> kwargs) {
		@Override
		public String toString() {
			return kwargs.isEmpty() ? id : id + kwargs;
		}
	}

	private final List<Step> steps;

	Preprocessing(final List<Step> steps) {
		this.steps = List.copyOf(steps);
	}

	static final Preprocessing NONE = new Preprocessing(List.of());

	/** Checks that every step is supported and its arguments are numbers where they should be. */
	void validate(final String model) throws ModelException {
		for (final Step s : steps) {
			switch (s.id) {
			case "scale_range":
				number(model, s, "min_percentile", 0);
				number(model, s, "max_percentile", 100);
				if (number(model, s, "min_percentile", 0) >= number(model, s, "max_percentile", 100))
					throw new ModelException(model, "scale_range needs min_percentile < max_percentile");
				break;
			case "zero_mean_unit_variance":
				final Object mode = s.kwargs.get("mode");
				if (mode != null && !"per_sample".equals(mode) && !"per_dataset".equals(mode) && !"fixed".equals(mode))
					throw new ModelException(model, "zero_mean_unit_variance mode '" + mode + "' is unknown");
				if ("per_dataset".equals(mode))
					throw new ModelException(model, "zero_mean_unit_variance per_dataset needs dataset statistics, which a package does not carry");
				if (s.kwargs.containsKey("mean") || "fixed".equals(mode)) {
					scalar(model, s, "mean");
					scalar(model, s, "std");
				}
				break;
			case "fixed_zero_mean_unit_variance":
				scalar(model, s, "mean");
				scalar(model, s, "std");
				break;
			case "scale_linear":
				scalarOr(model, s, "gain", 1);
				scalarOr(model, s, "offset", 0);
				break;
			case "clip":
				if (!s.kwargs.containsKey("min") && !s.kwargs.containsKey("max"))
					throw new ModelException(model, "clip needs min or max");
				number(model, s, "min", Double.NEGATIVE_INFINITY);
				number(model, s, "max", Double.POSITIVE_INFINITY);
				break;
			case "binarize":
				scalar(model, s, "threshold");
				break;
			case "ensure_dtype":
				if (!"float32".equals(String.valueOf(s.kwargs.getOrDefault("dtype", "float32"))))
					throw new ModelException(model, "ensure_dtype " + s.kwargs.get("dtype") + " is not supported (float32 only)");
				break;
			default:
				throw new ModelException(model, "preprocessing '" + s.id + "' is not supported (supported: scale_range, zero_mean_unit_variance, "
						+ "scale_linear, clip, binarize, ensure_dtype)");
			}
		}
	}

	/**
	 * Normalises the channels in place.
	 *
	 * @param channels one array per input channel, all the same length
	 */
	void apply(final float[][] channels) {
		for (final Step s : steps) {
			switch (s.id) {
			case "scale_range": {
				final double lo = num(s, "min_percentile", 0), hi = num(s, "max_percentile", 100), eps = num(s, "eps", 1e-6);
				groups(s, channels).parallelStream().forEach(group -> {
					final double[] p = Percentiles.of(group, lo, hi);
					final double scale = 1.0 / (p[1] - p[0] + eps);
					affine(group, scale, -p[0] * scale);
				});
				break;
			}
			case "zero_mean_unit_variance":
			case "fixed_zero_mean_unit_variance": {
				final double eps = num(s, "eps", 1e-6);
				if (s.kwargs.containsKey("mean")) {
					final double mean = num(s, "mean", 0), std = num(s, "std", 1);
					affine(channels, 1 / (std + eps), -mean / (std + eps));
					break;
				}
				for (final float[][] group : groups(s, channels)) {
					double sum = 0, sum2 = 0;
					long n = 0;
					for (final float[] c : group) {
						for (final float v : c)
							sum += v;
						n += c.length;
					}
					final double mean = sum / n;
					for (final float[] c : group)
						for (final float v : c)
							sum2 += (v - mean) * (v - mean);
					final double std = Math.sqrt(sum2 / n);
					affine(group, 1 / (std + eps), -mean / (std + eps));
				}
				break;
			}
			case "scale_linear":
				affine(channels, num(s, "gain", 1), num(s, "offset", 0));
				break;
			case "clip": {
				final float lo = (float) num(s, "min", Double.NEGATIVE_INFINITY), hi = (float) num(s, "max", Double.POSITIVE_INFINITY);
				elementwise(channels, (c, from, to) -> {
					for (int i = from; i < to; i++)
						c[i] = Math.min(hi, Math.max(lo, c[i]));
				});
				break;
			}
			case "binarize": {
				final double t = num(s, "threshold", 0);
				elementwise(channels, (c, from, to) -> {
					for (int i = from; i < to; i++)
						c[i] = c[i] > t ? 1f : 0f;
				});
				break;
			}
			default:
				break;
			}
		}
	}

	/** Channels normalised together (one group) or each alone. */
	private static List<float[][]> groups(final Step s, final float[][] channels) {
		final List<float[][]> out = new ArrayList<>();
		if (jointOverChannels(s.kwargs.get("axes")))
			out.add(channels);
		else
			for (final float[] c : channels)
				out.add(new float[][] { c });
		return out;
	}

	/** bioimage.io: no axes means the whole tensor; axes without the channel axis mean per channel. */
	static boolean jointOverChannels(final Object axes) {
		if (axes == null)
			return true;
		if (axes instanceof String)
			return ((String) axes).toLowerCase(Locale.ROOT).contains("c");
		if (axes instanceof List)
			for (final Object a : (List<?>) axes)
				if ("c".equals(String.valueOf(a)) || "channel".equals(String.valueOf(a)))
					return true;
		return false;
	}

	private static void affine(final float[][] channels, final double gain, final double offset) {
		elementwise(channels, (c, from, to) -> {
			for (int i = from; i < to; i++)
				c[i] = (float) (c[i] * gain + offset);
		});
	}

	/** Work on a range of one channel's values. */
	@FunctionalInterface
	private interface RangeOp {
		void apply(float[] channel, int from, int to);
	}

	/** Applies an element-wise operation to every channel, in parallel chunks. */
	private static void elementwise(final float[][] channels, final RangeOp op) {
		final int chunk = 1 << 18;
		for (final float[] c : channels)
			IntStream.range(0, (c.length + chunk - 1) / chunk).parallel().forEach(k -> op.apply(c, k * chunk, Math.min(c.length, (k + 1) * chunk)));
	}

	private static double num(final Step s, final String key, final double dflt) {
		final Object v = s.kwargs.get(key);
		if (v instanceof List && ((List<?>) v).size() == 1)
			return ((Number) ((List<?>) v).get(0)).doubleValue();
		return v instanceof Number ? ((Number) v).doubleValue() : dflt;
	}

	private static double number(final String model, final Step s, final String key, final double dflt) throws ModelException {
		final Object v = s.kwargs.get(key);
		if (v == null)
			return dflt;
		if (v instanceof Number)
			return ((Number) v).doubleValue();
		if (v instanceof List && ((List<?>) v).size() == 1 && ((List<?>) v).get(0) instanceof Number)
			return ((Number) ((List<?>) v).get(0)).doubleValue();
		throw new ModelException(model, s.id + " " + key + " must be one number, got " + v
				+ (v instanceof List ? " (per-channel values are not supported)" : ""));
	}

	private static void scalar(final String model, final Step s, final String key) throws ModelException {
		if (!s.kwargs.containsKey(key))
			throw new ModelException(model, s.id + " needs " + key);
		number(model, s, key, 0);
	}

	private static void scalarOr(final String model, final Step s, final String key, final double dflt) throws ModelException {
		number(model, s, key, dflt);
	}

	/** The declared steps, e.g. for provenance. */
	@Override
	public String toString() {
		return steps.isEmpty() ? "none" : steps.toString();
	}
}
