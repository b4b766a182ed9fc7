package org.progressionprobe.features.change;

/**
 * An analytic radial contraction (or expansion) of a ball, the ground truth of change tests and
 * benchmarks: inside radius r0 a uniform scaling by f^(1/3) about the centre (Jacobian exactly f,
 * the ball's volume becomes f times its volume); between r0 and r2 a monotone cubic Hermite blend
 * (C1) into the identity, which holds beyond r2.
 */
public final class RadialContraction {

	private final double[] centre;
	private final double r0, r2, factor, scale;

	/**
	 * @param centre centre (world mm)
	 * @param r0 radius of the ball that scales uniformly (mm)
	 * @param r2 radius beyond which nothing moves (mm), > r0
	 * @param factor volume factor of the ball (0.8: it loses 20 % of its volume)
	 */
	public RadialContraction(final double[] centre, final double r0, final double r2, final double factor) {
		if (!(r2 > r0 && r0 > 0 && factor > 0))
			throw new IllegalArgumentException("Need 0 < r0 < r2 and factor > 0");
		this.centre = centre.clone();
		this.r0 = r0;
		this.r2 = r2;
		this.factor = factor;
		this.scale = Math.cbrt(factor);
	}

	public double[] centre() {
		return centre.clone();
	}

	public double r0() {
		return r0;
	}

	public double factor() {
		return factor;
	}

	/** g(r): the radius after the map of a point at radius r from the centre. */
	public double radial(final double r) {
		if (r <= r0)
			return scale * r;
		if (r >= r2)
			return r;
		final double h = r2 - r0, t = (r - r0) / h;
		final double h00 = 2 * t * t * t - 3 * t * t + 1, h10 = t * t * t - 2 * t * t + t, h01 = -2 * t * t * t + 3 * t * t,
				h11 = t * t * t - t * t;
		return h00 * scale * r0 + h10 * h * scale + h01 * r2 + h11 * h;
	}

	/** The inverse of {@link #radial} (bisection between r0 and r2). */
	public double radialInverse(final double rho) {
		if (rho <= scale * r0)
			return rho / scale;
		if (rho >= r2)
			return rho;
		double lo = r0, hi = r2;
		for (int i = 0; i < 60; i++) {
			final double mid = 0.5 * (lo + hi);
			if (radial(mid) < rho)
				lo = mid;
			else
				hi = mid;
		}
		return 0.5 * (lo + hi);
	}

	/** The pre-image of a world point under the map (in place): where the follow-up's anatomy at p came from. */
	public void preimage(final double[] p) {
		final double dx = p[0] - centre[0], dy = p[1] - centre[1], dz = p[2] - centre[2];
		final double rho = Math.sqrt(dx * dx + dy * dy + dz * dz);
		if (rho < 1e-12 || rho >= r2)
			return;
		final double k = radialInverse(rho) / rho;
		p[0] = centre[0] + k * dx;
		p[1] = centre[1] + k * dy;
		p[2] = centre[2] + k * dz;
	}

	/** True if a world point lies in the ball of radius r0. */
	public boolean inBall(final double[] p) {
		final double dx = p[0] - centre[0], dy = p[1] - centre[1], dz = p[2] - centre[2];
		return dx * dx + dy * dy + dz * dz < r0 * r0;
	}
}
