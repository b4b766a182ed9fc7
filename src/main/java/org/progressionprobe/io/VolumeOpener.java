package org.progressionprobe.io;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

import net.imglib2.Cursor;
import net.imglib2.RandomAccessibleInterval;
import net.imglib2.type.numeric.RealType;
import net.imglib2.view.Views;

import org.progressionprobe.volume.AffineTransform3D;
import org.progressionprobe.volume.Volume;
import org.scijava.io.IOPlugin;
import org.scijava.io.IOService;

/**
 * Reads volumes with {@link VolumeIO} and, for formats it does not know, asks SciJava's
 * {@link IOService}: in Fiji that is backed by SCIFIO and Bio-Formats, so microscopy and other formats
 * open there too; outside Fiji no reader answers and the user gets an "unsupported format" error that
 * names the file.
 * <p>
 * What IOService returns must be a 2D or 3D {@link RandomAccessibleInterval} of real values
 * (SCIFIO's Dataset is one). Its calibration lives in classes this plugin cannot compile against
 * (imagej-common), so such a volume gets spacing 1 mm and ITK's axes (as a PNG does): voxel values
 * are exact, geometry is not; the info says so.
 */
public final class VolumeOpener {

	private static final AffineTransform3D ITK_AXES = AffineTransform3D.of(-1, 0, 0, 0, 0, -1, 0, 0, 0, 0, 1, 0);
	private static final String FALLBACK_GEOMETRY = "none in the file as read through SciJava's IOService: spacing 1 mm, axes along LPS";

	private final IOService io;

	/** @param io SciJava's IOService, or null to use {@link VolumeIO} only */
	public VolumeOpener(final IOService io) {
		this.io = io;
	}

	/** The header of a volume file. */
	public VolumeFileInfo info(final Path file) throws IOException {
		try {
			return VolumeIO.info(file);
		} catch (final VolumeIO.UnsupportedFormatException e) {
			final Volume v = fallback(file, 0, e);
			return new VolumeFileInfo(file, "read through SciJava IOService", v.size(), 1, "float32 (converted)", v.voxelToWorld(), FALLBACK_GEOMETRY,
					"none (taken as mm)");
		}
	}

	/** The volume with the given index of a file. */
	public Volume read(final Path file, final int index) throws IOException {
		try {
			return VolumeIO.read(file, index);
		} catch (final VolumeIO.UnsupportedFormatException e) {
			return fallback(file, index, e);
		}
	}

	private Volume fallback(final Path file, final int index, final VolumeIO.UnsupportedFormatException unsupported) throws IOException {
		if (io == null || !Files.isRegularFile(file))
			throw unsupported;
		final IOPlugin<?> opener = io.getOpener(file.toString());
		if (opener == null)
			throw unsupported;
		final Object data;
		try {
			data = opener.open(file.toString());
		} catch (final IOException | RuntimeException e) {
			throw new VolumeIOException(file, "unsupported format: " + opener.getClass().getSimpleName() + " could not read it", e);
		}
		if (!(data instanceof RandomAccessibleInterval))
			throw new VolumeIOException(file, "unsupported format: " + opener.getClass().getSimpleName() + " read it as "
					+ (data == null ? "nothing" : data.getClass().getSimpleName()) + ", not as an image");
		final RandomAccessibleInterval<?> rai = (RandomAccessibleInterval<?>) data;
		final int n = rai.numDimensions();
		if (n < 2 || n > 3)
			throw new VolumeIOException(file, "unsupported format: the image has " + n + " dimensions; only 2D and 3D images can be read this way");
		if (index != 0)
			throw new VolumeIOException(file, "volume index " + index + " is outside 0..0");
		final long nx = rai.dimension(0), ny = rai.dimension(1), nz = n > 2 ? rai.dimension(2) : 1;
		if (nx * ny * nz > Integer.MAX_VALUE - 8)
			throw new VolumeIOException(file, "a volume of " + nx + " x " + ny + " x " + nz + " voxels is too large");
		final float[] voxels = new float[(int) (nx * ny * nz)];
		final Cursor<?> c = Views.flatIterable(rai).cursor();
		int i = 0;
		while (c.hasNext()) {
			final Object t = c.next();
			if (!(t instanceof RealType))
				throw new VolumeIOException(file, "unsupported format: its pixels are " + t.getClass().getSimpleName() + ", not real numbers");
			voxels[i++] = ((RealType<?>) t).getRealFloat();
		}
		return Volume.wrap(voxels, (int) nx, (int) ny, (int) nz, ITK_AXES);
	}
}
