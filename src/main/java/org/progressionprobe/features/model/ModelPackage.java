package org.progressionprobe.features.model;

import java.nio.file.Path;
import java.util.Collections;
import java.util.List;
import java.util.Map;

/**
 * A network described by a bioimage.io model description ({@code rdf.yaml}, {@code bioimageio.yaml}
 * or {@code *.bioimageio.yaml}; format 0.5, 0.4 read too) in a folder or a {@code .zip}, with what
 * model features need on top under {@code config: progression_probe:}:
 * <pre>
 * config:
 *   progression_probe:
 *     feature_layers: [enc1, enc2, enc3]   # outputs that are feature layers (default: all outputs)
 *     pair_mode: pair                      # pair (one 2-channel input, follow-up then baseline) or single
 *     input_size: [175, 175, 175]          # z, y, x; only needed when the input size is parameterised
 * </pre>
 * A built-in name ({@link BuiltinModels}) opens the package shipped with the plugin.
 * A {@code .zip} is unpacked once into a cache folder ({@link ModelCache#models()} unless the caller
 * gives another), in a sub-folder named after the zip and its content hash; entries that would land
 * outside that folder are refused. The YAML is read with SnakeYAML's SafeConstructor (plain maps,
 * lists and scalars only) and no model file is ever Java-deserialised.
 */
public final class ModelPackage {

	private final String name;
	private final Path source;
	private final Path folder;
	private final String inputId;
	private final AxisLayout inputLayout;
	private final int[] inputSize;
	private final Preprocessing preprocessing;
	private final Map<String, AxisLayout> outputs;
	private final List<String> featureLayers;
	private final PairMode pairMode;
	private final PackageWeights weights;

	/** A package as {@link ModelDescription} read it. */
	ModelPackage(final String name, final Path source, final Path folder, final String inputId, final AxisLayout inputLayout, final int[] inputSize,
			final Preprocessing preprocessing, final Map<String, AxisLayout> outputs, final List<String> featureLayers, final PairMode pairMode,
			final PackageWeights weights) {
		this.name = name;
		this.source = source;
		this.folder = folder;
		this.inputId = inputId;
		this.inputLayout = inputLayout;
		this.inputSize = inputSize;
		this.preprocessing = preprocessing;
		this.outputs = Collections.unmodifiableMap(outputs);
		this.featureLayers = List.copyOf(featureLayers);
		this.pairMode = pairMode;
		this.weights = weights;
	}

	/** Opens a package folder or {@code .zip}, unpacking zips under {@link ModelCache#models()}. */
	public static ModelPackage open(final Path path) throws ModelException {
		return open(path, ModelCache.models());
	}

	/**
	 * Opens a package folder or {@code .zip}.
	 *
	 * @param unpackRoot where a zip is unpacked (a sub-folder per zip and content)
	 */
	public static ModelPackage open(final Path path, final Path unpackRoot) throws ModelException {
		return ModelDescription.open(path, unpackRoot);
	}

	/** The package as the user named it (folder, zip or description). */
	public Path source() {
		return source;
	}

	/** The folder holding the description and the weights (the unpacked folder for a zip). */
	public Path folder() {
		return folder;
	}

	/** The model's name (from the description). */
	public String name() {
		return name;
	}

	/** A short label for messages: the path the user gave. */
	public String label() {
		return source.toString();
	}

	public String inputId() {
		return inputId;
	}

	AxisLayout inputLayout() {
		return inputLayout;
	}

	/** The input's space size, z, y, x. */
	public int[] inputSize() {
		return inputSize.clone();
	}

	/** Input channels: 2 for pair mode, 1 for single. */
	public int inputChannels() {
		return pairMode.channels();
	}

	/** The input's shape in its declared layout. */
	long[] inputShape() {
		return inputLayout.shape(inputChannels(), inputSize[0], inputSize[1], inputSize[2]);
	}

	public Preprocessing preprocessing() {
		return preprocessing;
	}

	/** The declared output ids, in order. */
	public List<String> outputs() {
		return List.copyOf(outputs.keySet());
	}

	/** The layout of an output: declared, else the input's. */
	AxisLayout outputLayout(final String id) {
		final AxisLayout l = outputs.get(id);
		return l != null ? l : inputLayout;
	}

	/** The outputs that are feature layers. */
	public List<String> featureLayers() {
		return featureLayers;
	}

	public PairMode pairMode() {
		return pairMode;
	}

	/** The weights formats present, in order of preference. */
	public List<WeightsFormat> weightsFormats() {
		return weights.formats();
	}

	/**
	 * The weights to run: the requested format, or the most preferred one present.
	 *
	 * @param requested a format, or null for the preferred one
	 */
	public WeightsFormat chooseWeights(final WeightsFormat requested) throws ModelException {
		return weights.choose(requested);
	}

	/**
	 * The weights file (or SavedModel folder) of a format, checked: inside the package, present, and
	 * matching its declared sha256. A zipped SavedModel is unpacked under {@code unpackRoot}.
	 */
	Path weightsPath(final WeightsFormat format, final Path unpackRoot) throws ModelException {
		return weights.path(format, unpackRoot);
	}

	@Override
	public String toString() {
		return name + " (" + source + "): input " + inputId + " " + inputLayout + " " + inputSize[0] + "x" + inputSize[1] + "x" + inputSize[2]
				+ ", " + pairMode + ", layers " + featureLayers + ", weights " + weights.keys();
	}
}
