package org.progressionprobe.io;

import java.io.IOException;
import java.nio.file.Path;

import org.progressionprobe.volume.Volume;

/** A file format that volumes can be read from. */
public interface VolumeFormat {

	/** Short name, e.g. "NIfTI". */
	String name();

	/** True if this format claims the file: by its name, or (DICOM) a folder or the first bytes of a file without a known extension. */
	boolean canRead(Path file);

	/** The header: grid, volume count, geometry; no voxel data is read. */
	VolumeFileInfo info(Path file) throws IOException;

	/** Reads the 3D volume with the given index (0 for a 3D file). */
	Volume read(Path file, int index) throws IOException;
}
