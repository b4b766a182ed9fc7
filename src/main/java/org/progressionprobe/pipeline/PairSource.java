package org.progressionprobe.pipeline;

import java.util.Map;

import org.progressionprobe.io.VolumeIO;
import org.progressionprobe.table.CohortPair;
import org.progressionprobe.volume.ScanPair;

/**
 * Turns a cohort entry into the scans feature extraction sees: read, and (depending on the
 * implementation) aligned and cropped. A pure function of the entry and the source's settings.
 */
public interface PairSource {

	/** Reads and prepares one subject's scans. */
	ScanPair prepare(CohortPair pair) throws Exception;

	/** The settings that determine the prepared scans, for provenance and caching. */
	Map<String, String> provenance();

	/** The scans as they are on disk: no alignment, no crop, no labels. */
	static PairSource unaligned() {
		return new PairSource() {
			@Override
			public ScanPair prepare(final CohortPair pair) throws Exception {
				return new ScanPair(pair.subject(), VolumeIO.read(pair.baseline()), VolumeIO.read(pair.followup()), null);
			}

			@Override
			public Map<String, String> provenance() {
				return Map.of("alignment", "none");
			}
		};
	}
}
