package org.progressionprobe.features.model;

import java.nio.FloatBuffer;
import java.util.stream.IntStream;

import org.progressionprobe.features.model.AxisLayout.Axis;

/**
 * One feature layer of one run, read in place: values in a float buffer, with the channel count, the
 * space size and the strides that its axis layout gives. Poolings run over it without copying it.
 */
final class FeatureMap {

	final FloatBuffer data;
	final int c, d, h, w;
	final long sc, sz, sy, sx;

	FeatureMap(final FloatBuffer data, final long[] shape, final AxisLayout layout) {
		if (shape.length != 5)
			throw new IllegalArgumentException("A feature layer has 5 axes (" + layout + "), got " + shape.length);
		if (layout.size(shape, Axis.BATCH) != 1)
			throw new IllegalArgumentException("A feature layer has a batch of one, got " + layout.size(shape, Axis.BATCH));
		this.data = data;
		this.c = (int) layout.size(shape, Axis.CHANNEL);
		this.d = (int) layout.size(shape, Axis.Z);
		this.h = (int) layout.size(shape, Axis.Y);
		this.w = (int) layout.size(shape, Axis.X);
		final long[] s = layout.strides(shape);
		this.sc = s[Axis.CHANNEL.ordinal()];
		this.sz = s[Axis.Z.ordinal()];
		this.sy = s[Axis.Y.ordinal()];
		this.sx = s[Axis.X.ordinal()];
		if ((long) c * d * h * w != data.limit())
			throw new IllegalArgumentException("A feature layer of " + c + "x" + d + "x" + h + "x" + w + " holds " + data.limit() + " values");
	}

	/** Reads row (k, z, y) along x into {@code row}: one bulk copy when x is contiguous. */
	private void row(final int k, final int z, final int y, final float[] row) {
		final int o = (int) (k * sc + z * sz + y * sy);
		if (sx == 1)
			data.get(o, row, 0, w);
		else
			for (int x = 0; x < w; x++)
				row[x] = data.get((int) (o + x * sx));
	}

	/** Runs {@code perChannel} for each channel, channels in parallel. */
	private double[][] channels(final java.util.function.BiFunction<Integer, float[], double[]> perChannel) {
		final double[][] out = new double[c][];
		IntStream.range(0, c).parallel().forEach(k -> out[k] = perChannel.apply(k, new float[w]));
		return out;
	}

	/** The parts one after the other. */
	static double[] flat(final double[][] parts) {
		int n = 0;
		for (final double[] p : parts)
			n += p.length;
		final double[] out = new double[n];
		int o = 0;
		for (final double[] p : parts) {
			System.arraycopy(p, 0, out, o, p.length);
			o += p.length;
		}
		return out;
	}

	/** Per-channel mean. */
	double[] mean() {
		return flat(channels((k, row) -> {
			double s = 0;
			for (int z = 0; z < d; z++)
				for (int y = 0; y < h; y++) {
					row(k, z, y, row);
					float rs = 0;
					for (int x = 0; x < w; x++)
						rs += row[x];
					s += rs;
				}
			return new double[] { s / ((double) d * h * w) };
		}));
	}

	/** Per-channel maximum. */
	double[] max() {
		return flat(channels((k, row) -> {
			float m = Float.NEGATIVE_INFINITY;
			for (int z = 0; z < d; z++)
				for (int y = 0; y < h; y++) {
					row(k, z, y, row);
					for (int x = 0; x < w; x++)
						m = Math.max(m, row[x]);
				}
			return new double[] { m };
		}));
	}

	/** Per-channel mean weighted by {@code weights} [z][y][x] on this layer's grid (not all zero). */
	double[] weightedMean(final double[] weights) {
		double total = 0;
		for (final double v : weights)
			total += v;
		final double sum = total;
		return flat(channels((k, row) -> {
			double s = 0;
			int i = 0;
			for (int z = 0; z < d; z++)
				for (int y = 0; y < h; y++, i += w) {
					row(k, z, y, row);
					for (int x = 0; x < w; x++)
						s += weights[i + x] * row[x];
				}
			return new double[] { s / sum };
		}));
	}

	/** Per channel, the means of g x g x g cells, ordered channel, z cell, y cell, x cell. */
	double[] grid(final int g) {
		final long[] count = new long[g * g * g];
		for (int z = 0; z < d; z++)
			for (int y = 0; y < h; y++)
				for (int x = 0; x < w; x++)
					count[cell(z, d, g) * g * g + cell(y, h, g) * g + cell(x, w, g)]++;
		final int[] cx = new int[w];
		for (int x = 0; x < w; x++)
			cx[x] = cell(x, w, g);
		return flat(channels((k, row) -> {
			final double[] out = new double[g * g * g];
			for (int z = 0; z < d; z++) {
				final int cz = cell(z, d, g) * g * g;
				for (int y = 0; y < h; y++) {
					final int cy = cz + cell(y, h, g) * g;
					row(k, z, y, row);
					for (int x = 0; x < w; x++)
						out[cy + cx[x]] += row[x];
				}
			}
			for (int i = 0; i < out.length; i++)
				out[i] /= count[i];
			return out;
		}));
	}

	/** The cell of index i of n along an axis cut into g cells. */
	static int cell(final int i, final int n, final int g) {
		return (int) ((long) i * g / n);
	}
}
