package org.progressionprobe.align;

import org.progressionprobe.align.RegistrationSettings.TransformType;

/**
 * The parameters one stage optimises, as increments from the stage's starting transform
 * {@code u -> A0 u + t0} in the registration frame (mm, origin at the centre of rotation):
 * translation (t), rigid (Euler angles about the frame axes, then t) or affine (the matrix entries,
 * then t). In 2D only in-plane parameters exist (the frame's z axis is the image normal).
 * <p>
 * Parameters are scaled so that a unit step moves a point at the sampled region's RMS radius by
 * about 1 mm whatever the parameter: angles and matrix entries are multiplied by that radius.
 * That puts rotations and translations on one scale for the optimiser and makes its tolerance a
 * distance in mm.
 */
final class TransformModel {

	private final TransformType type;
	private final boolean twoD;
	private final double radius;
	private final double[] a0, t0;

	TransformModel(final TransformType type, final boolean twoD, final double radius, final double[] a0, final double[] t0) {
		this.type = type;
		this.twoD = twoD;
		this.radius = radius;
		this.a0 = a0.clone();
		this.t0 = t0.clone();
	}

	int size() {
		return type.parameters(twoD);
	}

	/** The frame transform (matrix a, 9 row-major, and translation t) for scaled parameters q. */
	void apply(final double[] q, final double[] a, final double[] t) {
		System.arraycopy(t0, 0, t, 0, 3);
		switch (type) {
		case TRANSLATION -> {
			System.arraycopy(a0, 0, a, 0, 9);
			addTranslation(q, 0, t);
		}
		case RIGID -> {
			final double[] r = rotation(angles(q), -1);
			multiply(r, a0, a);
			addTranslation(q, twoD ? 1 : 3, t);
		}
		case AFFINE -> {
			System.arraycopy(a0, 0, a, 0, 9);
			if (twoD) {
				a[0] += q[0] / radius;
				a[1] += q[1] / radius;
				a[3] += q[2] / radius;
				a[4] += q[3] / radius;
			} else
				for (int k = 0; k < 9; k++)
					a[k] += q[k] / radius;
			addTranslation(q, twoD ? 4 : 9, t);
		}
		}
	}

	/**
	 * Chains the cost gradient with respect to the frame matrix (gA, 9) and translation (gT, 3) to
	 * the scaled parameters.
	 */
	void gradient(final double[] q, final double[] gA, final double[] gT, final double[] gq) {
		switch (type) {
		case TRANSLATION -> {
			gq[0] = gT[0];
			gq[1] = gT[1];
			if (!twoD)
				gq[2] = gT[2];
		}
		case RIGID -> {
			final double[] ang = angles(q);
			final int first = twoD ? 2 : 0;
			final double[] da = new double[9];
			for (int k = first; k < 3; k++) {
				multiply(rotation(ang, k), a0, da);
				double g = 0;
				for (int i = 0; i < 9; i++)
					g += gA[i] * da[i];
				gq[k - first] = g / radius;
			}
			final int o = twoD ? 1 : 3;
			gq[o] = gT[0];
			gq[o + 1] = gT[1];
			if (!twoD)
				gq[o + 2] = gT[2];
		}
		case AFFINE -> {
			if (twoD) {
				gq[0] = gA[0] / radius;
				gq[1] = gA[1] / radius;
				gq[2] = gA[3] / radius;
				gq[3] = gA[4] / radius;
				gq[4] = gT[0];
				gq[5] = gT[1];
			} else {
				for (int k = 0; k < 9; k++)
					gq[k] = gA[k] / radius;
				gq[9] = gT[0];
				gq[10] = gT[1];
				gq[11] = gT[2];
			}
		}
		}
	}

	private double[] angles(final double[] q) {
		return twoD ? new double[] { 0, 0, q[0] / radius } : new double[] { q[0] / radius, q[1] / radius, q[2] / radius };
	}

	private void addTranslation(final double[] q, final int at, final double[] t) {
		t[0] += q[at];
		t[1] += q[at + 1];
		if (!twoD)
			t[2] += q[at + 2];
	}

	/**
	 * Rz(c) Ry(b) Rx(a) for angles (a, b, c); with {@code derivative} = 0, 1 or 2 the derivative with
	 * respect to a, b or c instead.
	 */
	static double[] rotation(final double[] ang, final int derivative) {
		final double ca = Math.cos(ang[0]), sa = Math.sin(ang[0]), cb = Math.cos(ang[1]), sb = Math.sin(ang[1]), cc = Math.cos(ang[2]),
				sc = Math.sin(ang[2]);
		final double[] rx = derivative == 0 ? new double[] { 0, 0, 0, 0, -sa, -ca, 0, ca, -sa } : new double[] { 1, 0, 0, 0, ca, -sa, 0, sa, ca };
		final double[] ry = derivative == 1 ? new double[] { -sb, 0, cb, 0, 0, 0, -cb, 0, -sb } : new double[] { cb, 0, sb, 0, 1, 0, -sb, 0, cb };
		final double[] rz = derivative == 2 ? new double[] { -sc, -cc, 0, cc, -sc, 0, 0, 0, 0 } : new double[] { cc, -sc, 0, sc, cc, 0, 0, 0, 1 };
		final double[] tmp = new double[9], out = new double[9];
		multiply(ry, rx, tmp);
		multiply(rz, tmp, out);
		return out;
	}

	/** out = a b for row-major 3x3 matrices (out must differ from a and b). */
	static void multiply(final double[] a, final double[] b, final double[] out) {
		for (int r = 0; r < 3; r++)
			for (int c = 0; c < 3; c++)
				out[3 * r + c] = a[3 * r] * b[c] + a[3 * r + 1] * b[3 + c] + a[3 * r + 2] * b[6 + c];
	}
}
