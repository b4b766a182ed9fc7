package org.progressionprobe.align;

import java.io.IOException;
import java.nio.file.Path;

import org.progressionprobe.io.AtlasFiles;
import org.progressionprobe.io.CacheFolder;
import org.progressionprobe.sim.CohortSimulator;
import org.progressionprobe.sim.PhantomAtlas;
import org.progressionprobe.volume.Atlas;
import org.progressionprobe.volume.AtlasResolution;

/**
 * Where a study's atlas comes from, as text that travels with a setting (to a cluster executor,
 * into provenance): three files (template, labels, label names), and the voxel size of atlas space.
 *
 * @param template template image
 * @param labels label image on the template's grid
 * @param names label names file ({@code value name} lines)
 * @param resolution voxel size of atlas space for alignment=atlas (the scans', a size, or the atlas's own grid)
 */
public record AtlasSource(Path template, Path labels, Path names, AtlasResolution resolution) {

	public AtlasSource {
		if (resolution == null)
			throw new IllegalArgumentException("No atlas resolution given");
	}

	/** Three files, atlas space at the scans' voxel size. */
	public AtlasSource(final Path template, final Path labels, final Path names) {
		this(template, labels, names, AtlasResolution.SCANS);
	}

	/** The same files with another voxel size of atlas space. */
	public AtlasSource withResolution(final AtlasResolution r) {
		return new AtlasSource(template, labels, names, r);
	}

	/**
	 * The atlas of three command parameters: null when none is given, an error naming the missing
	 * one when only some are.
	 */
	public static AtlasSource of(final java.io.File template, final java.io.File labels, final java.io.File names) {
		if (template == null && labels == null && names == null)
			return null;
		if (template == null || labels == null || names == null)
			throw new IllegalArgumentException("An atlas needs all three of atlas, atlas_labels and atlas_names (missing: "
					+ (template == null ? "atlas " : "") + (labels == null ? "atlas_labels " : "") + (names == null ? "atlas_names" : "").trim() + ")");
		return new AtlasSource(template.toPath(), labels.toPath(), names.toPath());
	}

	/**
	 * The default atlas: the simulator's phantom head at 2 mm, written once into the cache folder
	 * ({@code atlas/phantom-2mm} under {@link CacheFolder#root()}). It matches cohorts made by
	 * Simulate Cohort; real scans need a real atlas (MNI/AAL or the study's own template).
	 */
	public static AtlasSource phantom() throws IOException {
		return of(PhantomAtlas.writeDefault(CacheFolder.root().resolve("atlas").resolve("phantom-2mm")));
	}

	/** The atlas Simulate Cohort writes into its output folder (the phantom its subjects are made from). */
	public static AtlasSource simulated(final Path cohortDir) {
		return of(CohortSimulator.atlasFiles(cohortDir));
	}

	private static AtlasSource of(final Path[] files) {
		return new AtlasSource(files[0], files[1], files[2]);
	}

	/** Loads the atlas. */
	public Atlas load() throws IOException {
		return AtlasFiles.read(template, labels, names);
	}

	/** The three paths, separated by semicolons. */
	public String describe() {
		return template.toAbsolutePath() + ";" + labels.toAbsolutePath() + ";" + names.toAbsolutePath();
	}
}
