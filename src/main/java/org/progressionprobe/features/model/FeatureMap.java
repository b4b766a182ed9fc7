package org.progressionprobe.features.model;

import java.nio.FloatBuffer;

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

	/** Per-channel mean. */
	double[] mean() {
		final double[] out = new double[c];
		for (int k = 0; k < c; k++) {
			double s = 0;
			for (int z = 0; z < d; z++)
				for (int y = 0; y < h; y++) {
					final long o = k * sc + z * sz + y * sy;
					for (int x = 0; x < w; x++)
						s += data.get((int) (o + x * sx));
				}
			out[k] = s / ((double) d * h * w);
		}
		return out;
	}

	/** Per-channel maximum. */
	double[] max() {
		final double[] out = new double[c];
		for (int k = 0; k < c; k++) {
			float m = Float.NEGATIVE_INFINITY;
			for (int z = 0; z < d; z++)
				for (int y = 0; y < h; y++) {
					final long o = k * sc + z * sz + y * sy;
					for (int x = 0; x < w; x++)
						m = Math.max(m, data.get((int) (o + x * sx)));
				}
			out[k] = m;
		}
		return out;
	}

	/** Per-channel mean weighted by {@code weights} [z][y][x] on this layer's grid (not all zero). */
	double[] weightedMean(final double[] weights) {
		double total = 0;
		for (final double v : weights)
			total += v;
		final double[] out = new double[c];
		for (int k = 0; k < c; k++) {
			double s = 0;
			int i = 0;
			for (int z = 0; z < d; z++)
				for (int y = 0; y < h; y++) {
					final long o = k * sc + z * sz + y * sy;
					for (int x = 0; x < w; x++, i++)
						if (weights[i] != 0)
							s += weights[i] * data.get((int) (o + x * sx));
				}
			out[k] = s / total;
		}
		return out;
	}

	/** Per channel, the means of g x g x g cells, ordered channel, z cell, y cell, x cell. */
	double[] grid(final int g) {
		final double[] out = new double[c * g * g * g];
		final long[] count = new long[g * g * g];
		for (int z = 0; z < d; z++)
			for (int y = 0; y < h; y++)
				for (int x = 0; x < w; x++)
					count[cell(z, d, g) * g * g + cell(y, h, g) * g + cell(x, w, g)]++;
		for (int k = 0; k < c; k++) {
			final int base = k * g * g * g;
			for (int z = 0; z < d; z++) {
				final int cz = cell(z, d, g) * g * g;
				for (int y = 0; y < h; y++) {
					final int cy = cz + cell(y, h, g) * g;
					final long o = k * sc + z * sz + y * sy;
					for (int x = 0; x < w; x++)
						out[base + cy + cell(x, w, g)] += data.get((int) (o + x * sx));
				}
			}
			for (int i = 0; i < g * g * g; i++)
				out[base + i] /= count[i];
		}
		return out;
	}

	/** The cell of index i of n along an axis cut into g cells. */
	static int cell(final int i, final int n, final int g) {
		return (int) ((long) i * g / n);
	}
}
