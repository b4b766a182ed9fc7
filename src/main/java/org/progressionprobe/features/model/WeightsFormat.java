package org.progressionprobe.features.model;

import java.util.Locale;

/**
 * The weights formats of a bioimage.io model description that model features can run, in the order
 * they are preferred when a package has several: ONNX Runtime is the fastest on CPU here (about 5x
 * TorchScript through DJL), TensorFlow SavedModels come last.
 */
public enum WeightsFormat {
	ONNX("onnx", "OnnxRuntime"),
	TORCHSCRIPT("torchscript", "PyTorch"),
	TENSORFLOW("tensorflow_saved_model_bundle", "TensorFlow");

	private final String key;
	private final String engine;

	WeightsFormat(final String key, final String engine) {
		this.key = key;
		this.engine = engine;
	}

	/** The key under {@code weights:} in rdf.yaml. */
	public String key() {
		return key;
	}

	/** The engine that runs it. */
	public String engine() {
		return engine;
	}

	/**
	 * Parses an engine choice: {@code onnx}, {@code torchscript} (or {@code pytorch}), {@code tensorflow}
	 * (or the rdf.yaml key); blank or {@code auto} gives null (choose by preference).
	 */
	public static WeightsFormat parse(final String text) {
		if (text == null || text.isBlank() || text.trim().equalsIgnoreCase("auto"))
			return null;
		final String t = text.trim().toLowerCase(Locale.ROOT);
		for (final WeightsFormat f : values())
			if (f.key.equals(t) || f.engine.toLowerCase(Locale.ROOT).equals(t) || f.name().toLowerCase(Locale.ROOT).equals(t))
				return f;
		if (t.equals("pytorch") || t.equals("pytorch_script"))
			return TORCHSCRIPT;
		if (t.equals("onnxruntime"))
			return ONNX;
		throw new IllegalArgumentException("Unknown engine '" + text + "': use auto, onnx, torchscript or tensorflow");
	}
}
