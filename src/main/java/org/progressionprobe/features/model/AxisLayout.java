package org.progressionprobe.features.model;

import java.util.List;

/**
 * The order of a 5D tensor's axes: batch, channel and the space axes z, y, x in any order (a
 * PyTorch network's [B][C][D][H][W], a TensorFlow network's [B][D][H][W][C]).
 */
final class AxisLayout {

	enum Axis {
		BATCH, CHANNEL, Z, Y, X
	}

	/** PyTorch's and ONNX's usual layout. */
	static final AxisLayout BCZYX = new AxisLayout(List.of(Axis.BATCH, Axis.CHANNEL, Axis.Z, Axis.Y, Axis.X));

	private final List<Axis> axes;

	AxisLayout(final List<Axis> axes) {
		if (axes.size() != 5 || axes.stream().distinct().count() != 5)
			throw new IllegalArgumentException("A layout has each of batch, channel, z, y, x once: " + axes);
		this.axes = List.copyOf(axes);
	}

	/** The axis of a letter of a 0.4-style axes string such as {@code bczyx}; null for others. */
	static Axis parseLetter(final char c) {
		switch (c) {
		case 'b':
			return Axis.BATCH;
		case 'c':
			return Axis.CHANNEL;
		case 'z':
			return Axis.Z;
		case 'y':
			return Axis.Y;
		case 'x':
			return Axis.X;
		default:
			return null;
		}
	}

	List<Axis> axes() {
		return axes;
	}

	int position(final Axis a) {
		return axes.indexOf(a);
	}

	/** The shape in this layout for a batch of one. */
	long[] shape(final int channels, final int d, final int h, final int w) {
		final long[] s = new long[5];
		for (int i = 0; i < 5; i++)
			s[i] = size(axes.get(i), channels, d, h, w);
		return s;
	}

	private static long size(final Axis a, final int c, final int d, final int h, final int w) {
		switch (a) {
		case BATCH:
			return 1;
		case CHANNEL:
			return c;
		case Z:
			return d;
		case Y:
			return h;
		default:
			return w;
		}
	}

	/** C-order strides (in elements) of each axis for the given shape in this layout, indexed by Axis ordinal. */
	long[] strides(final long[] shape) {
		final long[] byPosition = new long[5];
		long s = 1;
		for (int i = 4; i >= 0; i--) {
			byPosition[i] = s;
			s *= shape[i];
		}
		final long[] byAxis = new long[5];
		for (int i = 0; i < 5; i++)
			byAxis[axes.get(i).ordinal()] = byPosition[i];
		return byAxis;
	}

	/** Size of an axis in a shape given in this layout. */
	long size(final long[] shape, final Axis a) {
		return shape[position(a)];
	}

	String letters() {
		final StringBuilder sb = new StringBuilder();
		for (final Axis a : axes)
			sb.append(a == Axis.BATCH ? 'b' : a == Axis.CHANNEL ? 'c' : a.name().toLowerCase(java.util.Locale.ROOT).charAt(0));
		return sb.toString();
	}

	@Override
	public String toString() {
		return letters();
	}

	@Override
	public boolean equals(final Object o) {
		return o instanceof AxisLayout && ((AxisLayout) o).axes.equals(axes);
	}

	@Override
	public int hashCode() {
		return axes.hashCode();
	}
}
