package org.progressionprobe.study;

import java.io.IOException;
import java.nio.file.Path;

import org.progressionprobe.volume.Atlas;

/**
 * Where a study's atlas comes from, as text that travels with a setting (to a cluster executor,
 * into provenance): three files (template, labels, label names).
 *
 * @param template template image
 * @param labels label image on the template's grid
 * @param names label names file ({@code value name} lines)
 */
public record AtlasSource(Path template, Path labels, Path names) {

	/** Loads the atlas. */
	public Atlas load() throws IOException {
		return Atlas.read(template, labels, names);
	}

	/** The three paths, separated by semicolons. */
	public String describe() {
		return template.toAbsolutePath() + ";" + labels.toAbsolutePath() + ";" + names.toAbsolutePath();
	}
}
