package org.progressionprobe.study;

import java.io.IOException;
import java.nio.file.Path;

import org.progressionprobe.align.TransformCache;
import org.progressionprobe.command.Progress;
import org.progressionprobe.features.PairExtractor;
import org.progressionprobe.features.change.ChangeFeatureCache;
import org.progressionprobe.features.model.ScanFeatureCache;
import org.progressionprobe.pipeline.FeatureBatch;
import org.progressionprobe.table.Cohort;

/**
 * Makes (or completes) one setting's feature table over a cohort, resumably: on this machine
 * ({@link #local}, a {@link FeatureBatch}) or on a cluster engine. The {@link Study} takes one, so
 * the grid's feature extraction can run elsewhere while the probes are trained here.
 */
@FunctionalInterface
public interface FeatureTableBuilder {

	/** Computes the missing rows of {@code output} for the cohort with this setting. */
	FeatureBatch.Result build(StudySetting setting, Cohort cohort, Path output) throws IOException;

	/**
	 * On this machine with the caches of a study's output folder: registrations in
	 * {@value Study#TRANSFORMS_DIR}, single-scan network features in {@value Study#SCAN_FEATURES_DIR},
	 * change features in {@value Study#CHANGE_FEATURES_DIR}, so that the settings of a grid share the
	 * work they have in common and a rerun finds what it did before.
	 */
	static FeatureTableBuilder cachedIn(final Path studyDir, final Progress progress, final int threads, final int parallelPairs) {
		return local(new TransformCache(studyDir.resolve(Study.TRANSFORMS_DIR)), new ScanFeatureCache(studyDir.resolve(Study.SCAN_FEATURES_DIR)),
				new ChangeFeatureCache(studyDir.resolve(Study.CHANGE_FEATURES_DIR)), progress, threads, parallelPairs);
	}

	/** One pair after the other on this machine: {@link FeatureBatch} with the setting's source and extractor. */
	static FeatureTableBuilder local(final Progress progress) {
		return local(null, progress);
	}

	/** As {@link #local(Progress)}, looking registrations up in {@code transforms} (null: none) before computing them. */
	static FeatureTableBuilder local(final TransformCache transforms, final Progress progress) {
		return local(transforms, progress, 0, 1);
	}

	/**
	 * As {@link #local(TransformCache, Progress)}, on {@code threads} workers (0: one per core) with
	 * {@code parallelPairs} pairs at once ({@link FeatureBatch}); the tables are the same whatever the two numbers.
	 */
	static FeatureTableBuilder local(final TransformCache transforms, final Progress progress, final int threads, final int parallelPairs) {
		return local(transforms, null, null, progress, threads, parallelPairs);
	}

	/**
	 * As {@link #local(TransformCache, Progress, int, int)}, single-scan networks looking each scan's
	 * features up in {@code scanFeatures} (null: none) before running, change features each pair in
	 * {@code changeFeatures} (null: none) once its follow-up is pre-registered.
	 */
	static FeatureTableBuilder local(final TransformCache transforms, final ScanFeatureCache scanFeatures, final ChangeFeatureCache changeFeatures,
			final Progress progress, final int threads, final int parallelPairs) {
		return (setting, cohort, output) -> {
			try (PairExtractor extractor = setting.createFeatures(scanFeatures, changeFeatures, progress)) {
				return new FeatureBatch(setting.createSource(transforms, progress), extractor, progress, threads, parallelPairs).run(cohort, output);
			}
		};
	}
}
