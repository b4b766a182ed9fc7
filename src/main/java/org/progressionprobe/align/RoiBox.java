package org.progressionprobe.align;

import java.util.Arrays;
import java.util.Collection;
import java.util.HashSet;
import java.util.Set;

import org.progressionprobe.volume.AffineTransform3D;
import org.progressionprobe.volume.Geometry;
import org.progressionprobe.volume.Grid;
import org.progressionprobe.volume.Resampler;
import org.progressionprobe.volume.Volume;
import org.progressionprobe.volume.VoxelBox;

/**
 * A region of interest as a box: continuous voxel-index bounds {@code [min, max]} on a reference
 * grid (the atlas's, for a box around atlas labels; the identity grid for a box given in world
 * mm). {@link #on} carries the box's corners into another image through a transform and returns
 * the sub-grid of that image's voxels whose centres fall inside the carried box's bounding box (in
 * that image's own voxel axes, clipped to the image): the crop. {@link #crop} resamples an image
 * onto such a grid, which for a sub-grid of its own copies voxels exactly.
 *
 * @param reference grid whose voxel indices the bounds are in
 * @param min lower bounds (voxel index of the reference grid), 3 values
 * @param max upper bounds, 3 values
 */
public record RoiBox(Grid reference, double[] min, double[] max) {

	/** Margin around the labels' box unless the user gives one, mm: the study's crop (Crop To ROI, Run Study, the grid). */
	public static final double DEFAULT_MARGIN_MM = 10;

	public RoiBox {
		min = min.clone();
		max = max.clone();
		for (int d = 0; d < 3; d++)
			if (!(min[d] <= max[d]) || !Double.isFinite(min[d]) || !Double.isFinite(max[d]))
				throw new IllegalArgumentException("A box needs finite min <= max on every axis: " + Arrays.toString(min) + " .. " + Arrays.toString(max));
	}

	@Override
	public double[] min() {
		return min.clone();
	}

	@Override
	public double[] max() {
		return max.clone();
	}

	/**
	 * The box around the voxels of {@code labels} whose value is one of {@code values}, grown by
	 * {@code marginMm} on every side (in mm, converted per axis with the label image's voxel size).
	 */
	public static RoiBox ofLabels(final Volume labels, final Collection<Integer> values, final double marginMm) {
		if (values.isEmpty())
			throw new IllegalArgumentException("No label values chosen for the region of interest");
		final RoiBox box = around(labels, values, marginMm);
		if (box == null)
			throw new IllegalArgumentException("None of the labels " + values + " occurs in the label image");
		return box;
	}

	/** As {@link #ofLabels}, but null when none of the labels occurs (small structures vanish in coarse scans). */
	public static RoiBox around(final Volume labels, final Collection<Integer> values, final double marginMm) {
		if (!(marginMm >= 0))
			throw new IllegalArgumentException("The margin must be >= 0 mm, got " + marginMm);
		final Set<Float> wanted = new HashSet<>();
		for (final int v : values)
			wanted.add((float) v);
		final float[] a = labels.data();
		final VoxelBox voxels = VoxelBox.of(labels, i -> a[i] != 0 && wanted.contains(a[i]));
		if (voxels == null)
			return null;
		final int[] lo = voxels.lo(), hi = voxels.hi();
		final double[] vs = labels.voxelSize();
		final double[] min = new double[3], max = new double[3];
		for (int d = 0; d < 3; d++) {
			min[d] = lo[d] - marginMm / vs[d];
			max[d] = hi[d] + marginMm / vs[d];
		}
		return new RoiBox(Grid.of(labels), min, max);
	}

	/** An axis-aligned box in world mm (RAS). */
	public static RoiBox ofWorld(final double[] minMm, final double[] maxMm) {
		return new RoiBox(new Grid(new int[] { 1, 1, 1 }, new AffineTransform3D()), minMm, maxMm);
	}

	/** The eight corners in the reference grid's world (mm). */
	public double[][] corners() {
		final AffineTransform3D v2w = reference.voxelToWorld();
		final double[][] out = new double[8][3];
		for (int k = 0; k < 8; k++) {
			final double[] p = { (k & 1) == 0 ? min[0] : max[0], (k & 2) == 0 ? min[1] : max[1], (k & 4) == 0 ? min[2] : max[2] };
			v2w.apply(p, out[k]);
		}
		return out;
	}

	/**
	 * The crop grid on {@code image}: its voxels whose centres lie inside the bounding box (in the
	 * image's voxel axes) of this box's corners carried by {@code boxWorldToImageWorld}, clipped to the image.
	 *
	 * @param boxWorldToImageWorld maps the reference grid's world to the image's world (a registration
	 *        result with the reference as fixed and the image as moving); identity if they share a world
	 */
	public Grid on(final Grid image, final AffineTransform3D boxWorldToImageWorld) {
		final AffineTransform3D toIndex = image.voxelToWorld().inverse().concatenate(boxWorldToImageWorld);
		final double[] lo = { Double.POSITIVE_INFINITY, Double.POSITIVE_INFINITY, Double.POSITIVE_INFINITY };
		final double[] hi = { Double.NEGATIVE_INFINITY, Double.NEGATIVE_INFINITY, Double.NEGATIVE_INFINITY };
		final double[] p = new double[3];
		for (final double[] c : corners()) {
			toIndex.apply(c, p);
			for (int d = 0; d < 3; d++) {
				lo[d] = Math.min(lo[d], p[d]);
				hi[d] = Math.max(hi[d], p[d]);
			}
		}
		final int[] n = image.size();
		final int[] start = new int[3], size = new int[3];
		for (int d = 0; d < 3; d++) {
			final int a = Math.max(0, (int) Math.ceil(lo[d] - 1e-6)), b = Math.min(n[d] - 1, (int) Math.floor(hi[d] + 1e-6));
			if (b < a)
				throw new IllegalArgumentException("The region of interest lies outside the image (axis " + "xyz".charAt(d) + ": voxels "
						+ String.format("%.1f..%.1f of 0..%d", lo[d], hi[d], n[d] - 1) + ")");
			start[d] = a;
			size[d] = b - a + 1;
		}
		return image.subGrid(start, size);
	}

	/** The image resampled onto a grid: for a sub-grid of its own grid, an exact copy of those voxels. */
	public static Volume crop(final Volume image, final Grid grid, final Resampler.Interpolation interpolation) {
		return new Resampler(interpolation, 0f).resample(image, grid);
	}

	@Override
	public String toString() {
		return "RoiBox " + Arrays.toString(min) + " .. " + Arrays.toString(max) + " on " + Geometry.format(reference.voxelToWorld());
	}
}
