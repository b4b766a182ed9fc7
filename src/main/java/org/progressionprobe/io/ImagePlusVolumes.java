package org.progressionprobe.io;

import java.awt.image.IndexColorModel;
import java.util.Locale;

import ij.ImagePlus;
import ij.ImageStack;
import ij.measure.Calibration;
import ij.process.ColorProcessor;
import ij.process.FloatProcessor;
import ij.process.ImageProcessor;

import org.progressionprobe.volume.AffineTransform3D;
import org.progressionprobe.volume.Geometry;
import org.progressionprobe.volume.Volume;

/**
 * Converts between {@link Volume}s and ImageJ's {@link ImagePlus} (headless: no window is opened).
 * <p>
 * <b>Geometry.</b> An ImagePlus has a calibration (pixel width, height, depth, units, origin in
 * pixels) but no direction cosines. The calibrated coordinate of voxel index {@code i} along an axis
 * is {@code u = (i - origin) * pixelSize} (ImageJ's convention), in mm after unit conversion. The
 * world position (RAS) is {@code R u + t0}:
 * <ul>
 * <li>an ImagePlus made by {@link #toImagePlus} carries {@code R} and {@code t0} (and the exact
 * matrix) in the image properties {@value #MATRIX_PROPERTY} and {@value #CALIBRATION_PROPERTY}.
 * ImageJ keeps image properties in TIFF files, so a volume saved as TIFF in ImageJ and read back keeps
 * an oblique matrix. If the calibration is unchanged the stored matrix comes back bit for bit; if the
 * image was cropped or scaled (ImageJ updates origin and pixel size), the matrix follows from
 * {@code R}, {@code t0} and the new calibration.</li>
 * <li>any other ImagePlus gets ITK's reading of an image without orientation (as ITK and SimpleITK
 * read a TIFF or PNG): index axes along the LPS world axes, {@code R = diag(-1, -1, 1)} in RAS,
 * {@code t0 = 0}.</li>
 * </ul>
 * Units: mm, cm, m, um/µm/micron, nm, inch; "pixel" and unknown units are taken as mm.
 * <p>
 * <b>Values.</b> 8- and 16-bit images give their calibrated values (ImageJ's calibration function,
 * e.g. signed 16-bit data); 32-bit images their floats; RGB images the luminance
 * {@code 0.299 R + 0.587 G + 0.114 B} (ITU-R BT.601, ImageJ's "weighted" conversion). A hyperstack's
 * channels and frames are separate volumes: volume index {@code = frame * channels + channel}.
 */
public final class ImagePlusVolumes {

	/** Image property holding the exact voxel-to-world matrix (12 numbers, row-packed, mm, RAS). */
	public static final String MATRIX_PROPERTY = "progression_probe.voxel_to_world";
	/** Image property holding the calibration the matrix was made with: pixel sizes, origins, unit. */
	public static final String CALIBRATION_PROPERTY = "progression_probe.calibration";

	private ImagePlusVolumes() {}

	/** A 32-bit ImagePlus with the volume's voxels (copied), calibration in mm and the matrix kept in properties. */
	public static ImagePlus toImagePlus(final Volume volume, final String title) {
		final int nx = volume.nx(), ny = volume.ny(), nz = volume.nz();
		final float[] data = volume.data();
		final ImageStack stack = new ImageStack(nx, ny);
		float min = Float.POSITIVE_INFINITY, max = Float.NEGATIVE_INFINITY;
		for (int z = 0; z < nz; z++) {
			final float[] slice = new float[nx * ny];
			System.arraycopy(data, z * nx * ny, slice, 0, slice.length);
			for (final float v : slice)
				if (!Float.isNaN(v)) {
					min = Math.min(min, v);
					max = Math.max(max, v);
				}
			stack.addSlice(null, new FloatProcessor(nx, ny, slice));
		}
		final ImagePlus imp = new ImagePlus(title, stack);
		imp.setDimensions(1, nz, 1);
		final AffineTransform3D m = volume.voxelToWorld();
		final double[] spacing = Geometry.voxelSize(m);
		final double[][] r = directions(m, spacing);
		// origins chosen so that t0 = 0 for an orthonormal R: ITK-style images keep a meaningful calibration
		final double[] origin = new double[3];
		for (int a = 0; a < 3; a++) {
			double dot = 0;
			for (int k = 0; k < 3; k++)
				dot += r[k][a] * m.get(k, 3);
			origin[a] = -dot / spacing[a];
		}
		final Calibration cal = imp.getCalibration();
		cal.pixelWidth = spacing[0];
		cal.pixelHeight = spacing[1];
		cal.pixelDepth = spacing[2];
		cal.xOrigin = origin[0];
		cal.yOrigin = origin[1];
		cal.zOrigin = origin[2];
		cal.setUnit("mm");
		final StringBuilder sb = new StringBuilder();
		for (final double v : m.getRowPackedCopy())
			sb.append(sb.length() > 0 ? " " : "").append(v);
		imp.setProp(MATRIX_PROPERTY, sb.toString());
		imp.setProp(CALIBRATION_PROPERTY, calibrationKey(cal));
		if (min <= max)
			imp.setDisplayRange(min, max);
		return imp;
	}

	/** Number of volumes: channels times frames. */
	public static int volumeCount(final ImagePlus imp) {
		return imp.getNChannels() * imp.getNFrames();
	}

	/** The first volume (channel 1, frame 1) of an ImagePlus. */
	public static Volume toVolume(final ImagePlus imp) {
		return toVolume(imp, 0);
	}

	/** The volume with the given index ({@code frame * channels + channel}) of an ImagePlus. */
	public static Volume toVolume(final ImagePlus imp, final int index) {
		return toVolume(imp, index, false);
	}

	/**
	 * @param applyPalette for 8-bit images with a colour or inverted lookup table: take each pixel's
	 *        palette colour (its luminance) instead of the index, as ITK reads indexed PNG and GIF files
	 */
	static Volume toVolume(final ImagePlus imp, final int index, final boolean applyPalette) {
		final int channels = imp.getNChannels(), slices = imp.getNSlices(), frames = imp.getNFrames();
		if (index < 0 || index >= channels * frames)
			throw new IllegalArgumentException("Volume index " + index + " is outside 0.." + (channels * frames - 1) + " for image '"
					+ imp.getTitle() + "' (" + channels + " channels x " + frames + " frames)");
		final int c = index % channels, t = index / channels;
		final int nx = imp.getWidth(), ny = imp.getHeight(), plane = nx * ny;
		if ((long) plane * slices > Integer.MAX_VALUE - 8)
			throw new IllegalArgumentException("Image '" + imp.getTitle() + "' is too large for one volume");
		final float[] data = new float[plane * slices];
		final ImageStack stack = imp.getStack();
		final float[] ctable = imp.getBitDepth() == 8 || imp.getBitDepth() == 16 ? imp.getCalibration().getCTable() : null;
		for (int z = 0; z < slices; z++) {
			final ImageProcessor ip = stack.getProcessor(imp.getStackIndex(c + 1, z + 1, t + 1));
			copyPlane(ip, data, z * plane, ctable, applyPalette);
		}
		return Volume.wrap(data, nx, ny, slices, voxelToWorld(imp));
	}

	private static void copyPlane(final ImageProcessor ip, final float[] dst, final int off, final float[] ctable, final boolean applyPalette) {
		final int n = ip.getPixelCount();
		final Object pixels = ip.getPixels();
		if (pixels instanceof byte[]) {
			final byte[] p = (byte[]) pixels;
			final float[] palette = applyPalette ? paletteLuminance(ip) : null;
			final float[] table = palette != null ? palette : ctable;
			for (int i = 0; i < n; i++)
				dst[off + i] = table != null ? table[p[i] & 0xff] : p[i] & 0xff;
		} else if (pixels instanceof short[]) {
			final short[] p = (short[]) pixels;
			for (int i = 0; i < n; i++)
				dst[off + i] = ctable != null ? ctable[p[i] & 0xffff] : p[i] & 0xffff;
		} else if (pixels instanceof float[]) {
			System.arraycopy(pixels, 0, dst, off, n);
		} else if (ip instanceof ColorProcessor) {
			final int[] p = (int[]) pixels;
			for (int i = 0; i < n; i++)
				dst[off + i] = Volume.luminance((p[i] >> 16) & 0xff, (p[i] >> 8) & 0xff, p[i] & 0xff);
		} else
			throw new IllegalArgumentException("Unsupported ImageJ pixel type " + pixels.getClass().getSimpleName());
	}

	/** The luminance of each palette entry, or null if the palette is the plain grey ramp. */
	private static float[] paletteLuminance(final ImageProcessor ip) {
		if (!(ip.getColorModel() instanceof IndexColorModel))
			return null;
		final IndexColorModel cm = (IndexColorModel) ip.getColorModel();
		final float[] out = new float[256];
		boolean ramp = true;
		for (int i = 0; i < 256; i++) {
			final int k = Math.min(i, cm.getMapSize() - 1);
			final int r = cm.getRed(k), g = cm.getGreen(k), b = cm.getBlue(k);
			ramp &= r == i && g == i && b == i;
			out[i] = Volume.luminance(r, g, b);
		}
		return ramp ? null : out;
	}

	/** The voxel-to-world matrix (mm, RAS) of an ImagePlus, as described in the class comment. */
	public static AffineTransform3D voxelToWorld(final ImagePlus imp) {
		final Calibration cal = imp.getCalibration();
		final double[] s = { cal.pixelWidth * unitToMm(cal.getXUnit()), cal.pixelHeight * unitToMm(cal.getYUnit()),
				cal.pixelDepth * unitToMm(cal.getZUnit()) };
		for (int a = 0; a < 3; a++)
			if (!(s[a] > 0) || !Double.isFinite(s[a]))
				s[a] = 1;
		final double[] o = { cal.xOrigin, cal.yOrigin, cal.zOrigin };
		final AffineTransform3D stored = storedMatrix(imp);
		double[][] r = { { -1, 0, 0 }, { 0, -1, 0 }, { 0, 0, 1 } };
		double[] t0 = new double[3];
		if (stored != null) {
			if (calibrationUnchanged(imp))
				return stored;
			// calibration changed since the matrix was stored (crop, scale): keep the frame, follow the calibration
			final double[] s0 = Geometry.voxelSize(stored);
			final double[] o0 = storedOrigins(imp);
			r = directions(stored, s0);
			for (int k = 0; k < 3; k++)
				t0[k] = stored.get(k, 3) + r[k][0] * o0[0] * s0[0] + r[k][1] * o0[1] * s0[1] + r[k][2] * o0[2] * s0[2];
		}
		final AffineTransform3D m = new AffineTransform3D();
		for (int k = 0; k < 3; k++) {
			for (int a = 0; a < 3; a++)
				m.set(r[k][a] * s[a], k, a);
			m.set(t0[k] - (r[k][0] * o[0] * s[0] + r[k][1] * o[1] * s[1] + r[k][2] * o[2] * s[2]), k, 3);
		}
		return m;
	}

	/** Where {@link #voxelToWorld(ImagePlus)} takes the geometry from, for messages and Volume Info. */
	static String geometrySource(final ImagePlus imp) {
		if (storedMatrix(imp) == null)
			return "ImageJ calibration (no orientation: index axes taken along LPS, as ITK)";
		return calibrationUnchanged(imp) ? "stored voxel-to-world matrix"
				: "stored orientation with the current ImageJ calibration";
	}

	/** Millimetres per unit of an ImageJ unit name; 1 for "pixel", empty and unknown names. */
	public static double unitToMm(final String unit) {
		if (unit == null)
			return 1;
		switch (unit.strip().toLowerCase(Locale.ROOT)) {
		case "cm":
		case "centimeter":
		case "centimetre":
			return 10;
		case "m":
		case "meter":
		case "metre":
			return 1000;
		case "um":
		case "\u00b5m":
		case "\u03bcm":
		case "micron":
		case "microns":
		case "micrometer":
		case "micrometre":
			return 1e-3;
		case "nm":
		case "nanometer":
		case "nanometre":
			return 1e-6;
		case "inch":
		case "inches":
		case "in":
			return 25.4;
		default:
			return 1;
		}
	}

	private static AffineTransform3D storedMatrix(final ImagePlus imp) {
		final double[] v = parse(imp.getProp(MATRIX_PROPERTY), 12);
		if (v == null)
			return null;
		final AffineTransform3D m = AffineTransform3D.of(v);
		try {
			Geometry.requireInvertible(m, "stored matrix");
		} catch (final IllegalArgumentException e) {
			return null;
		}
		return parse(imp.getProp(CALIBRATION_PROPERTY), 6) == null ? null : m;
	}

	private static double[] storedOrigins(final ImagePlus imp) {
		final double[] v = parse(imp.getProp(CALIBRATION_PROPERTY), 6);
		return new double[] { v[3], v[4], v[5] };
	}

	private static double[] parse(final String text, final int count) {
		if (text == null)
			return null;
		final String[] parts = text.strip().split("\\s+");
		if (parts.length < count)
			return null;
		final double[] v = new double[count];
		try {
			for (int i = 0; i < count; i++)
				v[i] = Double.parseDouble(parts[i]);
		} catch (final NumberFormatException e) {
			return null;
		}
		return v;
	}

	/**
	 * True if the calibration is the one the matrix was stored with. TIFF keeps pixel sizes as rationals
	 * (about 7 digits), so sizes are compared to 1e-5 relative and origins to 1e-4 pixel; a crop or a
	 * scaling changes them by far more.
	 */
	private static boolean calibrationUnchanged(final ImagePlus imp) {
		final String stored = imp.getProp(CALIBRATION_PROPERTY);
		final String now = calibrationKey(imp.getCalibration());
		if (now.equals(stored))
			return true;
		final double[] a = parse(stored, 6), b = parse(now, 6);
		if (a == null || b == null || !units(stored).equals(units(now)))
			return false;
		for (int i = 0; i < 3; i++)
			if (Math.abs(a[i] - b[i]) > 1e-5 * Math.abs(a[i]) || Math.abs(a[i + 3] - b[i + 3]) > 1e-4)
				return false;
		return true;
	}

	private static String units(final String key) {
		final String[] parts = key.strip().split("\\s+", 7);
		return parts.length == 7 ? parts[6] : "";
	}

	/** Pixel sizes, origins and units: what must be unchanged for the stored matrix to apply as it is. */
	private static String calibrationKey(final Calibration cal) {
		return cal.pixelWidth + " " + cal.pixelHeight + " " + cal.pixelDepth + " " + cal.xOrigin + " " + cal.yOrigin + " " + cal.zOrigin + " "
				+ cal.getXUnit() + " " + cal.getYUnit() + " " + cal.getZUnit();
	}

	/** The matrix columns divided by their lengths. */
	private static double[][] directions(final AffineTransform3D m, final double[] spacing) {
		final double[][] r = new double[3][3];
		for (int k = 0; k < 3; k++)
			for (int a = 0; a < 3; a++)
				r[k][a] = m.get(k, a) / spacing[a];
		return r;
	}
}
