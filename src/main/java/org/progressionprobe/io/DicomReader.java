package org.progressionprobe.io;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

import ij.ImagePlus;
import ij.ImageStack;
import ij.Prefs;
import ij.io.FileInfo;
import ij.plugin.DICOM;
import ij.process.ImageProcessor;

import org.progressionprobe.volume.AffineTransform3D;
import org.progressionprobe.volume.Geometry;
import org.progressionprobe.volume.Volume;

/**
 * Reads DICOM images with ImageJ 1's decoder, headless: a single file (one slice, or a multi-frame
 * stack), or a folder of slices of one series.
 * <p>
 * A folder's slices are ordered by their ImagePositionPatient projected on the slice normal (the
 * cross product of the ImageOrientationPatient row and column directions), not by file name. The
 * geometry comes from the tags: x along the row direction with PixelSpacing[1], y along the column
 * direction with PixelSpacing[0], z from the first to the last slice position (so a gantry tilt is
 * kept as a sheared matrix), origin at the first slice's position; DICOM's LPS world becomes RAS.
 * A single slice gets SpacingBetweenSlices (or SliceThickness, or 1 mm) along the normal. Values are
 * the stored values times RescaleSlope plus RescaleIntercept, whatever ImageJ's DICOM preferences say.
 * <p>
 * Errors name the file: a folder with several series, slices of different size or orientation,
 * two slices at one position, uneven spacing (a missing slice), no image position.
 */
public final class DicomReader implements VolumeFormat {

	/** Relative deviation of slice gaps from their mean beyond which a folder is refused. */
	private static final double SPACING_TOLERANCE = 0.01;

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
		return n.endsWith(".dcm") || n.endsWith(".dicom") || n.endsWith(".ima") || hasDicomMagic(file);
	}

	/** True if the file has the DICOM preamble ("DICM" at byte 128). */
	static boolean hasDicomMagic(final Path file) {
		if (!Files.isRegularFile(file))
			return false;
		try (InputStream in = Files.newInputStream(file)) {
			final byte[] b = in.readNBytes(132);
			return b.length == 132 && b[128] == 'D' && b[129] == 'I' && b[130] == 'C' && b[131] == 'M';
		} catch (final IOException e) {
			return false;
		}
	}

	@Override
	public VolumeFileInfo info(final Path file) throws IOException {
		final Series s = series(file);
		final Slice f = s.slices.get(0);
		return new VolumeFileInfo(file, "DICOM" + (s.slices.size() > 1 ? " folder, " + s.slices.size() + " slices" : "")
				+ (f.frames > 1 ? ", " + f.frames + " frames" : ""), new int[] { f.columns, f.rows, s.depth() }, 1, f.voxelType(), s.voxelToWorld(),
				s.geometrySource(), "mm");
	}

	@Override
	public Volume read(final Path file, final int index) throws IOException {
		if (index != 0)
			throw new VolumeIOException(file, "volume index " + index + " is outside 0..0 (a DICOM series is one volume)");
		final Series s = series(file);
		final Slice first = s.slices.get(0);
		final int nx = first.columns, ny = first.rows, nz = s.depth(), plane = nx * ny;
		if ((long) plane * nz > Integer.MAX_VALUE - 8)
			throw new VolumeIOException(file, "a volume of " + nx + " x " + ny + " x " + nz + " voxels is too large");
		final AffineTransform3D m = s.voxelToWorld();
		final float[] data = new float[plane * nz];
		int z = 0;
		for (final Slice slice : s.slices) {
			final ImagePlus imp = open(slice.file);
			if (imp.getWidth() != nx || imp.getHeight() != ny || imp.getStackSize() != slice.frames)
				throw new VolumeIOException(slice.file, "ImageJ decoded " + imp.getWidth() + " x " + imp.getHeight() + " x " + imp.getStackSize()
						+ " pixels but the header says " + nx + " x " + ny + " x " + slice.frames);
			final FileInfo fi = imp.getOriginalFileInfo();
			final int signedOffset = fi != null && fi.fileType == FileInfo.GRAY16_SIGNED ? 32768 : 0;
			final ImageStack stack = imp.getStack();
			for (int k = 1; k <= stack.getSize(); k++, z++)
				copy(stack.getProcessor(k), data, z * plane, signedOffset, slice.slope, slice.intercept);
		}
		return Volume.wrap(data, nx, ny, nz, m);
	}

	private static void copy(final ImageProcessor ip, final float[] dst, final int off, final int signedOffset, final double slope,
			final double intercept) {
		final Object pixels = ip.getPixels();
		final int n = ip.getPixelCount();
		if (pixels instanceof int[]) {
			final int[] p = (int[]) pixels;
			for (int i = 0; i < n; i++)
				dst[off + i] = VoxelType.luminance((p[i] >> 16) & 0xff, (p[i] >> 8) & 0xff, p[i] & 0xff);
			return;
		}
		for (int i = 0; i < n; i++) {
			final double stored;
			if (pixels instanceof byte[])
				stored = ((byte[]) pixels)[i] & 0xff;
			else if (pixels instanceof short[])
				stored = (((short[]) pixels)[i] & 0xffff) - signedOffset;
			else
				stored = ((float[]) pixels)[i];
			dst[off + i] = (float) (stored * slope + intercept);
		}
	}

	/** Opens one file with ImageJ's DICOM reader, its rescaling preferences switched off so values stay raw. */
	private static ImagePlus open(final Path file) throws VolumeIOException {
		final DICOM dicom = new DICOM();
		synchronized (DicomReader.class) {
			final boolean asFloat = Prefs.openDicomsAsFloat, ignoreSlope = Prefs.ignoreRescaleSlope, fixed = Prefs.fixedDicomScaling;
			try {
				Prefs.openDicomsAsFloat = false;
				Prefs.ignoreRescaleSlope = true;
				Prefs.fixedDicomScaling = false;
				dicom.open(file.toAbsolutePath().toString());
			} catch (final RuntimeException e) {
				throw new VolumeIOException(file, "ImageJ cannot decode this DICOM file", e);
			} finally {
				Prefs.openDicomsAsFloat = asFloat;
				Prefs.ignoreRescaleSlope = ignoreSlope;
				Prefs.fixedDicomScaling = fixed;
			}
		}
		if (dicom.getWidth() == 0 || dicom.getStackSize() == 0)
			throw new VolumeIOException(file, "ImageJ cannot decode the pixel data of this DICOM file (compressed transfer syntax?)");
		return dicom;
	}

	/** The slices of a file or folder, validated and ordered along the slice normal. */
	static Series series(final Path path) throws IOException {
		if (!Files.exists(path))
			throw new VolumeIOException(path, "file not found");
		if (!Files.isDirectory(path))
			return new Series(path, List.of(Slice.of(path, true)));
		final List<Path> files = new ArrayList<>();
		try (DirectoryStream<Path> ds = Files.newDirectoryStream(path)) {
			for (final Path p : ds)
				if (Files.isRegularFile(p) && !p.getFileName().toString().startsWith(".") && !p.getFileName().toString().equalsIgnoreCase("DICOMDIR"))
					files.add(p);
		}
		files.sort(Comparator.naturalOrder());
		final List<Slice> slices = new ArrayList<>();
		for (final Path p : files) {
			final Slice s = Slice.of(p, false);
			if (s != null)
				slices.add(s);
		}
		if (slices.isEmpty())
			throw new VolumeIOException(path, "the folder holds no DICOM images (" + files.size() + " files checked)");
		final Map<String, List<Slice>> bySeries = new LinkedHashMap<>();
		for (final Slice s : slices)
			bySeries.computeIfAbsent(s.seriesUid, k -> new ArrayList<>()).add(s);
		if (bySeries.size() > 1) {
			final StringBuilder sb = new StringBuilder();
			for (final Map.Entry<String, List<Slice>> e : bySeries.entrySet())
				sb.append(sb.length() > 0 ? "; " : "").append(e.getValue().size()).append(" files of series ").append(e.getKey())
						.append(" (e.g. ").append(e.getValue().get(0).file.getFileName()).append(")");
			throw new VolumeIOException(path, "the folder holds " + bySeries.size() + " series, put each in its own folder: " + sb);
		}
		return new Series(path, order(path, slices));
	}

	private static List<Slice> order(final Path folder, final List<Slice> slices) throws VolumeIOException {
		final Slice ref = slices.get(0);
		for (final Slice s : slices) {
			if (s.rows != ref.rows || s.columns != ref.columns)
				throw new VolumeIOException(s.file, "slice is " + s.columns + " x " + s.rows + " but " + ref.file.getFileName() + " is " + ref.columns
						+ " x " + ref.rows);
			for (int i = 0; i < 6; i++)
				if (Math.abs(s.orientation[i] - ref.orientation[i]) > 1e-4)
					throw new VolumeIOException(s.file, "its ImageOrientationPatient differs from that of " + ref.file.getFileName());
			if (Math.abs(s.spacing[0] - ref.spacing[0]) > 1e-6 * ref.spacing[0] || Math.abs(s.spacing[1] - ref.spacing[1]) > 1e-6 * ref.spacing[1])
				throw new VolumeIOException(s.file, "its PixelSpacing differs from that of " + ref.file.getFileName());
			if (s.frames > 1 && slices.size() > 1)
				throw new VolumeIOException(s.file, "a multi-frame file in a folder of slices; read it on its own");
		}
		final double[] normal = ref.normal();
		final List<Slice> sorted = new ArrayList<>(slices);
		final Map<Slice, Double> along = new HashMap<>();
		for (final Slice s : sorted)
			along.put(s, dot(s.position, normal));
		sorted.sort(Comparator.comparingDouble(along::get));
		if (sorted.size() < 2)
			return sorted;
		double minGap = Double.POSITIVE_INFINITY, maxGap = 0;
		for (int i = 1; i < sorted.size(); i++) {
			final double gap = along.get(sorted.get(i)) - along.get(sorted.get(i - 1));
			if (gap < 1e-4)
				throw new VolumeIOException(folder, "slices " + sorted.get(i - 1).file.getFileName() + " and " + sorted.get(i).file.getFileName()
						+ " lie at the same position (several echoes or time points in one folder?)");
			minGap = Math.min(minGap, gap);
			maxGap = Math.max(maxGap, gap);
		}
		final double mean = (along.get(sorted.get(sorted.size() - 1)) - along.get(sorted.get(0))) / (sorted.size() - 1);
		if (maxGap - minGap > SPACING_TOLERANCE * mean)
			throw new VolumeIOException(folder, String.format(Locale.ROOT,
					"slice gaps range from %.4g to %.4g mm: a slice is missing or the series is not evenly spaced", minGap, maxGap));
		return sorted;
	}

	private static double dot(final double[] a, final double[] b) {
		return a[0] * b[0] + a[1] * b[1] + a[2] * b[2];
	}

	/** One DICOM file's header, read by ImageJ's decoder without its pixels. */
	static final class Slice {
		final Path file;
		final String seriesUid;
		final int rows, columns, frames;
		final double[] position, orientation, spacing;
		final double sliceGap, slope, intercept;
		final int bitsAllocated, pixelRepresentation, samples;

		private Slice(final Path file, final Map<String, String> tags) throws VolumeIOException {
			this.file = file;
			seriesUid = tags.getOrDefault("0020,000E", "");
			rows = (int) number(tags, "0028,0010", -1);
			columns = (int) number(tags, "0028,0011", -1);
			if (rows <= 0 || columns <= 0)
				throw new VolumeIOException(file, "the DICOM header gives no image size (Rows, Columns)");
			frames = (int) Math.max(1, number(tags, "0028,0008", 1));
			position = numbers(tags, "0020,0032", 3);
			orientation = numbers(tags, "0020,0037", 6);
			final double[] ps = tags.containsKey("0028,0030") ? numbers(tags, "0028,0030", 2)
					: tags.containsKey("0018,1164") ? numbers(tags, "0018,1164", 2) : new double[] { 1, 1 };
			if (!(ps[0] > 0 && ps[1] > 0))
				throw new VolumeIOException(file, "PixelSpacing " + tags.get("0028,0030") + " is not positive");
			spacing = ps;
			final double between = number(tags, "0018,0088", 0), thickness = number(tags, "0018,0050", 0);
			sliceGap = between > 0 ? between : thickness > 0 ? thickness : 1;
			final double s = number(tags, "0028,1053", 1);
			slope = s == 0 ? 1 : s;
			intercept = number(tags, "0028,1052", 0);
			bitsAllocated = (int) number(tags, "0028,0100", 16);
			pixelRepresentation = (int) number(tags, "0028,0103", 0);
			samples = (int) number(tags, "0028,0002", 1);
			if (orientation != null) {
				final double[] n = normal();
				if (Math.sqrt(dot(n, n)) < 1e-3)
					throw new VolumeIOException(file, "ImageOrientationPatient " + tags.get("0020,0037") + " has parallel row and column directions");
			}
		}

		/**
		 * @param single true for a file read on its own: a missing position or orientation is then allowed
		 *        (an identity orientation at 0 is used); in a folder such files cannot be ordered
		 * @return the slice, or null for a file in a folder that is not a DICOM image
		 */
		static Slice of(final Path file, final boolean single) throws VolumeIOException {
			if (single) {
				try {
					if (Files.size(file) == 0)
						throw new VolumeIOException(file, "empty file");
				} catch (final IOException e) {
					throw new VolumeIOException(file, "cannot read it", e);
				}
			}
			final String info;
			try {
				info = new DICOM().getInfo(file.toAbsolutePath().toString());
			} catch (final RuntimeException e) {
				if (!single)
					return null;
				throw new VolumeIOException(file, "not a readable DICOM file", e);
			}
			final Map<String, String> tags = tags(info);
			if (!tags.containsKey("7FE0,0010")) {
				if (!single)
					return null;
				throw new VolumeIOException(file, tags.isEmpty() ? "not a DICOM file" : "the DICOM file holds no pixel data");
			}
			final Slice s = new Slice(file, tags);
			final long need = (long) s.rows * s.columns * s.frames * Math.max(1, s.bitsAllocated / 8) * Math.max(1, s.samples);
			final String syntax = tags.getOrDefault("0002,0010", "");
			final boolean encapsulated = syntax.startsWith("1.2.840.10008.1.2.4") || syntax.startsWith("1.2.840.10008.1.2.5");
			long offset = 0;
			try {
				offset = Long.parseLong(tags.get("7FE0,0010").strip()); // ImageJ lists the offset of the pixel data
			} catch (final NumberFormatException e) {
				// no offset given: check the size alone
			}
			try {
				if (!encapsulated && offset + need > Files.size(file))
					throw new VolumeIOException(file, "truncated: the header describes " + need + " bytes of pixels from byte " + offset
							+ " but the file has " + Files.size(file));
			} catch (final VolumeIOException e) {
				throw e;
			} catch (final IOException e) {
				throw new VolumeIOException(file, "cannot read it", e);
			}
			if (!single && (s.position == null || s.orientation == null))
				throw new VolumeIOException(file, "no ImagePositionPatient/ImageOrientationPatient: the slices of the folder cannot be ordered");
			return s;
		}

		double[] normal() {
			final double[] r = row(), c = column();
			return new double[] { r[1] * c[2] - r[2] * c[1], r[2] * c[0] - r[0] * c[2], r[0] * c[1] - r[1] * c[0] };
		}

		double[] row() {
			return orientation == null ? new double[] { 1, 0, 0 } : new double[] { orientation[0], orientation[1], orientation[2] };
		}

		double[] column() {
			return orientation == null ? new double[] { 0, 1, 0 } : new double[] { orientation[3], orientation[4], orientation[5] };
		}

		String voxelType() {
			if (samples == 3)
				return "rgb24";
			return (pixelRepresentation == 1 ? "int" : "uint") + bitsAllocated;
		}

		private double number(final Map<String, String> tags, final String tag, final double def) throws VolumeIOException {
			final String v = tags.get(tag);
			if (v == null || v.isBlank())
				return def;
			try {
				return Double.parseDouble(v.split("\\\\")[0].strip());
			} catch (final NumberFormatException e) {
				throw new VolumeIOException(file, "DICOM tag (" + tag + ") '" + v + "' is not a number");
			}
		}

		private double[] numbers(final Map<String, String> tags, final String tag, final int count) throws VolumeIOException {
			final String v = tags.get(tag);
			if (v == null || v.isBlank())
				return null;
			final String[] parts = v.strip().split("\\\\");
			if (parts.length != count)
				throw new VolumeIOException(file, "DICOM tag (" + tag + ") '" + v + "' does not have " + count + " values");
			final double[] out = new double[count];
			for (int i = 0; i < count; i++) {
				try {
					out[i] = Double.parseDouble(parts[i].strip());
				} catch (final NumberFormatException e) {
					throw new VolumeIOException(file, "DICOM tag (" + tag + ") '" + v + "' is not a list of numbers");
				}
				if (!Double.isFinite(out[i]))
					throw new VolumeIOException(file, "DICOM tag (" + tag + ") '" + v + "' is not finite");
			}
			return out;
		}
	}

	/** The top-level tags of ImageJ's DICOM info text ("0020,0032  Image Position (Patient): a\b\c"); sequence items skipped. */
	static Map<String, String> tags(final String info) {
		final Map<String, String> out = new HashMap<>();
		if (info == null)
			return out;
		for (final String line : info.split("\n")) {
			if (line.length() < 11 || line.charAt(4) != ',' || line.charAt(9) != ' ' || line.indexOf('>') == 10 || line.indexOf('>') == 11)
				continue;
			final int colon = line.indexOf(':', 10);
			if (colon < 0)
				continue;
			final String tag = line.substring(0, 9).toUpperCase(Locale.ROOT);
			out.putIfAbsent(tag, line.substring(colon + 1).strip());
		}
		return out;
	}

	/** Ordered slices of one series and the geometry they define. */
	static final class Series {
		final Path path;
		final List<Slice> slices;

		Series(final Path path, final List<Slice> slices) {
			this.path = path;
			this.slices = slices;
		}

		int depth() {
			return slices.size() == 1 ? slices.get(0).frames : slices.size();
		}

		AffineTransform3D voxelToWorld() throws VolumeIOException {
			final Slice f = slices.get(0), l = slices.get(slices.size() - 1);
			final double[] r = f.row(), c = f.column(), p = f.position == null ? new double[3] : f.position;
			final double[] z = new double[3];
			if (slices.size() > 1) {
				for (int i = 0; i < 3; i++)
					z[i] = (l.position[i] - f.position[i]) / (slices.size() - 1);
			} else {
				final double[] n = f.normal();
				final double len = Math.sqrt(dot(n, n));
				for (int i = 0; i < 3; i++)
					z[i] = n[i] / len * f.sliceGap;
			}
			final AffineTransform3D lps = AffineTransform3D.of(r[0] * f.spacing[1], c[0] * f.spacing[0], z[0], p[0], r[1] * f.spacing[1],
					c[1] * f.spacing[0], z[1], p[1], r[2] * f.spacing[1], c[2] * f.spacing[0], z[2], p[2]);
			final AffineTransform3D ras = Geometry.flipWorldSide(lps);
			try {
				Geometry.requireInvertible(ras, "voxel-to-world matrix from the DICOM tags");
			} catch (final IllegalArgumentException e) {
				throw new VolumeIOException(path, e.getMessage());
			}
			return ras;
		}

		String geometrySource() {
			final Slice f = slices.get(0);
			if (f.position == null || f.orientation == null)
				return "PixelSpacing only (no ImagePositionPatient/ImageOrientationPatient)";
			return slices.size() > 1 ? "ImageOrientationPatient, PixelSpacing, ImagePositionPatient of " + slices.size() + " slices"
					: "ImageOrientationPatient, PixelSpacing, ImagePositionPatient, " + (f.frames > 1 ? "frame" : "slice") + " spacing " + f.sliceGap
							+ " mm";
		}
	}
}
