package org.progressionprobe.features.change;

import java.util.stream.IntStream;

import org.progressionprobe.volume.AffineTransform3D;
import org.progressionprobe.volume.Geometry;
import org.progressionprobe.volume.Volume;

/**
 * Analytic test scans: a textured "head" with two textured balls, and a follow-up made by an
 * analytic {@link RadialContraction} of one ball by a known volume factor. Images are evaluated from formulas, not
 * interpolated, so the follow-up is exact.
 */
final class SyntheticChange {

	final double[] shrinkCentre, controlCentre;
	final double r0, factor;
	final RadialContraction contraction;

	/**
	 * @param shrinkCentre centre of the contracted ball (world mm)
	 * @param controlCentre centre of the unchanged ball
	 * @param r0 ball radius (mm)
	 * @param r2 radius beyond which nothing moves
	 * @param factor volume factor of the ball (0.8: it loses 20 % of its volume)
	 */
	SyntheticChange(final double[] shrinkCentre, final double[] controlCentre, final double r0, final double r2, final double factor) {
		this.shrinkCentre = shrinkCentre;
		this.controlCentre = controlCentre;
		this.r0 = r0;
		this.factor = factor;
		this.contraction = new RadialContraction(shrinkCentre, r0, r2, factor);
	}

	/** The standard case on a 56^3 grid of 1.25 mm voxels centred on the origin. */
	static SyntheticChange standard(final double factor) {
		return new SyntheticChange(new double[] { -9, 4, 0 }, new double[] { 16, -12, 6 }, 9, 17, factor);
	}

	static AffineTransform3D grid(final int n, final double spacing) {
		final double o = -(n - 1) / 2.0 * spacing;
		return Geometry.scaling(new double[] { spacing, spacing, spacing }, new double[] { o, o, o });
	}

	private static double edge(final double d) {
		return 1 / (1 + Math.exp(-d / 0.8));
	}

	/** Baseline intensity at a world point. */
	double baseline(final double x, final double y, final double z) {
		final double head = edge(30 - Math.sqrt(x * x / 1.0 + y * y / 1.2 + z * z / 0.9));
		double v = head * (1.0 + 0.15 * Math.sin(x / 3.1) * Math.cos(y / 2.7) + 0.1 * Math.sin(z / 2.3 + y / 4.0));
		final double ax = x - shrinkCentre[0], ay = y - shrinkCentre[1], az = z - shrinkCentre[2];
		v += edge(r0 - Math.sqrt(ax * ax + ay * ay + az * az)) * (0.9 + 0.3 * Math.sin(ax / 1.7) * Math.sin(ay / 2.1) * Math.cos(az / 1.9));
		final double bx = x - controlCentre[0], by = y - controlCentre[1], bz = z - controlCentre[2];
		v -= edge(7 - Math.sqrt(bx * bx + by * by + bz * bz)) * (0.5 + 0.2 * Math.cos(bx / 1.5) * Math.sin(by / 1.8 + bz / 2.2));
		return v;
	}

	/** Follow-up intensity: the baseline at the pre-image of the point. */
	double followup(final double x, final double y, final double z) {
		final double[] p = { x, y, z };
		contraction.preimage(p);
		return baseline(p[0], p[1], p[2]);
	}

	Volume baselineOn(final int n, final AffineTransform3D v2w) {
		return fill(n, n, n, v2w, true);
	}

	Volume followupOn(final int n, final AffineTransform3D v2w) {
		return fill(n, n, n, v2w, false);
	}

	Volume fill(final int nx, final int ny, final int nz, final AffineTransform3D v2w, final boolean base) {
		final Volume v = Volume.zeros(nx, ny, nz, v2w);
		final float[] d = v.data();
		IntStream.range(0, nz).parallel().forEach(z -> {
			final double[] p = new double[3];
			for (int y = 0; y < ny; y++)
				for (int x = 0; x < nx; x++) {
					p[0] = x;
					p[1] = y;
					p[2] = z;
					v2w.apply(p, p);
					d[(z * ny + y) * nx + x] = (float) (base ? baseline(p[0], p[1], p[2]) : followup(p[0], p[1], p[2]));
				}
		});
		return v;
	}

	/** Labels on a grid: 1 inside the shrinking ball (radius r0), 2 inside the control ball (radius 7). */
	Volume labelsOn(final Volume grid) {
		final Volume l = grid.zerosLike();
		final float[] d = l.data();
		final AffineTransform3D v2w = grid.voxelToWorld();
		final double[] p = new double[3];
		for (int z = 0; z < grid.nz(); z++)
			for (int y = 0; y < grid.ny(); y++)
				for (int x = 0; x < grid.nx(); x++) {
					p[0] = x;
					p[1] = y;
					p[2] = z;
					v2w.apply(p, p);
					if (dist(p, shrinkCentre) < r0)
						d[grid.index(x, y, z)] = 1;
					else if (dist(p, controlCentre) < 7)
						d[grid.index(x, y, z)] = 2;
				}
		return l;
	}

	static double dist(final double[] a, final double[] b) {
		return Math.sqrt((a[0] - b[0]) * (a[0] - b[0]) + (a[1] - b[1]) * (a[1] - b[1]) + (a[2] - b[2]) * (a[2] - b[2]));
	}
}
