package org.progressionprobe.io;

import java.nio.ByteBuffer;

import org.progressionprobe.volume.Volume;

/**
 * The on-disk voxel types of NIfTI and MetaImage, and their conversion to float. Multi-component
 * types become one scalar per voxel: complex values their magnitude, RGB(A) values their luminance
 * (ITU-R BT.601 weights, alpha ignored).
 */
public enum VoxelType {
	UINT8(1), INT8(1), INT16(2), UINT16(2), INT32(4), UINT32(4), INT64(8), UINT64(8), FLOAT32(4), FLOAT64(8),
	COMPLEX64(8), COMPLEX128(16), RGB24(3), RGBA32(4);

	private final int bytes;

	VoxelType(final int bytes) {
		this.bytes = bytes;
	}

	/** Bytes per voxel on disk. */
	public int bytes() {
		return bytes;
	}

	/** True for types whose every value a float32 holds exactly. */
	public boolean exactInFloat() {
		return this == UINT8 || this == INT8 || this == INT16 || this == UINT16 || this == FLOAT32;
	}

	/**
	 * Decodes {@code count} voxels from {@code src} (whose byte order is already set) into
	 * {@code dst[offset..]}, applying {@code value * slope + intercept} unless the scaling is the identity.
	 */
	public void decode(final ByteBuffer src, final float[] dst, final int offset, final int count, final double slope, final double intercept) {
		final boolean scaled = slope != 1 || intercept != 0;
		final int end = offset + count;
		switch (this) {
		case FLOAT32:
			src.asFloatBuffer().get(dst, offset, count);
			src.position(src.position() + 4 * count);
			if (scaled)
				for (int i = offset; i < end; i++)
					dst[i] = (float) (dst[i] * slope + intercept);
			return;
		case UINT8:
			for (int i = offset; i < end; i++)
				dst[i] = scale(src.get() & 0xff, scaled, slope, intercept);
			return;
		case INT8:
			for (int i = offset; i < end; i++)
				dst[i] = scale(src.get(), scaled, slope, intercept);
			return;
		case INT16:
			for (int i = offset; i < end; i++)
				dst[i] = scale(src.getShort(), scaled, slope, intercept);
			return;
		case UINT16:
			for (int i = offset; i < end; i++)
				dst[i] = scale(src.getShort() & 0xffff, scaled, slope, intercept);
			return;
		case INT32:
			for (int i = offset; i < end; i++)
				dst[i] = scale(src.getInt(), scaled, slope, intercept);
			return;
		case UINT32:
			for (int i = offset; i < end; i++)
				dst[i] = scale(src.getInt() & 0xffffffffL, scaled, slope, intercept);
			return;
		case INT64:
			for (int i = offset; i < end; i++)
				dst[i] = scale(src.getLong(), scaled, slope, intercept);
			return;
		case UINT64:
			for (int i = offset; i < end; i++) {
				final long v = src.getLong();
				final double d = v >= 0 ? v : (v >>> 1) * 2.0 + (v & 1);
				dst[i] = scale(d, scaled, slope, intercept);
			}
			return;
		case FLOAT64:
			for (int i = offset; i < end; i++)
				dst[i] = scale(src.getDouble(), scaled, slope, intercept);
			return;
		case COMPLEX64:
			for (int i = offset; i < end; i++)
				dst[i] = scale(Math.hypot(src.getFloat(), src.getFloat()), scaled, slope, intercept);
			return;
		case COMPLEX128:
			for (int i = offset; i < end; i++)
				dst[i] = scale(Math.hypot(src.getDouble(), src.getDouble()), scaled, slope, intercept);
			return;
		case RGB24:
		case RGBA32:
			for (int i = offset; i < end; i++) {
				final double l = Volume.luminance(src.get() & 0xff, src.get() & 0xff, src.get() & 0xff);
				if (this == RGBA32)
					src.get();
				dst[i] = scale(l, scaled, slope, intercept);
			}
			return;
		default:
			throw new IllegalStateException("Unhandled voxel type " + this);
		}
	}

	private static float scale(final double v, final boolean scaled, final double slope, final double intercept) {
		return (float) (scaled ? v * slope + intercept : v);
	}
}
