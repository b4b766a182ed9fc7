package org.progressionprobe.io;

import java.util.ArrayList;
import java.util.List;

import org.progressionprobe.volume.AffineTransform3D;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;


/**
 * A parsed and validated NIfTI-1, NIfTI-2 or Analyze 7.5 header. The voxel-to-world matrix is chosen
 * as nibabel chooses it: the sform if its code is non-zero, else the qform if its code is non-zero,
 * else a scaling matrix centred on the grid with x flipped. Spatial units other than mm are
 * converted to mm.
 */
final class NiftiHeader {

	static final int NIFTI1_SIZE = 348;
	static final int NIFTI2_SIZE = 540;

	final Path file;
	final int version; // 0 = Analyze 7.5, 1, 2
	final ByteOrder order;
	final long[] dim = new long[8];
	final double[] pixdim = new double[8];
	final int datatype;
	final VoxelType voxelType;
	final long voxOffset;
	final double slope;
	final double intercept;
	final int qformCode;
	final int sformCode;
	final int xyztUnits;
	final int intentCode;
	final double[] quatern = new double[3];
	final double[] qoffset = new double[3];
	final double[][] srow = new double[3][4];
	final String description;
	final boolean singleFile;

	/** Reads the header size field (first 4 bytes) in both orders; returns the byte order or null if neither fits. */
	static ByteOrder detectOrder(final byte[] first4) {
		final ByteBuffer b = ByteBuffer.wrap(first4);
		for (final ByteOrder o : new ByteOrder[] { ByteOrder.LITTLE_ENDIAN, ByteOrder.BIG_ENDIAN }) {
			final int size = b.order(o).getInt(0);
			if (size == NIFTI1_SIZE || size == NIFTI2_SIZE)
				return o;
		}
		return null;
	}

	/**
	 * @param bytes the full header (348 or 540 bytes)
	 * @param pairedImage true when the data lives in a separate .img file
	 */
	NiftiHeader(final Path file, final byte[] bytes, final ByteOrder order, final boolean pairedImage) throws VolumeIOException {
		this.file = file;
		this.order = order;
		final ByteBuffer b = ByteBuffer.wrap(bytes).order(order);
		final int size = b.getInt(0);
		if (size == NIFTI2_SIZE) {
			final String magic = ascii(bytes, 4, 4);
			if (!magic.equals("n+2") && !magic.equals("ni2"))
				throw new VolumeIOException(file, "header size says NIfTI-2 but the magic string is '" + magic + "'");
			version = 2;
			singleFile = magic.equals("n+2");
			datatype = b.getShort(12);
			for (int i = 0; i < 8; i++)
				dim[i] = b.getLong(16 + 8 * i);
			for (int i = 0; i < 8; i++)
				pixdim[i] = b.getDouble(104 + 8 * i);
			voxOffset = b.getLong(168);
			slope = b.getDouble(176);
			intercept = b.getDouble(184);
			description = ascii(bytes, 240, 80);
			qformCode = b.getInt(344);
			sformCode = b.getInt(348);
			for (int i = 0; i < 3; i++) {
				quatern[i] = b.getDouble(352 + 8 * i);
				qoffset[i] = b.getDouble(376 + 8 * i);
			}
			for (int r = 0; r < 3; r++)
				for (int c = 0; c < 4; c++)
					srow[r][c] = b.getDouble(400 + 32 * r + 8 * c);
			xyztUnits = b.getInt(500);
			intentCode = b.getInt(504);
		} else {
			final String magic = ascii(bytes, 344, 4);
			if (magic.equals("n+1") || magic.equals("ni1"))
				version = 1;
			else if (pairedImage)
				version = 0;
			else
				throw new VolumeIOException(file, "not a NIfTI-1 file: magic string is '" + magic + "' instead of 'n+1'");
			singleFile = magic.equals("n+1");
			for (int i = 0; i < 8; i++)
				dim[i] = b.getShort(40 + 2 * i);
			intentCode = b.getShort(68);
			datatype = b.getShort(70);
			for (int i = 0; i < 8; i++)
				pixdim[i] = b.getFloat(76 + 4 * i);
			voxOffset = (long) b.getFloat(108);
			description = ascii(bytes, 148, 80);
			if (version == 0) {
				slope = b.getFloat(112);
				intercept = 0;
				qformCode = 0;
				sformCode = 0;
				xyztUnits = 2;
			} else {
				slope = b.getFloat(112);
				intercept = b.getFloat(116);
				xyztUnits = bytes[123];
				qformCode = b.getShort(252);
				sformCode = b.getShort(254);
				for (int i = 0; i < 3; i++) {
					quatern[i] = b.getFloat(256 + 4 * i);
					qoffset[i] = b.getFloat(268 + 4 * i);
				}
				for (int r = 0; r < 3; r++)
					for (int c = 0; c < 4; c++)
						srow[r][c] = b.getFloat(280 + 16 * r + 4 * c);
			}
		}
		voxelType = voxelType(file, datatype);
		validateDimensions();
		if (singleFile && voxOffset < size)
			throw new VolumeIOException(file, "voxel data offset " + voxOffset + " lies inside the " + size + "-byte header");
		if (voxOffset < 0)
			throw new VolumeIOException(file, "negative voxel data offset " + voxOffset);
	}

	private void validateDimensions() throws VolumeIOException {
		final long n = dim[0];
		if (n < 1 || n > 7)
			throw new VolumeIOException(file, "number of dimensions dim[0] = " + n + " is outside 1..7");
		for (int i = 1; i <= n; i++)
			if (dim[i] <= 0)
				throw new VolumeIOException(file, "dimension " + i + " has size " + dim[i] + "; sizes must be positive");
		if (voxelsPerVolume() > Integer.MAX_VALUE - 8)
			throw new VolumeIOException(file, "a volume of " + size(0) + " x " + size(1) + " x " + size(2) + " voxels is too large");
	}

	/** Grid size of axis 0..2 (1 for axes beyond dim[0]). */
	int size(final int axis) {
		return axis + 1 <= dim[0] ? (int) dim[axis + 1] : 1;
	}

	long voxelsPerVolume() {
		return (long) size(0) * size(1) * size(2);
	}

	/** Number of 3D volumes: the product of dimensions 4 and up. */
	int volumes() {
		long v = 1;
		for (int i = 4; i <= dim[0]; i++)
			v *= dim[i];
		return (int) Math.min(v, Integer.MAX_VALUE);
	}

	long bytesPerVolume() {
		return voxelsPerVolume() * voxelType.bytes();
	}

	/** The scaling to apply, as nibabel: a zero or non-finite slope means none. */
	double effectiveSlope() {
		return slope == 0 || !Double.isFinite(slope) ? 1 : slope;
	}

	double effectiveIntercept() {
		return slope == 0 || !Double.isFinite(slope) || !Double.isFinite(intercept) ? 0 : intercept;
	}

	/** Factor from the file's spatial unit to mm. */
	double unitToMm() {
		switch (xyztUnits & 0x07) {
		case 1:
			return 1000.0;
		case 3:
			return 0.001;
		default:
			return 1.0;
		}
	}

	String unitName() {
		switch (xyztUnits & 0x07) {
		case 1:
			return "m";
		case 2:
			return "mm";
		case 3:
			return "micron";
		default:
			return "unknown (taken as mm)";
		}
	}

	String geometrySource() {
		if (sformCode != 0)
			return "sform (code " + sformCode + ")";
		if (qformCode != 0)
			return "qform (code " + qformCode + ")";
		return version == 0 ? "Analyze voxel sizes" : "voxel sizes (no qform or sform)";
	}

	/** The voxel-to-world matrix in mm, RAS. */
	AffineTransform3D voxelToWorld() throws VolumeIOException {
		final AffineTransform3D m = new AffineTransform3D();
		if (sformCode != 0) {
			m.set(srow[0][0], srow[0][1], srow[0][2], srow[0][3], srow[1][0], srow[1][1], srow[1][2], srow[1][3], srow[2][0], srow[2][1],
					srow[2][2], srow[2][3]);
		} else if (qformCode != 0) {
			m.set(qform());
		} else {
			final double[] z = zooms();
			z[0] = -z[0];
			m.set(z[0], 0, 0, -(size(0) - 1) / 2.0 * z[0], 0, z[1], 0, -(size(1) - 1) / 2.0 * z[1], 0, 0, z[2], -(size(2) - 1) / 2.0 * z[2]);
		}
		final double u = unitToMm();
		if (u != 1) {
			final AffineTransform3D s = new AffineTransform3D();
			s.scale(u);
			m.preConcatenate(s);
		}
		try {
			org.progressionprobe.volume.Geometry.requireInvertible(m, "voxel-to-world matrix (" + geometrySource() + ")");
		} catch (final IllegalArgumentException e) {
			throw new VolumeIOException(file, e.getMessage());
		}
		return m;
	}

	private double[] zooms() {
		final double[] z = new double[3];
		for (int i = 0; i < 3; i++) {
			final double p = Math.abs(pixdim[i + 1]);
			z[i] = p == 0 || !Double.isFinite(p) ? 1 : p;
		}
		return z;
	}

	/** The qform matrix (NIfTI-1 method 2), as nibabel computes it. */
	private AffineTransform3D qform() {
		final double b = quatern[0], c = quatern[1], d = quatern[2];
		double w2 = 1.0 - (b * b + c * c + d * d);
		if (Math.abs(w2) < 3 * Math.ulp(1.0f))
			w2 = 0;
		final double a = Math.sqrt(Math.max(0, w2));
		final double[][] r = { { a * a + b * b - c * c - d * d, 2 * b * c - 2 * a * d, 2 * b * d + 2 * a * c },
				{ 2 * b * c + 2 * a * d, a * a + c * c - b * b - d * d, 2 * c * d - 2 * a * b },
				{ 2 * b * d - 2 * a * c, 2 * c * d + 2 * a * b, a * a + d * d - c * c - b * b } };
		final double[] z = new double[3];
		for (int i = 0; i < 3; i++)
			z[i] = pixdim[i + 1];
		if (pixdim[0] == -1)
			z[2] = -z[2];
		final AffineTransform3D m = new AffineTransform3D();
		m.set(r[0][0] * z[0], r[0][1] * z[1], r[0][2] * z[2], qoffset[0], r[1][0] * z[0], r[1][1] * z[1], r[1][2] * z[2], qoffset[1],
				r[2][0] * z[0], r[2][1] * z[1], r[2][2] * z[2], qoffset[2]);
		return m;
	}

	String formatName() {
		return version == 0 ? "Analyze 7.5" : "NIfTI-" + version;
	}

	VolumeFileInfo info() throws VolumeIOException {
		return new VolumeFileInfo(file, formatName() + (order == ByteOrder.BIG_ENDIAN ? " (big-endian)" : ""),
				new int[] { size(0), size(1), size(2) }, volumes(), voxelType.name().toLowerCase(), voxelToWorld(), geometrySource(), unitName(),
				geometryWarnings());
	}

	/** Voxel sizes of 0 (or not finite) that the voxel-to-world matrix takes as 1 mm: only without a qform or sform. */
	List<String> geometryWarnings() {
		final List<String> out = new ArrayList<>();
		if (sformCode != 0 || qformCode != 0)
			return out;
		for (int i = 0; i < 3; i++) {
			final double p = Math.abs(pixdim[i + 1]);
			if (p == 0 || !Double.isFinite(p))
				out.add("pixdim[" + (i + 1) + "] (voxel size along " + "xyz".charAt(i) + ") is " + pixdim[i + 1]
						+ " and there is no qform or sform: taken as 1 mm");
		}
		return out;
	}

	private static VoxelType voxelType(final Path file, final int datatype) throws VolumeIOException {
		switch (datatype) {
		case 2:
			return VoxelType.UINT8;
		case 4:
			return VoxelType.INT16;
		case 8:
			return VoxelType.INT32;
		case 16:
			return VoxelType.FLOAT32;
		case 32:
			return VoxelType.COMPLEX64;
		case 64:
			return VoxelType.FLOAT64;
		case 128:
			return VoxelType.RGB24;
		case 256:
			return VoxelType.INT8;
		case 512:
			return VoxelType.UINT16;
		case 768:
			return VoxelType.UINT32;
		case 1024:
			return VoxelType.INT64;
		case 1280:
			return VoxelType.UINT64;
		case 1792:
			return VoxelType.COMPLEX128;
		case 2304:
			return VoxelType.RGBA32;
		case 1:
			throw new VolumeIOException(file, "1-bit (binary) NIfTI data is not supported");
		case 1536:
		case 2048:
			throw new VolumeIOException(file, "128-bit floating-point NIfTI data (datatype " + datatype + ") is not supported");
		default:
			throw new VolumeIOException(file, "unknown NIfTI datatype code " + datatype);
		}
	}

	private static String ascii(final byte[] bytes, final int offset, final int length) {
		int end = offset;
		while (end < offset + length && end < bytes.length && bytes[end] != 0)
			end++;
		return new String(bytes, offset, end - offset, StandardCharsets.ISO_8859_1).trim();
	}
}
