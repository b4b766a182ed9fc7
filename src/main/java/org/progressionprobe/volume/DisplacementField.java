package org.progressionprobe.volume;

import java.util.List;
import java.util.stream.IntStream;

/**
 * A dense spatial transform {@code T(p) = p + u(p)} given by its displacement u in world millimetres
 * (RAS), sampled at the voxel centres of a grid: three component volumes (x, y, z). Between voxel
 * centres u is trilinear; outside the grid it is zero (T is the identity there), so a field should
 * fall to zero towards its border.
 * <p>
 * Like an affine registration result, a field is used in the pull direction: {@link #warp} gives
 * {@code out(p) = source(T(p))} for every voxel centre p of the field's grid. A registration that
 * maps fixed-world points to moving-world points is a field on the fixed grid; a simulated
 * deformation that says where each follow-up point was at baseline is a field on the follow-up grid.
 * Fields compose ({@link #andThen}), integrate as stationary velocity fields ({@link #exponential}),
 * give their Jacobian determinant (local volume change); {@code io.DisplacementFieldFiles} reads and
 * writes them as NIfTI vector volumes.
 */
public final class DisplacementField {

	private final Volume x, y, z;
	private final Grid grid;
	private final int nx, ny, nz;
	/** world -> voxel of the grid. */
	private final AffineTransform3D toVoxel;
	private final double[] w2v;
	private final float[] ux, uy, uz;

	/** A field from its three component volumes (world mm), which must share one grid; not copied. */
	public DisplacementField(final Volume x, final Volume y, final Volume z) {
		if (!x.sameGrid(y) || !x.sameGrid(z))
			throw new IllegalArgumentException("The three components of a displacement field must share one grid");
		this.x = x;
		this.y = y;
		this.z = z;
		this.grid = Grid.of(x);
		this.nx = x.nx();
		this.ny = x.ny();
		this.nz = x.nz();
		this.toVoxel = x.worldToVoxel();
		this.w2v = toVoxel.getRowPackedCopy();
		this.ux = x.data();
		this.uy = y.data();
		this.uz = z.data();
	}

	/** The identity on a grid. */
	public static DisplacementField zeros(final Grid grid) {
		final int[] n = grid.size();
		final AffineTransform3D m = grid.voxelToWorld();
		return new DisplacementField(Volume.zeros(n[0], n[1], n[2], m), Volume.zeros(n[0], n[1], n[2], m), Volume.zeros(n[0], n[1], n[2], m));
	}

	/** The field of an affine transform on a grid: {@code u(p) = A p - p}. */
	public static DisplacementField of(final Grid grid, final AffineTransform3D transform) {
		final DisplacementField f = zeros(grid);
		final AffineTransform3D v2w = grid.voxelToWorld();
		f.fill((i, j, k, p, out) -> {
			transform.apply(p, out);
			out[0] -= p[0];
			out[1] -= p[1];
			out[2] -= p[2];
		}, v2w);
		return f;
	}

	/**
	 * A field from displacements in voxel units of the grid's index axes (what a registration that
	 * works on the voxel grid computes): u_world = A u_index, A the linear part of the voxel-to-world
	 * matrix. {@code index} holds the x, y, z index components as C-order [z][y][x] arrays.
	 */
	public static DisplacementField fromIndexUnits(final Grid grid, final float[][] index) {
		final DisplacementField f = zeros(grid);
		final double[] a = Geometry.linearPart(grid.voxelToWorld());
		IntStream.range(0, grid.voxelCount()).parallel().forEach(i -> {
			final double dx = index[0][i], dy = index[1][i], dz = index[2][i];
			f.ux[i] = (float) (a[0] * dx + a[1] * dy + a[2] * dz);
			f.uy[i] = (float) (a[3] * dx + a[4] * dy + a[5] * dz);
			f.uz[i] = (float) (a[6] * dx + a[7] * dy + a[8] * dz);
		});
		return f;
	}

	public Grid grid() {
		return grid;
	}

	/** Displacement along world x (mm); the backing volume, not a copy. */
	public Volume x() {
		return x;
	}

	public Volume y() {
		return y;
	}

	public Volume z() {
		return z;
	}

	/** The components x, y, z (backing volumes), as a NIfTI vector volume holds them. */
	public List<Volume> toVolumes() {
		return List.of(x, y, z);
	}

	/** The displacement u(p) at a world point (trilinear, zero outside the grid). */
	public void displacement(final double[] p, final double[] out) {
		final double[] m = w2v;
		final double px = p[0], py = p[1], pz = p[2];
		sample(m[0] * px + m[1] * py + m[2] * pz + m[3], m[4] * px + m[5] * py + m[6] * pz + m[7], m[8] * px + m[9] * py + m[10] * pz + m[11], out);
	}

	/** The transformed point {@code T(p) = p + u(p)}; {@code out} may be {@code p}. */
	public void apply(final double[] p, final double[] out) {
		final double px = p[0], py = p[1], pz = p[2];
		displacement(p, out);
		out[0] += px;
		out[1] += py;
		out[2] += pz;
	}

	/**
	 * The displacement at a continuous voxel position (i, j, k) of this field's grid: trilinear,
	 * zero beyond the outermost voxel centres. Cheaper than {@link #displacement} when the caller
	 * already works in the field's voxel coordinates.
	 */
	public void displacementAtVoxel(final double i, final double j, final double k, final double[] out) {
		sample(i, j, k, out);
	}

	private void sample(final double vx, final double vy, final double vz, final double[] out) {
		final double e = 1e-6;
		if (!(vx >= -e && vy >= -e && vz >= -e && vx <= nx - 1 + e && vy <= ny - 1 + e && vz <= nz - 1 + e)) {
			out[0] = out[1] = out[2] = 0;
			return;
		}
		final int x0 = clamp((int) Math.floor(vx), nx), y0 = clamp((int) Math.floor(vy), ny), z0 = clamp((int) Math.floor(vz), nz);
		final double fx = nx == 1 ? 0 : vx - x0, fy = ny == 1 ? 0 : vy - y0, fz = nz == 1 ? 0 : vz - z0;
		final int dx = nx == 1 ? 0 : 1, dy = ny == 1 ? 0 : nx, dz = nz == 1 ? 0 : nx * ny;
		final int i = (z0 * ny + y0) * nx + x0;
		final double w000 = (1 - fx) * (1 - fy) * (1 - fz), w100 = fx * (1 - fy) * (1 - fz), w010 = (1 - fx) * fy * (1 - fz),
				w110 = fx * fy * (1 - fz), w001 = (1 - fx) * (1 - fy) * fz, w101 = fx * (1 - fy) * fz, w011 = (1 - fx) * fy * fz,
				w111 = fx * fy * fz;
		out[0] = interpolate(ux, i, dx, dy, dz, w000, w100, w010, w110, w001, w101, w011, w111);
		out[1] = interpolate(uy, i, dx, dy, dz, w000, w100, w010, w110, w001, w101, w011, w111);
		out[2] = interpolate(uz, i, dx, dy, dz, w000, w100, w010, w110, w001, w101, w011, w111);
	}

	private static double interpolate(final float[] a, final int i, final int dx, final int dy, final int dz, final double w000,
			final double w100, final double w010, final double w110, final double w001, final double w101, final double w011, final double w111) {
		return w000 * a[i] + w100 * a[i + dx] + w010 * a[i + dy] + w110 * a[i + dy + dx] + w001 * a[i + dz] + w101 * a[i + dz + dx]
				+ w011 * a[i + dz + dy] + w111 * a[i + dz + dy + dx];
	}

	private static int clamp(final int i, final int n) {
		return Math.max(0, Math.min(i, n < 2 ? 0 : n - 2));
	}

	/**
	 * Samples {@code source} at {@code T(p)} for every voxel centre p of this field's grid; the source
	 * may lie on any grid (world coordinates link them). Points outside the source give 0.
	 */
	public Volume warp(final Volume source, final Resampler.Interpolation interpolation) {
		return warp(source, interpolation, 0f);
	}

	/** As {@link #warp(Volume, Resampler.Interpolation)} with the given value outside the source. */
	public Volume warp(final Volume source, final Resampler.Interpolation interpolation, final float outside) {
		return warp(source, grid, new AffineTransform3D(), interpolation, outside);
	}

	/**
	 * Samples {@code source} on any target grid through an affine transform followed by this field:
	 * for every target voxel centre y (world), {@code out(y) = source(T(first(y)))}. This is how a
	 * deformable registration refined after an affine one is applied (first: target world to this
	 * field's world), with a single interpolation of the source.
	 */
	public Volume warp(final Volume source, final Grid target, final AffineTransform3D first, final Resampler.Interpolation interpolation,
			final float outside) {
		final int[] n = target.size();
		final Volume out = Volume.zeros(n[0], n[1], n[2], target.voxelToWorld());
		final float[] dst = out.data(), src = source.data();
		final int sx = source.nx(), sy = source.ny(), sz = source.nz();
		final AffineTransform3D toSource = source.worldToVoxel();
		final AffineTransform3D step = first.copy().concatenate(target.voxelToWorld());
		IntStream.range(0, n[2]).parallel().forEach(k -> {
			final double[] p = new double[3], q = new double[3];
			for (int j = 0; j < n[1]; j++)
				for (int i = 0; i < n[0]; i++) {
					p[0] = i;
					p[1] = j;
					p[2] = k;
					step.apply(p, p);
					apply(p, p);
					toSource.apply(p, q);
					dst[(k * n[1] + j) * n[0] + i] = interpolation == Resampler.Interpolation.LINEAR
							? Resampler.linear(src, sx, sy, sz, q[0], q[1], q[2], outside)
							: Resampler.nearest(src, sx, sy, sz, q[0], q[1], q[2], outside);
				}
		});
		return out;
	}

	/**
	 * The composition "this, then {@code next}" on this field's grid: {@code p -> next(this(p))}.
	 * Pulling an image through the result equals pulling it through {@code next} and then through
	 * this field, with a single interpolation of the image.
	 */
	public DisplacementField andThen(final DisplacementField next) {
		final DisplacementField out = zeros(grid);
		out.fill((i, j, k, p, d) -> {
			final int o = (k * ny + j) * nx + i;
			final double[] q = { p[0] + ux[o], p[1] + uy[o], p[2] + uz[o] };
			next.displacement(q, d);
			d[0] += ux[o];
			d[1] += uy[o];
			d[2] += uz[o];
		}, grid.voxelToWorld());
		return out;
	}

	/** This field resampled onto another grid (zero where it is not defined), e.g. a crop's field embedded in a full grid. */
	public DisplacementField onGrid(final Grid target) {
		final DisplacementField out = zeros(target);
		out.fill((i, j, k, p, d) -> displacement(p, d), target.voxelToWorld());
		return out;
	}

	/** The field with every displacement multiplied by {@code factor}. */
	public DisplacementField scaled(final double factor) {
		final DisplacementField out = zeros(grid);
		final float[][] a = { x.data(), y.data(), z.data() }, b = { out.x.data(), out.y.data(), out.z.data() };
		for (int c = 0; c < 3; c++)
			for (int i = 0; i < a[c].length; i++)
				b[c][i] = (float) (a[c][i] * factor);
		return out;
	}

	/** The displacement length |u| in mm at every voxel centre. */
	public Volume magnitude() {
		final float[] out = new float[ux.length];
		IntStream.range(0, out.length).parallel()
				.forEach(i -> out[i] = (float) Math.sqrt((double) ux[i] * ux[i] + (double) uy[i] * uy[i] + (double) uz[i] * uz[i]));
		return Volume.wrap(out, nx, ny, nz, grid.voxelToWorld());
	}

	/** The largest displacement length in mm. */
	public double maxNorm() {
		double max = 0;
		for (int i = 0; i < ux.length; i++)
			max = Math.max(max, (double) ux[i] * ux[i] + (double) uy[i] * uy[i] + (double) uz[i] * uz[i]);
		return Math.sqrt(max);
	}

	/**
	 * Treats this field as a stationary velocity field v (mm per unit time) and returns the
	 * transform its flow reaches at time 1, {@code exp(v)}, by scaling and squaring: v / 2^N is
	 * composed with itself N times, with N chosen so the first step moves less than a quarter voxel.
	 * The result is a diffeomorphism for any smooth v, and {@code exp(-v)} is its inverse.
	 */
	public DisplacementField exponential() {
		final double minVoxel = Math.min(Math.min(grid.voxelSize()[0], grid.voxelSize()[1]), grid.voxelSize()[2]);
		final double max = maxNorm();
		int n = 4;
		while (max / (1L << n) > 0.25 * minVoxel && n < 30)
			n++;
		DisplacementField u = scaled(1.0 / (1L << n));
		for (int s = 0; s < n; s++)
			u = u.andThen(u);
		return u;
	}

	/**
	 * The Jacobian determinant of T at every voxel centre, {@code det(I + du/dp)}: the local volume
	 * ratio (below 1 where T contracts, at or below 0 where it folds). Derivatives are central
	 * differences, one-sided at the grid's faces, taken along the voxel axes and converted to world
	 * millimetres through the grid's matrix.
	 */
	public Volume jacobianDeterminant() {
		final Volume out = Volume.zeros(nx, ny, nz, grid.voxelToWorld());
		final float[] dst = out.data();
		final float[][] u = { x.data(), y.data(), z.data() };
		// du/dp = du/di * di/dp, di/dp = linear part of world -> voxel
		final double[][] inv = new double[3][3];
		for (int r = 0; r < 3; r++)
			for (int c = 0; c < 3; c++)
				inv[r][c] = toVoxel.get(r, c);
		final int[] n = { nx, ny, nz };
		final int[] stride = { 1, nx, nx * ny };
		IntStream.range(0, nz).parallel().forEach(k -> {
			final double[][] di = new double[3][3]; // di[c][a] = d u_c / d index_a
			final int[] idx = new int[3];
			idx[2] = k;
			for (int j = 0; j < ny; j++) {
				idx[1] = j;
				for (int i = 0; i < nx; i++) {
					idx[0] = i;
					final int o = (k * ny + j) * nx + i;
					for (int a = 0; a < 3; a++) {
						final int lo = idx[a] > 0 ? o - stride[a] : o, hi = idx[a] < n[a] - 1 ? o + stride[a] : o;
						final double h = (hi - lo) / (double) stride[a];
						for (int c = 0; c < 3; c++)
							di[c][a] = h == 0 ? 0 : (u[c][hi] - u[c][lo]) / h;
					}
					final double[][] m = new double[3][3];
					for (int c = 0; c < 3; c++)
						for (int b = 0; b < 3; b++)
							m[c][b] = (c == b ? 1 : 0) + di[c][0] * inv[0][b] + di[c][1] * inv[1][b] + di[c][2] * inv[2][b];
					dst[o] = (float) (m[0][0] * (m[1][1] * m[2][2] - m[1][2] * m[2][1]) - m[0][1] * (m[1][0] * m[2][2] - m[1][2] * m[2][0])
							+ m[0][2] * (m[1][0] * m[2][1] - m[1][1] * m[2][0]));
				}
			}
		});
		return out;
	}

	/** Computes a displacement per voxel from the voxel's indices and world position. */
	@FunctionalInterface
	private interface VoxelRule {
		void compute(int i, int j, int k, double[] world, double[] displacement);
	}

	private void fill(final VoxelRule rule, final AffineTransform3D v2w) {
		IntStream.range(0, nz).parallel().forEach(k -> {
			final double[] p = new double[3], d = new double[3];
			for (int j = 0; j < ny; j++)
				for (int i = 0; i < nx; i++) {
					p[0] = i;
					p[1] = j;
					p[2] = k;
					v2w.apply(p, p);
					rule.compute(i, j, k, p, d);
					final int o = (k * ny + j) * nx + i;
					ux[o] = (float) d[0];
					uy[o] = (float) d[1];
					uz[o] = (float) d[2];
				}
		});
	}
}
