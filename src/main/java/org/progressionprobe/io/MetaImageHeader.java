package org.progressionprobe.io;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

import org.progressionprobe.volume.AffineTransform3D;
import org.progressionprobe.volume.Geometry;

/**
 * A parsed and validated MetaImage header ({@code .mha} with the data inline or {@code .mhd} with
 * the data in other files), as ITK's MetaIO reads it: {@code TransformMatrix} lists the direction
 * cosines column by column (the first NDims numbers are the direction of index axis 0),
 * {@code Offset} (or {@code Position}, {@code Origin}) is the world position of voxel 0, and the world
 * is LPS. Keys are matched case-insensitively.
 */
final class MetaImageHeader {

	/** Largest header we accept before deciding the file is not a MetaImage. */
	private static final int MAX_HEADER_BYTES = 1 << 20;

	final Path file;
	final Map<String, String> fields = new LinkedHashMap<>();
	final int ndims;
	final long[] dimSize;
	final double[] spacing;
	final double[] offset;
	/** NDims x NDims values, column groups as in the file. */
	final double[] transform;
	final String elementType;
	final VoxelType voxelType;
	/** Values per voxel on disk (ElementNumberOfChannels). */
	final int channels;
	final ByteOrder order;
	final boolean binary;
	final boolean compressed;
	final long compressedSize;
	final long headerSize;
	/** Data files in order (one, or several for LIST and file patterns); empty for LOCAL. */
	final List<Path> dataFiles = new ArrayList<>();
	/** Offset of the voxel data in the header file, for LOCAL data. */
	final long localOffset;

	MetaImageHeader(final Path file) throws IOException {
		this.file = file;
		final List<String> trailing = new ArrayList<>();
		localOffset = parse(file, trailing);
		ndims = (int) integer("NDims", 1, 16);
		dimSize = new long[ndims];
		final double[] ds = numbers("DimSize", ndims, true);
		for (int i = 0; i < ndims; i++) {
			if (ds[i] != Math.rint(ds[i]) || ds[i] < 1 || ds[i] > Integer.MAX_VALUE)
				throw new VolumeIOException(file, "DimSize '" + fields.get("dimsize") + "' must be " + ndims + " positive integers");
			dimSize[i] = (long) ds[i];
		}
		double[] sp = fields.containsKey("elementspacing") ? numbers("ElementSpacing", ndims, true)
				: fields.containsKey("elementsize") ? numbers("ElementSize", ndims, true) : ones(ndims);
		for (int i = 0; i < ndims; i++)
			if (!(sp[i] > 0) || !Double.isFinite(sp[i]))
				throw new VolumeIOException(file, "ElementSpacing '" + fields.get("elementspacing") + "' must be positive numbers");
		spacing = sp;
		final String offsetKey = first("Offset", "Position", "Origin");
		offset = offsetKey == null ? new double[ndims] : numbers(offsetKey, ndims, true);
		final String matrixKey = first("TransformMatrix", "Rotation", "Orientation");
		if (matrixKey == null) {
			transform = new double[ndims * ndims];
			for (int i = 0; i < ndims; i++)
				transform[i * ndims + i] = 1;
		} else
			transform = numbers(matrixKey, ndims * ndims, true);
		final String msb = value(first("BinaryDataByteOrderMSB", "ElementByteOrderMSB"), "False");
		order = bool(msb, "BinaryDataByteOrderMSB") ? ByteOrder.BIG_ENDIAN : ByteOrder.LITTLE_ENDIAN;
		binary = bool(value("BinaryData", "True"), "BinaryData");
		compressed = bool(value("CompressedData", "False"), "CompressedData");
		compressedSize = fields.containsKey("compresseddatasize") ? (long) numbers("CompressedDataSize", 1, true)[0] : -1;
		headerSize = fields.containsKey("headersize") ? (long) numbers("HeaderSize", 1, true)[0] : 0;
		channels = fields.containsKey("elementnumberofchannels") ? (int) integer("ElementNumberOfChannels", 1, 1 << 16) : 1;
		elementType = value("ElementType", null);
		if (elementType == null)
			throw new VolumeIOException(file, "the header has no ElementType");
		voxelType = voxelType(file, elementType, channels);
		final String data = value("ElementDataFile", null);
		dataFiles.addAll(dataFiles(file, data, trailing));
		for (final Path p : dataFiles)
			if (!Files.isRegularFile(p))
				throw new VolumeIOException(file, "its data file " + p + " (ElementDataFile) is missing");
		validateGeometry();
	}

	/** Reads the key = value lines up to ElementDataFile; returns the byte offset just after that line. */
	private long parse(final Path file, final List<String> trailing) throws IOException {
		final long fileSize;
		try {
			fileSize = Files.size(file);
		} catch (final NoSuchFileException e) {
			throw new VolumeIOException(file, "file not found");
		}
		if (fileSize == 0)
			throw new VolumeIOException(file, "empty file");
		try (InputStream in = new java.io.BufferedInputStream(Files.newInputStream(file), 1 << 14)) {
			long pos = 0;
			int lineNo = 0;
			final ByteArrayOutputStream line = new ByteArrayOutputStream();
			boolean inList = false;
			while (true) {
				line.reset();
				int b;
				while ((b = in.read()) >= 0 && b != '\n') {
					line.write(b);
					if (line.size() > MAX_HEADER_BYTES)
						throw new VolumeIOException(file, "not a MetaImage file: no line break in the first " + MAX_HEADER_BYTES + " bytes");
				}
				if (b < 0 && line.size() == 0)
					break;
				pos += line.size() + (b < 0 ? 0 : 1);
				lineNo++;
				final String text = line.toString(StandardCharsets.ISO_8859_1).strip();
				if (inList) {
					if (!text.isEmpty())
						trailing.add(text);
					if (b < 0)
						break;
					continue;
				}
				if (text.isEmpty() || text.startsWith("#")) {
					if (b < 0)
						break;
					continue;
				}
				final int eq = text.indexOf('=');
				if (eq <= 0 || !isPrintable(text))
					throw new VolumeIOException(file, "not a MetaImage header: line " + lineNo + " is not 'Key = Value'"
							+ (isPrintable(text) ? " ('" + abbreviate(text) + "')" : " (binary data)"));
				final String key = text.substring(0, eq).strip().toLowerCase(Locale.ROOT);
				final String val = text.substring(eq + 1).strip();
				fields.put(key, val);
				if (key.equals("elementdatafile")) {
					if (val.toUpperCase(Locale.ROOT).startsWith("LIST")) {
						inList = true;
						if (b < 0)
							break;
						continue;
					}
					return pos;
				}
				if (pos > MAX_HEADER_BYTES)
					throw new VolumeIOException(file, "not a MetaImage header: no ElementDataFile line in the first " + MAX_HEADER_BYTES + " bytes");
				if (b < 0)
					break;
			}
			if (!fields.containsKey("elementdatafile"))
				throw new VolumeIOException(file, fields.isEmpty() ? "not a MetaImage header" : "the header has no ElementDataFile line");
			return pos;
		}
	}

	private List<Path> dataFiles(final Path header, final String data, final List<String> trailing) throws VolumeIOException {
		final Path dir = header.toAbsolutePath().normalize().getParent();
		final List<Path> out = new ArrayList<>();
		if (data.equalsIgnoreCase("LOCAL"))
			return out;
		if (data.toUpperCase(Locale.ROOT).startsWith("LIST")) {
			if (trailing.isEmpty())
				throw new VolumeIOException(header, "ElementDataFile = LIST names no files");
			for (final String name : trailing)
				out.add(inside(header, dir, name));
			return out;
		}
		final String[] parts = data.split("\\s+");
		if (parts.length >= 3 && parts[0].contains("%")) {
			// a printf pattern with first, last and step: name%03d.raw 1 10 1
			try {
				final int from = Integer.parseInt(parts[1]), to = Integer.parseInt(parts[2]);
				final int step = parts.length > 3 ? Integer.parseInt(parts[3]) : 1;
				if (step == 0 || (to - from) / step > 1 << 20)
					throw new NumberFormatException();
				for (int i = from; step > 0 ? i <= to : i >= to; i += step)
					out.add(inside(header, dir, String.format(Locale.ROOT, parts[0], i)));
				return out;
			} catch (final IllegalArgumentException e) {
				throw new VolumeIOException(header, "ElementDataFile pattern '" + data + "' is not 'name%d first last [step]'");
			}
		}
		out.add(inside(header, dir, data));
		return out;
	}

	/**
	 * A data file named by the header, resolved in the header's folder; one that lies outside that
	 * folder and its subfolders (an absolute path elsewhere, {@code ..}) is refused, as ITK users
	 * expect a header to describe only the files beside it.
	 */
	private static Path inside(final Path header, final Path dir, final String name) throws VolumeIOException {
		final Path p;
		try {
			p = dir.resolve(name).normalize();
		} catch (final java.nio.file.InvalidPathException e) {
			throw new VolumeIOException(header, "its data file name '" + name + "' (ElementDataFile) is not a valid file name");
		}
		if (!p.startsWith(dir) || p.equals(dir))
			throw new VolumeIOException(header, "its data file '" + name + "' (ElementDataFile) lies outside the header's folder " + dir
					+ ": a MetaImage header may only name data files in its own folder or below it");
		return p;
	}

	private void validateGeometry() throws VolumeIOException {
		for (final double v : transform)
			if (!Double.isFinite(v))
				throw new VolumeIOException(file, "TransformMatrix has a non-finite entry");
		for (final double v : offset)
			if (!Double.isFinite(v))
				throw new VolumeIOException(file, "Offset has a non-finite entry");
		if ((long) size(0) * size(1) * size(2) > Integer.MAX_VALUE - 8)
			throw new VolumeIOException(file, "a volume of " + size(0) + " x " + size(1) + " x " + size(2) + " voxels is too large");
		try {
			Geometry.requireInvertible(voxelToWorld(), "voxel-to-world matrix (TransformMatrix and ElementSpacing)");
		} catch (final IllegalArgumentException e) {
			throw new VolumeIOException(file, e.getMessage());
		}
	}

	/** Grid size of axis 0..2 (1 beyond NDims). */
	int size(final int axis) {
		return axis < ndims ? (int) dimSize[axis] : 1;
	}

	long voxelsPerVolume() {
		return (long) size(0) * size(1) * size(2);
	}

	/** Volumes stored: the product of dimensions 4 and up, times the channels of a vector image. */
	int volumes() {
		long v = componentsAsVolumes();
		for (int i = 3; i < ndims; i++)
			v *= dimSize[i];
		return (int) Math.min(v, Integer.MAX_VALUE);
	}

	/** Channels that are read as separate volumes (1 for scalar and RGB(A) images). */
	int componentsAsVolumes() {
		return voxelType == VoxelType.RGB24 || voxelType == VoxelType.RGBA32 ? 1 : channels;
	}

	/** Bytes per voxel on disk, all channels together. */
	int bytesPerVoxel() {
		return voxelType.bytes() * componentsAsVolumes();
	}

	/** Bytes of all voxel data. */
	long totalBytes() {
		long n = voxelsPerVolume() * bytesPerVoxel();
		for (int i = 3; i < ndims; i++)
			n *= dimSize[i];
		return n;
	}

	/** Voxel index to world millimetres, RAS (the file's LPS world flipped). */
	AffineTransform3D voxelToWorld() {
		final double[][] dir = new double[3][3];
		final double[] sp = { 1, 1, 1 }, org = new double[3];
		for (int i = 0; i < 3; i++)
			dir[i][i] = 1;
		final int n = Math.min(ndims, 3);
		for (int j = 0; j < n; j++) {
			sp[j] = spacing[j];
			org[j] = offset[j];
			for (int i = 0; i < n; i++)
				dir[i][j] = transform[j * ndims + i];
		}
		final AffineTransform3D lps = AffineTransform3D.of(dir[0][0] * sp[0], dir[0][1] * sp[1], dir[0][2] * sp[2], org[0], dir[1][0] * sp[0],
				dir[1][1] * sp[1], dir[1][2] * sp[2], org[1], dir[2][0] * sp[0], dir[2][1] * sp[1], dir[2][2] * sp[2], org[2]);
		return Geometry.flipWorldSide(lps);
	}

	String geometrySource() {
		return (first("TransformMatrix", "Rotation", "Orientation") != null ? "TransformMatrix" : "no TransformMatrix (identity)")
				+ ", ElementSpacing, " + (first("Offset", "Position", "Origin") != null ? first("Offset", "Position", "Origin") : "no Offset (0)")
				+ " (LPS in the file)";
	}

	VolumeFileInfo info() {
		final String name = "MetaImage" + (localOffset > 0 && dataFiles.isEmpty() ? " (inline data)" : "") + (compressed ? " (compressed)" : "")
				+ (order == ByteOrder.BIG_ENDIAN ? " (big-endian)" : "") + (ndims == 2 ? " 2D" : "");
		final String units = fields.containsKey("distanceunits") ? fields.get("distanceunits") : "mm";
		return new VolumeFileInfo(file, name, new int[] { size(0), size(1), size(2) }, volumes(),
				elementType + (channels > 1 ? " x" + channels : ""), voxelToWorld(), geometrySource(), units);
	}

	private static VoxelType voxelType(final Path file, final String type, final int channels) throws VolumeIOException {
		final String t = type.toUpperCase(Locale.ROOT).replace("_ARRAY", "");
		final VoxelType v;
		switch (t) {
		case "MET_UCHAR":
			v = VoxelType.UINT8;
			break;
		case "MET_CHAR":
			v = VoxelType.INT8;
			break;
		case "MET_SHORT":
			v = VoxelType.INT16;
			break;
		case "MET_USHORT":
			v = VoxelType.UINT16;
			break;
		case "MET_INT":
		case "MET_LONG":
			v = VoxelType.INT32;
			break;
		case "MET_UINT":
		case "MET_ULONG":
			v = VoxelType.UINT32;
			break;
		case "MET_LONG_LONG":
			v = VoxelType.INT64;
			break;
		case "MET_ULONG_LONG":
			v = VoxelType.UINT64;
			break;
		case "MET_FLOAT":
			v = VoxelType.FLOAT32;
			break;
		case "MET_DOUBLE":
			v = VoxelType.FLOAT64;
			break;
		default:
			throw new VolumeIOException(file, "unknown MetaImage ElementType '" + type + "'");
		}
		if (v == VoxelType.UINT8 && channels == 3)
			return VoxelType.RGB24;
		if (v == VoxelType.UINT8 && channels == 4)
			return VoxelType.RGBA32;
		return v;
	}

	private String first(final String... keys) {
		for (final String k : keys)
			if (fields.containsKey(k.toLowerCase(Locale.ROOT)))
				return k;
		return null;
	}

	private String value(final String key, final String def) {
		if (key == null)
			return def;
		final String v = fields.get(key.toLowerCase(Locale.ROOT));
		return v == null ? def : v;
	}

	private boolean bool(final String v, final String key) throws VolumeIOException {
		final String s = v.strip().toLowerCase(Locale.ROOT);
		if (s.equals("true") || s.equals("1") || s.equals("yes"))
			return true;
		if (s.equals("false") || s.equals("0") || s.equals("no"))
			return false;
		throw new VolumeIOException(file, key + " '" + v + "' is neither True nor False");
	}

	private long integer(final String key, final long min, final long max) throws VolumeIOException {
		final String v = fields.get(key.toLowerCase(Locale.ROOT));
		if (v == null)
			throw new VolumeIOException(file, "the header has no " + key);
		try {
			final long n = Long.parseLong(v.strip());
			if (n < min || n > max)
				throw new NumberFormatException();
			return n;
		} catch (final NumberFormatException e) {
			throw new VolumeIOException(file, key + " '" + v + "' is not an integer in " + min + ".." + max);
		}
	}

	private double[] numbers(final String key, final int count, final boolean exact) throws VolumeIOException {
		final String v = fields.get(key.toLowerCase(Locale.ROOT));
		if (v == null)
			throw new VolumeIOException(file, "the header has no " + key);
		final String[] parts = v.strip().split("\\s+");
		if (parts.length < count || (exact && parts.length > count && !key.equals("ElementSpacing") && !key.equals("ElementSize")))
			throw new VolumeIOException(file, key + " '" + v + "' must have " + count + " numbers");
		final double[] out = new double[count];
		for (int i = 0; i < count; i++) {
			try {
				out[i] = Double.parseDouble(parts[i]);
			} catch (final NumberFormatException e) {
				throw new VolumeIOException(file, key + " '" + v + "' is not a list of " + count + " numbers");
			}
			if (Double.isNaN(out[i]))
				throw new VolumeIOException(file, key + " '" + v + "' has a NaN");
		}
		return out;
	}

	private static double[] ones(final int n) {
		final double[] o = new double[n];
		java.util.Arrays.fill(o, 1);
		return o;
	}

	private static boolean isPrintable(final String s) {
		for (int i = 0; i < s.length(); i++) {
			final char c = s.charAt(i);
			if (c < 0x20 && c != '\t' && c != '\r')
				return false;
		}
		return true;
	}

	private static String abbreviate(final String s) {
		return s.length() > 60 ? s.substring(0, 60) + "..." : s;
	}
}
