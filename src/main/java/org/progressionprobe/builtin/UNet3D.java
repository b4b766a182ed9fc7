package org.progressionprobe.builtin;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.function.Function;

import org.tensorflow.Operand;
import org.tensorflow.ndarray.Shape;
import org.tensorflow.op.Ops;
import org.tensorflow.op.core.ReduceSum;
import org.tensorflow.types.TFloat32;

/**
 * A small 3D UNet, channels-last ([batch][z][y][x][channel]): per level two 3x3x3 convolutions with
 * ReLU (or leaky ReLU), 2x max pooling down, nearest-neighbour 2x upsampling (reshape and tile) up, skip connections
 * by concatenation, and a 1x1x1 convolution as head. The named layers are the outputs model features
 * read: {@code enc1} (full resolution) to {@code encN} (the bottleneck), {@code dec(N-1)} to
 * {@code dec1}, and the head. A pair input gets fixed flow terms ({@link #pairStem}) of the scans at each
 * level's resolution (2x average pooling per level), concatenated to the level's input.
 *
 * @param inChannels input channels (1 scan, or 2 for a follow-up/baseline pair)
 * @param outChannels head channels (classes, or 3 displacement components)
 * @param base channels of level 1; level l has base * 2^(l-1)
 * @param levels resolution levels (2 to 4); the input size must be divisible by 2^(levels-1)
 * @param leak slope of the activations below zero: 0 for ReLU, a small positive slope for a leaky
 *        ReLU, whose units cannot die (a level of all-negative ReLUs puts out a constant for good)
 * @param globalAffine whether the head adds a global affine field: a second displacement head (the
 *        {@link #MOTION} head, a 1x1 convolution of {@code dec1} like the head) projected on the affine
 *        fields of the voxel coordinates ({@link #affinePart}): a displacement head's global motion,
 *        read densely where the scans show it and made one motion for the whole view, whose Jacobian
 *        is the same everywhere, apart from the local field
 */
record UNet3D(int inChannels, int outChannels, int base, int levels, double leak, boolean globalAffine) {

	/** A UNet with ReLU activations. */
	UNet3D(final int inChannels, final int outChannels, final int base, final int levels) {
		this(inChannels, outChannels, base, levels, 0, false);
	}

	UNet3D {
		if (globalAffine && outChannels != 3)
			throw new IllegalArgumentException("a global affine field needs a 3-channel (displacement) head, got " + outChannels);
		if (leak < 0 || leak >= 1)
			throw new IllegalArgumentException("leak must be in [0, 1), got " + leak);
		if (levels < 2 || levels > 4)
			throw new IllegalArgumentException("levels must be between 2 and 4, got " + levels);
		if (base < 1 || base > 64)
			throw new IllegalArgumentException("channels must be between 1 and 64, got " + base);
	}

	/** One weight tensor: name and shape (filters [kz][ky][kx][in][out], biases [out]). */
	record Param(String name, long[] shape) {
		int size() {
			long n = 1;
			for (final long s : shape)
				n *= s;
			return Math.toIntExact(n);
		}

		boolean bias() {
			return shape.length == 1;
		}
	}

	/** The named layers, from input to output: enc1 to encN, then dec(N-1) to dec1. */
	List<String> layerNames() {
		final List<String> names = new ArrayList<>();
		for (int l = 1; l <= levels; l++)
			names.add("enc" + l);
		for (int l = levels - 1; l >= 1; l--)
			names.add("dec" + l);
		return names;
	}

	int channels(final int level) {
		return base << (level - 1);
	}

	/** The weights, in a fixed order. */
	List<Param> params() {
		final List<Param> p = new ArrayList<>();
		int in = inChannels == 2 ? PAIR_STEM_CHANNELS : inChannels;
		for (int l = 1; l <= levels; l++) {
			conv(p, "enc" + l + "_a", 3, in + (inChannels == 2 && l > 1 ? PAIR_STEM_CHANNELS : 0), channels(l));
			conv(p, "enc" + l + "_b", 3, channels(l), channels(l));
			in = channels(l);
		}
		for (int l = levels - 1; l >= 1; l--) {
			conv(p, "dec" + l + "_a", 3, channels(l + 1) + channels(l), channels(l));
			conv(p, "dec" + l + "_b", 3, channels(l), channels(l));
		}
		conv(p, "head", 1, channels(1), outChannels);
		if (globalAffine)
			conv(p, MOTION, 1, channels(1), outChannels);
		return p;
	}

	private static void conv(final List<Param> p, final String name, final int k, final int in, final int out) {
		p.add(new Param(name + "_w", new long[] { k, k, k, in, out }));
		p.add(new Param(name + "_b", new long[] { out }));
	}

	/** Suffix of the head's name for the head without the global affine field (a layer only with {@link #globalAffine}). */
	static final String LOCAL = "_local";

	/** Name of the motion head, whose affine part is the global field ({@link #globalAffine}). */
	static final String MOTION = "motion";

	/** He-normal filters (the head's and the motion head's scaled by {@code headGain}) and zero biases, all from the seed. */
	Map<String, float[]> initialWeights(final long seed, final double headGain) {
		final SplittableRandom r = new SplittableRandom(seed);
		final Map<String, float[]> w = new LinkedHashMap<>();
		for (final Param p : params()) {
			final float[] v = new float[p.size()];
			if (p.shape().length == 5) {
				final long fanIn = p.shape()[0] * p.shape()[1] * p.shape()[2] * p.shape()[3];
				final double sd = Math.sqrt(2.0 / fanIn) * (p.name().startsWith("head") || p.name().startsWith(MOTION) ? headGain : 1);
				final double[] g = new double[2];
				for (int i = 0; i < v.length; i += 2) {
					gaussianPair(r, g);
					v[i] = (float) (sd * g[0]);
					if (i + 1 < v.length)
						v[i + 1] = (float) (sd * g[1]);
				}
			}
			w.put(p.name(), v);
		}
		return w;
	}

	/** Two independent standard normal values (Box-Muller), reproducible from the generator alone. */
	private static void gaussianPair(final SplittableRandom r, final double[] out) {
		final double u = 1 - r.nextDouble(), v = r.nextDouble();
		final double m = Math.sqrt(-2 * Math.log(u));
		out[0] = m * StrictMath.cos(2 * Math.PI * v);
		out[1] = m * StrictMath.sin(2 * Math.PI * v);
	}

	/**
	 * Builds the network on {@code x}.
	 *
	 * @param weight the operand of each weight (a variable when training, a constant when exported)
	 * @param head name of the head output
	 * @return the named layers: enc1..encN, dec(N-1)..dec1 (after ReLU) and the head (linear; with
	 *         {@link #globalAffine} the local head plus the global field, the local head alone named head + {@link #LOCAL})
	 */
	Map<String, Operand<TFloat32>> build(final Ops tf, final Operand<TFloat32> x, final Function<Param, Operand<TFloat32>> weight,
			final String head) {
		final Map<String, Param> byName = new LinkedHashMap<>();
		for (final Param p : params())
			byName.put(p.name(), p);
		final Function<String, Operand<TFloat32>> w = n -> weight.apply(byName.get(n));
		final Map<String, Operand<TFloat32>> out = new LinkedHashMap<>();
		final List<Operand<TFloat32>> skips = new ArrayList<>();
		Operand<TFloat32> h = inChannels == 2 ? pairStem(tf, x) : x;
		Operand<TFloat32> scans = x;
		for (int l = 1; l <= levels; l++) {
			if (l > 1) {
				h = tf.nn.maxPool3d(h, List.of(1L, 2L, 2L, 2L, 1L), List.of(1L, 2L, 2L, 2L, 1L), "VALID");
				if (inChannels == 2) {
					scans = tf.nn.avgPool3d(scans, List.of(1L, 2L, 2L, 2L, 1L), List.of(1L, 2L, 2L, 2L, 1L), "VALID");
					h = tf.concat(List.of(h, pairStem(tf, scans)), tf.constant(4));
				}
			}
			h = convRelu(tf, h, w, "enc" + l + "_a");
			h = convRelu(tf, h, w, "enc" + l + "_b");
			out.put("enc" + l, h);
			skips.add(h);
		}
		for (int l = levels - 1; l >= 1; l--) {
			h = tf.concat(List.of(upsample(tf, h, channels(l + 1)), skips.get(l - 1)), tf.constant(4));
			h = convRelu(tf, h, w, "dec" + l + "_a");
			h = convRelu(tf, h, w, "dec" + l + "_b");
			out.put("dec" + l, h);
		}
		final Operand<TFloat32> local = conv(tf, h, w, "head");
		if (globalAffine) {
			final int[] n = { (int) x.shape().size(1), (int) x.shape().size(2), (int) x.shape().size(3) };
			out.put(head, tf.math.add(local, affinePart(tf, conv(tf, h, w, MOTION), n)));
			out.put(head + LOCAL, local);
		} else
			out.put(head, local);
		return out;
	}

	/**
	 * The affine part of a displacement field u [b][z][y][x][3] over a view of size {@code n} (z, y, x):
	 * its least-squares fit A (x, y, z, 1) in the {@link #homogeneousCoordinates}. Those coordinates
	 * are centred on the view and orthogonal to each other over it, so each of A's columns is u's
	 * projection on one coordinate: sum(c u) / sum(c^2). Head motion, rigid in millimetres, is affine
	 * in a view's voxels.
	 */
	static Operand<TFloat32> affinePart(final Ops tf, final Operand<TFloat32> u, final int[] n) {
		final Operand<org.tensorflow.types.TInt32> space = tf.constant(new int[] { 1, 2, 3 });
		Operand<TFloat32> fit = null;
		for (final float[] c : homogeneousCoordinates(n)) {
			final Operand<TFloat32> coordinate = tf.constant(Shape.of(1, n[0], n[1], n[2], 1), org.tensorflow.ndarray.buffer.DataBuffers.of(c));
			final Operand<TFloat32> column = tf.math.div(tf.reduceSum(tf.math.mul(u, coordinate), space, ReduceSum.keepDims(true)),
					tf.constant(squaredNorm(c)));
			final Operand<TFloat32> term = tf.math.mul(column, coordinate);
			fit = fit == null ? term : tf.math.add(fit, term);
		}
		return fit;
	}

	/** sum(c^2), in double precision: the norm {@link #affinePart} divides by. */
	static float squaredNorm(final float[] c) {
		double norm = 0;
		for (final float v : c)
			norm += (double) v * v;
		return (float) norm;
	}

	/** The voxels' {@link #coordinates} x, y, z of input size {@code n} (z, y, x) and a channel of ones: the affine fields' basis. */
	static float[][] homogeneousCoordinates(final int[] n) {
		final float[] ones = new float[n[0] * n[1] * n[2]];
		java.util.Arrays.fill(ones, 1f);
		return new float[][] { coordinates(n, 0), coordinates(n, 1), coordinates(n, 2), ones };
	}

	/**
	 * Normalised coordinate {@code axis} (0 x, 1 y, 2 z) of every voxel of input size {@code n} (z,
	 * y, x), C order [z][y][x]: the voxel's coordinate relative to the view's centre, in half view
	 * sizes (-1 to 1 across the view).
	 */
	private static float[] coordinates(final int[] n, final int axis) {
		final int nz = n[0], ny = n[1], nx = n[2], along = n[2 - axis];
		final float[] c = new float[nz * ny * nx];
		for (int k = 0, o = 0; k < nz; k++)
			for (int j = 0; j < ny; j++)
				for (int i = 0; i < nx; i++, o++) {
					final int at = axis == 0 ? i : axis == 1 ? j : k;
					c[o] = (float) ((at - (along - 1) / 2.0) / (along / 2.0));
				}
		return c;
	}

	/**
	 * Channels of the fixed pair stem: both scans, their difference, the mean scan's gradient (3),
	 * difference times gradient (3) and the normal flow (3).
	 */
	static final int PAIR_STEM_CHANNELS = 12;
	/** Keeps the normal flow finite where the scans are flat and equal (intensities are normalised to unit variance). */
	static final float NORMAL_FLOW_EPSILON = 0.01f;

	/**
	 * A fixed (untrained) first step for a pair [follow-up, baseline]: the scans, their difference d,
	 * the central-difference gradient g of their mean, d * g, the terms of a Lucas-Kanade flow
	 * estimate (displacement ~ -(sum g g^T)^-1 sum g d), and the normal flow d g / (|g|^2 + d^2 + eps),
	 * the demons force, the displacement along g that explains d. A ReLU network learns products and
	 * quotients slowly; handed these, the encoder only has to sum and scale them, level by level.
	 */
	private static Operand<TFloat32> pairStem(final Ops tf, final Operand<TFloat32> x) {
		final Operand<TFloat32> f = tf.slice(x, tf.constant(new int[] { 0, 0, 0, 0, 0 }), tf.constant(new int[] { -1, -1, -1, -1, 1 }));
		final Operand<TFloat32> b = tf.slice(x, tf.constant(new int[] { 0, 0, 0, 0, 1 }), tf.constant(new int[] { -1, -1, -1, -1, 1 }));
		final Operand<TFloat32> d = tf.math.sub(f, b);
		final Operand<TFloat32> mean = tf.math.mul(tf.math.add(f, b), tf.constant(0.5f));
		final Operand<TFloat32> g = tf.nn.conv3d(mean, tf.constant(Shape.of(3, 3, 3, 1, 3), org.tensorflow.ndarray.buffer.DataBuffers.of(centralDifferences(1))),
				List.of(1L, 1L, 1L, 1L, 1L), "SAME");
		final Operand<TFloat32> dg = tf.math.mul(g, d);
		final Operand<TFloat32> norm = tf.math.add(tf.math.add(tf.reduceSum(tf.math.square(g), tf.constant(4), org.tensorflow.op.core.ReduceSum.keepDims(true)),
				tf.math.square(d)), tf.constant(NORMAL_FLOW_EPSILON));
		return tf.concat(List.of(x, d, g, dg, tf.math.div(dg, norm)), tf.constant(4));
	}

	/**
	 * Central-difference filter [kz][ky][kx][component][3 * components]: output channel c * 3 + k is
	 * half the difference of component c's neighbours along axis k (x, y, z; the array's x, y, z
	 * are the world's), its derivative per voxel.
	 */
	static float[] centralDifferences(final int components) {
		final int out = 3 * components;
		final float[] f = new float[27 * components * out];
		for (int c = 0; c < components; c++)
			for (int k = 0; k < 3; k++) {
				final int lo = k == 0 ? 12 : k == 1 ? 10 : 4, hi = k == 0 ? 14 : k == 1 ? 16 : 22;
				f[(lo * components + c) * out + c * 3 + k] = -0.5f;
				f[(hi * components + c) * out + c * 3 + k] = 0.5f;
			}
		return f;
	}

	private static Operand<TFloat32> conv(final Ops tf, final Operand<TFloat32> h, final Function<String, Operand<TFloat32>> w, final String name) {
		return tf.math.add(tf.nn.conv3d(h, w.apply(name + "_w"), List.of(1L, 1L, 1L, 1L, 1L), "SAME"), w.apply(name + "_b"));
	}

	private Operand<TFloat32> convRelu(final Ops tf, final Operand<TFloat32> h, final Function<String, Operand<TFloat32>> w, final String name) {
		final Operand<TFloat32> c = conv(tf, h, w, name);
		return leak == 0 ? tf.nn.relu(c) : tf.nn.leakyRelu(c, org.tensorflow.op.nn.LeakyRelu.alpha((float) leak));
	}

	/** Nearest-neighbour 2x upsampling of [b][d][h][w][c]: reshape to [b][d][1][h][1][w][1][c], tile 2 along the ones, reshape back. */
	private static Operand<TFloat32> upsample(final Ops tf, final Operand<TFloat32> h, final int c) {
		final Shape s = h.shape();
		final long d = s.get(1), hh = s.get(2), ww = s.get(3);
		final Operand<TFloat32> r = tf.reshape(h, tf.constant(new long[] { -1, d, 1, hh, 1, ww, 1, c }));
		final Operand<TFloat32> t = tf.tile(r, tf.constant(new long[] { 1, 1, 2, 1, 2, 1, 2, 1 }));
		return tf.reshape(t, tf.constant(new long[] { -1, 2 * d, 2 * hh, 2 * ww, c }));
	}
}
