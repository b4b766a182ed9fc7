package org.progressionprobe.spark;

import java.io.Serializable;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CancellationException;
import java.util.function.Consumer;

import org.apache.spark.util.LongAccumulator;
import org.progressionprobe.align.TransformCache;
import org.progressionprobe.command.Progress;
import org.progressionprobe.features.PairExtractor;
import org.progressionprobe.pipeline.FeatureBatch;
import org.progressionprobe.pipeline.PairSource;
import org.progressionprobe.study.StudySetting;
import org.progressionprobe.table.CohortPair;
import org.progressionprobe.table.FeatureVector;

/**
 * What an executor does with one partition of a cohort: rebuilds the setting from its text, creates
 * the setting's source and extractor once (one model load per partition), then computes each pair
 * exactly as the single-machine {@link FeatureBatch} does ({@link FeatureBatch#computePair}: prepare,
 * compute, refuse non-finite scans and features). A pair that fails is returned with its error (the others go on);
 * a failure to set up (a model that cannot load) fails the task, which Spark retries.
 */
final class FeaturePartition {

	private FeaturePartition() {}

	/** One cohort entry as it travels to an executor. */
	record Task(int index, String subject, String baseline, String followup, Integer label, String baselineLabels) implements Serializable {
		private static final long serialVersionUID = 1L;

		static Task of(final int index, final CohortPair p) {
			final Path labels = p.baselineLabels();
			return new Task(index, p.subject(), p.baseline().toAbsolutePath().toString(), p.followup().toAbsolutePath().toString(), p.label(),
					labels == null ? null : labels.toAbsolutePath().toString());
		}

		CohortPair pair() {
			return new CohortPair(subject, Path.of(baseline), Path.of(followup), label,
					baselineLabels == null ? Map.of() : Map.of(CohortPair.BASELINE_LABELS, baselineLabels));
		}
	}

	/** One pair's features (names and values) or its error. */
	record PairOutcome(int index, String subject, List<String> names, double[] values, String error) implements Serializable {
		private static final long serialVersionUID = 1L;

		boolean failed() {
			return error != null;
		}

		FeatureVector features() {
			return new FeatureVector(names, values);
		}
	}

	/**
	 * A partition's result.
	 *
	 * @param provenance the provenance of the source and extractor as {@link FeatureBatch#provenance()}; null for an empty partition
	 * @param pairs one outcome per pair, in partition order
	 * @param setupSeconds time to create source and extractor (the model load)
	 * @param pairSeconds time to compute the pairs
	 */
	record Outcome(LinkedHashMap<String, String> provenance, List<PairOutcome> pairs, double setupSeconds, double pairSeconds)
			implements Serializable {
		private static final long serialVersionUID = 1L;
	}

	/**
	 * Test seam: runs on the executor before each pair. In local mode a test uses it to make a task
	 * attempt die; it does nothing otherwise.
	 */
	static volatile Consumer<Task> beforeEachPair = t -> {};

	/**
	 * Computes one partition; {@code loads} counts the setups (source + extractor) that succeeded.
	 * Affine registrations are looked up in, and added to, the {@link TransformCache} in
	 * {@code transforms} (a folder every executor sees; null: none).
	 */
	static Outcome compute(final Map<String, String> settingText, final String transforms, final Iterator<Task> tasks, final LongAccumulator loads)
			throws Exception {
		if (!tasks.hasNext())
			return new Outcome(null, List.of(), 0, 0);
		final long t0 = System.nanoTime();
		final StudySetting setting = SettingText.parse(settingText);
		final PairSource source = setting.createSource(transforms == null ? null : new TransformCache(Path.of(transforms)), Progress.NONE);
		try (PairExtractor features = setting.createFeatures(Progress.NONE)) {
			loads.add(1);
			final LinkedHashMap<String, String> provenance = new LinkedHashMap<>(
					new FeatureBatch(source, features, Progress.NONE).provenance());
			final long t1 = System.nanoTime();
			final List<PairOutcome> out = new ArrayList<>();
			while (tasks.hasNext()) {
				final Task t = tasks.next();
				beforeEachPair.accept(t);
				try {
					final FeatureVector v = FeatureBatch.computePair(source, features, t.pair());
					out.add(new PairOutcome(t.index(), t.subject(), v.names(), v.values(), null));
				} catch (final CancellationException | InterruptedException e) {
					throw e;
				} catch (final Exception e) {
					if (Thread.currentThread().isInterrupted())
						throw e;
					out.add(new PairOutcome(t.index(), t.subject(), null, null, FeatureBatch.errorMessage(e)));
				}
			}
			return new Outcome(provenance, out, (t1 - t0) / 1e9, (System.nanoTime() - t1) / 1e9);
		}
	}

	/** The provenance of a setting as an executor sees it (creates its source and extractor once). */
	static LinkedHashMap<String, String> provenance(final Map<String, String> settingText, final LongAccumulator loads) throws Exception {
		final StudySetting setting = SettingText.parse(settingText);
		final PairSource source = setting.createSource(Progress.NONE);
		try (PairExtractor features = setting.createFeatures(Progress.NONE)) {
			loads.add(1);
			return new LinkedHashMap<>(new FeatureBatch(source, features, Progress.NONE).provenance());
		}
	}
}
