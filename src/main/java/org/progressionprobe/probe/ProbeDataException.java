package org.progressionprobe.probe;

import java.util.List;

/** A feature table that cannot be used as it is: every problem found, each naming the column, row or subject. */
public final class ProbeDataException extends IllegalArgumentException {

	private static final long serialVersionUID = 1L;

	private final List<String> problems;

	public ProbeDataException(final String source, final List<String> problems) {
		super(source + ": " + String.join("; ", problems));
		this.problems = List.copyOf(problems);
	}

	/** The problems, one sentence each. */
	public List<String> problems() {
		return problems;
	}
}
