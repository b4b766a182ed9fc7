package org.progressionprobe.table;

import java.nio.file.Path;
import java.util.Map;

/**
 * One subject of a cohort: a baseline and a follow-up scan, the label if known (1 = progressor,
 * 0 = stable) and any extra columns of the cohort file.
 *
 * @param subject subject identifier, unique in the cohort
 * @param baseline baseline scan (absolute path)
 * @param followup follow-up scan (absolute path)
 * @param label 0 or 1, or null when unknown (a cohort to apply a probe to)
 * @param extra further columns of the cohort file, by name
 */
public record CohortPair(String subject, Path baseline, Path followup, Integer label, Map<String, String> extra) {

	/** Optional column: a label image on the baseline's grid (e.g. its segmentation), path resolved like the scans. */
	public static final String BASELINE_LABELS = "baseline_labels";

	public CohortPair {
		extra = Map.copyOf(extra);
	}

	/** The baseline's label image of the {@value #BASELINE_LABELS} column, or null. */
	public Path baselineLabels() {
		final String p = extra.get(BASELINE_LABELS);
		return p == null || p.isEmpty() ? null : Path.of(p);
	}
}
