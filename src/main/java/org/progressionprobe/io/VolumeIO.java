package org.progressionprobe.io;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import org.progressionprobe.volume.Volume;

/**
 * Reads and writes volumes by file name: the one entry point the rest of the suite uses. Readers
 * are tried in order; the first whose {@link VolumeFormat#canRead} accepts the name reads it.
 */
public final class VolumeIO {

	private static final List<VolumeFormat> FORMATS = List.of(new NiftiReader());

	private VolumeIO() {}

	/** The formats that can be read, in the order they are tried. */
	public static List<VolumeFormat> formats() {
		return FORMATS;
	}

	/** Reads the first (or only) volume of a file. */
	public static Volume read(final Path file) throws IOException {
		return read(file, 0);
	}

	/** Reads the 3D volume with the given index of a 4D file. */
	public static Volume read(final Path file, final int index) throws IOException {
		return format(file).read(file, index);
	}

	/** Reads the header only. */
	public static VolumeFileInfo info(final Path file) throws IOException {
		return format(file).info(file);
	}

	/** Writes a float32 volume; the format follows the name ({@code .nii.gz}, {@code .nii}). */
	public static void write(final Volume volume, final Path file) throws IOException {
		final String n = NiftiReader.lowerName(file);
		if (n.endsWith(".nii") || n.endsWith(".nii.gz"))
			new NiftiWriter().write(volume, file);
		else
			throw new VolumeIOException(file, "cannot write this format; use .nii.gz or .nii");
	}

	/** Writes a label image (integral values) compactly: uint8 or int16 in NIfTI. */
	public static void writeLabels(final Volume labels, final Path file) throws IOException {
		float max = 0, min = 0;
		for (final float v : labels.data()) {
			max = Math.max(max, v);
			min = Math.min(min, v);
		}
		final NiftiWriter.Datatype type = min >= 0 && max <= 255 ? NiftiWriter.Datatype.UINT8 : NiftiWriter.Datatype.INT16;
		final String n = NiftiReader.lowerName(file);
		if (!(n.endsWith(".nii") || n.endsWith(".nii.gz")))
			throw new VolumeIOException(file, "label images are written as NIfTI; use .nii.gz");
		new NiftiWriter().write(labels, file, type);
	}

	private static VolumeFormat format(final Path file) throws VolumeIOException {
		if (!Files.exists(file))
			throw new VolumeIOException(file, "file not found");
		for (final VolumeFormat f : FORMATS)
			if (f.canRead(file))
				return f;
		throw new VolumeIOException(file, "unsupported format (known: " + String.join(", ", FORMATS.stream().map(VolumeFormat::name).toList()) + ")");
	}
}
