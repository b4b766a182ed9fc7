package org.progressionprobe.io;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import org.progressionprobe.volume.Volume;

/**
 * Reads and writes volumes by file name: the one entry point the rest of the suite uses.
 * <p>
 * Reading: the formats are asked in order ({@link #formats()}); the first whose
 * {@link VolumeFormat#canRead} accepts the file reads it: NIfTI-1/2 and Analyze ({@code .nii},
 * {@code .nii.gz}, {@code .hdr}/{@code .img}), MetaImage ({@code .mha}, {@code .mhd}), TIFF, PNG,
 * JPEG, GIF, BMP (ImageJ), DICOM (a file or a folder of slices; also files without extension that
 * carry the DICOM preamble). Writing: by extension, {@code .nii.gz}, {@code .nii}, {@code .mha},
 * {@code .mhd} (+ {@code .raw}). Every volume is float32 in memory with its RAS voxel-to-world matrix.
 */
public final class VolumeIO {

	private static final List<VolumeFormat> FORMATS = List.of(new NiftiReader(), new MetaImageReader(), new ImageJReader(), new DicomFormat());
	private static final List<VolumeWriter> WRITERS = List.of(new NiftiWriter(), new MetaImageWriter());

	private VolumeIO() {}

	/** The formats that can be read, in the order they are tried. */
	public static List<VolumeFormat> formats() {
		return FORMATS;
	}

	/** The formats that can be written. */
	public static List<VolumeWriter> writers() {
		return WRITERS;
	}

	/** Reads the first (or only) volume of a file. */
	public static Volume read(final Path file) throws IOException {
		return read(file, 0);
	}

	/** Reads the 3D volume with the given index of a 4D file. */
	public static Volume read(final Path file, final int index) throws IOException {
		final VolumeFormat format = format(file);
		return guarded(file, format, () -> format.read(file, index));
	}

	/** Reads the header only. */
	public static VolumeFileInfo info(final Path file) throws IOException {
		final VolumeFormat format = format(file);
		return guarded(file, format, () -> format.info(file));
	}

	@FunctionalInterface
	private interface Reading<T> {
		T run() throws IOException;
	}

	/**
	 * Any failure of a reader becomes a {@link VolumeIOException} naming the file: an I/O error of the
	 * system, or an unexpected exception inside a third-party decoder (ImageJ's) on a malformed file.
	 */
	private static <T> T guarded(final Path file, final VolumeFormat format, final Reading<T> reading) throws IOException {
		try {
			return reading.run();
		} catch (final VolumeIOException | java.util.concurrent.CancellationException e) {
			throw e;
		} catch (final IOException e) {
			throw new VolumeIOException(file, "cannot read it", e);
		} catch (final RuntimeException e) {
			throw new VolumeIOException(file, "cannot read it: the " + format.name() + " reader failed on malformed content ("
					+ e.getClass().getSimpleName() + ")", e);
		}
	}

	/** Writes a float32 volume; the format follows the name ({@code .nii.gz}, {@code .nii}, {@code .mha}, {@code .mhd}). */
	public static void write(final Volume volume, final Path file) throws IOException {
		writer(file).write(volume, file);
	}

	/** Writes a label image (integral values) compactly: uint8 or int16. */
	public static void writeLabels(final Volume labels, final Path file) throws IOException {
		writer(file).writeLabels(labels, file);
	}

	/** The writer for a file name. */
	public static VolumeWriter writer(final Path file) throws VolumeIOException {
		for (final VolumeWriter w : WRITERS)
			if (w.canWrite(file))
				return w;
		throw new UnsupportedFormatException(file, "cannot write this format; use a name ending in .nii.gz, .nii, .mha or .mhd");
	}

	/** The reader for a file; {@link UnsupportedFormatException} if none claims it. */
	public static VolumeFormat format(final Path file) throws VolumeIOException {
		if (!Files.exists(file))
			throw new VolumeIOException(file, "file not found");
		for (final VolumeFormat f : FORMATS)
			if (f.canRead(file))
				return f;
		throw new UnsupportedFormatException(file, "unsupported format (known: " + String.join(", ", FORMATS.stream().map(VolumeFormat::name).toList())
				+ ")");
	}

	/** No reader or writer of this suite knows the file's format. */
	public static final class UnsupportedFormatException extends VolumeIOException {
		private static final long serialVersionUID = 1L;

		public UnsupportedFormatException(final Path file, final String problem) {
			super(file, problem);
		}
	}
}
