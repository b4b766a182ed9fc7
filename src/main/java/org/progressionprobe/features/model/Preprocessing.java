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

	/**
	 * One operation, for code that trains a network and must normalise its inputs exactly as the
	 * package it writes declares (same id and kwargs as in the description).
	 */
	public static Preprocessing of(final String id, final Map<String, Object> kwargs) {
		return new Preprocessing(List.of(new Step(id, kwargs)));
	}

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
	public void apply(final float[][] channels) {
		final Pending pending = new Pending(channels.length);
		for (final Step s : steps) {
			switch (s.id) {
			case "scale_range": {
				pending.flush(channels);
				final double lo = num(s, "min_percentile", 0), hi = num(s, "max_percentile", 100), eps = num(s, "eps", 1e-6);
				final List<int[]> groups = groups(s, channels.length);
				final double[][] p = new double[groups.size()][];
				IntStream.range(0, groups.size()).parallel().forEach(g -> p[g] = Percentiles.of(select(channels, groups.get(g)), lo, hi));
				for (int g = 0; g < groups.size(); g++) {
					final double scale = 1.0 / (p[g][1] - p[g][0] + eps);
					pending.affine(groups.get(g), scale, -p[g][0] * scale);
				}
				break;
			}
			case "zero_mean_unit_variance":
			case "fixed_zero_mean_unit_variance": {
				final double eps = num(s, "eps", 1e-6);
				if (s.kwargs.containsKey("mean")) {
					final double mean = num(s, "mean", 0), std = num(s, "std", 1);
					pending.affine(all(channels.length), 1 / (std + eps), -mean / (std + eps));
					break;
				}
				pending.flush(channels);
				for (final int[] group : groups(s, channels.length)) {
					double sum = 0, sum2 = 0;
					long n = 0;
					for (final float[] c : select(channels, group)) {
						for (final float v : c)
							sum += v;
						n += c.length;
					}
					final double mean = sum / n;
					for (final float[] c : select(channels, group))
						for (final float v : c)
							sum2 += (v - mean) * (v - mean);
					final double std = Math.sqrt(sum2 / n);
					pending.affine(group, 1 / (std + eps), -mean / (std + eps));
				}
				break;
			}
			case "scale_linear":
				pending.affine(all(channels.length), num(s, "gain", 1), num(s, "offset", 0));
				break;
			case "clip":
				pending.clip(num(s, "min", Double.NEGATIVE_INFINITY), num(s, "max", Double.POSITIVE_INFINITY));
				break;
			case "binarize": {
				pending.flush(channels);
				final double t = num(s, "threshold", 0);
				elementwise(channels, (c, k, from, to) -> {
					for (int i = from; i < to; i++)
						c[i] = c[i] > t ? 1f : 0f;
				});
				break;
			}
			default:
				break;
			}
		}
		pending.flush(channels);
	}

	/**
	 * The element-wise steps not yet applied, per channel, composed into one map
	 * x -> clamp(gain x + offset, lo, hi): a chain of scale_linear, scale_range and clip steps then
	 * costs one pass over the voxels.
	 */
	private static final class Pending {
		final double[] gain, offset, lo, hi;

		Pending(final int channels) {
			gain = new double[channels];
			offset = new double[channels];
			lo = new double[channels];
			hi = new double[channels];
			reset();
		}

		private void reset() {
			java.util.Arrays.fill(gain, 1);
			java.util.Arrays.fill(offset, 0);
			java.util.Arrays.fill(lo, Double.NEGATIVE_INFINITY);
			java.util.Arrays.fill(hi, Double.POSITIVE_INFINITY);
		}

		/** Then y = a x + b. */
		void affine(final int[] channels, final double a, final double b) {
			for (final int c : channels) {
				gain[c] *= a;
				offset[c] = a * offset[c] + b;
				final double l = a * lo[c] + b, h = a * hi[c] + b;
				lo[c] = a >= 0 ? l : h;
				hi[c] = a >= 0 ? h : l;
				if (Double.isNaN(lo[c]))
					lo[c] = Double.NEGATIVE_INFINITY;
				if (Double.isNaN(hi[c]))
					hi[c] = Double.POSITIVE_INFINITY;
			}
		}

		/** Then y = clamp(x, min, max). */
		void clip(final double min, final double max) {
			for (int c = 0; c < lo.length; c++) {
				lo[c] = Math.min(Math.max(lo[c], min), max);
				hi[c] = Math.max(Math.min(hi[c], max), min);
			}
		}

		void flush(final float[][] channels) {
			boolean identity = true;
			for (int c = 0; c < gain.length; c++)
				identity &= gain[c] == 1 && offset[c] == 0 && lo[c] == Double.NEGATIVE_INFINITY && hi[c] == Double.POSITIVE_INFINITY;
			if (identity)
				return;
			elementwise(channels, (v, c, from, to) -> {
				// float arithmetic and Math.min/max: the loop vectorises (mixing in double would not)
				final float g = (float) gain[c], o = (float) offset[c], l = (float) lo[c], h = (float) hi[c];
				for (int i = from; i < to; i++)
					v[i] = Math.min(h, Math.max(l, v[i] * g + o));
			});
			reset();
		}
	}

	/** Channel indices normalised together (one group of all) or each alone. */
	private static List<int[]> groups(final Step s, final int channels) {
		final List<int[]> out = new ArrayList<>();
		if (jointOverChannels(s.kwargs.get("axes")))
			out.add(all(channels));
		else
			for (int c = 0; c < channels; c++)
				out.add(new int[] { c });
		return out;
	}

	private static int[] all(final int channels) {
		return IntStream.range(0, channels).toArray();
	}

	private static float[][] select(final float[][] channels, final int[] indices) {
		final float[][] out = new float[indices.length][];
		for (int i = 0; i < indices.length; i++)
			out[i] = channels[indices[i]];
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

	/** Work on a range of one channel's values. */
	@FunctionalInterface
	private interface RangeOp {
		void apply(float[] values, int channel, int from, int to);
	}

	/** Applies an element-wise operation to every channel, in parallel chunks. */
	private static void elementwise(final float[][] channels, final RangeOp op) {
		final int chunk = 1 << 18;
		for (int c = 0; c < channels.length; c++) {
			final float[] v = channels[c];
			final int k = c;
			IntStream.range(0, (v.length + chunk - 1) / chunk).parallel().forEach(i -> op.apply(v, k, i * chunk, Math.min(v.length, (i + 1) * chunk)));
		}
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
