package org.progressionprobe.io;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

import org.progressionprobe.io.dicom.DicomException;
import org.progressionprobe.io.dicom.DicomReader;
import org.progressionprobe.volume.Volume;

/**
 * DICOM as one of {@link VolumeIO}'s formats: {@link DicomReader}'s series as {@link VolumeFileInfo}
 * and volumes, its errors and a damaged file that the parser or a decoder ran off the end of as
 * {@link VolumeIOException}s naming the file.
 */
public final class DicomFormat implements VolumeFormat {

	@Override
	public String name() {
		return "DICOM";
	}

	/** A folder, a {@code .dcm}/{@code .dicom}/{@code .ima} file, or any file with "DICM" at byte 128. */
	@Override
	public boolean canRead(final Path file) {
		if (Files.isDirectory(file))
			return true;
		final String n = NiftiReader.lowerName(file);
		return n.endsWith(".dcm") || n.endsWith(".dicom") || n.endsWith(".ima") || DicomReader.hasDicomMagic(file);
	}

	@Override
	public VolumeFileInfo info(final Path file) throws IOException {
		try {
			final DicomReader.Info i = DicomReader.info(file);
			return new VolumeFileInfo(file, i.format(), i.size(), 1, i.voxelType(), i.voxelToWorld(), i.geometrySource(), "mm");
		} catch (final DicomException e) {
			throw volumeIOException(e);
		} catch (final RuntimeException e) {
			throw corrupt(file, e);
		}
	}

	@Override
	public Volume read(final Path file, final int index) throws IOException {
		try {
			return DicomReader.read(file, index);
		} catch (final DicomException e) {
			throw volumeIOException(e);
		} catch (final RuntimeException e) {
			throw corrupt(file, e);
		}
	}

	private static VolumeIOException volumeIOException(final DicomException e) {
		final VolumeIOException v = new VolumeIOException(e.file(), e.problem());
		if (e.getCause() != null)
			v.initCause(e.getCause());
		return v;
	}

	/** A damaged file that the parser or a decoder ran off the end of, or into a value out of range. */
	private static VolumeIOException corrupt(final Path file, final RuntimeException e) {
		return new VolumeIOException(file, "the DICOM file is damaged (" + e + ")", e);
	}
}
