package org.progressionprobe.io.dicom;

import java.io.IOException;
import java.nio.file.Path;

/** A DICOM file or folder that cannot be read; the message names the file and the problem. */
public class DicomException extends IOException {

	private static final long serialVersionUID = 1L;

	private final transient Path file;
	private final String problem;

	public DicomException(final Path file, final String problem) {
		this(file, problem, null);
	}

	public DicomException(final Path file, final String problem, final Throwable cause) {
		super(file + ": " + problem + (cause != null && cause.getMessage() != null ? " (" + cause.getMessage() + ")" : ""), cause);
		this.file = file;
		this.problem = problem + (cause != null && cause.getMessage() != null ? " (" + cause.getMessage() + ")" : "");
	}

	/** The problem, without the file name. */
	public String problem() {
		return problem;
	}

	/** The file or folder concerned. */
	public Path file() {
		return file;
	}
}
