package org.progressionprobe.bench;

import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Random;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import org.progressionprobe.features.model.FeatureSettings;
import org.progressionprobe.features.model.ModelFeatures;
import org.progressionprobe.table.FeatureVector;
import org.progressionprobe.features.model.ModelCache;
import org.progressionprobe.features.model.ModelPackage;
import org.progressionprobe.features.model.WeightsFormat;
import org.progressionprobe.volume.AffineTransform3D;
import org.progressionprobe.volume.Volume;

/**
 * Model features at a registration network's size: the whole step (resample two scans to 175^3,
 * normalise, infer, pool five layers) for {@code unet175} against PyTorch-from-Python's forward pass
 * alone (/work/shared/bench/torch_infer.py) on the same machine in the same run.
 * <p>
 * Usage: {@code ModelFeaturesBench MODELS_DIR [SHARED_DIR] [PAIRS]}, MODELS_DIR holding
 * {@code unet175.pt} and {@code unet175.onnx} from {@code make_models.py MODELS_DIR --bench}. Prints
 * per round (anchor, then ours with each engine, close together, as the machine may be shared) the
 * median seconds and the ratio, then the median ratio over the rounds, model load time and the
 * process's peak resident memory.
 */
public final class ModelFeaturesBench {

	private ModelFeaturesBench() {}

	public static void main(final String[] args) throws Exception {
		final Path models = Path.of(args.length > 0 ? args[0] : "target/bench-models");
		final Path shared = Path.of(args.length > 1 ? args[1] : "../shared");
		final int pairs = args.length > 2 ? Integer.parseInt(args[2]) : 5;
		ModelCache.prepareEngines();
		final Path pkg = Files.createTempDirectory("unet175-package");
		for (final String ext : List.of("pt", "onnx"))
			Files.copy(models.resolve("unet175." + ext), pkg.resolve("unet175." + ext));
		final String space = "[{type: batch}, {type: channel}, {type: space, id: z}, {type: space, id: y}, {type: space, id: x}]";
		final StringBuilder outputs = new StringBuilder();
		for (final String o : List.of("disp", "enc1", "enc2", "enc3", "enc4", "enc5"))
			outputs.append("  - id: ").append(o).append("\n    axes: ").append(space).append('\n');
		Files.writeString(pkg.resolve("rdf.yaml"), "format_version: 0.5.3\ntype: model\nname: unet175\ninputs:\n  - id: pair\n    axes:\n"
				+ "      - type: batch\n      - {type: channel, channel_names: [followup, baseline]}\n"
				+ "      - {type: space, id: z, size: 175}\n      - {type: space, id: y, size: 175}\n      - {type: space, id: x, size: 175}\n"
				+ "    preprocessing:\n      - {id: scale_range, kwargs: {axes: [z, y, x], min_percentile: 0, max_percentile: 99}}\n"
				+ "      - {id: clip, kwargs: {min: 0, max: 1}}\n"
				+ "outputs:\n" + outputs + "weights:\n  onnx: {source: unet175.onnx, opset_version: 13}\n  torchscript: {source: unet175.pt}\n"
				+ "config:\n  progression_probe: {feature_layers: [enc1, enc2, enc3, enc4, enc5], pair_mode: pair}\n");

		Runtime.getRuntime().addShutdownHook(new Thread(() -> {
			try (java.util.stream.Stream<Path> files = Files.list(pkg)) {
				files.forEach(f -> f.toFile().delete());
			} catch (final java.io.IOException e) {
				// a temporary folder left behind
			}
			pkg.toFile().delete();
		}));
		final Volume base = scan(192, 192, 160, 1), follow = scan(192, 192, 160, 2);
		System.out.printf("threads: %d, scans %s, input 2 x 175^3, layers enc1..enc5, gap, %d pairs%n", Runtime.getRuntime().availableProcessors(),
				base, pairs);

		final int rounds = 3;
		System.out.printf("%d rounds of: the anchor (5 forward passes), then our whole step on %d pairs with each engine; the machine is shared, "
				+ "so each round compares runs made close together%n", rounds, pairs);
		final List<Double> ratios = new ArrayList<>();
		final List<Double> anchors = new ArrayList<>();
		final java.util.Map<WeightsFormat, List<Double>> ours = new java.util.EnumMap<>(WeightsFormat.class);
		final long rssStart = peakRss();
		final long t0 = System.nanoTime();
		try (ModelFeatures onnx = new ModelFeatures(ModelPackage.open(pkg), FeatureSettings.defaults());
				ModelFeatures torch = new ModelFeatures(ModelPackage.open(pkg), FeatureSettings.defaults().withWeights(WeightsFormat.TORCHSCRIPT))) {
			System.out.printf("both models loaded once in %.2f s (a cohort loads each once)%n", (System.nanoTime() - t0) / 1e9);
			final FeatureVector a = onnx.compute(base, follow), b = torch.compute(base, follow);
			double worst = 0;
			for (int i = 0; i < a.size(); i++)
				worst = Math.max(worst, Math.abs(a.values()[i] - b.values()[i]) / (Math.abs(b.values()[i]) + 1e-3));
			System.out.printf("%d features; ONNX Runtime vs PyTorch largest relative difference %.2e; peak RSS %d MB at start, %d MB after one pair "
					+ "each%n", a.size(), worst, rssStart >> 20, peakRss() >> 20);
			for (int r = 0; r < rounds; r++) {
				final double anchor = anchor(shared.resolve("bench/torch_infer.py"), models.resolve("unet175.pt"));
				anchors.add(anchor);
				final StringBuilder line = new StringBuilder(String.format("round %d: anchor %.3f s", r + 1, anchor));
				for (final ModelFeatures fx : List.of(onnx, torch)) {
					final List<Double> times = new ArrayList<>();
					for (int i = 0; i < pairs; i++) {
						final long t = System.nanoTime();
						fx.compute(base, follow);
						times.add((System.nanoTime() - t) / 1e9);
					}
					Collections.sort(times);
					final double median = times.get(times.size() / 2);
					ours.computeIfAbsent(fx.settings().weights() == null ? WeightsFormat.ONNX : fx.settings().weights(), k -> new ArrayList<>()).add(median);
					line.append(String.format(", %s whole step %.3f s (ratio %.2f)", fx.provenance().get("engine"), median, median / anchor));
					if (fx == onnx)
						ratios.add(median / anchor);
				}
				System.out.println(line);
			}
			System.out.printf("peak RSS after all rounds: %d MB (JVM, both engines and both models loaded)%n", peakRss() >> 20);
		}
		final long input = 2L * 175 * 175 * 175 * 4, enc1 = 16L * 88 * 88 * 88 * 4;
		System.out.printf("sizes: input %d MB, largest feature map (enc1 16 x 88^3) %d MB, disp (not requested) %d MB%n", input >> 20, enc1 >> 20,
				(3L * 175 * 175 * 175 * 4) >> 20);
		Collections.sort(ratios);
		System.out.printf("median over rounds: anchor %.3f s, ONNX Runtime whole step %.3f s, PyTorch (DJL) whole step %.3f s%n", median(anchors),
				median(ours.get(WeightsFormat.ONNX)), median(ours.get(WeightsFormat.TORCHSCRIPT)));
		System.out.printf("ratio (our whole step with ONNX Runtime / PyTorch-from-Python forward alone), median of the rounds: %.2f (rounds: %s)%n",
				ratios.get(ratios.size() / 2), ratios);
	}

	private static double median(final List<Double> v) {
		final List<Double> s = new ArrayList<>(v);
		Collections.sort(s);
		return s.get(s.size() / 2);
	}

	/** A smooth pattern plus seeded noise, MRI-like positive intensities. */
	private static Volume scan(final int nx, final int ny, final int nz, final long seed) {
		final Random r = new Random(seed);
		final float[] v = new float[nx * ny * nz];
		int i = 0;
		for (int z = 0; z < nz; z++)
			for (int y = 0; y < ny; y++)
				for (int x = 0; x < nx; x++)
					v[i++] = (float) (400 + 300 * Math.sin(0.05 * x + 0.07 * y + 0.03 * z + seed) + 20 * r.nextGaussian());
		return Volume.wrap(v, nx, ny, nz, new AffineTransform3D());
	}

	private static double anchor(final Path script, final Path model) throws Exception {
		final Process p = new ProcessBuilder("/usr/bin/python3", script.toString(), model.toString(), "2", "175", "5").redirectErrorStream(true).start();
		final StringBuilder out = new StringBuilder();
		try (BufferedReader r = new BufferedReader(new InputStreamReader(p.getInputStream(), StandardCharsets.UTF_8))) {
			for (String l; (l = r.readLine()) != null;)
				out.append(l).append('\n');
		}
		if (p.waitFor() != 0)
			throw new IllegalStateException("torch_infer.py failed:\n" + out);
		System.out.print("anchor: " + out);
		final Matcher m = Pattern.compile("median_s=([0-9.]+)").matcher(out);
		if (!m.find())
			throw new IllegalStateException("No median in torch_infer.py output:\n" + out);
		return Double.parseDouble(m.group(1));
	}

	/** VmHWM: the process's peak resident memory so far, in bytes (0 where /proc is absent). */
	private static long peakRss() {
		try {
			for (final String l : Files.readAllLines(Path.of("/proc/self/status")))
				if (l.startsWith("VmHWM:"))
					return Long.parseLong(l.replaceAll("[^0-9]", "")) * 1024;
		} catch (final Exception e) {
			return 0;
		}
		return 0;
	}
}
