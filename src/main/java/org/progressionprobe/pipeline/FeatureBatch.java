package org.progressionprobe.pipeline;

import java.io.IOException;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;

import org.progressionprobe.command.Progress;
import org.progressionprobe.features.PairFeatures;
import org.progressionprobe.features.ScanPair;
import org.progressionprobe.table.Cohort;
import org.progressionprobe.table.CohortPair;
import org.progressionprobe.table.FeatureVector;

/**
 * Computes a feature table over a cohort: one row per subject ({@code subject}, {@code label}, then
 * the features), with the settings of the pair source and the extractor as provenance.
 * <p>
 * Resumable and atomic ({@link ResumableTable}): each computed row is appended at once to {@code <output>.partial}; the
 * output itself appears only when every subject is done. A killed run, started again with the same
 * settings, reuses the rows of the partial file (and of an earlier complete output) and computes
 * only the missing subjects. A subject that fails is recorded in {@code <output>.errors.csv} and
 * the others go on; running again retries only the failed ones. A subject whose prepared scans hold
 * NaN or infinite voxels, or whose features are not all finite, fails ({@link #computePair}).
 */
public final class FeatureBatch {

	/** Provenance key of the cohort file. */
	public static final String COHORT_KEY = ResumableTable.COHORT_KEY;

	private final PairSource source;
	private final PairFeatures features;
	private final Progress progress;

	public FeatureBatch(final PairSource source, final PairFeatures features, final Progress progress) {
		this.source = source;
		this.features = features;
		this.progress = progress;
	}

	/** What a batch run produced. */
	public record Result(Path output, int computed, int reused, Map<String, String> failures) {
		/** True when every subject has a row. */
		public boolean complete() {
			return failures.isEmpty();
		}
	}

	/** Prefix of the extractor's provenance keys in a feature table (e.g. {@code features.layers}, a network's layers). */
	public static final String FEATURES_PREFIX = "features.";

	/** The provenance a batch of these settings writes; equal provenance means reusable rows. */
	public Map<String, String> provenance() {
		final Map<String, String> p = new LinkedHashMap<>();
		source.provenance().forEach((k, v) -> p.put("prepare." + k, v));
		features.provenance().forEach((k, v) -> p.put(FEATURES_PREFIX + k, v));
		return p;
	}

	/** Computes the missing rows of {@code output} for the cohort; see the class description. */
	public Result run(final Cohort cohort, final Path output) throws IOException {
		final ResumableTable table = ResumableTable.open(output);
		table.requireProvenance(provenance());
		final Map<String, String> failures = new LinkedHashMap<>();
		int computed = 0, reused = 0, done = 0;
		for (final CohortPair pair : cohort.pairs()) {
			progress.checkCancelled();
			progress.report("Features", done++, cohort.size());
			if (table.has(pair.subject())) {
				reused++;
				continue;
			}
			final FeatureVector v;
			try {
				v = computePair(source, features, pair);
			} catch (final java.util.concurrent.CancellationException e) {
				throw e;
			} catch (final Exception e) {
				failures.put(pair.subject(), errorMessage(e));
				continue;
			}
			table.add(pair, v);
			computed++;
		}
		progress.report("Features", cohort.size(), cohort.size());
		table.finish(cohort, failures);
		return new Result(output, computed, reused, failures);
	}

	/**
	 * One subject's features, as every runner (this batch, a cluster task) computes them: the scans
	 * prepared by the source, refused if they hold NaN or infinite voxels (the error names the scan's
	 * file), then the extractor's features, refused if any is not finite (the error names the
	 * extractor and the columns).
	 */
	public static FeatureVector computePair(final PairSource source, final PairFeatures features, final CohortPair pair) throws Exception {
		final ScanPair prepared = source.prepare(pair);
		PairFeatures.requireFiniteScans(prepared, pair.baseline().toString(), pair.followup().toString());
		return PairFeatures.requireFinite(features.compute(prepared), features, pair.subject());
	}

	/** How a failed subject is recorded: the exception's message, or the exception itself when it has none. */
	public static String errorMessage(final Exception e) {
		return e.getMessage() != null ? e.getMessage() : e.toString();
	}
}
