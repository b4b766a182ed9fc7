package org.progressionprobe.features.model;

import java.util.Locale;

/** Where a network runs: the CPU (default) or the first GPU, on request. */
public enum Device {
	CPU, GPU;

	/** Parses {@code cpu} or {@code gpu} (also {@code cuda}); blank means CPU. */
	public static Device parse(final String text) {
		if (text == null || text.isBlank())
			return CPU;
		switch (text.trim().toLowerCase(Locale.ROOT)) {
		case "cpu":
			return CPU;
		case "gpu":
		case "cuda":
			return GPU;
		default:
			throw new IllegalArgumentException("Unknown device '" + text + "': use cpu or gpu");
		}
	}

	@Override
	public String toString() {
		return name().toLowerCase(Locale.ROOT);
	}
}
