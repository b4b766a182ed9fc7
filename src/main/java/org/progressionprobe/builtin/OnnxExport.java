package org.progressionprobe.builtin;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Stream;
import java.util.zip.ZipEntry;
import java.util.zip.ZipInputStream;
import java.util.zip.ZipOutputStream;

import org.progressionprobe.io.AtomicOutput;
import org.progressionprobe.io.Sha256;
import org.tensorflow.SavedModelBundle;
import org.tensorflow.Tensor;
import org.tensorflow.ndarray.NdArrays;
import org.tensorflow.ndarray.buffer.DataBuffers;
import org.tensorflow.types.TFloat32;

import ai.onnx.proto.OnnxMl;
import com.google.protobuf.ByteString;

/**
 * Adds an ONNX version of a built-in network to its model package, so that it runs on ONNX Runtime
 * (the core engine) where TensorFlow is not installed. The graph is written from the trained weights,
 * which the package's SavedModel holds as constants named after {@link UNet3D.Param}s: the same
 * network as {@link UNet3D#build} (with the pair stem of a registration network) and the task's
 * exported head outputs, computed channels-first inside and handed back channels-last, with the same
 * input and output names, so that {@code rdf.yaml}'s declarations fit both. The package gets
 * {@code model.onnx} and an {@code onnx} weights entry (with its sha256); model features prefer it.
 *
 * <p>
 * The shipped packages carry the export (committed, not built: the build would need TensorFlow to
 * read the weights, and a retrained package is a new committed file anyway). After training a
 * package anew, export it again:
 *
 * <pre>
 * mvn -B -o -q compile exec:java -Dexec.mainClass=org.progressionprobe.builtin.OnnxExport \
 *     -Dexec.args="src/main/resources/org/progressionprobe/builtin/builtin-unet.zip src/main/resources/org/progressionprobe/builtin/builtin-registration.zip"
 * </pre>
 */
public final class OnnxExport {

	/** The ONNX file inside a package. */
	public static final String FILE = "model.onnx";
	/** ONNX operator set written. */
	static final int OPSET = 13;

	private OnnxExport() {}

	public static void main(final String[] args) throws IOException {
		if (args.length == 0)
			throw new IllegalArgumentException("usage: OnnxExport package.zip...");
		for (final String a : args) {
			addTo(Path.of(a));
			System.out.println(a + ": " + FILE + " written from the SavedModel's weights");
		}
	}

	/** Rewrites a zipped built-in package with {@code model.onnx} and its rdf.yaml entry (replacing an earlier export). */
	public static void addTo(final Path zip) throws IOException {
		final Map<String, byte[]> entries = new TreeMap<>();
		try (ZipInputStream in = new ZipInputStream(Files.newInputStream(zip))) {
			for (ZipEntry e; (e = in.getNextEntry()) != null;)
				if (!e.isDirectory())
					entries.put(e.getName(), in.readAllBytes());
		}
		if (!entries.containsKey("training_settings.txt") || !entries.containsKey("rdf.yaml"))
			throw new IOException(zip + ": not a built-in network package (no training_settings.txt or rdf.yaml)");
		final byte[] onnx = export(entries);
		entries.put(FILE, onnx);
		entries.put("rdf.yaml", withOnnxWeights(new String(entries.get("rdf.yaml"), StandardCharsets.UTF_8), Sha256.of(onnx)).getBytes(StandardCharsets.UTF_8));
		AtomicOutput.write(zip, out -> {
			try (ZipOutputStream z = new ZipOutputStream(out)) {
				for (final Map.Entry<String, byte[]> e : entries.entrySet()) {
					final ZipEntry ze = new ZipEntry(e.getKey());
					ze.setTime(0);
					z.putNextEntry(ze);
					z.write(e.getValue());
					z.closeEntry();
				}
			}
		});
	}

	/** The rdf.yaml text with an {@code onnx} weights entry first under {@code weights:} (an earlier one removed). */
	static String withOnnxWeights(final String rdf, final String sha256) throws IOException {
		final List<String> out = new ArrayList<>();
		boolean inOnnx = false, added = false;
		for (final String line : rdf.split("\n", -1)) {
			if (inOnnx && line.startsWith("    "))
				continue;
			inOnnx = line.equals("  onnx:");
			if (inOnnx)
				continue;
			out.add(line);
			if (line.equals("weights:")) {
				out.add("  onnx:");
				out.add("    source: " + FILE);
				out.add("    sha256: " + sha256);
				out.add("    opset_version: " + OPSET);
				added = true;
			}
		}
		if (!added)
			throw new IOException("rdf.yaml has no 'weights:' section");
		return String.join("\n", out);
	}

	/** The ONNX model (serialised) of the package whose files are given by name. */
	static byte[] export(final Map<String, byte[]> packageFiles) throws IOException {
		final Path tmp = Files.createTempDirectory("progression-probe-onnx-export");
		try {
			for (final Map.Entry<String, byte[]> e : packageFiles.entrySet()) {
				final Path f = tmp.resolve(e.getKey());
				Files.createDirectories(f.getParent());
				Files.write(f, e.getValue());
			}
			final TrainingSettings settings = TrainingSettings.read(tmp.resolve("training_settings.txt"));
			final BuiltinTask task = NetworkTrainer.task(settings);
			return graph(task, weights(task.network(), tmp.resolve("saved_model"))).toByteArray();
		} finally {
			try (Stream<Path> s = Files.walk(tmp)) {
				for (final Path p : s.sorted(Comparator.reverseOrder()).toList())
					Files.deleteIfExists(p);
			}
		}
	}

	/** The trained weights: the SavedModel's constants named after the network's parameters. */
	static Map<String, float[]> weights(final UNet3D net, final Path savedModel) throws IOException {
		final Map<String, float[]> w = new LinkedHashMap<>();
		try (SavedModelBundle b = SavedModelBundle.load(savedModel.toString(), SavedModelBundle.DEFAULT_TAG)) {
			for (final UNet3D.Param p : net.params()) {
				if (b.graph().operation(p.name()) == null)
					throw new IOException(savedModel + ": no constant '" + p.name() + "' (a package of another network?)");
				try (Tensor t = b.session().runner().fetch(p.name()).run().get(0)) {
					final float[] v = new float[p.size()];
					if (t.shape().size() != v.length)
						throw new IOException(savedModel + ": constant '" + p.name() + "' has shape " + t.shape() + ", expected " + java.util.Arrays.toString(p.shape()));
					((TFloat32) t).copyTo(NdArrays.wrap(t.shape(), DataBuffers.of(v, false, false)));
					w.put(p.name(), v);
				}
			}
		} catch (final RuntimeException e) {
			throw new IOException(savedModel + ": cannot read the weights: " + e.getMessage(), e);
		}
		return w;
	}

	/** The ONNX model of a task's network with the given weights. */
	static OnnxMl.ModelProto graph(final BuiltinTask task, final Map<String, float[]> weights) {
		final Graph g = new Graph(task, weights);
		return OnnxMl.ModelProto.newBuilder().setIrVersion(8).setProducerName("progression-probe").setDomain("org.progressionprobe")
				.setDocString(task.description()).addOpsetImport(OnnxMl.OperatorSetIdProto.newBuilder().setDomain("").setVersion(OPSET))
				.setGraph(g.build()).build();
	}

	/** Builds the graph: nodes work on [batch][channel][z][y][x]; the input and outputs are channels-last. */
	private static final class Graph {
		private final BuiltinTask task;
		private final UNet3D net;
		private final Map<String, UNet3D.Param> params = new LinkedHashMap<>();
		private final Map<String, float[]> weights;
		private final OnnxMl.GraphProto.Builder g = OnnxMl.GraphProto.newBuilder();
		private int names;

		Graph(final BuiltinTask task, final Map<String, float[]> weights) {
			this.task = task;
			this.net = task.network();
			this.weights = weights;
			for (final UNet3D.Param p : net.params())
				params.put(p.name(), p);
		}

		OnnxMl.GraphProto build() {
			final int[] size = task.settings().inputSize();
			g.setName(task.settings().network());
			g.addInput(valueInfo(task.inputName(), -1, size[0], size[1], size[2], net.inChannels()));
			final String x = node("Transpose", List.of(task.inputName()), ints("perm", 0, 4, 1, 2, 3));
			final Map<String, String> layers = new LinkedHashMap<>();
			final boolean pair = net.inChannels() == 2;
			final List<String> skips = new ArrayList<>();
			String h = pair ? pairStem(x) : x;
			String scans = x;
			final OnnxMl.AttributeProto[] pool = { ints("kernel_shape", 2, 2, 2), ints("strides", 2, 2, 2) };
			for (int l = 1; l <= net.levels(); l++) {
				if (l > 1) {
					h = node("MaxPool", List.of(h), pool);
					if (pair) {
						scans = node("AveragePool", List.of(scans), pool);
						h = node("Concat", List.of(h, pairStem(scans)), integer("axis", 1));
					}
				}
				h = convRelu(h, "enc" + l + "_a");
				h = convRelu(h, "enc" + l + "_b");
				layers.put("enc" + l, h);
				skips.add(h);
			}
			for (int l = net.levels() - 1; l >= 1; l--) {
				final int s = 1 << (l - 1);
				h = node("Concat", List.of(upsample(h, net.channels(l + 1), size[0] / s / 2, size[1] / s / 2, size[2] / s / 2), skips.get(l - 1)),
						integer("axis", 1));
				h = convRelu(h, "dec" + l + "_a");
				h = convRelu(h, "dec" + l + "_b");
				layers.put("dec" + l, h);
			}
			final String local = conv(h, "head");
			final String head = net.globalAffine() ? node("Add", List.of(local, affinePart(conv(h, UNet3D.MOTION), size))) : local;
			if (task instanceof RegistrationNet) {
				final String u = node("Mul", List.of(head, scalar(RegistrationNet.SCALE_VOXELS)));
				layers.put("displacement", u);
				layers.put("volume_change", volumeChange(net.globalAffine() ? node("Mul", List.of(local, scalar(RegistrationNet.SCALE_VOXELS))) : u));
			} else {
				layers.put("logits", head);
				layers.put("probabilities", node("Softmax", List.of(head), integer("axis", 1)));
			}
			for (final Map.Entry<String, String> e : layers.entrySet()) {
				g.addNode(OnnxMl.NodeProto.newBuilder().setOpType("Transpose").addInput(e.getValue()).addOutput(e.getKey())
						.setName(e.getKey() + "_channels_last").addAttribute(ints("perm", 0, 2, 3, 4, 1)));
				g.addOutput(OnnxMl.ValueInfoProto.newBuilder().setName(e.getKey()).setType(floatType()));
			}
			return g.build();
		}

		/** {@link UNet3D}'s fixed pair stem: both scans, d, the mean's gradient g, d g, d g / (|g|^2 + d^2 + eps). */
		private String pairStem(final String x) {
			final String f = slice(x, 0, 1), b = slice(x, 1, 2);
			final String d = node("Sub", List.of(f, b));
			final String mean = node("Mul", List.of(node("Add", List.of(f, b)), scalar(0.5f)));
			final String grad = node("Conv", List.of(mean, filter(UNet3D.centralDifferences(1), 3, 1, 3)), ints("pads", 1, 1, 1, 1, 1, 1));
			final String dg = node("Mul", List.of(grad, d));
			final String gg = node("ReduceSum", List.of(node("Mul", List.of(grad, grad)), longs(1)), integer("keepdims", 1));
			final String norm = node("Add", List.of(node("Add", List.of(gg, node("Mul", List.of(d, d)))), scalar(UNet3D.NORMAL_FLOW_EPSILON)));
			return node("Concat", List.of(x, d, grad, dg, node("Div", List.of(dg, norm))), integer("axis", 1));
		}

		/** {@link RegistrationNet#volumeChange}: minus the log-Jacobian of displacement u (voxels), the border repeated outside, clamped. */
		private String volumeChange(final String u) {
			final String padded = node("Pad", List.of(u, longs(0, 0, 1, 1, 1, 0, 0, 1, 1, 1)), text("mode", "edge"));
			final String d = node("Conv", List.of(padded, filter(UNet3D.centralDifferences(3), 3, 3, 9)));
			final List<String> m = new ArrayList<>();
			for (int c = 0; c < 9; c++)
				m.add(c % 4 == 0 ? node("Add", List.of(slice(d, c, c + 1), scalar(1f))) : slice(d, c, c + 1));
			final String det = node("Add", List.of(node("Sub", List.of(node("Mul", List.of(m.get(0), minor(m, 4, 8, 5, 7))), node("Mul", List.of(m.get(1),
					minor(m, 3, 8, 5, 6))))), node("Mul", List.of(m.get(2), minor(m, 3, 7, 4, 6)))));
			final String change = node("Neg", List.of(node("Log", List.of(node("Max", List.of(det, scalar((float) RegistrationNet.MIN_JACOBIAN)))))));
			return node("Min", List.of(node("Max", List.of(change, scalar((float) -RegistrationNet.MAX_VOLUME_CHANGE))),
					scalar((float) RegistrationNet.MAX_VOLUME_CHANGE)));
		}

		private String minor(final List<String> m, final int a, final int b, final int c, final int d) {
			return node("Sub", List.of(node("Mul", List.of(m.get(a), m.get(b))), node("Mul", List.of(m.get(c), m.get(d)))));
		}

		private String convRelu(final String h, final String name) {
			return net.leak() == 0 ? node("Relu", List.of(conv(h, name)))
					: node("LeakyRelu", List.of(conv(h, name)), OnnxMl.AttributeProto.newBuilder().setName("alpha")
							.setType(OnnxMl.AttributeProto.AttributeType.FLOAT).setF((float) net.leak()).build());
		}

		private String conv(final String h, final String name) {
			final UNet3D.Param w = params.get(name + "_w");
			final int k = (int) w.shape()[0], pad = k / 2;
			return node("Conv", List.of(h, filter(weights.get(w.name()), k, (int) w.shape()[3], (int) w.shape()[4]), initializer(weights.get(name + "_b"),
					w.shape()[4])), ints("pads", pad, pad, pad, pad, pad, pad));
		}

		/** {@link UNet3D#affinePart}: the least-squares affine fit of a field [b][3][d][h][w] over the view (size n: d, h, w). */
		private String affinePart(final String u, final int[] n) {
			String fit = null;
			for (final float[] c : UNet3D.homogeneousCoordinates(n)) {
				final String coordinate = initializer(c, 1, 1, n[0], n[1], n[2]);
				final String column = node("Div", List.of(node("ReduceSum", List.of(node("Mul", List.of(u, coordinate)), longs(2, 3, 4)), integer("keepdims", 1)),
						scalar(UNet3D.squaredNorm(c))));
				final String term = node("Mul", List.of(column, coordinate));
				fit = fit == null ? term : node("Add", List.of(fit, term));
			}
			return fit;
		}

		/** A TensorFlow filter [kz][ky][kx][in][out] as an ONNX one [out][in][kz][ky][kx]. */
		private String filter(final float[] tf, final int k, final int in, final int out) {
			final float[] onnx = new float[tf.length];
			final int k3 = k * k * k;
			for (int p = 0; p < k3; p++)
				for (int i = 0; i < in; i++)
					for (int o = 0; o < out; o++)
						onnx[(o * in + i) * k3 + p] = tf[(p * in + i) * out + o];
			return initializer(onnx, out, in, k, k, k);
		}

		/** Nearest-neighbour 2x upsampling of [b][c][d][h][w]: reshape to [b][c][d][1][h][1][w][1], expand the ones to 2, reshape. */
		private String upsample(final String h, final int c, final int d, final int hh, final int w) {
			final String r = node("Reshape", List.of(h, longs(0, c, d, 1, hh, 1, w, 1)));
			final String e = node("Expand", List.of(r, longs(1, 1, 1, 2, 1, 2, 1, 2)));
			return node("Reshape", List.of(e, longs(0, c, 2 * d, 2 * hh, 2 * w)));
		}

		/** Channels [from, to) of x. */
		private String slice(final String x, final int from, final int to) {
			return node("Slice", List.of(x, longs(from), longs(to), longs(1)));
		}

		private String node(final String op, final List<String> inputs, final OnnxMl.AttributeProto... attributes) {
			final String out = op.toLowerCase(java.util.Locale.ROOT) + "_" + names++;
			final OnnxMl.NodeProto.Builder n = OnnxMl.NodeProto.newBuilder().setOpType(op).setName(out).addAllInput(inputs).addOutput(out);
			for (final OnnxMl.AttributeProto a : attributes)
				n.addAttribute(a);
			g.addNode(n);
			return out;
		}

		private String initializer(final float[] values, final long... dims) {
			final String name = "w_" + names++;
			final ByteBuffer b = ByteBuffer.allocate(values.length * 4).order(ByteOrder.LITTLE_ENDIAN);
			b.asFloatBuffer().put(values);
			final OnnxMl.TensorProto.Builder t = OnnxMl.TensorProto.newBuilder().setName(name).setDataType(OnnxMl.TensorProto.DataType.FLOAT.getNumber())
					.setRawData(ByteString.copyFrom(b.array()));
			for (final long d : dims)
				t.addDims(d);
			g.addInitializer(t);
			return name;
		}

		private String scalar(final float v) {
			return initializer(new float[] { v });
		}

		private String longs(final long... values) {
			final String name = "c_" + names++;
			g.addInitializer(OnnxMl.TensorProto.newBuilder().setName(name).setDataType(OnnxMl.TensorProto.DataType.INT64.getNumber()).addDims(values.length)
					.addAllInt64Data(java.util.Arrays.stream(values).boxed().toList()));
			return name;
		}

		private static OnnxMl.AttributeProto ints(final String name, final long... values) {
			return OnnxMl.AttributeProto.newBuilder().setName(name).setType(OnnxMl.AttributeProto.AttributeType.INTS)
					.addAllInts(java.util.Arrays.stream(values).boxed().toList()).build();
		}

		private static OnnxMl.AttributeProto text(final String name, final String value) {
			return OnnxMl.AttributeProto.newBuilder().setName(name).setType(OnnxMl.AttributeProto.AttributeType.STRING)
					.setS(ByteString.copyFromUtf8(value)).build();
		}

		private static OnnxMl.AttributeProto integer(final String name, final long value) {
			return OnnxMl.AttributeProto.newBuilder().setName(name).setType(OnnxMl.AttributeProto.AttributeType.INT).setI(value).build();
		}

		private static OnnxMl.TypeProto floatType() {
			return OnnxMl.TypeProto.newBuilder().setTensorType(OnnxMl.TypeProto.Tensor.newBuilder().setElemType(OnnxMl.TensorProto.DataType.FLOAT.getNumber()))
					.build();
		}

		/** A float input of the given shape (-1: the batch, a named free dimension). */
		private static OnnxMl.ValueInfoProto valueInfo(final String name, final long... dims) {
			final OnnxMl.TensorShapeProto.Builder s = OnnxMl.TensorShapeProto.newBuilder();
			for (final long d : dims)
				s.addDim(d < 0 ? OnnxMl.TensorShapeProto.Dimension.newBuilder().setDimParam("batch")
						: OnnxMl.TensorShapeProto.Dimension.newBuilder().setDimValue(d));
			return OnnxMl.ValueInfoProto.newBuilder().setName(name)
					.setType(OnnxMl.TypeProto.newBuilder().setTensorType(OnnxMl.TypeProto.Tensor.newBuilder()
							.setElemType(OnnxMl.TensorProto.DataType.FLOAT.getNumber()).setShape(s)))
					.build();
		}
	}
}
