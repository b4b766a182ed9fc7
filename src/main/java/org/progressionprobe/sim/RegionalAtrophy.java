package org.progressionprobe.sim;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

import org.progressionprobe.volume.AffineTransform3D;
import org.progressionprobe.volume.DisplacementField;
import org.progressionprobe.volume.Grid;
import org.progressionprobe.volume.Volume;

/**
 * Regional volume loss as a smooth, invertible deformation whose effect on every label is measured.
 * <p>
 * Each shrinking structure L gets a stationary velocity field {@code v = grad(phi)} with
 * {@code laplace(phi) = rho}: rho is a sink spread over L (its inner voxels when it has enough) and
 * an equal source spread over the fill labels (CSF, ventricles) near L, weighted by
 * {@code exp(-(d / 6 mm)^2)} of the distance d to L and cut at 10 mm. Since {@code div v = rho},
 * the flow takes volume out of L and hands the same volume to the nearby CSF, leaving other tissue
 * nearly untouched. The Poisson problem is solved by conjugate gradients in a box around L with
 * no-flux (Neumann) walls, and v is tapered to zero at the walls, so the deformation is local.
 * The fields of all structures add up; their strengths are calibrated (a few rounds) so that each
 * structure loses its target volume, as measured on the follow-up anatomy. The pull field
 * {@code exp(-v)} (follow-up to baseline; its inverse is the forward flow {@code exp(v)}) is what the
 * follow-up scan is sampled through.
 */
final class RegionalAtrophy {

	/** The deformation and its measured effect. */
	record Result(DisplacementField pull, Map<Integer, Double> volumeChangeMm3) {}

	static final double FILL_SCALE_MM = 6, FILL_CUTOFF_MM = 10, TAPER_MM = 5, WALL_MARGIN_MM = FILL_CUTOFF_MM + TAPER_MM;
	private static final int CALIBRATION_ROUNDS = 4;
	private static final double CALIBRATION_TOLERANCE = 0.003;

	/** Measures what a pull field does to the label volumes. */
	@FunctionalInterface
	interface VolumeChange {
		/**
		 * @param pull follow-up to baseline, on a sub-grid [lo, hi) of the label map's grid (identity outside)
		 * @param only labels to measure, or null for all
		 * @return volume change (mm^3) by label value
		 */
		double[] of(DisplacementField pull, int[] lo, int[] hi, Set<Integer> only);
	}

	private final Volume labels;
	private final Set<Integer> fill;
	private final VolumeChange measure;

	/**
	 * @param labels the baseline label map
	 * @param fill labels that take up the lost volume (if none lies near a structure, any other label does)
	 * @param measure measures volume changes on the subject's continuous labels
	 */
	RegionalAtrophy(final Volume labels, final Set<Integer> fill, final VolumeChange measure) {
		this.labels = labels;
		this.fill = fill;
		this.measure = measure;
	}

	/**
	 * Builds the deformation.
	 *
	 * @param targetLossMm3 label value to the volume (mm^3, positive) it should lose
	 * @return the pull field on the region around the structures, and the measured volume change
	 *         (negative: loss) of every label in that region; null if nothing shrinks
	 */
	Result simulate(final Map<Integer, Double> targetLossMm3) {
		final List<Integer> structures = new ArrayList<>();
		final List<int[][]> boxes = new ArrayList<>(), tight = new ArrayList<>();
		for (final Map.Entry<Integer, Double> e : targetLossMm3.entrySet()) {
			if (e.getValue() <= 0)
				continue;
			final int[][] box = boundingBox(e.getKey());
			if (box == null)
				continue;
			structures.add(e.getKey());
			tight.add(box);
			boxes.add(dilated(box, WALL_MARGIN_MM));
		}
		if (structures.isEmpty())
			return null;
		final int[] lo = boxes.get(0)[0].clone(), hi = boxes.get(0)[1].clone();
		for (final int[][] b : boxes)
			for (int d = 0; d < 3; d++) {
				lo[d] = Math.min(lo[d], b[0][d]);
				hi[d] = Math.max(hi[d], b[1][d]);
			}
		final Grid region = Grid.of(labels).subGrid(lo, new int[] { hi[0] - lo[0], hi[1] - lo[1], hi[2] - lo[2] });
		final List<DisplacementField> unit = new ArrayList<>();
		for (int s = 0; s < structures.size(); s++)
			unit.add(unitVelocity(structures.get(s), boxes.get(s), region, lo));
		final double[] strength = new double[structures.size()];
		for (int s = 0; s < strength.length; s++)
			strength[s] = targetLossMm3.get(structures.get(s));
		DisplacementField pull = combine(unit, strength, region).scaled(-1).exponential();
		for (int round = 0; round < CALIBRATION_ROUNDS; round++) {
			boolean done = true;
			for (int s = 0; s < strength.length; s++) {
				final int label = structures.get(s);
				final int[][] near = near(tight.get(s));
				final double target = -targetLossMm3.get(label), got = measure.of(pull, near[0], near[1], Set.of(label))[label];
				if (Math.abs(got - target) > CALIBRATION_TOLERANCE * Math.abs(target))
					done = false;
				if (got < 0)
					strength[s] *= target / got;
			}
			if (done)
				break;
			pull = combine(unit, strength, region).scaled(-1).exponential();
		}
		final double[] change = measure.of(pull, lo, hi, null);
		final Map<Integer, Double> out = new LinkedHashMap<>();
		for (int l = 0; l < change.length; l++)
			if (change[l] != 0)
				out.put(l, change[l]);
		return new Result(pull, out);
	}

	private static DisplacementField combine(final List<DisplacementField> unit, final double[] strength, final Grid region) {
		final DisplacementField v = DisplacementField.zeros(region);
		final List<Volume> dst = v.toVolumes();
		for (int s = 0; s < unit.size(); s++) {
			final List<Volume> src = unit.get(s).toVolumes();
			for (int c = 0; c < 3; c++) {
				final float[] a = src.get(c).data(), b = dst.get(c).data();
				for (int i = 0; i < a.length; i++)
					b[i] += (float) (strength[s] * a[i]);
			}
		}
		return v;
	}

	/** Voxel box [lo, hi) of a label; null if the label is absent. */
	private int[][] boundingBox(final int label) {
		final int nx = labels.nx(), ny = labels.ny(), nz = labels.nz();
		final int[] lo = { Integer.MAX_VALUE, Integer.MAX_VALUE, Integer.MAX_VALUE }, hi = { -1, -1, -1 };
		final float[] m = labels.data();
		for (int k = 0, o = 0; k < nz; k++)
			for (int j = 0; j < ny; j++)
				for (int i = 0; i < nx; i++, o++)
					if ((int) m[o] == label) {
						lo[0] = Math.min(lo[0], i);
						lo[1] = Math.min(lo[1], j);
						lo[2] = Math.min(lo[2], k);
						hi[0] = Math.max(hi[0], i + 1);
						hi[1] = Math.max(hi[1], j + 1);
						hi[2] = Math.max(hi[2], k + 1);
					}
		return hi[0] < 0 ? null : new int[][] { lo, hi };
	}

	/** A box grown by {@code mm} on every side, clipped to the grid. */
	private int[][] dilated(final int[][] box, final double mm) {
		final double[] h = labels.voxelSize();
		final int[] n = labels.size(), lo = box[0].clone(), hi = box[1].clone();
		for (int d = 0; d < 3; d++) {
			final int margin = (int) Math.ceil(mm / h[d]);
			lo[d] = Math.max(0, lo[d] - margin);
			hi[d] = Math.min(n[d], hi[d] + margin);
		}
		return new int[][] { lo, hi };
	}

	/** Where a label's volume can change: its box grown by the largest displacement and the interpolation support. */
	private int[][] near(final int[][] box) {
		final double h = Math.min(labels.voxelSize()[0], Math.min(labels.voxelSize()[1], labels.voxelSize()[2]));
		return dilated(box, 3 * h + 3);
	}

	/**
	 * The velocity that removes 1 mm^3 per unit time from the label's region and adds it to the
	 * nearby fill: solved in the label's box, tapered at its walls, placed on the region's grid.
	 */
	private DisplacementField unitVelocity(final int label, final int[][] box, final Grid region, final int[] regionLo) {
		final int[] lo = box[0], hi = box[1];
		final int bx = hi[0] - lo[0], by = hi[1] - lo[1], bz = hi[2] - lo[2];
		final int nx = labels.nx(), ny = labels.ny();
		final float[] m = labels.data();
		final double[] h = labels.voxelSize();
		final int n = bx * by * bz;
		final int[] lab = new int[n];
		for (int k = 0; k < bz; k++)
			for (int j = 0; j < by; j++)
				for (int i = 0; i < bx; i++)
					lab[(k * by + j) * bx + i] = (int) m[((k + lo[2]) * ny + j + lo[1]) * nx + i + lo[0]];
		final double[] rho = sourceDensity(lab, bx, by, bz, label, h);
		final double[] phi = Poisson.solveNeumann(rho, new int[] { bx, by, bz }, h);
		// v = grad(phi), world mm; taper to zero at the walls
		final AffineTransform3D toVoxel = labels.worldToVoxel();
		final DisplacementField out = DisplacementField.zeros(region);
		final int[] rn = region.size();
		final float[] vx = out.x().data(), vy = out.y().data(), vz = out.z().data();
		final int taper = (int) Math.ceil(TAPER_MM / Math.min(h[0], Math.min(h[1], h[2])));
		final int[] bn = { bx, by, bz }, stride = { 1, bx, bx * by };
		final int[] idx = new int[3];
		for (int k = 0; k < bz; k++)
			for (int j = 0; j < by; j++)
				for (int i = 0; i < bx; i++) {
					idx[0] = i;
					idx[1] = j;
					idx[2] = k;
					final int o = (k * by + j) * bx + i;
					double w = 1;
					final double[] g = new double[3];
					for (int d = 0; d < 3; d++) {
						w *= ramp(Math.min(idx[d], bn[d] - 1 - idx[d]), taper);
						final int a = idx[d] > 0 ? o - stride[d] : o, b = idx[d] < bn[d] - 1 ? o + stride[d] : o;
						g[d] = a == b ? 0 : (phi[b] - phi[a]) / ((b - a) / (double) stride[d]);
					}
					if (w == 0)
						continue;
					final int r = ((k + lo[2] - regionLo[2]) * rn[1] + j + lo[1] - regionLo[1]) * rn[0] + i + lo[0] - regionLo[0];
					// world gradient: (d index / d world)^T times the index gradient
					vx[r] = (float) (w * (g[0] * toVoxel.get(0, 0) + g[1] * toVoxel.get(1, 0) + g[2] * toVoxel.get(2, 0)));
					vy[r] = (float) (w * (g[0] * toVoxel.get(0, 1) + g[1] * toVoxel.get(1, 1) + g[2] * toVoxel.get(2, 1)));
					vz[r] = (float) (w * (g[0] * toVoxel.get(0, 2) + g[1] * toVoxel.get(1, 2) + g[2] * toVoxel.get(2, 2)));
				}
		return out;
	}

	/** 0 at the wall, rising smoothly to 1 at {@code width} voxels inside. */
	private static double ramp(final int fromWall, final int width) {
		if (fromWall >= width)
			return 1;
		final double t = fromWall / (double) width;
		return t * t * (3 - 2 * t);
	}

	/**
	 * The density (per mm^3) of a unit sink in the label and a unit source in the nearby fill, on the
	 * box; sums to zero.
	 */
	private double[] sourceDensity(final int[] lab, final int bx, final int by, final int bz, final int label, final double[] h) {
		final int n = lab.length;
		final double voxelVolume = h[0] * h[1] * h[2];
		// sink: the label's inner voxels (all six neighbours in the label) if there are enough, else all its voxels
		final List<Integer> all = new ArrayList<>(), inner = new ArrayList<>(), surface = new ArrayList<>();
		for (int k = 0; k < bz; k++)
			for (int j = 0; j < by; j++)
				for (int i = 0; i < bx; i++) {
					final int o = (k * by + j) * bx + i;
					if (lab[o] != label)
						continue;
					all.add(o);
					final boolean in = i > 0 && j > 0 && k > 0 && i < bx - 1 && j < by - 1 && k < bz - 1 && lab[o - 1] == label && lab[o + 1] == label
							&& lab[o - bx] == label && lab[o + bx] == label && lab[o - bx * by] == label && lab[o + bx * by] == label;
					(in ? inner : surface).add(o);
				}
		final List<Integer> sink = inner.size() >= 8 ? inner : all;
		final double[] rho = new double[n];
		for (final int o : sink)
			rho[o] = -1.0 / (sink.size() * voxelVolume);
		// source: fill voxels near the label's surface
		double[] weight = fillWeights(lab, bx, by, bz, label, surface, h, true);
		double total = 0;
		for (final double w : weight)
			total += w;
		if (total == 0) {
			weight = fillWeights(lab, bx, by, bz, label, surface, h, false);
			for (final double w : weight)
				total += w;
		}
		if (total == 0)
			throw new IllegalStateException("No room around label " + label + " to take up its volume loss");
		for (int o = 0; o < n; o++)
			rho[o] += weight[o] / (total * voxelVolume);
		return rho;
	}

	private double[] fillWeights(final int[] lab, final int bx, final int by, final int bz, final int label, final List<Integer> surface,
			final double[] h, final boolean fillOnly) {
		final double[] w = new double[lab.length];
		final int[][] s = new int[surface.size()][];
		for (int t = 0; t < s.length; t++) {
			final int o = surface.get(t);
			s[t] = new int[] { o % bx, (o / bx) % by, o / (bx * by) };
		}
		final double cut2 = FILL_CUTOFF_MM * FILL_CUTOFF_MM;
		for (int k = 0; k < bz; k++)
			for (int j = 0; j < by; j++)
				for (int i = 0; i < bx; i++) {
					final int o = (k * by + j) * bx + i;
					if (lab[o] == label || (fillOnly ? !fill.contains(lab[o]) : false))
						continue;
					double best = Double.MAX_VALUE;
					for (final int[] p : s) {
						final double dx = (i - p[0]) * h[0], dy = (j - p[1]) * h[1], dz = (k - p[2]) * h[2];
						best = Math.min(best, dx * dx + dy * dy + dz * dz);
					}
					if (best <= cut2)
						w[o] = StrictMath.exp(-best / (FILL_SCALE_MM * FILL_SCALE_MM));
				}
		return w;
	}
}
