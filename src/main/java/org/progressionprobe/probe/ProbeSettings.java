package org.progressionprobe.probe;

import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.OptionalDouble;
import java.util.stream.Collectors;

import org.progressionprobe.command.ParameterError;
import org.progressionprobe.command.ParameterValues;

/**
 * How a probe is trained and validated: outer folds and seed, the regularisation C (fixed, or
 * chosen by inner cross-validation over a grid, maximising the mean inner-fold AUC; ties go to the
 * smaller C), the bootstrap and the probability threshold for F1 and the accuracies. Immutable;
 * change a copy with the {@code with...} methods.
 *
 * @param folds outer cross-validation folds (at least 2)
 * @param innerFolds inner folds for choosing C (reduced when a class has fewer groups)
 * @param seed seeds the fold assignment and the bootstrap
 * @param c fixed C, or NaN to choose it by inner cross-validation
 * @param cGrid candidates for C, ascending
 * @param bootstrap bootstrap replicates for the intervals (0 for none)
 * @param threshold probability from which a row is predicted 1
 * @param tolerance LibLinear's termination criterion
 */
public record ProbeSettings(int folds, int innerFolds, long seed, double c, double[] cGrid, int bootstrap, double threshold, double tolerance) {

	/** 1e-3, 1e-2, ..., 1e2. */
	public static final double[] DEFAULT_C_GRID = { 1e-3, 1e-2, 1e-1, 1, 10, 100 };

	/** The fewest outer folds; commands' dialog limits read it. */
	public static final int MIN_FOLDS = 2;

	public ProbeSettings {
		if (folds < MIN_FOLDS)
			throw new IllegalArgumentException("folds must be at least " + MIN_FOLDS + ", got " + folds);
		if (innerFolds < 2)
			throw new IllegalArgumentException("inner folds must be at least 2, got " + innerFolds);
		if (!Double.isNaN(c) && !(c > 0 && Double.isFinite(c)))
			throw new IllegalArgumentException("C must be positive, got " + c);
		if (cGrid.length == 0)
			throw new IllegalArgumentException("The C grid is empty");
		cGrid = cGrid.clone();
		Arrays.sort(cGrid);
		for (final double v : cGrid)
			if (!(v > 0 && Double.isFinite(v)))
				throw new IllegalArgumentException("C grid values must be positive, got " + v);
		if (bootstrap < 0)
			throw new IllegalArgumentException("bootstrap replicates must be >= 0, got " + bootstrap);
		if (!(threshold > 0 && threshold < 1))
			throw new IllegalArgumentException("threshold must lie in (0, 1), got " + threshold);
		if (!(tolerance > 0))
			throw new IllegalArgumentException("tolerance must be positive, got " + tolerance);
	}

	/** 5 folds, 5 inner folds, seed 0, C by inner CV over {@link #DEFAULT_C_GRID}, 1000 replicates, threshold 0.5, tolerance 1e-4. */
	public static ProbeSettings defaults() {
		return new ProbeSettings(5, 5, 0, Double.NaN, DEFAULT_C_GRID, 1000, 0.5, 1e-4);
	}

	public ProbeSettings withFolds(final int v) {
		return new ProbeSettings(v, innerFolds, seed, c, cGrid, bootstrap, threshold, tolerance);
	}

	public ProbeSettings withInnerFolds(final int v) {
		return new ProbeSettings(folds, v, seed, c, cGrid, bootstrap, threshold, tolerance);
	}

	public ProbeSettings withSeed(final long v) {
		return new ProbeSettings(folds, innerFolds, v, c, cGrid, bootstrap, threshold, tolerance);
	}

	/** A fixed C (no inner cross-validation); NaN to choose it by inner cross-validation. */
	public ProbeSettings withC(final double v) {
		return new ProbeSettings(folds, innerFolds, seed, v, cGrid, bootstrap, threshold, tolerance);
	}

	public ProbeSettings withCGrid(final double... v) {
		return new ProbeSettings(folds, innerFolds, seed, c, v, bootstrap, threshold, tolerance);
	}

	public ProbeSettings withBootstrap(final int v) {
		return new ProbeSettings(folds, innerFolds, seed, c, cGrid, v, threshold, tolerance);
	}

	public ProbeSettings withThreshold(final double v) {
		return new ProbeSettings(folds, innerFolds, seed, c, cGrid, bootstrap, v, tolerance);
	}

	public ProbeSettings withTolerance(final double v) {
		return new ProbeSettings(folds, innerFolds, seed, c, cGrid, bootstrap, threshold, v);
	}

	/** The fixed C, if any. */
	public OptionalDouble fixedC() {
		return Double.isNaN(c) ? OptionalDouble.empty() : OptionalDouble.of(c);
	}

	@Override
	public double[] cGrid() {
		return cGrid.clone();
	}

	/** Parses a C setting: empty or "auto" for inner cross-validation, else a positive number. */
	public static double parseC(final String text) {
		if (text == null || text.isBlank() || text.trim().equalsIgnoreCase("auto"))
			return Double.NaN;
		final double c = ParameterValues.number("c", text);
		if (c <= 0)
			throw ParameterError.of("c", "a positive number or 'auto'", text);
		return c;
	}

	/** The settings as text entries (for provenance and metrics files). */
	public Map<String, String> describe() {
		final Map<String, String> out = new LinkedHashMap<>();
		out.put("model", "L2-regularised logistic regression (Tribuo LibLinear L2R_LR, intercept not penalised), balanced class weights, z-scored in fold");
		out.put("folds", Integer.toString(folds));
		out.put("grouped_stratified", "true");
		out.put("seed", Long.toString(seed));
		out.put("c", Double.isNaN(c) ? "inner cross-validation (" + innerFolds + " folds, max AUC) over "
				+ Arrays.stream(cGrid).mapToObj(v -> String.format(Locale.ROOT, "%g", v)).collect(Collectors.joining(" ")) : Double.toString(c));
		out.put("bootstrap", Integer.toString(bootstrap));
		out.put("threshold", Double.toString(threshold));
		out.put("tolerance", Double.toString(tolerance));
		return out;
	}

	@Override
	public boolean equals(final Object o) {
		return o instanceof ProbeSettings s && s.folds == folds && s.innerFolds == innerFolds && s.seed == seed
				&& Double.compare(s.c, c) == 0 && Arrays.equals(s.cGrid, cGrid) && s.bootstrap == bootstrap && s.threshold == threshold
				&& s.tolerance == tolerance;
	}

	@Override
	public int hashCode() {
		return Arrays.hashCode(new double[] { folds, innerFolds, seed, c, Arrays.hashCode(cGrid), bootstrap, threshold, tolerance });
	}
}
