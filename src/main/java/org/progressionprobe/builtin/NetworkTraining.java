package org.progressionprobe.builtin;

import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.stream.Stream;
import java.util.zip.ZipEntry;
import java.util.zip.ZipOutputStream;

import org.progressionprobe.command.Progress;
import org.progressionprobe.io.AtomicOutput;

/**
 * Trains a built-in network from scratch on simulated subjects and writes it as a model package that
 * model features load like any other: {@code rdf.yaml} (bioimage.io 0.5 with the
 * {@code config: progression_probe:} block), the SavedModel, {@code training_settings.txt} and
 * {@code metrics.csv} (the held-out figures, training time and loss). The output is a folder (which
 * must not exist yet, or be empty) or a {@code .zip}; it appears complete or not at all.
 */
public final class NetworkTraining {

	/** What a run produced. */
	public record Result(Path output, LinkedHashMap<String, Double> metrics, double firstLoss, double lastLoss, double seconds) {

		/** One line: the main figure, loss and time. */
		public String summary() {
			final StringBuilder sb = new StringBuilder();
			for (final Map.Entry<String, Double> e : metrics.entrySet())
				if (e.getKey().endsWith("dice_mean") || e.getKey().startsWith("epe"))
					sb.append(e.getKey()).append(' ').append(String.format(Locale.ROOT, "%.3f", e.getValue())).append(", ");
			return sb + String.format(Locale.ROOT, "loss %.4f -> %.4f, %.0f s", firstLoss, lastLoss, seconds);
		}
	}

	private final TrainingSettings settings;
	private final Progress progress;

	public NetworkTraining(final TrainingSettings settings, final Progress progress) {
		this.settings = settings;
		this.progress = progress;
	}

	/** Simulates the subjects, trains, evaluates on the held-out subjects and writes the package. */
	public Result run(final Path output) throws IOException {
		final boolean zip = output.getFileName().toString().toLowerCase(Locale.ROOT).endsWith(".zip");
		if (!zip && Files.isDirectory(output))
			try (Stream<Path> s = Files.list(output)) {
				if (s.findAny().isPresent())
					throw new IOException(output + ": the output folder exists and is not empty; give a new folder or a .zip");
			}
		final long start = System.nanoTime();
		final Path work = Files.createTempDirectory("builtin-training");
		try {
			final List<TrainingSubject> training = TrainingSubject.simulate(settings, false, work.resolve("training"), progress);
			final List<TrainingSubject> heldOut = TrainingSubject.simulate(settings, true, work.resolve("held_out"), progress);
			final BuiltinTask task = NetworkTrainer.task(settings);
			final NetworkTrainer trainer = new NetworkTrainer(settings, task, progress);
			final NetworkTrainer.Trained t = trainer.train(training, heldOut);
			final LinkedHashMap<String, Double> metrics = new LinkedHashMap<>(t.metrics());
			final double seconds = (System.nanoTime() - start) / 1e9;
			metrics.put("loss_first_tenth", t.meanLoss(true));
			metrics.put("loss_last_tenth", t.meanLoss(false));
			metrics.put("training_seconds", t.seconds());
			metrics.put("total_seconds", seconds);
			final Path pkg = work.resolve("package");
			Files.createDirectories(pkg);
			trainer.export(t.weights(), pkg.resolve("saved_model"));
			Files.writeString(pkg.resolve("rdf.yaml"), description(task));
			Files.writeString(pkg.resolve("training_settings.txt"), settingsText());
			Files.writeString(pkg.resolve("metrics.csv"), metricsCsv(metrics, t.losses()));
			if (zip)
				AtomicOutput.write(output, out -> zip(pkg, out));
			else
				AtomicOutput.produce(output, tmp -> copyTree(pkg, tmp));
			return new Result(output, metrics, t.meanLoss(true), t.meanLoss(false), seconds);
		} finally {
			deleteTree(work);
		}
	}

	/** What the subjects were simulated from, for the package's metadata. */
	String trainingData() {
		return settings.phantom() ? "Simulate Cohort's phantom"
				: "Simulate Cohort on template " + settings.template().getFileName() + " with atlas " + settings.atlas().getFileName() + " (classes "
						+ String.join(", ", settings.classNames().values()) + "), each subject seen with its own contrast and resolution";
	}

	private String settingsText() {
		final StringBuilder sb = new StringBuilder("# Train Built-in Network settings (command keys); training data: " + trainingData() + "\n");
		for (final Map.Entry<String, String> e : settings.describe().entrySet())
			sb.append(e.getKey()).append(": ").append(e.getValue()).append('\n');
		sb.append("# simulated training subjects\n");
		for (final Map.Entry<String, String> e : settings.simulation(false).identity().entrySet())
			sb.append("simulation.").append(e.getKey()).append(": ").append(e.getValue()).append('\n');
		sb.append("held_out.seed: ").append(settings.simulation(true).seed()).append('\n');
		return sb.toString();
	}

	private static String metricsCsv(final Map<String, Double> metrics, final double[] losses) {
		final StringBuilder sb = new StringBuilder("metric,value\n");
		for (final Map.Entry<String, Double> e : metrics.entrySet())
			sb.append(e.getKey()).append(',').append(String.format(Locale.ROOT, "%.6g", e.getValue())).append('\n');
		final int every = Math.max(1, losses.length / 50);
		for (int i = 0; i < losses.length; i += every)
			sb.append("loss_step_").append(i + 1).append(',').append(String.format(Locale.ROOT, "%.6g", losses[i])).append('\n');
		return sb.toString();
	}

	/** The bioimage.io description: input with its size and normalisation, outputs, feature layers and pair mode. */
	String description(final BuiltinTask task) {
		final int[] s = settings.inputSize();
		final String space = "{type: space, id: z, size: " + s[0] + "}, {type: space, id: y, size: " + s[1] + "}, {type: space, id: x, size: " + s[2]
				+ "}";
		final StringBuilder sb = new StringBuilder();
		sb.append("format_version: 0.5.3\ntype: model\n");
		sb.append("name: builtin-").append(settings.network()).append('\n');
		sb.append("description: \"").append(task.description()).append("\"\n");
		sb.append("tags: [progression-probe, built-in, 3d, ").append(settings.unet() ? "segmentation" : "registration").append("]\n");
		sb.append("inputs:\n  - id: ").append(task.inputName()).append('\n');
		sb.append("    axes: [{type: batch}, ").append(space).append(", {type: channel, channel_names: [")
				.append(String.join(", ", task.channelNames())).append("]}]\n");
		sb.append("    preprocessing:\n      - id: ").append(BuiltinTask.PREPROCESSING_ID).append("\n        kwargs: {axes: [z, y, x]}\n");
		sb.append("outputs:\n");
		for (final String o : outputNames(task))
			sb.append("  - id: ").append(o).append("\n    axes: [{type: batch}, {type: space, id: z}, {type: space, id: y}, {type: space, id: x}, {type: channel}]\n");
		sb.append("weights:\n  tensorflow_saved_model_bundle:\n    source: saved_model\n    tensorflow_version: \"2.18\"\n");
		sb.append("config:\n  progression_probe:\n    feature_layers: [").append(String.join(", ", task.featureLayers())).append("]\n");
		sb.append("    pair_mode: ").append(task.network().inChannels() == 2 ? "pair" : "single").append('\n');
		sb.append("    training_settings: training_settings.txt\n    metrics: metrics.csv\n");
		sb.append("    training_data: \"").append(trainingData()).append("\"\n");
		return sb.toString();
	}

	static List<String> outputNames(final BuiltinTask task) {
		final List<String> names = new ArrayList<>(task.network().layerNames());
		names.addAll(task.headOutputs());
		return names;
	}

	private static void zip(final Path dir, final OutputStream out) throws IOException {
		try (ZipOutputStream z = new ZipOutputStream(out); Stream<Path> files = Files.walk(dir)) {
			for (final Path f : files.filter(Files::isRegularFile).sorted().toList()) {
				final ZipEntry e = new ZipEntry(dir.relativize(f).toString().replace('\\', '/'));
				e.setTime(0);
				z.putNextEntry(e);
				Files.copy(f, z);
				z.closeEntry();
			}
		}
	}

	private static void copyTree(final Path from, final Path to) throws IOException {
		try (Stream<Path> s = Files.walk(from)) {
			for (final Path p : s.toList()) {
				final Path t = to.resolve(from.relativize(p).toString());
				if (Files.isDirectory(p))
					Files.createDirectories(t);
				else
					Files.copy(p, t);
			}
		}
	}

	private static void deleteTree(final Path dir) {
		try (Stream<Path> s = Files.walk(dir)) {
			s.sorted(Comparator.reverseOrder()).forEach(p -> {
				try {
					Files.deleteIfExists(p);
				} catch (final IOException e) {
					throw new UncheckedIOException(e);
				}
			});
		} catch (final IOException | UncheckedIOException e) {
			// a temporary folder left behind is harmless
		}
	}
}
