package org.progressionprobe.volume;

import java.util.Arrays;

import net.imglib2.img.array.ArrayImg;
import net.imglib2.img.array.ArrayImgs;
import net.imglib2.img.basictypeaccess.array.FloatArray;
import net.imglib2.type.numeric.real.FloatType;

/**
 * A 3D scalar image in world space: float32 voxels in an ImgLib2 {@link ArrayImg} with dimensions
 * (x, y, z), and the voxel-to-world matrix that maps a voxel index to a point in millimetres, RAS
 * (NIfTI's convention).
 * <p>
 * The backing array is C-order [z][y][x] (x fastest), which is a network's [D][H][W]: {@link #data()}
 * hands it over without copying. A 2D image is a volume with one slice. The voxel-to-world matrix is
 * immutable through this class: {@link #voxelToWorld()} returns a copy.
 */
public final class Volume {

	private final ArrayImg<FloatType, FloatArray> image;
	private final float[] data;
	private final AffineTransform3D voxelToWorld;

	/**
	 * @param image voxels, dimensions (x, y, z); a 2D image must be given a third dimension of size 1
	 * @param voxelToWorld voxel index to world millimetres (RAS); copied
	 */
	public Volume(final ArrayImg<FloatType, FloatArray> image, final AffineTransform3D voxelToWorld) {
		if (image.numDimensions() != 3)
			throw new IllegalArgumentException("A volume has 3 dimensions (x, y, z), got " + image.numDimensions());
		this.image = image;
		this.data = image.update(null).getCurrentStorageArray();
		this.voxelToWorld = voxelToWorld.copy();
		Geometry.requireInvertible(this.voxelToWorld, "voxel-to-world matrix");
	}

	/** Wraps a C-order [z][y][x] float array without copying it. */
	public static Volume wrap(final float[] data, final int nx, final int ny, final int nz, final AffineTransform3D voxelToWorld) {
		if (nx <= 0 || ny <= 0 || nz <= 0)
			throw new IllegalArgumentException("Dimensions must be positive: " + nx + " x " + ny + " x " + nz);
		if ((long) nx * ny * nz != data.length)
			throw new IllegalArgumentException("Array of " + data.length + " voxels does not fit " + nx + " x " + ny + " x " + nz);
		return new Volume(ArrayImgs.floats(data, nx, ny, nz), voxelToWorld);
	}

	/** A zero-filled volume of the given size and geometry. */
	public static Volume zeros(final int nx, final int ny, final int nz, final AffineTransform3D voxelToWorld) {
		final long n = (long) nx * ny * nz;
		if (nx <= 0 || ny <= 0 || nz <= 0 || n > Integer.MAX_VALUE - 8)
			throw new IllegalArgumentException("Cannot hold a volume of " + nx + " x " + ny + " x " + nz + " voxels");
		return wrap(new float[(int) n], nx, ny, nz, voxelToWorld);
	}

	/** A zero-filled volume on the same grid as this one. */
	public Volume zerosLike() {
		return zeros(nx(), ny(), nz(), voxelToWorld);
	}

	/** A volume on the same grid that wraps the given voxels (C-order, same size). */
	public Volume withData(final float[] data) {
		return wrap(data, nx(), ny(), nz(), voxelToWorld);
	}

	/** A deep copy. */
	public Volume copy() {
		return withData(data().clone());
	}

	/** The voxels as an ImgLib2 image, dimensions (x, y, z). */
	public ArrayImg<FloatType, FloatArray> image() {
		return image;
	}

	/** The backing C-order [z][y][x] array; writes go into the volume. */
	public float[] data() {
		return data;
	}

	/** A copy of the voxel-to-world matrix (millimetres, RAS). */
	public AffineTransform3D voxelToWorld() {
		return voxelToWorld.copy();
	}

	/** A copy of the world-to-voxel matrix. */
	public AffineTransform3D worldToVoxel() {
		return voxelToWorld.inverse();
	}

	public int nx() {
		return (int) image.dimension(0);
	}

	public int ny() {
		return (int) image.dimension(1);
	}

	public int nz() {
		return (int) image.dimension(2);
	}

	/** Dimensions (x, y, z). */
	public int[] size() {
		return new int[] { nx(), ny(), nz() };
	}

	public int voxelCount() {
		return nx() * ny() * nz();
	}

	/** Linear index of voxel (x, y, z) into {@link #data()}. */
	public int index(final int x, final int y, final int z) {
		return (z * ny() + y) * nx() + x;
	}

	public float get(final int x, final int y, final int z) {
		return data[index(x, y, z)];
	}

	public void set(final int x, final int y, final int z, final float value) {
		data[index(x, y, z)] = value;
	}

	/** Voxel size in millimetres along each index axis: the lengths of the matrix columns. */
	public double[] voxelSize() {
		return Geometry.voxelSize(voxelToWorld);
	}

	/** Axis codes such as "RAS" or "LPI": the world direction each index axis mostly points to. */
	public String orientation() {
		return Geometry.orientation(voxelToWorld);
	}

	/** True if every voxel is 0 (an empty label image or mask). */
	public boolean isZero() {
		for (final float v : data())
			if (v != 0)
				return false;
		return true;
	}

	/** True if both volumes have the same size and voxel-to-world matrix (to 1e-6 mm). */
	public boolean sameGrid(final Volume other) {
		return Arrays.equals(size(), other.size()) && voxelToWorld.equals(other.voxelToWorld, 1e-6);
	}

	@Override
	public String toString() {
		final double[] vs = voxelSize();
		return String.format("Volume %d x %d x %d, voxel %.4g x %.4g x %.4g mm, %s", nx(), ny(), nz(), vs[0], vs[1], vs[2], orientation());
	}

	/** Luminance of an RGB colour, ITU-R BT.601 weights (ImageJ's "weighted" RGB conversion), not rounded. */
	public static float luminance(final int r, final int g, final int b) {
		return (float) (0.299 * r + 0.587 * g + 0.114 * b);
	}
}
