package org.progressionprobe.features.model;

import java.nio.file.Path;
import java.util.List;

import org.progressionprobe.command.ParameterLists;

/**
 * What to read out of a network: which feature layers (empty: all the package declares), how to pool
 * them, how to combine the two scans of a single-scan network, where to run it and with which
 * weights.
 *
 * @param layers feature layer names; empty for all declared feature layers
 * @param pooling one or more poolings
 * @param grid cells per axis for {@link Pooling#GRID}
 * @param combine for {@link PairMode#SINGLE} networks
 * @param device cpu or gpu
 * @param weights the weights format to run, or null for the preferred one present (ONNX first)
 * @param unpackRoot where zipped weights are unpacked
 */
public record FeatureSettings(List<String> layers, List<Pooling> pooling, int grid, Combination combine, Device device, WeightsFormat weights,
		Path unpackRoot) {

	public FeatureSettings {
		layers = List.copyOf(layers);
		pooling = List.copyOf(pooling);
		if (pooling.isEmpty())
			throw new IllegalArgumentException("At least one pooling is needed");
		if (grid < 1)
			throw new IllegalArgumentException("The grid needs at least 1 cell per axis, got " + grid);
	}

	/**
	 * Settings from the text a user types (command keys, study options); a bad value is an
	 * IllegalArgumentException naming it.
	 *
	 * @param layers layer names ({@link ParameterLists}), empty for all declared feature layers
	 * @param pooling one or more of gap, gmp, roi, grid
	 * @param engine auto, onnx, torchscript or tensorflow
	 */
	public static FeatureSettings parse(final String layers, final String pooling, final int grid, final String combine, final String device,
			final String engine, final Path unpackRoot) {
		return new FeatureSettings(ParameterLists.split(layers), Pooling.parseList(pooling), grid, Combination.parse(combine), Device.parse(device), WeightsFormat.parse(engine),
				unpackRoot);
	}

	/** Grid cells per axis of {@link Pooling#GRID} by default. */
	public static final int DEFAULT_GRID = 2;

	/**
	 * All declared layers, global average pooling, difference, CPU, preferred weights: what blank text
	 * gives ({@link Pooling#parseList}, {@link Combination#parse}, {@link Device#parse}, {@link WeightsFormat#parse}).
	 */
	public static FeatureSettings defaults() {
		return parse("", "", DEFAULT_GRID, "", "", "", ModelCache.models());
	}

	/** The pooling as a user types it ({@code gap,grid}). */
	public String poolingText() {
		return String.join(",", pooling.stream().map(Pooling::toString).toList());
	}

	public FeatureSettings withLayers(final List<String> l) {
		return new FeatureSettings(l, pooling, grid, combine, device, weights, unpackRoot);
	}

	public FeatureSettings withPooling(final List<Pooling> p) {
		return new FeatureSettings(layers, p, grid, combine, device, weights, unpackRoot);
	}

	public FeatureSettings withGrid(final int g) {
		return new FeatureSettings(layers, pooling, g, combine, device, weights, unpackRoot);
	}

	public FeatureSettings withCombine(final Combination c) {
		return new FeatureSettings(layers, pooling, grid, c, device, weights, unpackRoot);
	}

	public FeatureSettings withDevice(final Device d) {
		return new FeatureSettings(layers, pooling, grid, combine, d, weights, unpackRoot);
	}

	public FeatureSettings withWeights(final WeightsFormat w) {
		return new FeatureSettings(layers, pooling, grid, combine, device, w, unpackRoot);
	}

	public FeatureSettings withUnpackRoot(final Path p) {
		return new FeatureSettings(layers, pooling, grid, combine, device, weights, p);
	}
}
