package org.progressionprobe.table;

import java.util.ArrayList;
import java.util.List;

/**
 * One pair's features: ordered column names and their values. Names say what a column is
 * (region or layer, statistic), e.g. {@code logjac_mean_hippocampus_L} or {@code enc2_gap_c07}.
 *
 * @param names column names, unique
 * @param values one value per name
 */
public record FeatureVector(List<String> names, double[] values) {

	public FeatureVector {
		if (names.size() != values.length)
			throw new IllegalArgumentException(names.size() + " names for " + values.length + " values");
		if (names.stream().distinct().count() != names.size())
			throw new IllegalArgumentException("Feature names must be unique: " + names);
		names = List.copyOf(names);
		values = values.clone();
	}

	public int size() {
		return values.length;
	}

	@Override
	public double[] values() {
		return values.clone();
	}

	public double get(final int i) {
		return values[i];
	}

	/** The value of a named feature; throws if absent. */
	public double get(final String name) {
		final int i = names.indexOf(name);
		if (i < 0)
			throw new IllegalArgumentException("No feature named " + name);
		return values[i];
	}

	/** This vector's columns followed by another's, each name given a prefix (may be empty). */
	public FeatureVector concat(final FeatureVector other) {
		final List<String> n = new ArrayList<>(names);
		n.addAll(other.names);
		final double[] v = new double[values.length + other.values.length];
		System.arraycopy(values, 0, v, 0, values.length);
		System.arraycopy(other.values, 0, v, values.length, other.values.length);
		return new FeatureVector(n, v);
	}

	/** Builds a vector column by column. */
	public static final class Builder {
		private final List<String> names = new ArrayList<>();
		private final List<Double> values = new ArrayList<>();

		public Builder add(final String name, final double value) {
			names.add(name);
			values.add(value);
			return this;
		}

		public FeatureVector build() {
			return new FeatureVector(names, values.stream().mapToDouble(Double::doubleValue).toArray());
		}
	}
}
