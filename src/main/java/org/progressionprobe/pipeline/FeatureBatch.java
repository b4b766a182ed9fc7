package org.progressionprobe.pipeline;

import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CancellationException;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ForkJoinPool;
import java.util.concurrent.ForkJoinWorkerThread;
import java.util.concurrent.Future;

import org.progressionprobe.command.Progress;
import org.progressionprobe.features.PairExtractor;
import org.progressionprobe.table.Cohort;
import org.progressionprobe.table.CohortPair;
import org.progressionprobe.table.FeatureVector;
import org.progressionprobe.volume.ScanPair;

/**
 * Computes a feature table over a cohort: one row per subject ({@code subject}, {@code label}, then
 * the features), with the settings of the pair source and the extractor as provenance.
 * <p>
 * Resumable and atomic ({@link ResumableTable}): each computed row is appended at once to {@code <output>.partial}; the
 * output itself appears only when every subject is done. A killed run, started again with the same
 * settings, reuses the rows of the partial file (and of an earlier complete output) and computes
 * only the missing subjects. A subject that fails is recorded in {@code <output>.errors.csv} and
 * the others go on; running again retries only the failed ones.
 * <p>
 * Runs on a pool of {@code threads} workers (every per-voxel loop below splits along z over the
 * pool's workers, with results that do not depend on their number) and prepares and extracts up to
 * {@code parallelPairs} pairs at once, for extractors or small scans that cannot use the cores alone;
 * rows are still added in cohort order, so the table is the same whatever the two numbers.
 * <p>
 * A subject whose prepared scans hold NaN or infinite voxels, or whose features are not all
 * finite, fails ({@link #computePair}).
 */
public final class FeatureBatch {

	/** Provenance key of the cohort file. */
	public static final String COHORT_KEY = ResumableTable.COHORT_KEY;

	private final PairSource source;
	private final PairExtractor features;
	private final Progress progress;
	private final int threads, parallelPairs;

	/** One pair at a time, on every core. */
	public FeatureBatch(final PairSource source, final PairExtractor features, final Progress progress) {
		this(source, features, progress, 0, 1);
	}

	/**
	 * @param threads workers of the pool (0: one per core)
	 * @param parallelPairs pairs prepared and extracted at once (at least 1; memory grows with it)
	 */
	public FeatureBatch(final PairSource source, final PairExtractor features, final Progress progress, final int threads, final int parallelPairs) {
		if (threads < 0 || parallelPairs < 1)
			throw new IllegalArgumentException("threads must be >= 0 (0 = one per core) and parallel_pairs >= 1, got " + threads + " and " + parallelPairs);
		this.source = source;
		this.features = features;
		this.progress = progress;
		this.threads = threads;
		this.parallelPairs = parallelPairs;
	}

	/** Workers of the pool: {@code threads}, or one per core when 0. */
	public static int workers(final int threads) {
		return threads > 0 ? threads : Runtime.getRuntime().availableProcessors();
	}

	/**
	 * A pool of {@link #workers} threads; parallel loops started from its tasks run on its workers.
	 * The workers keep the caller's context class loader (inside Fiji, the one that finds the engines).
	 * Shut it down when done.
	 */
	public static ForkJoinPool pool(final int threads) {
		final ClassLoader loader = Thread.currentThread().getContextClassLoader();
		return new ForkJoinPool(workers(threads), p -> {
			final ForkJoinWorkerThread t = ForkJoinPool.defaultForkJoinWorkerThreadFactory.newThread(p);
			t.setContextClassLoader(loader);
			return t;
		}, null, false);
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
		final List<CohortPair> todo = new ArrayList<>();
		for (final CohortPair pair : cohort.pairs())
			if (!table.has(pair.subject()))
				todo.add(pair);
		final int reused = cohort.size() - todo.size();
		int computed = 0;
		progress.report("Features", reused, cohort.size());
		final ForkJoinPool pool = pool(threads);
		try {
			// a window of pairs in flight, taken out in cohort order
			final Deque<Future<Outcome>> window = new ArrayDeque<>();
			int next = 0;
			while (next < todo.size() || !window.isEmpty()) {
				while (next < todo.size() && window.size() < parallelPairs) {
					final CohortPair pair = todo.get(next++);
					window.add(pool.submit(() -> compute(pair)));
				}
				progress.checkCancelled();
				final Outcome o = await(window.removeFirst());
				if (o.features() == null)
					failures.put(o.pair().subject(), o.error());
				else {
					table.add(o.pair(), o.features());
					computed++;
				}
				progress.report("Features", reused + computed + failures.size(), cohort.size());
			}
		} finally {
			pool.shutdownNow();
		}
		table.finish(cohort, failures);
		return new Result(output, computed, reused, failures);
	}

	/** One pair's features, or the error that stopped them. */
	private record Outcome(CohortPair pair, FeatureVector features, String error) {}

	private Outcome compute(final CohortPair pair) {
		try {
			return new Outcome(pair, computePair(source, features, pair), null);
		} catch (final CancellationException e) {
			throw e;
		} catch (final Exception e) {
			return new Outcome(pair, null, errorMessage(e));
		}
	}

	private static Outcome await(final Future<Outcome> f) {
		try {
			return f.get();
		} catch (final InterruptedException e) {
			Thread.currentThread().interrupt();
			throw new CancellationException("Interrupted");
		} catch (final ExecutionException e) {
			if (e.getCause() instanceof RuntimeException r)
				throw r;
			if (e.getCause() instanceof Error err)
				throw err;
			throw new IllegalStateException(e.getCause());
		}
	}

	/**
	 * One subject's features, as every runner (this batch, a cluster task) computes them: the scans
	 * prepared by the source, refused if they hold NaN or infinite voxels (the error names the scan's
	 * file), then the extractor's features, refused if any is not finite (the error names the
	 * extractor and the columns).
	 */
	public static FeatureVector computePair(final PairSource source, final PairExtractor features, final CohortPair pair) throws Exception {
		final ScanPair prepared = source.prepare(pair);
		PairExtractor.requireFiniteScans(prepared, pair.baseline().toString(), pair.followup().toString());
		return PairExtractor.requireFinite(features.compute(prepared), features, pair.subject());
	}

	/** How a failed subject is recorded: the exception's message, or the exception itself when it has none. */
	public static String errorMessage(final Exception e) {
		return e.getMessage() != null ? e.getMessage() : e.toString();
	}
}
