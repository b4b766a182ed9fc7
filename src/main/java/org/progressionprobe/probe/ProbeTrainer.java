package org.progressionprobe.probe;

import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

import org.progressionprobe.command.Progress;

/**
 * Trains and validates linear probes: z-scored, class-weighted L2 logistic regression (Tribuo
 * LibLinear) under stratified k-fold cross-validation grouped by subject (no subject in both the
 * training and the test part of a fold), with C fixed or chosen by inner cross-validation inside
 * each training part. z-scoring is fitted on each training part only. The same data and settings
 * give the same numbers.
 */
public final class ProbeTrainer {

	/** Seed distance between the splits of repeated cross-validation. */
	private static final long REPEAT_SEED_STEP = 1_000_003L;

	private final ProbeSettings settings;
	private final Progress progress;

	public ProbeTrainer(final ProbeSettings settings, final Progress progress) {
		this.settings = settings;
		this.progress = progress;
	}

	/** Cross-validates with seeded stratified grouped folds. */
	public CrossValidationResult crossValidate(final ProbeData data) {
		return crossValidate(data, folds(data.labels(), data.groups(), 0));
	}

	/**
	 * Cross-validates {@code repeats} times, each on a new seeded grouped stratified split (the
	 * first the split of {@link #crossValidate(ProbeData)}).
	 */
	public RepeatedCrossValidation crossValidateRepeated(final ProbeData data, final int repeats) {
		if (repeats < 1)
			throw new IllegalArgumentException("repeats must be at least 1, got " + repeats);
		final List<CrossValidationResult> out = new java.util.ArrayList<>();
		for (int r = 0; r < repeats; r++)
			out.add(crossValidate(data, folds(data.labels(), data.groups(), r)));
		return new RepeatedCrossValidation(out);
	}

	/** The folds of repeat {@code repeat} (0 = the default split) for these labels and groups. */
	public int[] folds(final int[] labels, final List<String> groups, final int repeat) {
		return StratifiedGroupFolds.assign(labels, groups, settings.folds(), settings.seed() + REPEAT_SEED_STEP * repeat);
	}

	/**
	 * The same trainer without bootstrap intervals and without progress reports (it still stops when
	 * the user cancels), for the many reruns of permutation tests and nested cross-validation.
	 */
	public ProbeTrainer quiet() {
		return new ProbeTrainer(settings.withBootstrap(0), new Progress() {
			@Override
			public void report(final String step, final long done, final long total) {}

			@Override
			public boolean isCancelled() {
				return progress.isCancelled();
			}
		});
	}

	/** The progress this trainer reports to. */
	public Progress progress() {
		return progress;
	}

	/**
	 * Cross-validates with given folds (e.g. from another tool, to compare on identical splits).
	 *
	 * @param fold fold per row, 0..k-1; a group must not straddle folds
	 */
	public CrossValidationResult crossValidate(final ProbeData data, final int[] fold) {
		final int[] labels = data.labels();
		if (fold.length != labels.length)
			throw new IllegalArgumentException(fold.length + " folds for " + labels.length + " rows");
		requireGrouped(data.groups(), fold);
		final int k = Arrays.stream(fold).max().orElse(-1) + 1;
		final double[] probabilities = new double[labels.length];
		final double[] chosenC = new double[k];
		long fitNanos = 0;
		for (int f = 0; f < k; f++) {
			progress.checkCancelled();
			progress.report("Cross-validating the probe", f, k);
			final int[] train = StratifiedGroupFolds.rows(fold, f, false);
			final int[] test = StratifiedGroupFolds.rows(fold, f, true);
			if (test.length == 0)
				continue;
			final ProbeData trainData = data.rows(train);
			chosenC[f] = chooseC(trainData, settings.seed() + 1 + f);
			final long t0 = System.nanoTime();
			final Standardizer z = Standardizer.fit(trainData.x());
			final var model = LibLinearLogistic.train(z.apply(trainData.x()), trainData.labels(), data.features(), chosenC[f],
					settings.tolerance(), data.source() + " fold " + (f + 1) + " training rows", Map.of());
			fitNanos += System.nanoTime() - t0;
			final double[] p = LibLinearLogistic.probabilities(model, z.apply(data.rows(test).x()), data.features());
			for (int q = 0; q < test.length; q++)
				probabilities[test[q]] = p[q];
		}
		progress.report("Cross-validating the probe", k, k);
		final Evaluation evaluation = Evaluation.of(labels, probabilities, data.groups(), fold, settings.threshold(), settings.bootstrap(),
				settings.seed());
		return new CrossValidationResult(fold, probabilities, chosenC, evaluation, fitNanos / 1e9);
	}

	/**
	 * The C to fit on these rows: the fixed one, or the grid value with the best mean AUC over inner
	 * stratified grouped folds of these rows (ties to the smaller C).
	 */
	public double chooseC(final ProbeData data) {
		return chooseC(data, settings.seed());
	}

	private double chooseC(final ProbeData data, final long seed) {
		if (settings.fixedC().isPresent())
			return settings.fixedC().getAsDouble();
		final double[] grid = settings.cGrid();
		if (grid.length == 1)
			return grid[0];
		final int[] labels = data.labels();
		final int k = Math.min(settings.innerFolds(), minGroupsPerClass(labels, data.groups()));
		if (k < 2)
			throw new ProbeDataException(data.source(), List.of("too few subjects per class to choose C by inner cross-validation; give a fixed C"));
		final int[] fold = StratifiedGroupFolds.assign(labels, data.groups(), k, seed);
		final double[] aucSum = new double[grid.length];
		final int[] aucCount = new int[grid.length];
		for (int f = 0; f < k; f++) {
			final ProbeData train = data.rows(StratifiedGroupFolds.rows(fold, f, false));
			final ProbeData test = data.rows(StratifiedGroupFolds.rows(fold, f, true));
			final int[] testLabels = test.labels();
			if (!hasBothClasses(train.labels()) || !hasBothClasses(testLabels))
				continue;
			final Standardizer z = Standardizer.fit(train.x());
			final LibLinearLogistic.Rows rows = new LibLinearLogistic.Rows(z.apply(train.x()), train.labels(), data.features(),
					data.source() + " inner fold");
			final double[][] zTest = z.apply(test.x());
			for (int g = 0; g < grid.length; g++) {
				progress.checkCancelled();
				final var model = rows.train(grid[g], settings.tolerance(), Map.of());
				aucSum[g] += Metric.auc(testLabels, LibLinearLogistic.probabilities(model, zTest, data.features()));
				aucCount[g]++;
			}
		}
		int best = 0;
		double bestAuc = Double.NEGATIVE_INFINITY;
		for (int g = 0; g < grid.length; g++) {
			final double auc = aucCount[g] == 0 ? Double.NaN : aucSum[g] / aucCount[g];
			if (auc > bestAuc + 1e-12) {
				bestAuc = auc;
				best = g;
			}
		}
		return grid[best];
	}

	/**
	 * Fits the final probe on all rows with the given C.
	 *
	 * @param metrics cross-validation metrics to store with the probe (may be empty)
	 */
	public TrainedProbe fit(final ProbeData data, final double c, final Map<String, Double> metrics) {
		final Standardizer z = Standardizer.fit(data.x());
		final Map<String, String> described = new LinkedHashMap<>(settings.describe());
		described.put("c_final", Double.toString(c));
		final var model = LibLinearLogistic.train(z.apply(data.x()), data.labels(), data.features(), c, settings.tolerance(),
				data.source() + " (all rows, z-scored)",
				TrainedProbe.provenance(data.features(), z, c, settings.threshold(), data, metrics, described));
		return new TrainedProbe(model);
	}

	/** Cross-validates, chooses C on all rows, and fits the final probe carrying the cross-validation metrics. */
	public Training train(final ProbeData data) {
		final CrossValidationResult cv = crossValidate(data);
		progress.report("Fitting the final probe", 0, 1);
		final double c = chooseC(data);
		final TrainedProbe probe = fit(data, c, cv.evaluation().pooledValues());
		progress.report("Fitting the final probe", 1, 1);
		return new Training(cv, probe);
	}

	/** The outcome of {@link #train}: the cross-validation and the probe fitted on all rows. */
	public record Training(CrossValidationResult crossValidation, TrainedProbe probe) {}

	public ProbeSettings settings() {
		return settings;
	}

	private static boolean hasBothClasses(final int[] labels) {
		int positives = 0;
		for (final int l : labels)
			positives += l;
		return positives > 0 && positives < labels.length;
	}

	private static int minGroupsPerClass(final int[] labels, final List<String> groups) {
		final List<Set<String>> perClass = List.of(new LinkedHashSet<>(), new LinkedHashSet<>());
		for (int i = 0; i < labels.length; i++)
			perClass.get(labels[i]).add(groups.get(i));
		return Math.min(perClass.get(0).size(), perClass.get(1).size());
	}

	private static void requireGrouped(final List<String> groups, final int[] fold) {
		final Map<String, Integer> seen = new LinkedHashMap<>();
		for (int i = 0; i < fold.length; i++) {
			final Integer f = seen.putIfAbsent(groups.get(i), fold[i]);
			if (f != null && f != fold[i])
				throw new IllegalArgumentException("Group " + groups.get(i) + " straddles folds " + (f + 1) + " and " + (fold[i] + 1));
			if (fold[i] < 0)
				throw new IllegalArgumentException("Row " + (i + 1) + " has no fold");
		}
	}
}
