package org.progressionprobe.features.model;

import java.util.Locale;

/**
 * How a network takes a pair of scans: {@link #PAIR} as one 2-channel input (channel 0 the follow-up,
 * channel 1 the baseline, as registration networks take moving and fixed), or {@link #SINGLE} one
 * scan at a time, the two feature vectors then combined.
 */
public enum PairMode {
	PAIR(2), SINGLE(1);

	private final int channels;

	PairMode(final int channels) {
		this.channels = channels;
	}

	/** Input channels the mode needs. */
	public int channels() {
		return channels;
	}

	static PairMode parse(final String model, final String text) throws ModelException {
		for (final PairMode m : values())
			if (m.toString().equals(text.trim().toLowerCase(Locale.ROOT)))
				return m;
		throw new ModelException(model, "pair_mode '" + text + "' is unknown: use pair or single");
	}

	@Override
	public String toString() {
		return name().toLowerCase(Locale.ROOT);
	}
}
