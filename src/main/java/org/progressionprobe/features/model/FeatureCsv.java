package org.progressionprobe.features.model;

import java.util.Map;

/**
 * One pair's features as CSV text: provenance in leading {@code # key: value} lines, a header line of
 * feature names, one row of values. A stand-in until the shared feature table writes rows.
 */
final class FeatureCsv {

	private FeatureCsv() {}

	static String format(final Map<String, String> provenance, final FeatureVector v) {
		final StringBuilder sb = new StringBuilder();
		for (final Map.Entry<String, String> e : provenance.entrySet())
			sb.append("# ").append(e.getKey()).append(": ").append(e.getValue().replace('\n', ' ').replace('\r', ' ')).append('\n');
		sb.append(String.join(",", v.names())).append('\n');
		for (int i = 0; i < v.size(); i++) {
			if (i > 0)
				sb.append(',');
			sb.append(v.values()[i]);
		}
		return sb.append('\n').toString();
	}
}
