package org.progressionprobe.align;

import java.util.Arrays;

import org.progressionprobe.volume.AffineTransform3D;
import org.progressionprobe.volume.Geometry;

/**
 * An affine map written the way ITK and elastix store it: {@code y = A (x - c) + c + t}, a 3x3
 * matrix A, a translation t and a centre of rotation c, all in world millimetres. The centre does
 * not change the map (any c gives the same map for a suitably changed t) but it is what a
 * registration optimised around, so the transform files keep it. Keeping this triple, rather than
 * only the 3x4 matrix, makes writing a transform file and reading it back bit-identical.
 *
 * @param matrix A, row-major, 9 values
 * @param translation t, 3 values
 * @param centre c, 3 values
 */
public record CentredAffine(double[] matrix, double[] translation, double[] centre) {

	public CentredAffine {
		if (matrix.length != 9 || translation.length != 3 || centre.length != 3)
			throw new IllegalArgumentException("A centred affine has a 3x3 matrix, a translation and a centre (9 + 3 + 3 values)");
		matrix = matrix.clone();
		translation = translation.clone();
		centre = centre.clone();
		for (final double[] a : new double[][] { matrix, translation, centre })
			for (int i = 0; i < a.length; i++) {
				a[i] += 0.0; // -0 becomes 0, so equal maps compare equal
				if (!Double.isFinite(a[i]))
					throw new IllegalArgumentException("A transform has a non-finite value: " + Arrays.toString(matrix) + " "
							+ Arrays.toString(translation) + " " + Arrays.toString(centre));
			}
	}

	/** The identity, centred at {@code centre}. */
	public static CentredAffine identity(final double[] centre) {
		return new CentredAffine(new double[] { 1, 0, 0, 0, 1, 0, 0, 0, 1 }, new double[3], centre);
	}

	/** The same map as {@code t}, expressed around {@code centre}. */
	public static CentredAffine of(final AffineTransform3D t, final double[] centre) {
		final double[] a = new double[9];
		final double[] tr = new double[3];
		for (int r = 0; r < 3; r++) {
			double ac = 0;
			for (int c = 0; c < 3; c++) {
				a[3 * r + c] = t.get(r, c);
				ac += t.get(r, c) * centre[c];
			}
			// y = A x + b = A (x - c) + c + (b + A c - c)
			tr[r] = t.get(r, 3) + ac - centre[r];
		}
		return new CentredAffine(a, tr, centre);
	}

	@Override
	public double[] matrix() {
		return matrix.clone();
	}

	@Override
	public double[] translation() {
		return translation.clone();
	}

	@Override
	public double[] centre() {
		return centre.clone();
	}

	/** The map as a 3x4 affine: {@code y = A x + (t + c - A c)}. */
	public AffineTransform3D toAffine() {
		final double[] m = new double[12];
		for (int r = 0; r < 3; r++) {
			double ac = 0;
			for (int c = 0; c < 3; c++) {
				m[4 * r + c] = matrix[3 * r + c];
				ac += matrix[3 * r + c] * centre[c];
			}
			m[4 * r + 3] = translation[r] + centre[r] - ac;
		}
		return AffineTransform3D.of(m);
	}

	/**
	 * The same map with RAS world coordinates turned into LPS ones (or back): x and y change sign on
	 * both sides. Only signs change, so converting twice gives back exactly the same numbers.
	 */
	public CentredAffine flipRasLps() {
		final double[] s = { -1, -1, 1 };
		final double[] a = new double[9];
		final double[] t = new double[3];
		final double[] c = new double[3];
		for (int r = 0; r < 3; r++) {
			for (int k = 0; k < 3; k++)
				a[3 * r + k] = s[r] * s[k] * matrix[3 * r + k];
			t[r] = s[r] * translation[r];
			c[r] = s[r] * centre[r];
		}
		return new CentredAffine(a, t, c);
	}

	/** True if the map leaves the z axis alone: a transform of the x-y plane (a 2D registration). */
	public boolean isInPlane() {
		return matrix[2] == 0 && matrix[5] == 0 && matrix[6] == 0 && matrix[7] == 0 && matrix[8] == 1 && translation[2] == 0;
	}

	/** Determinant of the matrix. */
	public double determinant() {
		return Geometry.determinant(toAffine());
	}

	@Override
	public boolean equals(final Object o) {
		return o instanceof CentredAffine c && Arrays.equals(matrix, c.matrix) && Arrays.equals(translation, c.translation)
				&& Arrays.equals(centre, c.centre);
	}

	@Override
	public int hashCode() {
		return Arrays.hashCode(matrix) * 31 * 31 + Arrays.hashCode(translation) * 31 + Arrays.hashCode(centre);
	}

	@Override
	public String toString() {
		return "CentredAffine(A=" + Arrays.toString(matrix) + ", t=" + Arrays.toString(translation) + ", c=" + Arrays.toString(centre) + ")";
	}
}
