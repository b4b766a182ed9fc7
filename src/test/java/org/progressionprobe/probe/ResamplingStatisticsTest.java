package org.progressionprobe.probe;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.Map;

import org.junit.jupiter.api.Test;
import org.progressionprobe.command.Progress;

/** Repeated cross-validation, the permutation test and nested cross-validation on tables of known structure. */
class ResamplingStatisticsTest {

	private static final ProbeSettings FAST = ProbeSettings.defaults().withC(1).withBootstrap(0);

	private static ProbeData data(final int subjects, final int features, final int informative, final double effect, final long seed) {
		return ProbeData.forTraining(SyntheticTables.signal(subjects, features, informative, effect, seed), ProbeColumns.defaults(), 5,
				"synthetic-" + seed);
	}

	@Test
	void repeatsUseNewSplitsAndTheFirstIsTheDefaultSplit() {
		final ProbeData d = data(40, 6, 2, 1.0, 5);
		final ProbeTrainer trainer = new ProbeTrainer(FAST, Progress.NONE);
		final RepeatedCrossValidation r = trainer.crossValidateRepeated(d, 4);
		assertEquals(4, r.repeats().size());
		assertTrue(Arrays.equals(trainer.crossValidate(d).fold(), r.first().fold()));
		assertNotEquals(Arrays.toString(r.repeats().get(0).fold()), Arrays.toString(r.repeats().get(1).fold()));
		double mean = 0;
		for (final CrossValidationResult cv : r.repeats())
			mean += cv.evaluation().pooled(Metric.AUC).value() / 4;
		assertEquals(mean, r.mean(Metric.AUC).value(), 1e-12);
		assertTrue(r.aucSpread() > 0, "the split alone moves the AUC");
		final double[] p = r.meanProbabilities();
		assertEquals((r.repeats().get(0).probabilities()[7] + r.repeats().get(1).probabilities()[7] + r.repeats().get(2).probabilities()[7]
				+ r.repeats().get(3).probabilities()[7]) / 4, p[7], 1e-12);
	}

	@Test
	void permutationPValuesAreUniformOnNoise() {
		final int runs = 60, permutations = 19;
		final double[] p = new double[runs];
		for (int k = 0; k < runs; k++) {
			final ProbeData d = data(24, 4, 0, 0, 100 + k);
			final ProbeTrainer trainer = new ProbeTrainer(FAST, Progress.NONE);
			p[k] = PermutationTest.run(trainer, d, trainer.crossValidate(d), permutations, 7 + k).p();
		}
		Arrays.sort(p);
		// Kolmogorov-Smirnov distance to the discrete uniform on 1/20..20/20
		double ks = 0;
		for (int i = 0; i < runs; i++) {
			final double cdf = Math.floor(p[i] * (permutations + 1) + 1e-9) / (permutations + 1);
			ks = Math.max(ks, Math.max(Math.abs((i + 1.0) / runs - cdf), Math.abs((double) i / runs - cdf)));
		}
		final double mean = Arrays.stream(p).average().orElseThrow();
		assertTrue(ks < 0.2, "KS distance " + ks + " for " + Arrays.toString(p));
		assertEquals(0.525, mean, 0.1, Arrays.toString(p));
		assertTrue(Arrays.stream(p).filter(v -> v <= 0.1).count() <= 0.25 * runs, Arrays.toString(p));
	}

	@Test
	void permutationPValueOfAStrongSignalIsTheSmallestPossible() {
		final ProbeData d = data(30, 5, 3, 2.5, 3);
		final ProbeTrainer trainer = new ProbeTrainer(FAST, Progress.NONE);
		final PermutationTest t = PermutationTest.run(trainer, d, trainer.crossValidate(d), 49, 1);
		assertTrue(t.observed() > 0.9, "observed " + t.observed());
		assertEquals(1.0 / 50, t.p(), 1e-12, Arrays.toString(t.permuted()));
		assertEquals(0.5, Arrays.stream(t.permuted()).average().orElseThrow(), 0.1, "shuffled labels are at chance");
	}

	@Test
	void nestedEstimateOfTheBestOfManyNoiseSettingsIsAtChance() {
		final ProbeTrainer trainer = new ProbeTrainer(FAST, Progress.NONE);
		final int problems = 4;
		double nestedMean = 0, naiveMean = 0;
		final StringBuilder seen = new StringBuilder();
		for (int k = 0; k < problems; k++) {
			final Map<String, ProbeData> candidates = new LinkedHashMap<>();
			double naiveBest = 0;
			for (int s = 0; s < 16; s++) {
				// same subjects and labels (SyntheticTables labels by index), independent noise features per setting
				final ProbeData d = data(40, 3, 0, 0, 1000 * (k + 1) + s);
				candidates.put("setting" + s, d);
				naiveBest = Math.max(naiveBest, trainer.crossValidate(d).evaluation().pooled(Metric.AUC).value());
			}
			final NestedCrossValidation nested = NestedCrossValidation.run(trainer, candidates);
			assertEquals(5, nested.chosen().size());
			nestedMean += nested.auc() / problems;
			naiveMean += naiveBest / problems;
			seen.append(String.format(java.util.Locale.ROOT, " nested %.3f naive %.3f;", nested.auc(), naiveBest));
		}
		assertTrue(naiveMean > 0.65, "the naive best of 16 noise settings looks good:" + seen);
		assertEquals(0.5, nestedMean, 0.08, seen.toString());
		assertTrue(nestedMean < naiveMean - 0.1, seen.toString());
	}

	@Test
	void nestedCrossValidationFindsTheInformativeSetting() {
		final Map<String, ProbeData> candidates = new LinkedHashMap<>();
		for (int s = 0; s < 4; s++)
			candidates.put("noise" + s, data(40, 3, 0, 0, 2000 + s));
		candidates.put("signal", data(40, 3, 2, 1.5, 2100));
		final NestedCrossValidation nested = NestedCrossValidation.run(new ProbeTrainer(FAST, Progress.NONE), candidates);
		assertEquals("signal", nested.choices().keySet().iterator().next());
		assertTrue(nested.auc() > 0.8, "nested " + nested.auc());
	}
}
