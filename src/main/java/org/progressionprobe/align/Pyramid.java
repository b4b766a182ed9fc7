package org.progressionprobe.align;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;

import org.progressionprobe.volume.GaussianSmoothing;
import org.progressionprobe.volume.Grid;
import org.progressionprobe.volume.Resampler;
import org.progressionprobe.volume.Volume;

/**
 * A multi-resolution pyramid whose levels are defined in millimetres: level spacings
 * {@code finest * 2^k}, never finer than an axis's own voxel size (so anisotropic voxels are only
 * downsampled along the axes that are finer than the level). A level coarser than the image is
 * Gaussian-smoothed with sigma = {@code smoothing * spacing} mm before it is resampled onto
 * {@link Grid#coarsened}; levels are built from fine to coarse, each from the one below with the
 * missing part of the blur, so the full-resolution image is smoothed only once. The finest level
 * at the image's own spacing is the image itself (no copy).
 */
final class Pyramid {

	private Pyramid() {}

	/**
	 * The nominal spacings of {@code levels} levels, coarsest first, for an image with the given
	 * voxel sizes; levels whose grid would be smaller than {@code minVoxels} along an axis that has
	 * more are dropped (a small image gets fewer levels).
	 */
	static double[] spacings(final Volume image, final int levels, final double finestMm, final int minVoxels) {
		final double[] vs = image.voxelSize();
		final double finest = finestMm > 0 ? finestMm : Math.min(vs[0], Math.min(vs[1], vs[2]));
		final List<Double> out = new ArrayList<>();
		for (int k = 0; k < levels; k++) {
			final double s = finest * Math.pow(2, k);
			boolean ok = true;
			final int[] n = image.size();
			for (int d = 0; d < 3; d++)
				if (n[d] > 1 && Math.floor(n[d] / Math.max(1, s / vs[d])) < Math.min(minVoxels, n[d]))
					ok = false;
			if (ok || k == 0)
				out.add(s);
		}
		Collections.reverse(out);
		return out.stream().mapToDouble(Double::doubleValue).toArray();
	}

	/**
	 * Builds the levels, coarsest first.
	 *
	 * @param image full-resolution image (finite voxels)
	 * @param mask mask on the image's grid or null
	 * @param spacings nominal spacings, coarsest first
	 * @param smoothing sigma as a fraction of the spacing
	 */
	static List<PyramidLevel> build(final Volume image, final byte[] mask, final double[] spacings, final double smoothing) {
		final double[] vs = image.voxelSize();
		final PyramidLevel[] out = new PyramidLevel[spacings.length];
		Volume previous = image;
		double previousSigma = 0;
		for (int l = spacings.length - 1; l >= 0; l--) {
			final double s = spacings[l];
			final double[] factor = new double[3];
			boolean coarser = false;
			for (int d = 0; d < 3; d++) {
				factor[d] = image.size()[d] == 1 ? 1 : Math.max(1, s / vs[d]);
				coarser |= factor[d] > 1 + 1e-9;
			}
			if (!coarser) {
				out[l] = new PyramidLevel(image, mask, s);
				continue;
			}
			final Grid grid = Grid.of(image).coarsened(factor);
			final double sigma = smoothing * s;
			final double extra = Math.sqrt(Math.max(0, sigma * sigma - previousSigma * previousSigma));
			final Volume smoothed = extra > 0 ? new GaussianSmoothing(extra).apply(previous) : previous;
			final Volume level = Resampler.linear().resample(smoothed, grid);
			out[l] = new PyramidLevel(level, mask == null ? null : downsampleMask(mask, image, grid), s);
			previous = level;
			previousSigma = sigma;
		}
		return List.of(out);
	}

	/** Nearest-voxel mask on a coarser grid of the same field of view. */
	static byte[] downsampleMask(final byte[] mask, final Volume image, final Grid grid) {
		final float[] f = new float[mask.length];
		for (int i = 0; i < f.length; i++)
			f[i] = mask[i];
		final Volume m = Resampler.nearest().resample(image.withData(f), grid);
		final float[] d = m.data();
		final byte[] out = new byte[d.length];
		for (int i = 0; i < d.length; i++)
			out[i] = (byte) (d[i] != 0 ? 1 : 0);
		return out;
	}
}
