package org.progressionprobe.sim;

import java.util.SplittableRandom;

import org.progressionprobe.volume.AffineTransform3D;

/**
 * A rigid repositioning of the head between two scans: rotations about the world x, y and z axes
 * through the world origin (the head centre of the phantom), then a shift. The transform maps a
 * point of the baseline anatomy (baseline world, mm) to where the same anatomy lies in the follow-up
 * scan's world: {@code p' = Rz Ry Rx p + shift}. A registration of the follow-up (fixed) to the
 * baseline (moving), in ITK's direction, recovers its inverse.
 *
 * @param rotationDeg rotation about x, y, z in degrees (x applied first)
 * @param shiftMm translation along x, y, z in mm
 */
public record RigidMotion(double[] rotationDeg, double[] shiftMm) {

	public RigidMotion {
		rotationDeg = rotationDeg.clone();
		shiftMm = shiftMm.clone();
	}

	/** No motion. */
	public static RigidMotion none() {
		return new RigidMotion(new double[3], new double[3]);
	}

	/** Rotations uniform in [-maxRotationDeg, maxRotationDeg] per axis, shifts uniform in [-maxShiftMm, maxShiftMm]. */
	static RigidMotion draw(final SplittableRandom rng, final double maxRotationDeg, final double maxShiftMm) {
		final double[] r = new double[3], t = new double[3];
		for (int d = 0; d < 3; d++)
			r[d] = maxRotationDeg * (2 * rng.nextDouble() - 1);
		for (int d = 0; d < 3; d++)
			t[d] = maxShiftMm * (2 * rng.nextDouble() - 1);
		return new RigidMotion(r, t);
	}

	/** Baseline world -> follow-up world. */
	public AffineTransform3D transform() {
		final AffineTransform3D m = rotation(0, rotationDeg[0]);
		m.preConcatenate(rotation(1, rotationDeg[1]));
		m.preConcatenate(rotation(2, rotationDeg[2]));
		m.translate(shiftMm);
		return m;
	}

	private static AffineTransform3D rotation(final int axis, final double deg) {
		final double a = Math.toRadians(deg), c = StrictMath.cos(a), s = StrictMath.sin(a);
		switch (axis) {
		case 0:
			return AffineTransform3D.of(1, 0, 0, 0, 0, c, -s, 0, 0, s, c, 0);
		case 1:
			return AffineTransform3D.of(c, 0, s, 0, 0, 1, 0, 0, -s, 0, c, 0);
		default:
			return AffineTransform3D.of(c, -s, 0, 0, s, c, 0, 0, 0, 0, 1, 0);
		}
	}
}
