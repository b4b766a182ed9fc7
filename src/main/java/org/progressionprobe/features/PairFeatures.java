package org.progressionprobe.features;

import java.util.Map;

import org.progressionprobe.table.FeatureVector;

/**
 * A feature extractor for a scan pair: built-in change features or a network's pooled layers.
 * {@link #compute} is a function of the pair and the extractor's settings with no hidden state, so
 * the same extractor runs a cohort on one machine or as a task on a cluster. Expensive resources
 * (a loaded network) are acquired once in the constructor and released by {@link #close}.
 */
public interface PairFeatures extends AutoCloseable {

	/** The settings and runtime (engine, version, device) that determine the features, for provenance and caching. */
	Map<String, String> provenance();

	/** Computes one pair's features. */
	FeatureVector compute(ScanPair pair) throws Exception;

	@Override
	default void close() {}
}
