package org.progressionprobe.volume;


/**
 * Helpers for voxel-to-world matrices: voxel sizes, orientation codes, and the RAS/LPS flip that
 * converts between NIfTI's world convention (RAS) and ITK's and DICOM's (LPS).
 */
public final class Geometry {

	private Geometry() {}

	/** diag(-1, -1, 1): maps RAS coordinates to LPS and back. */
	public static AffineTransform3D rasToLps() {
		return AffineTransform3D.of(-1, 0, 0, 0, 0, -1, 0, 0, 0, 0, 1, 0);
	}

	/** The same spatial map expressed with LPS world coordinates on both sides where RAS was used. */
	public static AffineTransform3D flipWorld(final AffineTransform3D worldToWorld) {
		final AffineTransform3D f = rasToLps();
		final AffineTransform3D out = f.copy();
		out.concatenate(worldToWorld);
		out.concatenate(f);
		return out;
	}

	/** A voxel-to-world matrix with RAS on the world side turned into one with LPS, or back. */
	public static AffineTransform3D flipWorldSide(final AffineTransform3D voxelToWorld) {
		final AffineTransform3D out = rasToLps();
		out.concatenate(voxelToWorld);
		return out;
	}

	/** A diagonal voxel-to-world matrix with the given spacing and origin (world of voxel 0). */
	public static AffineTransform3D scaling(final double[] spacing, final double[] origin) {
		return AffineTransform3D.of(spacing[0], 0, 0, origin[0], 0, spacing[1], 0, origin[1], 0, 0, spacing[2], origin[2]);
	}

	/** Lengths of the three columns of the linear part. */
	public static double[] voxelSize(final AffineTransform3D m) {
		final double[] s = new double[3];
		for (int c = 0; c < 3; c++) {
			double sum = 0;
			for (int r = 0; r < 3; r++)
				sum += m.get(r, c) * m.get(r, c);
			s[c] = Math.sqrt(sum);
		}
		return s;
	}

	/** Axis codes, as nibabel's aff2axcodes: for each index axis, the world axis it mostly follows and its sign. */
	public static String orientation(final AffineTransform3D m) {
		final char[][] codes = { { 'L', 'R' }, { 'P', 'A' }, { 'I', 'S' } };
		final boolean[] used = new boolean[3];
		final StringBuilder sb = new StringBuilder();
		final double[] vs = voxelSize(m);
		for (int c = 0; c < 3; c++) {
			int best = -1;
			double bestAbs = -1;
			for (int r = 0; r < 3; r++) {
				final double a = Math.abs(m.get(r, c)) / (vs[c] == 0 ? 1 : vs[c]);
				if (!used[r] && a > bestAbs) {
					bestAbs = a;
					best = r;
				}
			}
			used[best] = true;
			sb.append(codes[best][m.get(best, c) >= 0 ? 1 : 0]);
		}
		return sb.toString();
	}

	/** Throws if the linear part is singular or not finite. */
	public static void requireInvertible(final AffineTransform3D m, final String what) {
		for (int r = 0; r < 3; r++)
			for (int c = 0; c < 4; c++)
				if (!Double.isFinite(m.get(r, c)))
					throw new IllegalArgumentException("The " + what + " has a non-finite entry: " + format(m));
		if (Math.abs(determinant(m)) < 1e-12)
			throw new IllegalArgumentException("The " + what + " is singular: " + format(m));
	}

	/** The 3x3 linear part, row-major. */
	public static double[] linearPart(final AffineTransform3D m) {
		return new double[] { m.get(0, 0), m.get(0, 1), m.get(0, 2), m.get(1, 0), m.get(1, 1), m.get(1, 2), m.get(2, 0), m.get(2, 1),
				m.get(2, 2) };
	}

	/** Determinant of the linear part. */
	public static double determinant(final AffineTransform3D m) {
		return m.get(0, 0) * (m.get(1, 1) * m.get(2, 2) - m.get(1, 2) * m.get(2, 1))
				- m.get(0, 1) * (m.get(1, 0) * m.get(2, 2) - m.get(1, 2) * m.get(2, 0))
				+ m.get(0, 2) * (m.get(1, 0) * m.get(2, 1) - m.get(1, 1) * m.get(2, 0));
	}

	/** The 3x4 matrix as text, rows separated by semicolons. */
	public static String format(final AffineTransform3D m) {
		final StringBuilder sb = new StringBuilder("[");
		for (int r = 0; r < 3; r++) {
			if (r > 0)
				sb.append("; ");
			for (int c = 0; c < 4; c++)
				sb.append(c > 0 ? " " : "").append(String.format("%.6g", m.get(r, c)));
		}
		return sb.append("]").toString();
	}

	/** World coordinates of the centre of a volume's grid. */
	public static double[] gridCentre(final Volume v) {
		final double[] idx = { (v.nx() - 1) / 2.0, (v.ny() - 1) / 2.0, (v.nz() - 1) / 2.0 };
		final double[] w = new double[3];
		v.voxelToWorld().apply(idx, w);
		return w;
	}
}
