package org.progressionprobe.io.dicom;

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

import org.progressionprobe.volume.AffineTransform3D;
import org.progressionprobe.volume.Geometry;
import org.progressionprobe.volume.Volume;

/**
 * Reads DICOM images, headless, with the project's own parser ({@link DicomData}): a single file (one
 * slice, a classic multi-frame file or an enhanced multi-frame file), or a folder of slices of one
 * series. Transfer syntaxes: implicit and explicit VR little endian, explicit VR big endian, deflated,
 * RLE Lossless, JPEG Lossless (process 14, any predictor) and JPEG 2000; others are refused with
 * their name and UID.
 * <p>
 * Slices (files of a folder, or frames of a multi-frame file) are ordered by their
 * ImagePositionPatient projected on the slice normal (the cross product of the
 * ImageOrientationPatient row and column directions), not by file name or frame number. An enhanced
 * file's positions, orientation, pixel spacing and rescaling come from its Per-frame or Shared
 * Functional Groups; a classic multi-frame file's frames lie at GridFrameOffsetVector along the
 * normal (RT Dose), or one SpacingBetweenSlices apart. The geometry: x along the row direction with
 * PixelSpacing[1], y along the column direction with PixelSpacing[0], z from the first to the last
 * slice position (so a gantry tilt is kept as a sheared matrix), origin at the first slice's
 * position; DICOM's LPS world becomes RAS. A single slice gets SpacingBetweenSlices (or
 * SliceThickness, or 1 mm) along the normal. Values are the stored values times RescaleSlope (times
 * DoseGridScaling for RT Dose) plus RescaleIntercept.
 * <p>
 * Errors ({@link DicomException}) name the file: a folder with several series, slices of different
 * size or orientation, two slices at one position, uneven spacing (a missing slice), no image position.
 */
public final class DicomReader {

	/** Relative deviation of slice gaps from their mean beyond which a folder is refused. */
	private static final double SPACING_TOLERANCE = 0.01;

	private DicomReader() {
	}

	/** True if the file has the DICOM preamble ("DICM" at byte 128). */
	public static boolean hasDicomMagic(final Path file) {
		if (!Files.isRegularFile(file))
			return false;
		try (InputStream in = Files.newInputStream(file)) {
			final byte[] b = in.readNBytes(132);
			return b.length == 132 && b[128] == 'D' && b[129] == 'I' && b[130] == 'C' && b[131] == 'M';
		} catch (final IOException e) {
			return false;
		}
	}

	/**
	 * What a series holds, without its voxels.
	 *
	 * @param format "DICOM", with "folder, n slices", "n frames" and a compressed transfer syntax's title
	 * @param size columns, rows, slices
	 * @param voxelType the stored pixels' type
	 */
	public record Info(String format, int[] size, String voxelType, AffineTransform3D voxelToWorld, String geometrySource) {
	}

	/** The series in a file or folder, without its voxels. */
	public static Info info(final Path file) throws IOException {
		final Series s = series(file);
		final Slice f = s.slices.get(0);
		final String syntax = f.syntax.codec == TransferSyntax.Codec.NATIVE && !f.syntax.deflated ? "" : ", " + f.syntax.title;
		return new Info("DICOM" + (s.folder ? " folder, " + s.slices.size() + " slices" : "") + (f.framesInFile > 1 ? ", " + f.framesInFile + " frames" : "")
				+ syntax, new int[] { f.columns, f.rows, s.slices.size() }, f.voxelType, s.voxelToWorld(), s.geometrySource());
	}

	/** The volume of a file or folder; a series is one volume, so {@code index} must be 0. */
	public static Volume read(final Path file, final int index) throws IOException {
		if (index != 0)
			throw new DicomException(file, "volume index " + index + " is outside 0..0 (a DICOM series is one volume)");
		final Series s = series(file);
		final Slice first = s.slices.get(0);
		final int nx = first.columns, ny = first.rows, nz = s.slices.size();
		if ((long) nx * ny * nz > Integer.MAX_VALUE - 8)
			throw new DicomException(file, "a volume of " + nx + " x " + ny + " x " + nz + " voxels is too large");
		final int plane = nx * ny;
		final AffineTransform3D m = s.voxelToWorld();
		final float[] data = new float[plane * nz];
		Path open = null;
		PixelFrames pixels = null;
		for (int z = 0; z < nz; z++) {
			final Slice slice = s.slices.get(z);
			if (!slice.file.equals(open)) {
				pixels = Slice.pixels(slice.file, DicomData.read(slice.file), slice.rows, slice.columns, slice.framesInFile);
				open = slice.file;
			}
			final double[] stored = pixels.frame(slice.frame);
			for (int i = 0; i < plane; i++)
				data[z * plane + i] = (float) (stored[i] * slice.slope + slice.intercept);
		}
		return Volume.wrap(data, nx, ny, nz, m);
	}

	/** The slices of a file or folder, validated and ordered along the slice normal. */
	static Series series(final Path path) throws IOException {
		if (!Files.exists(path))
			throw new DicomException(path, "file not found");
		if (!Files.isDirectory(path))
			return new Series(path, order(path, Slice.of(path, true)), false);
		final List<Path> files = new ArrayList<>();
		try (DirectoryStream<Path> ds = Files.newDirectoryStream(path)) {
			for (final Path p : ds)
				if (Files.isRegularFile(p) && !p.getFileName().toString().startsWith(".") && !p.getFileName().toString().equalsIgnoreCase("DICOMDIR"))
					files.add(p);
		}
		files.sort(Comparator.naturalOrder());
		final List<Slice> slices = new ArrayList<>();
		for (final Path p : files) {
			final List<Slice> s = Slice.of(p, false);
			if (s.size() > 1)
				throw new DicomException(p, "a multi-frame file in a folder of slices; read it on its own");
			slices.addAll(s);
		}
		if (slices.isEmpty())
			throw new DicomException(path, "the folder holds no DICOM images (" + files.size() + " files checked)");
		final Map<String, List<Slice>> bySeries = new LinkedHashMap<>();
		for (final Slice s : slices)
			bySeries.computeIfAbsent(s.seriesUid, k -> new ArrayList<>()).add(s);
		if (bySeries.size() > 1) {
			final StringBuilder sb = new StringBuilder();
			for (final Map.Entry<String, List<Slice>> e : bySeries.entrySet())
				sb.append(sb.length() > 0 ? "; " : "").append(e.getValue().size()).append(" files of series ").append(e.getKey())
						.append(" (e.g. ").append(e.getValue().get(0).file.getFileName()).append(")");
			throw new DicomException(path, "the folder holds " + bySeries.size() + " series, put each in its own folder: " + sb);
		}
		for (final Slice s : slices)
			if (s.position == null || s.orientation == null)
				throw new DicomException(s.file, "no ImagePositionPatient/ImageOrientationPatient: the slices of the folder cannot be ordered");
		return new Series(path, order(path, slices), true);
	}

	private static List<Slice> order(final Path where, final List<Slice> slices) throws DicomException {
		final Slice ref = slices.get(0);
		for (final Slice s : slices) {
			if (s.rows != ref.rows || s.columns != ref.columns)
				throw new DicomException(s.file, "slice is " + s.columns + " x " + s.rows + " but " + ref.label() + " is " + ref.columns + " x "
						+ ref.rows);
			if (s.orientation != null && ref.orientation != null)
				for (int i = 0; i < 6; i++)
					if (Math.abs(s.orientation[i] - ref.orientation[i]) > 1e-4)
						throw new DicomException(s.file, "the ImageOrientationPatient of " + s.label() + " differs from that of " + ref.label());
			if (Math.abs(s.spacing[0] - ref.spacing[0]) > 1e-6 * ref.spacing[0] || Math.abs(s.spacing[1] - ref.spacing[1]) > 1e-6 * ref.spacing[1])
				throw new DicomException(s.file, "the PixelSpacing of " + s.label() + " differs from that of " + ref.label());
		}
		if (slices.size() < 2 || ref.position == null)
			return slices;
		final double[] normal = ref.normal();
		final List<Slice> sorted = new ArrayList<>(slices);
		final Map<Slice, Double> along = new HashMap<>();
		for (final Slice s : sorted)
			along.put(s, dot(s.position, normal));
		sorted.sort(Comparator.comparingDouble(along::get));
		double minGap = Double.POSITIVE_INFINITY, maxGap = 0;
		for (int i = 1; i < sorted.size(); i++) {
			final double gap = along.get(sorted.get(i)) - along.get(sorted.get(i - 1));
			if (gap < 1e-4)
				throw new DicomException(where, "slices " + sorted.get(i - 1).label() + " and " + sorted.get(i).label()
						+ " lie at the same position (several echoes or time points in one " + (ref.framesInFile > 1 ? "file" : "folder") + "?)");
			minGap = Math.min(minGap, gap);
			maxGap = Math.max(maxGap, gap);
		}
		final double mean = (along.get(sorted.get(sorted.size() - 1)) - along.get(sorted.get(0))) / (sorted.size() - 1);
		if (maxGap - minGap > SPACING_TOLERANCE * mean)
			throw new DicomException(where, String.format(Locale.ROOT,
					"slice gaps range from %.4g to %.4g mm: a slice is missing or the series is not evenly spaced", minGap, maxGap));
		return sorted;
	}

	private static double dot(final double[] a, final double[] b) {
		return a[0] * b[0] + a[1] * b[1] + a[2] * b[2];
	}

	/** DICOM tags the reader uses (group << 16 | element). */
	private static final int SERIES_UID = 0x0020000E, ROWS = 0x00280010, COLUMNS = 0x00280011, FRAMES = 0x00280008, POSITION = 0x00200032,
			ORIENTATION = 0x00200037, PIXEL_SPACING = 0x00280030, IMAGER_PIXEL_SPACING = 0x00181164, SPACING_BETWEEN = 0x00180088,
			THICKNESS = 0x00180050, SLOPE = 0x00281053, INTERCEPT = 0x00281052, DOSE_GRID_SCALING = 0x3004000E, GRID_FRAME_OFFSETS = 0x3004000C,
			SHARED_GROUPS = 0x52009229, PER_FRAME_GROUPS = 0x52009230, PLANE_POSITION = 0x00209113, PLANE_ORIENTATION = 0x00209116,
			PIXEL_MEASURES = 0x00289110, VALUE_TRANSFORMATION = 0x00289145;

	/** One slice of the volume: a single-frame file, or one frame of a multi-frame file. */
	static final class Slice {
		final Path file;
		final int frame, framesInFile;
		final String seriesUid, voxelType;
		final TransferSyntax syntax;
		final int rows, columns;
		final double[] position, orientation, spacing;
		final double sliceGap, slope, intercept;

		private Slice(final Path file, final int frame, final int framesInFile, final String seriesUid, final String voxelType,
				final TransferSyntax syntax, final int rows, final int columns, final double[] position, final double[] orientation,
				final double[] spacing, final double sliceGap, final double slope, final double intercept) {
			this.file = file;
			this.frame = frame;
			this.framesInFile = framesInFile;
			this.seriesUid = seriesUid;
			this.voxelType = voxelType;
			this.syntax = syntax;
			this.rows = rows;
			this.columns = columns;
			this.position = position;
			this.orientation = orientation;
			this.spacing = spacing;
			this.sliceGap = sliceGap;
			this.slope = slope;
			this.intercept = intercept;
		}

		/** The file's name, with the frame number for a frame of a multi-frame file. */
		String label() {
			return file.getFileName() + (framesInFile > 1 ? " frame " + (frame + 1) : "");
		}

		/**
		 * @param single true for a file read on its own: a missing position or orientation is then allowed
		 *        (an identity orientation at 0 is used), and a file that is not DICOM or has no pixels is an error
		 * @return the file's slices, in frame order; empty for a file in a folder that is not a DICOM image
		 */
		static List<Slice> of(final Path file, final boolean single) throws DicomException {
			final DicomData d;
			try {
				if (single && Files.size(file) == 0)
					throw new DicomException(file, "empty file");
				d = DicomData.read(file);
			} catch (final DicomException e) {
				throw e;
			} catch (final IOException | RuntimeException e) {
				throw new DicomException(file, "cannot read it: " + e.getMessage(), e);
			}
			if (d == null || !single && d.pixelTag() < 0) {
				if (!single)
					return List.of();
				throw new DicomException(file, "not a DICOM file");
			}
			final Tags top = new Tags(file, d);
			final int rows = d.uint16(ROWS, -1), columns = d.uint16(COLUMNS, -1);
			if (d.pixelTag() >= 0 && (rows <= 0 || columns <= 0))
				throw new DicomException(file, "the DICOM header gives no image size (Rows, Columns)");
			final int frames = (int) Math.max(1, top.number(FRAMES, 1));
			final PixelFrames pixels = pixels(file, d, rows, columns, frames);
			final List<DicomData> perFrame = d.items(PER_FRAME_GROUPS);
			if (!perFrame.isEmpty() && perFrame.size() != frames)
				throw new DicomException(file, "the Per-frame Functional Groups have " + perFrame.size() + " items for " + frames + " frames");
			final DicomData shared = d.item(SHARED_GROUPS);
			final double[] offsets = top.numbers(GRID_FRAME_OFFSETS, frames);
			final double doseScaling = top.number(DOSE_GRID_SCALING, 1);
			final List<Slice> out = new ArrayList<>();
			for (int k = 0; k < frames; k++) {
				final Tags frame = new Tags(file, perFrame.isEmpty() ? null : perFrame.get(k), shared, d);
				final double[] position = frame.numbers(POSITION, 3, PLANE_POSITION);
				final double[] orientation = frame.numbers(ORIENTATION, 6, PLANE_ORIENTATION);
				double[] spacing = frame.numbers(PIXEL_SPACING, 2, PIXEL_MEASURES);
				if (spacing == null)
					spacing = top.numbers(IMAGER_PIXEL_SPACING, 2);
				if (spacing == null)
					spacing = new double[] { 1, 1 };
				if (!(spacing[0] > 0 && spacing[1] > 0))
					throw new DicomException(file, "PixelSpacing " + spacing[0] + "\\" + spacing[1] + " is not positive");
				final double between = frame.number(SPACING_BETWEEN, 0, PIXEL_MEASURES), thickness = frame.number(THICKNESS, 0, PIXEL_MEASURES);
				final double gap = between > 0 ? between : thickness > 0 ? thickness : 1;
				final double s = frame.number(SLOPE, 1, VALUE_TRANSFORMATION);
				final Slice slice = new Slice(file, k, frames, top.string(SERIES_UID), pixels.voxelType(), d.syntax(), rows, columns, position,
						orientation, spacing, gap, (s == 0 ? 1 : s) * doseScaling, frame.number(INTERCEPT, 0, VALUE_TRANSFORMATION) * doseScaling);
				if (orientation != null) {
					final double[] n = slice.normal();
					if (Math.sqrt(dot(n, n)) < 1e-3)
						throw new DicomException(file, "ImageOrientationPatient of " + slice.label() + " has parallel row and column directions");
				}
				out.add(slice);
			}
			return perFrame.isEmpty() && frames > 1 ? classicFramePositions(out, offsets) : out;
		}

		/** The frames of a classic multi-frame file lie at GridFrameOffsetVector (or one slice gap apart) along the normal from its position. */
		private static List<Slice> classicFramePositions(final List<Slice> frames, final double[] offsets) {
			final Slice f = frames.get(0);
			if (f.position == null || f.orientation == null)
				return frames;
			final double[] n = f.normal();
			final double len = Math.sqrt(dot(n, n));
			final List<Slice> out = new ArrayList<>();
			for (final Slice s : frames) {
				final double along = offsets != null ? offsets[s.frame] - offsets[0] : s.frame * s.sliceGap;
				final double[] p = new double[3];
				for (int i = 0; i < 3; i++)
					p[i] = f.position[i] + n[i] / len * along;
				out.add(new Slice(s.file, s.frame, s.framesInFile, s.seriesUid, s.voxelType, s.syntax, s.rows, s.columns, p, s.orientation,
						s.spacing, s.sliceGap, s.slope, s.intercept));
			}
			return out;
		}

		static PixelFrames pixels(final Path file, final DicomData d, final int rows, final int columns, final int frames) throws DicomException {
			if (d == null)
				throw new DicomException(file, "not a DICOM file");
			return new PixelFrames(d, rows, columns, frames);
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
	}

	/**
	 * Tag values looked up in a frame's functional groups (the Per-frame item, then the Shared item,
	 * each in the named sequence), then at the top level of the data set; numbers checked.
	 */
	private static final class Tags {
		private final Path file;
		private final DicomData perFrame, shared, top;

		Tags(final Path file, final DicomData top) {
			this(file, null, null, top);
		}

		Tags(final Path file, final DicomData perFrame, final DicomData shared, final DicomData top) {
			this.file = file;
			this.perFrame = perFrame;
			this.shared = shared;
			this.top = top;
		}

		String string(final int tag, final int... groups) {
			for (final int g : groups)
				for (final DicomData level : new DicomData[] { perFrame, shared }) {
					final DicomData item = level == null ? null : level.item(g);
					if (item != null && item.string(tag) != null)
						return item.string(tag);
				}
			final String v = top.string(tag);
			return v == null ? "" : v;
		}

		double number(final int tag, final double def, final int... groups) throws DicomException {
			final String v = string(tag, groups);
			if (v.isBlank())
				return def;
			try {
				return Double.parseDouble(v.split("\\\\")[0].strip());
			} catch (final NumberFormatException e) {
				throw new DicomException(file, String.format("DICOM tag (%04X,%04X) '%s' is not a number", tag >>> 16, tag & 0xffff, v));
			}
		}

		double[] numbers(final int tag, final int count, final int... groups) throws DicomException {
			final String v = string(tag, groups);
			if (v.isBlank())
				return null;
			final String[] parts = v.split("\\\\");
			final String name = String.format("DICOM tag (%04X,%04X) '%s'", tag >>> 16, tag & 0xffff, v);
			if (parts.length != count)
				throw new DicomException(file, name + " does not have " + count + " values");
			final double[] out = new double[count];
			for (int i = 0; i < count; i++) {
				try {
					out[i] = Double.parseDouble(parts[i].strip());
				} catch (final NumberFormatException e) {
					throw new DicomException(file, name + " is not a list of numbers");
				}
				if (!Double.isFinite(out[i]))
					throw new DicomException(file, name + " is not finite");
			}
			return out;
		}
	}

	/** Ordered slices of one series and the geometry they define. */
	static final class Series {
		final Path path;
		final List<Slice> slices;
		final boolean folder;

		Series(final Path path, final List<Slice> slices, final boolean folder) {
			this.path = path;
			this.slices = slices;
			this.folder = folder;
		}

		AffineTransform3D voxelToWorld() throws DicomException {
			final Slice f = slices.get(0), l = slices.get(slices.size() - 1);
			final double[] r = f.row(), c = f.column(), p = f.position == null ? new double[3] : f.position;
			final double[] z = new double[3];
			if (slices.size() > 1 && f.position != null) {
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
				throw new DicomException(path, e.getMessage());
			}
			return ras;
		}

		String geometrySource() {
			final Slice f = slices.get(0);
			if (f.position == null || f.orientation == null)
				return "PixelSpacing only (no ImagePositionPatient/ImageOrientationPatient)";
			if (folder)
				return "ImageOrientationPatient, PixelSpacing, ImagePositionPatient of " + slices.size() + " slices";
			return slices.size() > 1 ? "ImageOrientationPatient, PixelSpacing, ImagePositionPatient of " + slices.size() + " frames"
					: "ImageOrientationPatient, PixelSpacing, ImagePositionPatient, slice spacing " + f.sliceGap + " mm";
		}
	}
}
