package org.progressionprobe.io;

import org.progressionprobe.volume.AffineTransform3D;
import java.io.BufferedOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import java.util.zip.Deflater;
import java.util.zip.GZIPOutputStream;


import org.progressionprobe.volume.Volume;

/**
 * Writes NIfTI-1 single files ({@code .nii} or {@code .nii.gz}), little-endian, float32 (or uint8/int16
 * for label images), with the voxel-to-world matrix in both sform and qform (code 1, scanner anatomy).
 * A multi-component image (a displacement field) is written as a vector volume: dimension 5 holds
 * the components and the intent is NIFTI_INTENT_VECTOR. Files appear atomically.
 */
public final class NiftiWriter implements VolumeWriter {

	/** NIFTI_INTENT_VECTOR. */
	public static final int INTENT_VECTOR = 1007;

	/** On-disk type of the written voxels. */
	public enum Datatype {
		FLOAT32(16, 32, 4), UINT8(2, 8, 1), INT16(4, 16, 2);

		final int code, bitpix, bytes;

		Datatype(final int code, final int bitpix, final int bytes) {
			this.code = code;
			this.bitpix = bitpix;
			this.bytes = bytes;
		}

		/** The most compact type for a label image: uint8 if every value fits 0..255, else int16. */
		public static Datatype forLabels(final float[] labels) {
			float max = 0, min = 0;
			for (final float v : labels) {
				max = Math.max(max, v);
				min = Math.min(min, v);
			}
			return min >= 0 && max <= 255 ? UINT8 : INT16;
		}
	}

	private final String description;

	public NiftiWriter() {
		this("Progression Probe");
	}

	/** @param description text for the header's 80-character description field */
	public NiftiWriter(final String description) {
		this.description = description;
	}

	@Override
	public String name() {
		return "NIfTI";
	}

	/** {@code .nii} and {@code .nii.gz}. */
	@Override
	public boolean canWrite(final Path file) {
		final String n = NiftiReader.lowerName(file);
		return n.endsWith(".nii") || n.endsWith(".nii.gz");
	}

	/** Writes a float32 volume. */
	@Override
	public void write(final Volume volume, final Path file) throws IOException {
		write(volume, file, Datatype.FLOAT32);
	}

	/** Writes a volume with the given on-disk type; integer types require integral values in range. */
	public void write(final Volume volume, final Path file, final Datatype type) throws IOException {
		writeComponents(List.of(volume.data()), volume.size(), volume.voxelToWorld(), file, type, 0);
	}

	/** Writes a label image as uint8 or int16, whichever holds its values. */
	@Override
	public void writeLabels(final Volume labels, final Path file) throws IOException {
		write(labels, file, Datatype.forLabels(labels.data()));
	}

	/** Writes a vector volume (e.g. a displacement field in mm): one float32 component per list entry, same grid. */
	public void writeVector(final List<Volume> components, final Path file) throws IOException {
		final Volume first = components.get(0);
		for (final Volume c : components)
			if (!c.sameGrid(first))
				throw new IllegalArgumentException("Vector components must share one grid");
		writeComponents(components.stream().map(Volume::data).toList(), first.size(), first.voxelToWorld(), file, Datatype.FLOAT32,
				INTENT_VECTOR);
	}

	private void writeComponents(final List<float[]> components, final int[] size, final AffineTransform3D m, final Path file,
			final Datatype type, final int intent) throws IOException {
		if (type != Datatype.FLOAT32)
			for (final float[] c : components)
				checkIntegral(c, type, file);
		final boolean gzip = NiftiReader.lowerName(file).endsWith(".gz");
		AtomicOutput.write(file, raw -> {
			final OutputStream out = gzip ? new FastGzip(raw) : new BufferedOutputStream(raw, 1 << 16);
			out.write(header(size, m, components.size(), type, intent));
			for (final float[] data : components)
				VoxelStreams.write(out, data, type);
			out.close();
		});
	}

	/** Throws unless every value is an integer that the type holds. */
	static void checkIntegral(final float[] data, final Datatype type, final Path file) throws VolumeIOException {
		final double lo = type == Datatype.UINT8 ? 0 : Short.MIN_VALUE, hi = type == Datatype.UINT8 ? 255 : Short.MAX_VALUE;
		for (final float v : data)
			if (v != Math.rint(v) || v < lo || v > hi)
				throw new VolumeIOException(file, "value " + v + " cannot be stored as " + type.name().toLowerCase());
	}

	private byte[] header(final int[] size, final AffineTransform3D m, final int components, final Datatype type, final int intent) {
		final ByteBuffer b = ByteBuffer.allocate(352).order(ByteOrder.LITTLE_ENDIAN);
		b.putInt(0, NiftiHeader.NIFTI1_SIZE);
		final int ndim = components > 1 ? 5 : 3;
		final short[] dim = { (short) ndim, (short) size[0], (short) size[1], (short) size[2], 1, (short) components, 1, 1 };
		for (int i = 0; i < 3; i++)
			if (size[i] > Short.MAX_VALUE)
				throw new IllegalArgumentException("NIfTI-1 cannot hold a dimension of " + size[i]);
		for (int i = 0; i < 8; i++)
			b.putShort(40 + 2 * i, dim[i]);
		b.putShort(68, (short) intent);
		b.putShort(70, (short) type.code);
		b.putShort(72, (short) type.bitpix);
		final Quaternion q = Quaternion.of(m);
		b.putFloat(76, (float) q.qfac);
		final double[] vs = org.progressionprobe.volume.Geometry.voxelSize(m);
		for (int i = 0; i < 3; i++)
			b.putFloat(80 + 4 * i, (float) vs[i]);
		b.putFloat(108, 352f);
		b.putFloat(112, 1f);
		b.putFloat(116, 0f);
		b.put(123, (byte) 2); // mm
		final byte[] d = description.getBytes(StandardCharsets.ISO_8859_1);
		b.put(148, d, 0, Math.min(79, d.length));
		b.putShort(252, (short) 1);
		b.putShort(254, (short) 1);
		b.putFloat(256, (float) q.b);
		b.putFloat(260, (float) q.c);
		b.putFloat(264, (float) q.d);
		for (int i = 0; i < 3; i++)
			b.putFloat(268 + 4 * i, (float) m.get(i, 3));
		for (int r = 0; r < 3; r++)
			for (int c = 0; c < 4; c++)
				b.putFloat(280 + 16 * r + 4 * c, (float) m.get(r, c));
		b.put(344, (byte) 'n').put(345, (byte) '+').put(346, (byte) '1');
		return b.array();
	}

	/** The qform quaternion of a matrix's rotation part (NIfTI-1 method 2), with qfac for left-handed grids. */
	static final class Quaternion {
		final double b, c, d, qfac;

		private Quaternion(final double b, final double c, final double d, final double qfac) {
			this.b = b;
			this.c = c;
			this.d = d;
			this.qfac = qfac;
		}

		static Quaternion of(final AffineTransform3D m) {
			final double[] vs = org.progressionprobe.volume.Geometry.voxelSize(m);
			final double[][] r = new double[3][3];
			for (int i = 0; i < 3; i++)
				for (int j = 0; j < 3; j++)
					r[i][j] = m.get(i, j) / vs[j];
			double qfac = 1;
			if (det(r) < 0) {
				qfac = -1;
				for (int i = 0; i < 3; i++)
					r[i][2] = -r[i][2];
			}
			orthonormalise(r);
			final double trace = r[0][0] + r[1][1] + r[2][2];
			double a, b, c, d;
			if (trace > 0) {
				final double s = 0.5 / Math.sqrt(trace + 1.0);
				a = 0.25 / s;
				b = (r[2][1] - r[1][2]) * s;
				c = (r[0][2] - r[2][0]) * s;
				d = (r[1][0] - r[0][1]) * s;
			} else if (r[0][0] > r[1][1] && r[0][0] > r[2][2]) {
				final double s = 2.0 * Math.sqrt(1.0 + r[0][0] - r[1][1] - r[2][2]);
				a = (r[2][1] - r[1][2]) / s;
				b = 0.25 * s;
				c = (r[0][1] + r[1][0]) / s;
				d = (r[0][2] + r[2][0]) / s;
			} else if (r[1][1] > r[2][2]) {
				final double s = 2.0 * Math.sqrt(1.0 + r[1][1] - r[0][0] - r[2][2]);
				a = (r[0][2] - r[2][0]) / s;
				b = (r[0][1] + r[1][0]) / s;
				c = 0.25 * s;
				d = (r[1][2] + r[2][1]) / s;
			} else {
				final double s = 2.0 * Math.sqrt(1.0 + r[2][2] - r[0][0] - r[1][1]);
				a = (r[1][0] - r[0][1]) / s;
				b = (r[0][2] + r[2][0]) / s;
				c = (r[1][2] + r[2][1]) / s;
				d = 0.25 * s;
			}
			if (a < 0) {
				b = -b;
				c = -c;
				d = -d;
			}
			return new Quaternion(b, c, d, qfac);
		}

		private static double det(final double[][] r) {
			return r[0][0] * (r[1][1] * r[2][2] - r[1][2] * r[2][1]) - r[0][1] * (r[1][0] * r[2][2] - r[1][2] * r[2][0])
					+ r[0][2] * (r[1][0] * r[2][1] - r[1][1] * r[2][0]);
		}

		/** Gram-Schmidt on the columns, so a slightly sheared matrix still gives a rotation. */
		private static void orthonormalise(final double[][] r) {
			for (int j = 0; j < 3; j++) {
				for (int k = 0; k < j; k++) {
					double dot = 0;
					for (int i = 0; i < 3; i++)
						dot += r[i][j] * r[i][k];
					for (int i = 0; i < 3; i++)
						r[i][j] -= dot * r[i][k];
				}
				double n = 0;
				for (int i = 0; i < 3; i++)
					n += r[i][j] * r[i][j];
				n = Math.sqrt(n);
				for (int i = 0; i < 3; i++)
					r[i][j] /= n;
			}
		}
	}

	/** A gzip stream at a fast compression level (as nibabel writes). */
	private static final class FastGzip extends GZIPOutputStream {
		FastGzip(final OutputStream out) throws IOException {
			super(new BufferedOutputStream(out, 1 << 16), 1 << 16);
			def.setLevel(Deflater.BEST_SPEED);
		}
	}
}
