package org.progressionprobe.features.model;

import java.io.IOException;
import java.io.Reader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.stream.Stream;

import org.progressionprobe.features.model.AxisLayout.Axis;
import org.yaml.snakeyaml.LoaderOptions;
import org.yaml.snakeyaml.Yaml;
import org.yaml.snakeyaml.constructor.SafeConstructor;
import org.yaml.snakeyaml.error.YAMLException;

/**
 * The parser of a bioimage.io model description ({@code rdf.yaml}, {@code bioimageio.yaml} or
 * {@code *.bioimageio.yaml}) into a {@link ModelPackage}: finds the description in a folder, an
 * unpacked {@code .zip} or a built-in package, reads it with SnakeYAML's SafeConstructor (plain maps,
 * lists and scalars only) and checks what model features need, naming the package in every error.
 */
final class ModelDescription {

	/** Names of a model description file, in the order they are looked for. */
	static final List<String> DESCRIPTION_NAMES = List.of("rdf.yaml", "bioimageio.yaml");

	private ModelDescription() {}

	/** Reads the package at {@code path} (see {@link ModelPackage#open(Path, Path)}). */
	static ModelPackage open(final Path path, final Path unpackRoot) throws ModelException {
		final String label = path.toString();
		if (BuiltinModels.names(path)) {
			final String name = path.getFileName().toString();
			final Path folder = SafeUnzip.unpackCached(name, BuiltinModels.zip(name), unpackRoot);
			final Path description = findDescription(name, folder);
			return parse(name, Path.of(name), description.getParent(), read(name, description));
		}
		if (!Files.exists(path))
			throw new ModelException(label, "no such file or folder");
		final Path folder;
		if (Files.isDirectory(path))
			folder = path;
		else if (path.getFileName().toString().toLowerCase(Locale.ROOT).endsWith(".zip"))
			folder = SafeUnzip.unpackCached(label, path, unpackRoot);
		else if (isDescription(path))
			folder = path.toAbsolutePath().getParent();
		else
			throw new ModelException(label, "not a model package: give a folder or .zip with rdf.yaml");
		final Path description = findDescription(label, folder);
		return parse(label, path, description.getParent(), read(label, description));
	}

	private static boolean isDescription(final Path p) {
		final String n = p.getFileName().toString();
		return DESCRIPTION_NAMES.contains(n) || n.endsWith(".bioimageio.yaml");
	}

	private static Path findDescription(final String label, final Path folder) throws ModelException {
		for (final String n : DESCRIPTION_NAMES)
			if (Files.isRegularFile(folder.resolve(n)))
				return folder.resolve(n);
		final List<Path> found = new ArrayList<>();
		try (Stream<Path> s = Files.walk(folder, 2)) {
			s.filter(p -> Files.isRegularFile(p) && isDescription(p)).forEach(found::add);
		} catch (final IOException e) {
			throw new ModelException(label, "cannot list the package", e);
		}
		if (found.size() == 1)
			return found.get(0);
		if (found.isEmpty())
			throw new ModelException(label, "no rdf.yaml (bioimage.io model description) in the package");
		throw new ModelException(label, "several model descriptions in the package: " + found);
	}

	private static Map<String, Object> read(final String label, final Path description) throws ModelException {
		final LoaderOptions options = new LoaderOptions();
		options.setAllowDuplicateKeys(false);
		options.setMaxAliasesForCollections(50);
		options.setNestingDepthLimit(50);
		final Yaml yaml = new Yaml(new SafeConstructor(options));
		try (Reader r = Files.newBufferedReader(description, StandardCharsets.UTF_8)) {
			final Object o = yaml.load(r);
			if (!(o instanceof Map))
				throw new ModelException(label, description.getFileName() + " is not a YAML mapping");
			@SuppressWarnings("unchecked")
			final Map<String, Object> map = (Map<String, Object>) o;
			return map;
		} catch (final IOException | YAMLException e) {
			throw new ModelException(label, "cannot read " + description.getFileName(), e);
		}
	}

	private static final class Builder {
		String name;
		Path source;
		Path folder;
		String inputId;
		AxisLayout inputLayout;
		int[] inputSize;
		int inputChannels;
		Preprocessing preprocessing = Preprocessing.NONE;
		final Map<String, AxisLayout> outputs = new LinkedHashMap<>();
		List<String> featureLayers;
		PairMode pairMode;
		final Map<WeightsFormat, PackageWeights.Entry> weights = new EnumMap<>(WeightsFormat.class);
	}

	static ModelPackage parse(final String label, final Path source, final Path folder, final Map<String, Object> rdf) throws ModelException {
		final Builder b = new Builder();
		b.source = source;
		b.folder = folder;
		final Object type = rdf.get("type");
		if (type != null && !"model".equals(type))
			throw new ModelException(label, "the description is of type '" + type + "', not model");
		b.name = rdf.get("name") != null ? String.valueOf(rdf.get("name")) : folder.getFileName().toString();
		final String m = label;
		final Map<String, Object> config = map(m, map(m, rdf, "config", false), "progression_probe", false);
		final List<Object> inputs = list(m, rdf, "inputs");
		if (inputs.size() != 1)
			throw new ModelException(m, "the network must take one input tensor, it declares " + inputs.size());
		parseInput(m, b, asMap(m, inputs.get(0), "inputs[0]"), config);
		for (final Object o : list(m, rdf, "outputs")) {
			final Map<String, Object> out = asMap(m, o, "an output");
			final String id = tensorId(m, out);
			final Object axes = out.get("axes");
			b.outputs.put(id, axes == null ? null : layout(m, "output '" + id + "'", axes).layout);
		}
		if (b.outputs.isEmpty())
			throw new ModelException(m, "the description declares no outputs");
		final Object declared = config.get("feature_layers");
		if (declared == null)
			b.featureLayers = new ArrayList<>(b.outputs.keySet());
		else {
			if (!(declared instanceof List) || ((List<?>) declared).isEmpty())
				throw new ModelException(m, "config progression_probe feature_layers must be a non-empty list of output names");
			b.featureLayers = new ArrayList<>();
			for (final Object l : (List<?>) declared) {
				final String layer = String.valueOf(l);
				if (!b.outputs.containsKey(layer))
					throw new ModelException(m, "feature layer '" + layer + "' is not an output of the network (outputs: " + b.outputs.keySet() + ")");
				b.featureLayers.add(layer);
			}
		}
		final Object mode = config.get("pair_mode");
		b.pairMode = mode != null ? PairMode.parse(m, String.valueOf(mode)) : b.inputChannels == 2 ? PairMode.PAIR : PairMode.SINGLE;
		if (b.inputChannels != b.pairMode.channels())
			throw new ModelException(m, "pair_mode " + b.pairMode + " needs an input with " + b.pairMode.channels() + " channel"
					+ (b.pairMode == PairMode.PAIR ? "s (follow-up, baseline)" : " (one scan)") + ", but input '" + b.inputId + "' has "
					+ b.inputChannels);
		final Map<String, Object> weights = map(m, rdf, "weights", true);
		for (final WeightsFormat f : WeightsFormat.values()) {
			final Object w = weights.get(f.key());
			if (w == null)
				continue;
			final Map<String, Object> entry = asMap(m, w, "weights " + f.key());
			final Object src = entry.get("source");
			if (src == null)
				throw new ModelException(m, "weights " + f.key() + " have no source");
			b.weights.put(f, new PackageWeights.Entry(f, String.valueOf(src), entry.get("sha256") != null ? String.valueOf(entry.get("sha256")) : null));
		}
		if (b.weights.isEmpty())
			throw new ModelException(m, "no weights that can run here (supported: onnx, torchscript, tensorflow_saved_model_bundle; declared: "
					+ weights.keySet() + ")");
		return new ModelPackage(b.name, b.source, b.folder, b.inputId, b.inputLayout, b.inputSize, b.preprocessing, b.outputs, b.featureLayers,
				b.pairMode, new PackageWeights(label, b.folder, b.weights));
	}

	private static void parseInput(final String m, final Builder b, final Map<String, Object> in, final Map<String, Object> config)
			throws ModelException {
		b.inputId = tensorId(m, in);
		final Parsed p = layout(m, "input '" + b.inputId + "'", in.get("axes"));
		b.inputLayout = p.layout;
		final Object shape = in.get("shape");
		final int[] sizes = new int[5];
		final int[] steps = new int[5];
		for (int i = 0; i < 5; i++) {
			sizes[i] = p.sizes[i];
			steps[i] = p.steps[i];
		}
		if (shape instanceof List) {
			final List<?> s = (List<?>) shape;
			if (s.size() != 5)
				throw new ModelException(m, "input shape " + s + " has " + s.size() + " entries; the axes " + p.layout + " need 5");
			for (int i = 0; i < 5; i++)
				sizes[i] = intValue(m, s.get(i), "input shape");
		} else if (shape instanceof Map) {
			final List<Object> min = list(m, asMap(m, shape, "input shape"), "min");
			final List<Object> step = list(m, asMap(m, shape, "input shape"), "step");
			if (min.size() != 5 || step.size() != 5)
				throw new ModelException(m, "input shape min/step must have 5 entries for the axes " + p.layout);
			for (int i = 0; i < 5; i++) {
				sizes[i] = intValue(m, min.get(i), "input shape min");
				steps[i] = intValue(m, step.get(i), "input shape step");
			}
		}
		final int c = b.inputLayout.position(Axis.CHANNEL);
		if (steps[c] != 0)
			throw new ModelException(m, "input '" + b.inputId + "' has a variable channel count; the pair mode needs a fixed one");
		b.inputChannels = sizes[c];
		final int batch = b.inputLayout.position(Axis.BATCH);
		if (sizes[batch] > 1 && steps[batch] == 0)
			throw new ModelException(m, "input '" + b.inputId + "' has a fixed batch of " + sizes[batch] + "; model features run one at a time");
		final Object override = config.get("input_size");
		b.inputSize = new int[3];
		final Axis[] space = { Axis.Z, Axis.Y, Axis.X };
		if (override != null) {
			if (!(override instanceof List) || ((List<?>) override).size() != 3)
				throw new ModelException(m, "config progression_probe input_size must be [z, y, x]");
			for (int i = 0; i < 3; i++) {
				final int v = intValue(m, ((List<?>) override).get(i), "input_size");
				final int pos = b.inputLayout.position(space[i]);
				final boolean ok = steps[pos] == 0 ? v == sizes[pos] : v >= sizes[pos] && (v - sizes[pos]) % steps[pos] == 0;
				if (!ok)
					throw new ModelException(m, "input_size " + override + " does not fit the input's " + space[i].name().toLowerCase(Locale.ROOT)
							+ " axis (" + (steps[pos] == 0 ? "size " + sizes[pos] : "min " + sizes[pos] + ", step " + steps[pos]) + ")");
				b.inputSize[i] = v;
			}
		} else
			for (int i = 0; i < 3; i++) {
				final int pos = b.inputLayout.position(space[i]);
				if (steps[pos] != 0)
					throw new ModelException(m, "the input's " + space[i].name().toLowerCase(Locale.ROOT)
							+ " size is parameterised (min " + sizes[pos] + ", step " + steps[pos] + "); give config progression_probe input_size: [z, y, x]");
				b.inputSize[i] = sizes[pos];
			}
		for (int i = 0; i < 3; i++)
			if (b.inputSize[i] < 1)
				throw new ModelException(m, "input '" + b.inputId + "' has no usable " + space[i].name().toLowerCase(Locale.ROOT)
						+ " size (" + b.inputSize[i] + ")");
		final Object pre = in.get("preprocessing");
		if (pre != null) {
			if (!(pre instanceof List))
				throw new ModelException(m, "input preprocessing must be a list");
			final List<Preprocessing.Step> steps2 = new ArrayList<>();
			for (final Object o : (List<?>) pre) {
				final Map<String, Object> step = asMap(m, o, "a preprocessing step");
				final Object id = step.get("id") != null ? step.get("id") : step.get("name");
				if (id == null)
					throw new ModelException(m, "a preprocessing step has no id");
				final Object kw = step.get("kwargs");
				steps2.add(new Preprocessing.Step(String.valueOf(id), kw == null ? Map.of() : asMap(m, kw, "preprocessing kwargs")));
			}
			b.preprocessing = new Preprocessing(steps2);
			b.preprocessing.validate(m);
		}
	}

	/** A layout and the sizes it declares (0 where not declared), steps where parameterised. */
	private record Parsed(AxisLayout layout, int[] sizes, int[] steps) {}

	private static Parsed layout(final String m, final String what, final Object axes) throws ModelException {
		final List<Axis> order = new ArrayList<>();
		final int[] sizes = new int[5];
		final int[] steps = new int[5];
		if (axes instanceof String) {
			for (final char ch : ((String) axes).toLowerCase(Locale.ROOT).toCharArray()) {
				final Axis a = AxisLayout.parseLetter(ch);
				if (a == null)
					throw new ModelException(m, what + " has an axis '" + ch + "' that model features cannot use (need b, c, z, y, x)");
				order.add(a);
			}
		} else if (axes instanceof List) {
			for (final Object o : (List<?>) axes) {
				final Map<String, Object> ax = asMap(m, o, what + " axis");
				final String type = String.valueOf(ax.get("type"));
				final Axis a;
				int size = 0, step = 0;
				switch (type) {
				case "batch":
					a = Axis.BATCH;
					size = ax.get("size") != null ? intValue(m, ax.get("size"), what + " batch size") : 1;
					break;
				case "channel":
					a = Axis.CHANNEL;
					final Object names = ax.get("channel_names");
					if (names instanceof List)
						size = ((List<?>) names).size();
					else if (ax.get("size") != null)
						size = intValue(m, ax.get("size"), what + " channel size");
					break;
				case "space":
					final String id = String.valueOf(ax.get("id")).toLowerCase(Locale.ROOT);
					a = id.equals("z") ? Axis.Z : id.equals("y") ? Axis.Y : id.equals("x") ? Axis.X : null;
					if (a == null)
						throw new ModelException(m, what + " has a space axis '" + ax.get("id") + "'; model features need z, y and x");
					final Object s = ax.get("size");
					if (s instanceof Map) {
						final Map<String, Object> sm = asMap(m, s, what + " size");
						if (sm.containsKey("min")) {
							size = intValue(m, sm.get("min"), what + " size min");
							step = sm.get("step") != null ? intValue(m, sm.get("step"), what + " size step") : 0;
						}
					} else if (s != null)
						size = intValue(m, s, what + " " + id + " size");
					break;
				default:
					throw new ModelException(m, what + " has a '" + type + "' axis; model features need batch, channel, z, y, x");
				}
				order.add(a);
				sizes[order.size() - 1] = size;
				steps[order.size() - 1] = step;
			}
		} else
			throw new ModelException(m, what + " declares no axes");
		if (order.size() != 5 || order.stream().distinct().count() != 5) {
			final boolean noBatch = order.size() == 4 && !order.contains(Axis.BATCH);
			if (noBatch)
				return layout(m, what, withBatch(axes));
			throw new ModelException(m, what + " has axes " + order + "; model features need a 3D input: batch, channel, z, y, x");
		}
		return new Parsed(new AxisLayout(order), sizes, steps);
	}

	private static Object withBatch(final Object axes) {
		if (axes instanceof String)
			return "b" + axes;
		final List<Object> l = new ArrayList<>();
		l.add(Map.of("type", "batch"));
		l.addAll((List<?>) axes);
		return l;
	}

	private static String tensorId(final String m, final Map<String, Object> t) throws ModelException {
		final Object id = t.get("id") != null ? t.get("id") : t.get("name");
		if (id == null)
			throw new ModelException(m, "a tensor has no id");
		return String.valueOf(id);
	}

	private static int intValue(final String m, final Object o, final String what) throws ModelException {
		if (o instanceof Integer || o instanceof Long)
			return Math.toIntExact(((Number) o).longValue());
		throw new ModelException(m, what + " must be an integer, got " + o);
	}

	private static Map<String, Object> map(final String m, final Map<String, Object> parent, final String key, final boolean required)
			throws ModelException {
		final Object o = parent.get(key);
		if (o == null) {
			if (required)
				throw new ModelException(m, "the description has no '" + key + "'");
			return Map.of();
		}
		return asMap(m, o, key);
	}

	@SuppressWarnings("unchecked")
	private static Map<String, Object> asMap(final String m, final Object o, final String what) throws ModelException {
		if (!(o instanceof Map))
			throw new ModelException(m, what + " must be a mapping");
		return (Map<String, Object>) o;
	}

	@SuppressWarnings("unchecked")
	private static List<Object> list(final String m, final Map<String, Object> parent, final String key) throws ModelException {
		final Object o = parent.get(key);
		if (!(o instanceof List))
			throw new ModelException(m, "the description has no list '" + key + "'");
		return (List<Object>) o;
	}
}
