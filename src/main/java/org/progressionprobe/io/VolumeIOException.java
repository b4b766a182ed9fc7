package org.progressionprobe.io;

import java.io.IOException;
import java.nio.file.Path;

/** A volume file that cannot be read or written; the message names the file and the problem. */
public class VolumeIOException extends IOException {

	private static final long serialVersionUID = 1L;

	private final transient Path file;
	private final String problem;

	public VolumeIOException(final Path file, final String problem) {
		super(file + ": " + problem);
		this.file = file;
		this.problem = problem;
	}

	public VolumeIOException(final Path file, final String problem, final Throwable cause) {
		super(file + ": " + problem + (cause != null && cause.getMessage() != null ? " (" + cause.getMessage() + ")" : ""), cause);
		this.file = file;
		this.problem = problem + (cause != null && cause.getMessage() != null ? " (" + cause.getMessage() + ")" : "");
	}

	/** The problem, without the file name. */
	public String problem() {
		return problem;
	}

	/** The file concerned. */
	public Path file() {
		return file;
	}
}
