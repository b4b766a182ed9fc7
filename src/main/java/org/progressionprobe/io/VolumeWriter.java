package org.progressionprobe.io;

import java.io.IOException;
import java.nio.file.Path;

import org.progressionprobe.volume.Volume;

/** A file format that volumes can be written to; files appear atomically (see {@link AtomicOutput}). */
public interface VolumeWriter {

	/** Short name, e.g. "NIfTI". */
	String name();

	/** True if this format writes files with this name (by extension). */
	boolean canWrite(Path file);

	/** Writes a float32 volume: voxels bit-identical, geometry as exact as the format allows. */
	void write(Volume volume, Path file) throws IOException;

	/** Writes a label image (integral values) in the most compact integer type that holds it (uint8 or int16). */
	void writeLabels(Volume labels, Path file) throws IOException;
}
