package org.progressionprobe.study;

/**
 * How much statistics a study computes beyond one cross-validation per setting.
 *
 * @param repeats cross-validation repeats, each on a new grouped stratified split (AUC = mean over repeats)
 * @param permutations label permutations per setting for the "above chance" test (0 for none)
 * @param nested whether to run nested cross-validation over all settings for an honest best-of-grid estimate
 */
public record StudyStatistics(int repeats, int permutations, boolean nested) {

	/** The fewest repeats; commands' dialog limits read it. */
	public static final int MIN_REPEATS = 1;

	public StudyStatistics {
		if (repeats < MIN_REPEATS)
			throw new IllegalArgumentException("repeats must be at least " + MIN_REPEATS + ", got " + repeats);
		if (permutations < 0)
			throw new IllegalArgumentException("permutations must be at least 0, got " + permutations);
	}

	/** One split, no permutations, nested cross-validation on. */
	public static StudyStatistics defaults() {
		return new StudyStatistics(1, 0, true);
	}
}
