package org.progressionprobe.volume;

/**
 * The input of feature extraction for one subject: baseline and follow-up scans, already prepared
 * (aligned and cropped as the setting asks), and optionally a label image on the baseline's grid
 * (atlas regions carried into the scan, or an ROI mask: 0 = background).
 *
 * @param subject subject identifier (for messages)
 * @param baseline baseline scan
 * @param followup follow-up scan; need not share the baseline's grid
 * @param labels label image on the baseline's grid, or null
 */
public record ScanPair(String subject, Volume baseline, Volume followup, Volume labels) {

	public ScanPair {
		if (labels != null && !labels.sameGrid(baseline))
			throw new IllegalArgumentException(subject + ": the label image must lie on the baseline's grid");
	}
}
