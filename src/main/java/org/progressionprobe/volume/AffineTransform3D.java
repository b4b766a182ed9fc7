package org.progressionprobe.volume;

import java.util.Arrays;

import net.imglib2.RealLocalizable;
import net.imglib2.RealPositionable;

/**
 * A 3D affine transform, x' = A x + t, stored as a 3x4 matrix of doubles.
 * <p>
 * Its API mirrors ImgLib2's {@code net.imglib2.realtransform.AffineTransform3D} ({@code get(row, col)},
 * {@code set(12 values)} in row-packed order, {@code concatenate}, {@code preConcatenate}, {@code inverse},
 * {@code apply}, {@code applyInverse}, {@code getRowPackedCopy}), because that class lives in
 * {@code imglib2-realtransform}, which is not on Maven Central and so cannot be a compile-time
 * dependency of this plugin. {@link #getRowPackedCopy()} gives the twelve numbers ImgLib2's class
 * takes in {@code set(double...)}, so scripts in Fiji convert in one line.
 */
public final class AffineTransform3D {

	private final double[] m = { 1, 0, 0, 0, 0, 1, 0, 0, 0, 0, 1, 0 };

	/** The identity. */
	public AffineTransform3D() {}

	/** A transform from twelve row-packed values (m00 m01 m02 m03 m10 ... m23). */
	public static AffineTransform3D of(final double... rowPacked) {
		final AffineTransform3D t = new AffineTransform3D();
		t.set(rowPacked);
		return t;
	}

	/** Sets all twelve values, row-packed. */
	public void set(final double... rowPacked) {
		if (rowPacked.length != 12)
			throw new IllegalArgumentException("An affine 3D transform has 12 values, got " + rowPacked.length);
		System.arraycopy(rowPacked, 0, m, 0, 12);
	}

	/** Copies another transform into this one. */
	public void set(final AffineTransform3D other) {
		System.arraycopy(other.m, 0, m, 0, 12);
	}

	public double get(final int row, final int col) {
		return m[4 * row + col];
	}

	public void set(final double value, final int row, final int col) {
		m[4 * row + col] = value;
	}

	/** The twelve values, row-packed. */
	public double[] getRowPackedCopy() {
		return m.clone();
	}

	/** The 4x4 homogeneous matrix, row-major. */
	public double[][] toMatrix4() {
		return new double[][] { { m[0], m[1], m[2], m[3] }, { m[4], m[5], m[6], m[7] }, { m[8], m[9], m[10], m[11] }, { 0, 0, 0, 1 } };
	}

	public AffineTransform3D copy() {
		return of(m);
	}

	/** this = this * other: {@code other} is applied first. */
	public AffineTransform3D concatenate(final AffineTransform3D other) {
		set(multiply(m, other.m));
		return this;
	}

	/** this = other * this: {@code other} is applied after this. */
	public AffineTransform3D preConcatenate(final AffineTransform3D other) {
		set(multiply(other.m, m));
		return this;
	}

	/** A new transform, the inverse of this one. */
	public AffineTransform3D inverse() {
		final double a = m[0], b = m[1], c = m[2], d = m[4], e = m[5], f = m[6], g = m[8], h = m[9], i = m[10];
		final double det = a * (e * i - f * h) - b * (d * i - f * g) + c * (d * h - e * g);
		if (det == 0 || !Double.isFinite(det))
			throw new IllegalStateException("Singular affine transform cannot be inverted: " + this);
		final double[] r = new double[12];
		r[0] = (e * i - f * h) / det;
		r[1] = (c * h - b * i) / det;
		r[2] = (b * f - c * e) / det;
		r[4] = (f * g - d * i) / det;
		r[5] = (a * i - c * g) / det;
		r[6] = (c * d - a * f) / det;
		r[8] = (d * h - e * g) / det;
		r[9] = (b * g - a * h) / det;
		r[10] = (a * e - b * d) / det;
		for (int row = 0; row < 3; row++)
			r[4 * row + 3] = -(r[4 * row] * m[3] + r[4 * row + 1] * m[7] + r[4 * row + 2] * m[11]);
		return of(r);
	}

	/** target = A source + t (target may be source). */
	public void apply(final double[] source, final double[] target) {
		final double x = source[0], y = source[1], z = source[2];
		target[0] = m[0] * x + m[1] * y + m[2] * z + m[3];
		target[1] = m[4] * x + m[5] * y + m[6] * z + m[7];
		target[2] = m[8] * x + m[9] * y + m[10] * z + m[11];
	}

	/** Applies the transform to a position. */
	public void apply(final RealLocalizable source, final RealPositionable target) {
		final double x = source.getDoublePosition(0), y = source.getDoublePosition(1), z = source.getDoublePosition(2);
		target.setPosition(m[0] * x + m[1] * y + m[2] * z + m[3], 0);
		target.setPosition(m[4] * x + m[5] * y + m[6] * z + m[7], 1);
		target.setPosition(m[8] * x + m[9] * y + m[10] * z + m[11], 2);
	}

	/** source = inverse(this) target. */
	public void applyInverse(final double[] source, final double[] target) {
		inverse().apply(target, source);
	}

	/** Adds a translation after the transform. */
	public AffineTransform3D translate(final double... t) {
		m[3] += t[0];
		m[7] += t[1];
		m[11] += t[2];
		return this;
	}

	/** Scales uniformly after the transform. */
	public AffineTransform3D scale(final double s) {
		for (int i = 0; i < 12; i++)
			m[i] *= s;
		return this;
	}

	/** True if every entry matches to within {@code tolerance}. */
	public boolean equals(final AffineTransform3D other, final double tolerance) {
		for (int i = 0; i < 12; i++)
			if (Math.abs(m[i] - other.m[i]) > tolerance)
				return false;
		return true;
	}

	/** Entry-wise numeric equality (so 0.0 equals -0.0). */
	@Override
	public boolean equals(final Object o) {
		return o instanceof AffineTransform3D && equals((AffineTransform3D) o, 0);
	}

	@Override
	public int hashCode() {
		final double[] normalised = m.clone();
		for (int i = 0; i < 12; i++)
			normalised[i] += 0.0; // -0.0 + 0.0 is 0.0
		return Arrays.hashCode(normalised);
	}

	@Override
	public String toString() {
		return "3d-affine: (" + String.join(", ", Arrays.stream(m).mapToObj(Double::toString).toList()) + ")";
	}

	private static double[] multiply(final double[] a, final double[] b) {
		final double[] r = new double[12];
		for (int row = 0; row < 3; row++) {
			for (int col = 0; col < 4; col++) {
				double s = 0;
				for (int k = 0; k < 3; k++)
					s += a[4 * row + k] * b[4 * k + col];
				r[4 * row + col] = s + (col == 3 ? a[4 * row + 3] : 0);
			}
		}
		return r;
	}
}
