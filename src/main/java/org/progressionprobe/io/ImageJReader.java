package org.progressionprobe.io;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

import ij.IJ;
import ij.ImagePlus;
import ij.io.FileInfo;
import ij.io.Opener;
import ij.measure.Calibration;
import ij.plugin.FileInfoVirtualStack;

import org.progressionprobe.volume.Volume;

/**
 * Reads TIFF stacks and 2D PNG, JPEG, GIF and BMP images with ImageJ 1's readers, headless.
 * <ul>
 * <li>TIFF: ImageJ's calibration (pixel width, height, depth, units, origin) and, for TIFFs that
 * ImageJ saved from a volume, the stored voxel-to-world matrix; see {@link ImagePlusVolumes}.
 * Hyperstack channels and frames are separate volumes.</li>
 * <li>PNG, JPEG, GIF, BMP: a volume with one slice, spacing 1 mm, origin 0, index axes along LPS, as ITK
 * reads them (ITK ignores the dots-per-inch of these files, and so do we). An indexed-colour image
 * gives its palette colours, RGB images their luminance (0.299 R + 0.587 G + 0.114 B), so a grey
 * image stored as RGB gives its grey values.</li>
 * </ul>
 */
public final class ImageJReader implements VolumeFormat {

	@Override
	public String name() {
		return "TIFF/PNG/JPEG (ImageJ)";
	}

	@Override
	public boolean canRead(final Path file) {
		return isTiff(file) || isRaster(file);
	}

	private static boolean isTiff(final Path file) {
		final String n = NiftiReader.lowerName(file);
		return n.endsWith(".tif") || n.endsWith(".tiff");
	}

	private static boolean isRaster(final Path file) {
		final String n = NiftiReader.lowerName(file);
		return n.endsWith(".png") || n.endsWith(".jpg") || n.endsWith(".jpeg") || n.endsWith(".gif") || n.endsWith(".bmp");
	}

	@Override
	public VolumeFileInfo info(final Path file) throws IOException {
		final ImagePlus imp = isTiff(file) ? openHeader(file) : open(file);
		return new VolumeFileInfo(file, format(file, imp), new int[] { imp.getWidth(), imp.getHeight(), imp.getNSlices() },
				ImagePlusVolumes.volumeCount(imp), voxelType(imp), ImagePlusVolumes.voxelToWorld(imp), ImagePlusVolumes.geometrySource(imp),
				units(imp));
	}

	@Override
	public Volume read(final Path file, final int index) throws IOException {
		final ImagePlus imp = open(file);
		final int n = ImagePlusVolumes.volumeCount(imp);
		if (index < 0 || index >= n)
			throw new VolumeIOException(file, "volume index " + index + " is outside 0.." + (n - 1));
		try {
			return ImagePlusVolumes.toVolume(imp, index, isRaster(file));
		} catch (final IllegalArgumentException e) {
			throw new VolumeIOException(file, e.getMessage());
		}
	}

	/** Opens the file as an ImagePlus, never showing it. */
	ImagePlus open(final Path file) throws IOException {
		requireReadable(file);
		if (isTiff(file))
			checkTiffSize(file);
		final ImagePlus imp;
		try {
			IJ.redirectErrorMessages(); // ImageJ's own complaints go to the log, never to a dialog; ours is the exception
			imp = isTiff(file) ? new Opener().openTiff(dir(file), file.getFileName().toString())
					: Opener.openUsingImageIO(file.toAbsolutePath().toString());
		} catch (final RuntimeException e) {
			throw new VolumeIOException(file, "ImageJ cannot read it", e);
		}
		if (imp == null || imp.getWidth() == 0)
			throw new VolumeIOException(file, "ImageJ cannot read it as " + (isTiff(file) ? "TIFF" : "an image"));
		if (isRaster(file))
			imp.setCalibration(new Calibration());
		return imp;
	}

	/** A TIFF's dimensions and calibration with only one plane read (a virtual stack). */
	private ImagePlus openHeader(final Path file) throws IOException {
		requireReadable(file);
		checkTiffSize(file);
		ImagePlus imp = null;
		try {
			IJ.redirectErrorMessages();
			imp = FileInfoVirtualStack.openVirtual(file.toAbsolutePath().toString());
		} catch (final RuntimeException e) {
			// some TIFFs cannot be opened virtually; read them whole
		}
		if (imp == null || imp.getWidth() == 0)
			return open(file);
		final FileInfo fi = imp.getOriginalFileInfo();
		if (fi != null && fi.properties != null)
			imp.setProperties(fi.properties); // a virtual stack does not restore the image properties itself
		return imp;
	}

	/**
	 * Refuses a TIFF whose image descriptors ask for more pixel data than the file can hold, before
	 * ImageJ allocates it: a damaged header must not cost gigabytes.
	 */
	private static void checkTiffSize(final Path file) throws IOException {
		final FileInfo[] info;
		try {
			info = Opener.getTiffFileInfo(file.toAbsolutePath().toString());
		} catch (final RuntimeException e) {
			throw new VolumeIOException(file, "not a readable TIFF file", e);
		}
		if (info == null || info.length == 0)
			throw new VolumeIOException(file, "not a readable TIFF file");
		final long have = Files.size(file);
		long need = 0;
		boolean compressed = false;
		for (final FileInfo fi : info) {
			if (fi.width <= 0 || fi.height <= 0)
				throw new VolumeIOException(file, "a TIFF image of " + fi.width + " x " + fi.height + " pixels");
			need += (long) fi.width * fi.height * Math.max(1, fi.getBytesPerPixel()) * Math.max(1, fi.nImages);
			compressed |= fi.compression > FileInfo.COMPRESSION_NONE;
		}
		if (compressed ? need > have * NiftiReader.MAX_DEFLATE_RATIO : need > have)
			throw new VolumeIOException(file, "truncated: its TIFF header describes " + need + " bytes of pixels but the file has " + have);
	}

	private static void requireReadable(final Path file) throws VolumeIOException {
		if (!Files.isRegularFile(file))
			throw new VolumeIOException(file, "file not found");
		try {
			if (Files.size(file) == 0)
				throw new VolumeIOException(file, "empty file");
		} catch (final IOException e) {
			throw new VolumeIOException(file, "cannot read it", e);
		}
	}

	private static String dir(final Path file) {
		final Path parent = file.toAbsolutePath().getParent();
		return parent.toString() + java.io.File.separator;
	}

	private static String format(final Path file, final ImagePlus imp) {
		final String n = NiftiReader.lowerName(file);
		final String ext = isTiff(file) ? "TIFF" : n.endsWith(".jpg") ? "JPEG" : n.substring(n.lastIndexOf('.') + 1).toUpperCase(java.util.Locale.ROOT);
		return ext + " (ImageJ" + (imp.isHyperStack() ? " hyperstack " + imp.getNChannels() + "c x " + imp.getNFrames() + "t" : "") + ")";
	}

	private static String voxelType(final ImagePlus imp) {
		switch (imp.getType()) {
		case ImagePlus.GRAY8:
			return "uint8";
		case ImagePlus.COLOR_256:
			return "uint8 (indexed colour)";
		case ImagePlus.GRAY16:
			return imp.getCalibration().isSigned16Bit() ? "int16" : "uint16";
		case ImagePlus.GRAY32:
			return "float32";
		default:
			return "rgb24";
		}
	}

	private static String units(final ImagePlus imp) {
		final String u = imp.getCalibration().getUnit();
		return u == null || u.isBlank() || u.startsWith("pixel") ? "none (taken as mm)" : u;
	}
}
