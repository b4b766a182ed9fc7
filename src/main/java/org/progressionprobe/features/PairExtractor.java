package org.progressionprobe.features;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import org.progressionprobe.table.FeatureVector;
import org.progressionprobe.volume.Grid;
import org.progressionprobe.volume.ScanPair;
import org.progressionprobe.volume.Volume;

/**
 * A feature extractor for a scan pair: built-in change features or a network's pooled layers.
 * {@link #compute} is a function of the pair and the extractor's settings with no hidden state, so
 * the same extractor runs a cohort on one machine or as a task on a cluster. Expensive resources
 * (a loaded network) are acquired once in the constructor and released by {@link #close}.
 * <p>
 * Whoever keeps features (a feature table, a one-row file) keeps only finite ones: a pair with a
 * scan that holds NaN or infinite voxels ({@link #requireFiniteScans}) or whose features are not all
 * finite ({@link #requireFinite}) is an error that names the file or the extractor and the columns.
 */
public interface PairExtractor extends AutoCloseable {

	/** The settings and runtime (engine, version, device) that determine the features, for provenance and caching. */
	Map<String, String> provenance();

	/** Computes one pair's features. */
	FeatureVector compute(ScanPair pair) throws Exception;

	/** What the extractor is, in a few words for messages (e.g. "change features", "model builtin-unet"). */
	default String label() {
		return getClass().getSimpleName();
	}

	@Override
	default void close() {}

	/**
	 * The non-finite (NaN or infinite) voxels of a volume as text ("3 non-finite voxels (NaN or
	 * infinite), the first at voxel (x, y, z)"), or null when every voxel is finite.
	 */
	static String nonFiniteVoxels(final Volume v) {
		final float[] a = v.data();
		int bad = 0, first = -1;
		for (int i = 0; i < a.length; i++)
			if (!Float.isFinite(a[i])) {
				bad++;
				if (first < 0)
					first = i;
			}
		if (bad == 0)
			return null;
		final int x = first % v.nx(), y = (first / v.nx()) % v.ny(), z = first / (v.nx() * v.ny());
		return bad + " non-finite voxel" + (bad > 1 ? "s" : "") + " (NaN or infinite), the first at voxel (" + x + ", " + y + ", " + z + ")";
	}

	/** Throws an error naming {@code what} (e.g. the scan's file) if any voxel is NaN or infinite. */
	static void requireFiniteVoxels(final Volume v, final String what) {
		final String bad = nonFiniteVoxels(v);
		if (bad != null)
			throw new IllegalArgumentException(what + " has " + bad);
	}

	/**
	 * Refuses a pair (as prepared for the extractor: aligned and cropped) whose scans hold NaN or
	 * infinite voxels, naming the subject and the scan by {@code baselineName} / {@code followupName}
	 * (their files).
	 */
	static void requireFiniteScans(final ScanPair pair, final String baselineName, final String followupName) {
		requireFiniteVoxels(pair.baseline(), pair.subject() + ": the baseline scan " + baselineName);
		requireFiniteVoxels(pair.followup(), pair.subject() + ": the follow-up scan " + followupName);
	}

	/**
	 * Returns the features if every value is finite; else throws an error that names {@code what}
	 * (the subject or the files), the extractor, how many values are not finite and which columns.
	 */
	static FeatureVector requireFinite(final FeatureVector v, final PairExtractor extractor, final String what) {
		final List<String> bad = new ArrayList<>();
		for (int i = 0; i < v.size(); i++)
			if (!Double.isFinite(v.get(i)))
				bad.add(v.names().get(i));
		if (bad.isEmpty())
			return v;
		final int shown = Math.min(5, bad.size());
		throw new IllegalArgumentException(what + ": " + extractor.label() + " gave " + bad.size() + " of " + v.size()
				+ " feature values that are not finite (NaN or infinite): " + String.join(", ", bad.subList(0, shown))
				+ (bad.size() > shown ? " and " + (bad.size() - shown) + " more" : ""));
	}

	/**
	 * Throws an error naming {@code what} if the follow-up's field of view and the baseline's do not
	 * meet in world space, with both extents in mm.
	 */
	static void requireOverlap(final String what, final Volume followup, final String baselineName, final Volume baseline) {
		final Grid f = Grid.of(followup), b = Grid.of(baseline);
		if (!f.overlapsInWorld(b))
			throw new IllegalArgumentException(what + " does not overlap " + baselineName + " in world space: the follow-up spans "
					+ f.describeWorldExtent() + ", the baseline " + b.describeWorldExtent()
					+ " (align the follow-up to the baseline first, or check the files' geometry with Volume Info)");
	}
}
