package org.progressionprobe.bench;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Random;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import org.progressionprobe.command.Progress;
import org.progressionprobe.probe.CrossValidationResult;
import org.progressionprobe.probe.Metric;
import org.progressionprobe.probe.ProbeColumns;
import org.progressionprobe.probe.ProbeData;
import org.progressionprobe.probe.ProbeSettings;
import org.progressionprobe.probe.ProbeTrainer;
import org.progressionprobe.probe.RepeatedCrossValidation;
import org.progressionprobe.table.Csv;
import org.progressionprobe.table.FeatureTable;
import org.progressionprobe.testing.SharedData;

/**
 * Parity of the linear probe with scikit-learn (the anchor {@code shared/bench/sklearn_probe.py}):
 * the same protocol (C=1 fixed, balanced class weights, z-scoring inside each fold, grouped
 * stratified 5-fold) on the same synthetic feature table (200 rows of 150 subjects x 100 features,
 * weak signal in 10 of them). Compares
 * <ol>
 * <li>both on identical folds (ours, exported to a small scikit-learn script): mean fold AUC and
 * the largest difference between the two tools' out-of-fold probabilities;</li>
 * <li>each tool with its own folds, mean fold AUC averaged over seeds 0..9 (the splitters differ, so
 * one seed alone compares splits as much as models);</li>
 * <li>fit time (z-scoring and fitting, summed over the 5 folds): the median ratio of the 10 paired
 * runs of step 2 (each tool run back to back, so under similar load on a shared machine), and
 * for information scikit-learn's median and minimum against ours cold (the first
 * cross-validation in the JVM) and warm (median and minimum of 20 repeats);</li>
 * <li>with an argument {@code repeats} (e.g. 5): the repeated cross-validation
 * ({@link ProbeTrainer#crossValidateRepeated}), each repeat's folds exported to scikit-learn as in
 * step 1; per-repeat pooled AUCs of both, their mean over repeats and the fit time ratio.</li>
 * </ol>
 * Needs {@code apt-get install -y python3-sklearn python3-pandas}. Run:
 * {@code scripts/bench/java.sh ProbeParityBench [repeats]}
 */
public final class ProbeParityBench {

	private static final Pattern NUMBER = Pattern.compile("([a-z_0-9]+)=([0-9.eE+-]+)");
	private static final int SEEDS = 10;

	private ProbeParityBench() {}

	public static void main(final String[] args) throws Exception {
		final int repeats = args.length > 0 ? Integer.parseInt(args[0]) : 0;
		final Path shared = SharedData.root();
		if (shared == null || !Files.isRegularFile(shared.resolve("bench/sklearn_probe.py")))
			throw new IllegalStateException("Needs ../shared/bench/sklearn_probe.py (or -Dprogression.shared=DIR)");
		final Path anchor = shared.resolve("bench/sklearn_probe.py");
		final Path work = Files.createTempDirectory("probe-parity");
		final Path table = work.resolve("features.csv");
		final FeatureTable t = syntheticTable(200, 150, 100, 10, 0.45, 42);
		Files.writeString(table, t.toCsv().replaceAll("(?m)^#.*\n", ""));
		final ProbeData data = ProbeData.forTraining(FeatureTable.read(table), ProbeColumns.defaults(), 5, table.toString());
		int positives = 0;
		for (final int l : data.labels())
			positives += l;
		System.out.printf(Locale.ROOT, "table: %d rows of %d subjects, %d features, %d positive (%s)%n", data.rowCount(),
				data.groups().stream().distinct().count(), data.features().size(), positives, table);
		final String python = Files.isExecutable(Path.of("/usr/bin/python3")) ? "/usr/bin/python3" : "python3";

		// 1. identical folds (first, so that our first fits are cold: class loading, JIT): ours exported to scikit-learn
		final ProbeTrainer trainer = new ProbeTrainer(settings(0), Progress.NONE);
		final long c0 = System.nanoTime();
		final CrossValidationResult ours = trainer.crossValidate(data);
		final double coldWall = (System.nanoTime() - c0) / 1e9;
		final double coldFit = ours.fitSeconds();
		final Path helper = work.resolve("sklearn_probe_folds.py");
		try (InputStream in = ProbeParityBench.class.getResourceAsStream("sklearn_probe_folds.py")) {
			Files.copy(in, helper);
		}
		final SameFolds sameFolds = new SameFolds(python, helper, table, work);
		final Map<String, Double> same = sameFolds.run(ours, "single");
		final double maxDiff = same.get("max_probability_diff");
		final double sameDiff = Math.abs(same.get("auc") - ours.evaluation().foldMean(Metric.AUC).value());
		System.out.printf(Locale.ROOT, "identical folds: sklearn auc=%.4f pooled=%.4f | ours auc=%.4f pooled=%.4f | |diff|=%.4f (target <= 0.01: %s); "
				+ "max |probability diff| = %.4f%n", same.get("auc"), same.get("pooled_auc"), ours.evaluation().foldMean(Metric.AUC).value(),
				ours.evaluation().pooled(Metric.AUC).value(), sameDiff, sameDiff <= 0.01 ? "PASS" : "FAIL", maxDiff);

		// warm-up and warm timing of ours (20 repeats), before the paired runs
		final double[] warm = new double[20];
		for (int r = 0; r < warm.length; r++)
			warm[r] = trainer.crossValidate(data).fitSeconds();

		// 2. each with its own folds, seeds 0..9
		final double[] skAuc = new double[SEEDS], ourAuc = new double[SEEDS], skFit = new double[SEEDS], ourFit = new double[SEEDS];
		for (int seed = 0; seed < SEEDS; seed++) {
			final Map<String, Double> sk = parse(run(python, anchor.toString(), table.toString(), "--C", "1", "--folds", "5", "--seed",
					Integer.toString(seed)));
			skAuc[seed] = sk.get("auc");
			skFit[seed] = sk.get("fit_s");
			final CrossValidationResult cv = new ProbeTrainer(settings(seed), Progress.NONE).crossValidate(data);
			ourAuc[seed] = cv.evaluation().foldMean(Metric.AUC).value();
			ourFit[seed] = cv.fitSeconds();
			System.out.printf(Locale.ROOT, "seed %d: sklearn own folds auc=%.4f f1=%.4f fit_s=%.4f | ours own folds auc=%.4f f1=%.4f fit_s=%.4f%n", seed,
					skAuc[seed], sk.get("f1"), skFit[seed], ourAuc[seed], cv.evaluation().foldMean(Metric.F1).value(), ourFit[seed]);
		}
		final double ownDiff = Math.abs(mean(skAuc) - mean(ourAuc));
		System.out.printf(Locale.ROOT, "own folds, mean over %d seeds: sklearn auc=%.4f, ours auc=%.4f, |diff|=%.4f (target <= 0.01: %s)%n", SEEDS,
				mean(skAuc), mean(ourAuc), ownDiff, ownDiff <= 0.01 ? "PASS" : "FAIL");

		// 3. fit time
		final double[] paired = new double[SEEDS];
		for (int i = 0; i < SEEDS; i++)
			paired[i] = ourFit[i] / skFit[i];
		final double skMedian = median(skFit), skMin = Arrays.stream(skFit).min().orElse(0), ourMin = Arrays.stream(warm).min().orElse(0);
		System.out.printf(Locale.ROOT, "fit seconds (5 folds): sklearn median %.4f, min %.4f over %d runs | ours cold %.4f (whole first CV %.3f), "
				+ "warm median %.4f, min %.4f over %d runs%n", skMedian, skMin, SEEDS, coldFit, coldWall, median(warm), ourMin, warm.length);
		System.out.printf(Locale.ROOT, "fit time ratio ours/sklearn: median of %d paired runs (back to back, same load) %.2f; median/median %.2f; "
				+ "min/min %.2f; cold/median %.2f%n", SEEDS, median(paired), median(warm) / skMedian, ourMin / skMin, coldFit / skMedian);
		System.out.printf(Locale.ROOT, "fit time target ours <= 2x sklearn (paired median): %s (shared machine, timings are noisy)%n",
				median(paired) <= 2 ? "PASS" : "FAIL");
		if (repeats > 0)
			repeated(data, sameFolds, repeats);
	}

	/**
	 * 4. Repeated cross-validation ({@link ProbeTrainer#crossValidateRepeated}): each repeat's folds,
	 * as the project makes them, exported to scikit-learn, so both run the same splits; per-repeat
	 * pooled AUCs, their mean over repeats and the fit time ratio (summed over all repeats' folds).
	 */
	private static void repeated(final ProbeData data, final SameFolds sameFolds, final int repeats) throws IOException, InterruptedException {
		final RepeatedCrossValidation ours = new ProbeTrainer(settings(0), Progress.NONE).crossValidateRepeated(data, repeats);
		final double[] skAuc = new double[repeats], ratio = new double[repeats];
		double skFit = 0, ourFit = 0, maxDiff = 0;
		for (int r = 0; r < repeats; r++) {
			final CrossValidationResult cv = ours.repeats().get(r);
			final Map<String, Double> sk = sameFolds.run(cv, "repeat" + r);
			skAuc[r] = sk.get("pooled_auc");
			ratio[r] = cv.fitSeconds() / sk.get("fit_s");
			skFit += sk.get("fit_s");
			ourFit += cv.fitSeconds();
			maxDiff = Math.max(maxDiff, sk.get("max_probability_diff"));
			System.out.printf(Locale.ROOT, "repeat %d (%d rows in another fold than repeat 0): sklearn pooled auc=%.4f fold-mean auc=%.4f fit_s=%.4f | "
					+ "ours pooled auc=%.4f fold-mean auc=%.4f fit_s=%.4f | max |probability diff| = %.4f%n", r, moved(ours.first().fold(), cv.fold()),
					skAuc[r], sk.get("auc"), sk.get("fit_s"), cv.evaluation().pooled(Metric.AUC).value(), cv.evaluation().foldMean(Metric.AUC).value(),
					cv.fitSeconds(), sk.get("max_probability_diff"));
		}
		final double diff = Math.abs(mean(skAuc) - ours.mean(Metric.AUC).value());
		System.out.printf(Locale.ROOT, "repeated CV, %d repeats on the same splits: mean pooled auc sklearn=%.4f, ours=%.4f (RepeatedCrossValidation.mean; "
				+ "spread over repeats %.4f), |diff|=%.4f (target <= 0.01: %s); max |probability diff| over all repeats = %.4f%n", repeats, mean(skAuc),
				ours.mean(Metric.AUC).value(), ours.aucSpread(), diff, diff <= 0.01 ? "PASS" : "FAIL", maxDiff);
		System.out.printf(Locale.ROOT, "repeated CV fit seconds (%d repeats x 5 folds): sklearn %.4f, ours %.4f; time ratio ours/sklearn %.2f "
				+ "(median of per-repeat ratios %.2f)%n", repeats, skFit, ourFit, ourFit / skFit, median(ratio));
	}

	private static int moved(final int[] reference, final int[] fold) {
		int n = 0;
		for (int i = 0; i < fold.length; i++)
			n += reference[i] != fold[i] ? 1 : 0;
		return n;
	}

	/** scikit-learn's probe on the folds of one of our cross-validations (the helper {@code sklearn_probe_folds.py}). */
	private record SameFolds(String python, Path helper, Path table, Path work) {

		/** Its printed numbers, plus {@code max_probability_diff}: the largest out-of-fold probability difference to ours. */
		Map<String, Double> run(final CrossValidationResult ours, final String name) throws IOException, InterruptedException {
			final Path folds = work.resolve("folds-" + name + ".csv");
			final StringBuilder fsb = new StringBuilder("fold\n");
			for (final int f : ours.fold())
				fsb.append(f).append('\n');
			Files.writeString(folds, fsb.toString());
			final Path probabilities = work.resolve("sklearn-probabilities-" + name + ".csv");
			final Map<String, Double> out = parse(ProbeParityBench.run(python, helper.toString(), table.toString(), folds.toString(),
					probabilities.toString(), "--C", "1"));
			final FeatureTable skp = FeatureTable.read(probabilities);
			final double[] ourP = ours.probabilities();
			double maxDiff = 0;
			for (int i = 0; i < ourP.length; i++)
				maxDiff = Math.max(maxDiff, Math.abs(ourP[i] - skp.number(i, "probability")));
			out.put("max_probability_diff", maxDiff);
			return out;
		}
	}

	private static ProbeSettings settings(final long seed) {
		return ProbeSettings.defaults().withC(1).withFolds(5).withSeed(seed).withBootstrap(0);
	}

	/**
	 * Rows of subjects (the first {@code rows - subjects} subjects have two visits), about a third
	 * progressing; {@code informative} features are shifted by {@code effect} SD in progressors; all
	 * features share block factors (correlated, as pooled image features are); a second visit repeats
	 * the first with small changes.
	 */
	static FeatureTable syntheticTable(final int rows, final int subjects, final int features, final int informative, final double effect,
			final long seed) {
		final Random r = new Random(seed);
		final List<String> header = new ArrayList<>(List.of("subject", "label"));
		for (int j = 0; j < features; j++)
			header.add(String.format("feat_%03d", j));
		final FeatureTable t = new FeatureTable(header, Map.of());
		int row = 0;
		for (int s = 0; s < subjects && row < rows; s++) {
			final int label = r.nextDouble() < 0.35 ? 1 : 0;
			final double[] block = new double[10];
			for (int b = 0; b < block.length; b++)
				block[b] = r.nextGaussian();
			final double[] x = new double[features];
			for (int j = 0; j < features; j++)
				x[j] = 0.6 * block[j % block.length] + 0.8 * r.nextGaussian() + (j < informative && label == 1 ? effect : 0) + 0.1 * j;
			final int visits = s < rows - subjects ? 2 : 1;
			for (int v = 0; v < visits; v++) {
				final Map<String, String> cells = new LinkedHashMap<>();
				cells.put("subject", String.format("subj%03d", s));
				cells.put("label", Integer.toString(label));
				for (int j = 0; j < features; j++)
					cells.put(header.get(j + 2), Csv.number(x[j] + (v == 0 ? 0 : 0.3 * r.nextGaussian())));
				t.addRow(cells);
				row++;
			}
		}
		return t;
	}

	private static String run(final String... command) throws IOException, InterruptedException {
		final Process p = new ProcessBuilder(command).redirectErrorStream(true).start();
		final String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
		if (p.waitFor() != 0)
			throw new IOException(String.join(" ", command) + " failed:\n" + out);
		return out;
	}

	private static Map<String, Double> parse(final String line) {
		final Map<String, Double> out = new LinkedHashMap<>();
		final Matcher m = NUMBER.matcher(line);
		while (m.find())
			out.put(m.group(1), Double.parseDouble(m.group(2)));
		if (!out.containsKey("auc"))
			throw new IllegalStateException("No auc= in: " + line);
		return out;
	}

	private static double mean(final double[] v) {
		return Arrays.stream(v).average().orElse(Double.NaN);
	}

	private static double median(final double[] v) {
		final double[] s = v.clone();
		Arrays.sort(s);
		return s.length % 2 == 1 ? s[s.length / 2] : (s[s.length / 2 - 1] + s[s.length / 2]) / 2;
	}
}
