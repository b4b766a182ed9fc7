package org.progressionprobe.volume;

import net.imglib2.FinalInterval;
import net.imglib2.RandomAccessibleInterval;
import net.imglib2.RealInterval;
import net.imglib2.RealPoint;
import net.imglib2.RealRandomAccess;
import net.imglib2.RealRandomAccessible;
import net.imglib2.type.numeric.real.FloatType;
import net.imglib2.view.Views;

/**
 * A volume seen through an affine transform as an ImgLib2 {@link RealRandomAccessible}, for
 * interoperation with ImgLib2 code (the role of ImgLib2's {@code RealViews.affine}, which lives in
 * imglib2-realtransform, not on Maven Central). The value at a position p is the source
 * interpolated at {@code positionToSourceWorld(p)}, the same numbers {@link Resampler} computes,
 * but lazily: nothing is allocated until values are read (cubic interpolation computes the
 * spline coefficients once, on creation). Positions are target world mm ({@link #inWorld}) or
 * voxel indices of a target grid ({@link #onGrid}, with {@link #raster()} giving the image on that grid).
 */
public final class AffineView implements RealRandomAccessible<FloatType> {

	private final float[] samples;
	private final int nx, ny, nz;
	private final AffineTransform3D toSourceVoxel;
	private final Resampler.Interpolation interpolation;
	private final float outside;
	private final Grid grid;

	private AffineView(final Volume source, final AffineTransform3D positionToSourceWorld, final Resampler.Interpolation interpolation,
			final float outside, final Grid grid) {
		this.nx = source.nx();
		this.ny = source.ny();
		this.nz = source.nz();
		this.samples = interpolation == Resampler.Interpolation.CUBIC ? CubicBSpline.coefficients(source.data(), nx, ny, nz) : source.data();
		this.toSourceVoxel = source.worldToVoxel().concatenate(positionToSourceWorld);
		this.interpolation = interpolation;
		this.outside = outside;
		this.grid = grid;
	}

	/** Positions in the target world (mm); the value at p is the source at {@code targetToSourceWorld(p)}. */
	public static AffineView inWorld(final Volume source, final AffineTransform3D targetToSourceWorld, final Resampler.Interpolation interpolation) {
		return new AffineView(source, targetToSourceWorld, interpolation, 0f, null);
	}

	/** Positions in voxel indices of {@code target}; {@link #raster()} is then {@code Resampler.resample(source, target, t)}, lazily. */
	public static AffineView onGrid(final Volume source, final Grid target, final AffineTransform3D targetToSourceWorld,
			final Resampler.Interpolation interpolation) {
		return new AffineView(source, targetToSourceWorld.copy().concatenate(target.voxelToWorld()), interpolation, 0f, target);
	}

	/** The view sampled at the integer positions of the target grid (only for {@link #onGrid} views). */
	public RandomAccessibleInterval<FloatType> raster() {
		if (grid == null)
			throw new IllegalStateException("A view in world coordinates has no grid; use AffineView.onGrid");
		final int[] n = grid.size();
		return Views.interval(Views.raster(this), new FinalInterval(n[0], n[1], n[2]));
	}

	@Override
	public int numDimensions() {
		return 3;
	}

	@Override
	public FloatType getType() {
		return new FloatType();
	}

	@Override
	public RealRandomAccess<FloatType> realRandomAccess() {
		return new Access();
	}

	@Override
	public RealRandomAccess<FloatType> realRandomAccess(final RealInterval interval) {
		return new Access();
	}

	private float sample(final double[] p) {
		final double x = toSourceVoxel.get(0, 0) * p[0] + toSourceVoxel.get(0, 1) * p[1] + toSourceVoxel.get(0, 2) * p[2] + toSourceVoxel.get(0, 3);
		final double y = toSourceVoxel.get(1, 0) * p[0] + toSourceVoxel.get(1, 1) * p[1] + toSourceVoxel.get(1, 2) * p[2] + toSourceVoxel.get(1, 3);
		final double z = toSourceVoxel.get(2, 0) * p[0] + toSourceVoxel.get(2, 1) * p[1] + toSourceVoxel.get(2, 2) * p[2] + toSourceVoxel.get(2, 3);
		return switch (interpolation) {
		case LINEAR -> Resampler.linear(samples, nx, ny, nz, x, y, z, outside);
		case NEAREST -> Resampler.nearest(samples, nx, ny, nz, x, y, z, outside);
		case CUBIC -> CubicBSpline.sample(samples, nx, ny, nz, x, y, z, outside);
		};
	}

	private final class Access extends RealPoint implements RealRandomAccess<FloatType> {
		private final FloatType value = new FloatType();

		Access() {
			super(3);
		}

		@Override
		public FloatType get() {
			value.set(sample(position));
			return value;
		}

		@Override
		public Access copy() {
			final Access a = new Access();
			a.setPosition(this);
			return a;
		}

		@Override
		public FloatType getType() {
			return value;
		}
	}
}
