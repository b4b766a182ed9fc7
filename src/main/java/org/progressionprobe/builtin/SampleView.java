package org.progressionprobe.builtin;

import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;

import org.progressionprobe.align.RoiBox;
import org.progressionprobe.volume.AffineTransform3D;
import org.progressionprobe.volume.Atlas;
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
		return crop(scan, inputZyx, lo, extent, randomPose(scan, lo, extent, r, maxDeg, maxMm));
	}

	/**
	 * The region of interest of ROI views: the study's by default (Run Study's {@code roi_labels}; a
	 * test keeps the two the same), which the phantom's progressors lose volume in.
	 */
	static final List<String> ROI_LABELS = List.of("Hippocampus.*", "Amygdala.*");
	/** Other groups of deep structures whose boxes training views show. */
	static final List<List<String>> ROI_GROUPS = List.of(List.of("Hippocampus.*"), List.of("Amygdala.*"), List.of("Hippocampus_L", "Amygdala_L"),
			List.of("Hippocampus_R", "Amygdala_R"), List.of("Thalamus.*"), List.of("Caudate.*", "Putamen.*"), List.of("Ventricle.*"));

	/** Share of the ROI-crop training views that show the study's region ({@link #ROI_LABELS}) rather than another group. */
	static final double STUDY_ROI_SHARE = 0.75;

	/**
	 * A training view: with probability {@code roiViews} an ROI crop as the study makes them (the box
	 * of a group of deep structures of {@code labels}, three quarters of the time the study's
	 * hippocampi and amygdalae, plus a margin of 6-14 mm, each axis resized to the input on its own;
	 * posed within half the limits), so that a network sees small structures at the scale an ROI crop
	 * shows them; otherwise (or if the group does not show in the scan) a {@link #random} view.
	 */
	static SampleView training(final Volume scan, final Volume labels, final Map<Integer, String> names, final int[] inputZyx, final SplittableRandom r,
			final double maxDeg, final double maxMm, final double roiViews) {
		if (r.nextDouble() < roiViews) {
			final RoiBox box = box(labels, names, r.nextDouble() < STUDY_ROI_SHARE ? ROI_LABELS : ROI_GROUPS.get(r.nextInt(ROI_GROUPS.size())),
					6 + 8 * r.nextDouble());
			if (box != null)
				return roi(scan, inputZyx, box, r, maxDeg / 2, maxMm / 2);
		}
		return random(scan, inputZyx, r, maxDeg, maxMm);
	}

	/** The box of a group of labels ({@code names}: value to name) plus a margin, or null if none of them shows (small structures vanish in coarse scans). */
	static RoiBox box(final Volume labels, final Map<Integer, String> names, final List<String> group, final double marginMm) {
		return RoiBox.around(labels, Atlas.labelsMatching(names, group), marginMm);
	}

	/**
	 * The view an ROI crop gives: the scan's voxels inside {@code box} (as {@code RoiBox.on} picks
	 * them) resized to the input, each axis on its own, as model features resize a crop; seen in a
	 * random pose within +-maxDeg and +-maxMm, the residual misalignment of an aligned crop.
	 */
	static SampleView roi(final Volume scan, final int[] inputZyx, final RoiBox box, final SplittableRandom r, final double maxDeg, final double maxMm) {
		final Grid g = box.on(Grid.of(scan), new AffineTransform3D());
		final double[] lo = new double[3], extent = new double[3];
		final double[] start = scan.voxelToWorld().inverse().concatenate(g.voxelToWorld()).getRowPackedCopy();
		for (int d = 0; d < 3; d++) {
			lo[d] = start[4 * d + 3];
			extent[d] = g.size()[d];
		}
		return crop(scan, inputZyx, lo, extent, randomPose(scan, lo, extent, r, maxDeg, maxMm));
	}

	/**
	 * The same input grid seen after a further rigid motion within +-maxDeg per axis about the grid's
	 * centre and +-maxMm per axis: a view point q samples where this view samples R(q). Seen through
	 * it, a scan shows the head moved, as a follow-up that was never aligned shows it.
	 */
	SampleView moved(final SplittableRandom r, final double maxDeg, final double maxMm) {
		final int[] n = grid.size();
		final double[] centre = { (n[0] - 1) / 2.0, (n[1] - 1) / 2.0, (n[2] - 1) / 2.0 };
		grid.voxelToWorld().apply(centre, centre);
		return new SampleView(grid, pose.copy().concatenate(randomMotion(centre, r, maxDeg, maxMm)));
	}

	/**
	 * The view of a follow-up that shows it where this view shows the baseline: the head motion
	 * {@code motion} (baseline world to follow-up world) undone, as pair or atlas alignment hands a
	 * pair over; {@link #moved} then adds the residual misalignment.
	 */
	SampleView alignedTo(final AffineTransform3D motion) {
		return new SampleView(grid, motion.copy().concatenate(pose));
	}

	/** A rotation within +-maxDeg per axis about the view's centre and a shift within +-maxMm per axis. */
	private static AffineTransform3D randomPose(final Volume scan, final double[] lo, final double[] extent, final SplittableRandom r, final double maxDeg,
			final double maxMm) {
		final double[] centre = new double[3];
		for (int d = 0; d < 3; d++)
			centre[d] = lo[d] + extent[d] / 2 - 0.5;
		scan.voxelToWorld().apply(centre, centre);
		return randomMotion(centre, r, maxDeg, maxMm);
	}

	/** A rotation within +-maxDeg per axis about {@code centre} (world mm) and a shift within +-maxMm per axis. */
	private static AffineTransform3D randomMotion(final double[] centre, final SplittableRandom r, final double maxDeg, final double maxMm) {
		final double[] deg = new double[3], shift = new double[3];
		for (int d = 0; d < 3; d++) {
			deg[d] = maxDeg * (2 * r.nextDouble() - 1);
			shift[d] = maxMm * (2 * r.nextDouble() - 1);
		}
		final AffineTransform3D pose = new AffineTransform3D().translate(-centre[0], -centre[1], -centre[2]);
		pose.preConcatenate(new org.progressionprobe.sim.RigidMotion(deg, shift).transform());
		pose.preConcatenate(new AffineTransform3D().translate(centre));
		return pose;
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
