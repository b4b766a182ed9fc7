package org.progressionprobe.builtin;

import java.util.SplittableRandom;

import org.progressionprobe.volume.AffineTransform3D;
import org.progressionprobe.volume.Grid;
import org.progressionprobe.volume.Volume;

/**
 * How a training sample sees a scan: the network's input grid laid over a box of the scan's grid
 * (the whole field of view, or a zoomed-in crop as an ROI crop gives), and a pose (a rigid motion of
 * the head) applied to the sampling points. With the whole field of view and no pose, input voxel i
 * samples scan index {@code (i + 0.5) * n / size - 0.5}, as model features resample a scan
 * ({@code InputResize}).
 *
 * @param grid the input grid, in "view" world coordinates (the scan's world for an unposed view)
 * @param pose maps a view-world point to the scan-world point it samples (rigid)
 */
record SampleView(Grid grid, AffineTransform3D pose) {

	/** The whole scan, no pose. */
	static SampleView whole(final Volume scan, final int[] inputZyx) {
		return crop(scan, inputZyx, new double[3], new double[] { scan.nx(), scan.ny(), scan.nz() }, new AffineTransform3D());
	}

	/**
	 * A random view: with probability 1/2 the whole field of view, else a crop covering 35-100% of
	 * each axis (one zoom for all axes, +-10% per axis) anywhere inside the scan; a rotation within
	 * +-maxDeg per axis about the crop centre and a shift within +-maxMm per axis.
	 */
	static SampleView random(final Volume scan, final int[] inputZyx, final SplittableRandom r, final double maxDeg, final double maxMm) {
		final double[] n = { scan.nx(), scan.ny(), scan.nz() };
		final double[] lo = new double[3], extent = n.clone();
		if (r.nextBoolean()) {
			final double zoom = 0.35 + 0.65 * r.nextDouble();
			for (int d = 0; d < 3; d++) {
				extent[d] = Math.min(n[d], n[d] * zoom * (0.9 + 0.2 * r.nextDouble()));
				lo[d] = (n[d] - extent[d]) * r.nextDouble();
			}
		}
		final double[] centre = new double[3];
		for (int d = 0; d < 3; d++)
			centre[d] = lo[d] + extent[d] / 2 - 0.5;
		scan.voxelToWorld().apply(centre, centre);
		final double[] deg = new double[3], shift = new double[3];
		for (int d = 0; d < 3; d++) {
			deg[d] = maxDeg * (2 * r.nextDouble() - 1);
			shift[d] = maxMm * (2 * r.nextDouble() - 1);
		}
		final AffineTransform3D pose = new AffineTransform3D().translate(-centre[0], -centre[1], -centre[2]);
		pose.preConcatenate(new org.progressionprobe.sim.RigidMotion(deg, shift).transform());
		pose.preConcatenate(new AffineTransform3D().translate(centre));
		return crop(scan, inputZyx, lo, extent, pose);
	}

	/** Input voxel i along an axis samples scan index lo + (i + 0.5) * extent / size - 0.5. */
	private static SampleView crop(final Volume scan, final int[] inputZyx, final double[] lo, final double[] extent, final AffineTransform3D pose) {
		final int[] size = { inputZyx[2], inputZyx[1], inputZyx[0] };
		final double[] s = new double[3], t = new double[3];
		for (int d = 0; d < 3; d++) {
			s[d] = extent[d] / size[d];
			t[d] = lo[d] + 0.5 * s[d] - 0.5;
		}
		final AffineTransform3D inputToScanVoxel = AffineTransform3D.of(s[0], 0, 0, t[0], 0, s[1], 0, t[1], 0, 0, s[2], t[2]);
		return new SampleView(new Grid(size, scan.voxelToWorld().copy().concatenate(inputToScanVoxel)), pose);
	}
}
