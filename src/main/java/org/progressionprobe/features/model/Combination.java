package org.progressionprobe.features.model;

import java.util.Locale;

/**
 * How the two feature vectors of a {@link PairMode#SINGLE} network (baseline and follow-up, each run
 * alone) become one: both side by side ({@link #CONCAT}, names {@code layer_base_...},
 * {@code layer_follow_...}), their difference follow-up minus baseline ({@link #DIFF},
 * {@code layer_diff_...}), or all three ({@link #BOTH}).
 */
public enum Combination {
	CONCAT, DIFF, BOTH;

	/** Parses concat, diff or both; blank gives diff. */
	public static Combination parse(final String text) {
		if (text == null || text.isBlank())
			return DIFF;
		for (final Combination c : values())
			if (c.toString().equals(text.trim().toLowerCase(Locale.ROOT)))
				return c;
		throw new IllegalArgumentException("Unknown combination '" + text + "': use concat, diff or both");
	}

	@Override
	public String toString() {
		return name().toLowerCase(Locale.ROOT);
	}
}
