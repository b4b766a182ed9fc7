package org.progressionprobe.io;

import java.io.IOException;
import java.nio.file.Path;

import org.progressionprobe.volume.DisplacementField;

/**
 * The file of a {@link DisplacementField}: a NIfTI vector volume (float32, intent VECTOR, the x, y, z
 * components in world mm, RAS, along the fifth dimension).
 */
public final class DisplacementFieldFiles {

	private DisplacementFieldFiles() {}

	/** Reads a field written by {@link #write} (or any 3-component NIfTI vector volume in world mm, RAS). */
	public static DisplacementField read(final Path file) throws IOException {
		final int volumes = VolumeIO.info(file).volumes();
		if (volumes != 3)
			throw new VolumeIOException(file, "a displacement field has 3 components, this file has " + volumes + " volume(s)");
		return new DisplacementField(VolumeIO.read(file, 0), VolumeIO.read(file, 1), VolumeIO.read(file, 2));
	}

	/** Writes the field as a NIfTI vector volume (float32, intent VECTOR), atomically. */
	public static void write(final DisplacementField field, final Path file) throws IOException {
		new NiftiWriter().writeVector(field.toVolumes(), file);
	}
}
