package org.progressionprobe.features.model;

import java.util.List;

/** One pair's features: names (layer, pooling, channel) and values, in the same order. */
public record FeatureVector(List<String> names, double[] values) {

	public FeatureVector {
		if (names.size() != values.length)
			throw new IllegalArgumentException(names.size() + " names for " + values.length + " values");
		names = List.copyOf(names);
	}

	public int size() {
		return values.length;
	}

	/** The value of a named feature. */
	public double get(final String name) {
		final int i = names.indexOf(name);
		if (i < 0)
			throw new IllegalArgumentException("No feature '" + name + "'");
		return values[i];
	}
}
