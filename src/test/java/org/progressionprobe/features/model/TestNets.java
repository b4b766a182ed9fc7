package org.progressionprobe.features.model;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.FloatBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import org.progressionprobe.testing.SharedData;
import org.progressionprobe.volume.AffineTransform3D;
import org.progressionprobe.volume.Volume;

/** Inputs and model packages shared by the model-feature tests. */
public final class TestNets {

	private TestNets() {}

	/** The reference input of ../shared/models: v[c,z,y,x] = sin(0.3x + 0.2y + 0.1z + c)*0.5 + 0.5, [1,C,d,d,d]. */
	static ByteBuffer referenceInput(final int channels, final int d) {
		final ByteBuffer bytes = ByteBuffer.allocateDirect(channels * d * d * d * 4).order(ByteOrder.nativeOrder());
		final FloatBuffer b = bytes.asFloatBuffer();
		for (int c = 0; c < channels; c++)
			b.put(referenceChannel(c, d));
		return bytes;
	}

	/** One channel of the reference input, C-order [z][y][x]. */
	static float[] referenceChannel(final int c, final int d) {
		final float[] v = new float[d * d * d];
		int i = 0;
		for (int z = 0; z < d; z++)
			for (int y = 0; y < d; y++)
				for (int x = 0; x < d; x++)
					v[i++] = (float) (Math.sin(0.3 * x + 0.2 * y + 0.1 * z + c) * 0.5 + 0.5);
		return v;
	}

	/** Channel c of the reference input as a volume with 1 mm voxels. */
	static Volume referenceVolume(final int c, final int d) {
		return Volume.wrap(referenceChannel(c, d), d, d, d, new AffineTransform3D());
	}

	/**
	 * Writes a model package for a reference network of ../shared/models into {@code dir} (skipping the
	 * test when the shared files are absent).
	 *
	 * @param net pairnet or imagenet
	 * @param exts weights to copy in: pt, onnx
	 * @param extraInput extra YAML lines under the input (indented 4), e.g. preprocessing
	 * @param config lines under config progression_probe (indented 6)
	 */
	public static Path writePackage(final Path dir, final String net, final List<String> exts, final String extraInput, final String config)
			throws IOException {
		Files.createDirectories(dir);
		final boolean pair = net.equals("pairnet");
		final StringBuilder weights = new StringBuilder("weights:\n");
		for (final String ext : exts) {
			Files.copy(SharedData.require("models/" + net + "." + ext), dir.resolve(net + "." + ext));
			weights.append(ext.equals("pt") ? "  torchscript:\n" : "  onnx:\n").append("    source: ").append(net).append('.').append(ext).append('\n');
			if (ext.equals("onnx"))
				weights.append("    opset_version: 13\n");
		}
		final String outputs = (pair ? List.of("disp", "enc1", "enc2", "enc3") : List.of("enc1", "enc2", "enc3")).stream()
				.map(o -> "  - id: " + o + "\n    axes: [{type: batch}, {type: channel}, {type: space, id: z}, {type: space, id: y}, {type: space, id: x}]\n")
				.reduce("", String::concat);
		final String rdf = "format_version: 0.5.3\ntype: model\nname: " + net + " test\n" + "inputs:\n  - id: " + (pair ? "pair" : "image") + "\n"
				+ "    axes:\n      - type: batch\n      - type: channel\n        channel_names: " + (pair ? "[followup, baseline]" : "[scan]") + "\n"
				+ "      - {type: space, id: z, size: 32}\n      - {type: space, id: y, size: 32}\n      - {type: space, id: x, size: 32}\n"
				+ extraInput + "outputs:\n" + outputs + weights + "config:\n  progression_probe:\n" + config;
		Files.writeString(dir.resolve("rdf.yaml"), rdf);
		return dir;
	}

	/** A pairnet package with feature layers enc1..enc3, pair mode. */
	public static Path pairnet(final Path dir, final String... exts) throws IOException {
		return writePackage(dir, "pairnet", List.of(exts), "", "    feature_layers: [enc1, enc2, enc3]\n    pair_mode: pair\n");
	}

	/** An imagenet package, single mode. */
	public static Path imagenet(final Path dir, final String... exts) throws IOException {
		return writePackage(dir, "imagenet", List.of(exts), "", "    feature_layers: [enc1, enc2, enc3]\n    pair_mode: single\n");
	}

	/** Sets "made by Unix" and the symbolic-link mode on an entry's central directory header. */
	public static void markAsLink(final Path zip, final String entry) throws IOException {
		final byte[] b = Files.readAllBytes(zip);
		final ByteBuffer buf = ByteBuffer.wrap(b).order(ByteOrder.LITTLE_ENDIAN);
		final byte[] name = entry.getBytes(java.nio.charset.StandardCharsets.UTF_8);
		for (int i = 0; i + 46 + name.length <= b.length; i++)
			if (buf.getInt(i) == 0x02014b50 && (buf.getShort(i + 28) & 0xFFFF) == name.length
					&& java.util.Arrays.equals(name, java.util.Arrays.copyOfRange(b, i + 46, i + 46 + name.length))) {
				buf.putShort(i + 4, (short) (3 << 8 | 20));
				buf.putInt(i + 38, 0120777 << 16);
				Files.write(zip, b);
				return;
			}
		throw new IllegalStateException("no central directory header for " + entry);
	}
}
