package org.progressionprobe.features.change;

import java.util.Arrays;
import java.util.List;
import java.util.stream.IntStream;

import org.progressionprobe.volume.AffineTransform3D;
import org.progressionprobe.volume.Grid;
import org.progressionprobe.volume.Resampler;
import org.progressionprobe.volume.Volume;

/**
 * A displacement field on a grid: for every voxel centre x (world mm, RAS) a displacement u(x) in
 * world millimetres, so that x + u(x) is the corresponding point of the other scan (ITK's
 * direction: fixed world to moving world). Its three components are C-order [z][y][x] arrays.
 * <p>
 * Kept small and local to the change features; a shared {@code DisplacementField} in the volume
 * package should replace it when one exists.
 *
 * @param grid the grid the displacements are given on (the baseline's)
 * @param ux world x displacement (mm)
 * @param uy world y displacement (mm)
 * @param uz world z displacement (mm)
 */
public record VectorField(Grid grid, float[] ux, float[] uy, float[] uz) {

	public VectorField {
		final int n = grid.voxelCount();
		if (ux.length != n || uy.length != n || uz.length != n)
			throw new IllegalArgumentException("Each displacement component needs " + n + " values");
	}

	/** The zero field on a grid. */
	public static VectorField zeros(final Grid grid) {
		final int n = grid.voxelCount();
		return new VectorField(grid, new float[n], new float[n], new float[n]);
	}

	/**
	 * A field from displacements given in voxel units of the grid's index axes (what a registration
	 * computes internally): u_world = A u_index, A the linear part of the voxel-to-world matrix.
	 */
	public static VectorField fromIndexUnits(final Grid grid, final float[][] index) {
		final AffineTransform3D m = grid.voxelToWorld();
		final double[] a = linear(m);
		final int n = grid.voxelCount();
		final float[] x = new float[n], y = new float[n], z = new float[n];
		IntStream.range(0, n).parallel().forEach(i -> {
			final double dx = index[0][i], dy = index[1][i], dz = index[2][i];
			x[i] = (float) (a[0] * dx + a[1] * dy + a[2] * dz);
			y[i] = (float) (a[3] * dx + a[4] * dy + a[5] * dz);
			z[i] = (float) (a[6] * dx + a[7] * dy + a[8] * dz);
		});
		return new VectorField(grid, x, y, z);
	}

	/** The three components as volumes on the grid (sharing the arrays), e.g. for {@code NiftiWriter.writeVector}. */
	public List<Volume> components() {
		final int[] n = grid.size();
		final AffineTransform3D m = grid.voxelToWorld();
		return List.of(Volume.wrap(ux, n[0], n[1], n[2], m), Volume.wrap(uy, n[0], n[1], n[2], m), Volume.wrap(uz, n[0], n[1], n[2], m));
	}

	/** |u| in mm at every voxel. */
	public Volume magnitude() {
		final int[] n = grid.size();
		final float[] out = new float[grid.voxelCount()];
		IntStream.range(0, out.length).parallel().forEach(i -> out[i] = (float) Math.sqrt(ux[i] * ux[i] + uy[i] * uy[i] + uz[i] * uz[i]));
		return Volume.wrap(out, n[0], n[1], n[2], grid.voxelToWorld());
	}

	/**
	 * The Jacobian determinant of x -> x + u(x) in world coordinates: det(I + Du), with Du the
	 * world-space derivative obtained from index-space central differences (one-sided at the
	 * border) through the inverse of the voxel-to-world matrix, so anisotropic voxels and oblique
	 * grids are handled. Above 1 is local expansion, below 1 contraction, at or below 0 folding.
	 */
	public Volume jacobianDeterminant() {
		final int[] n = grid.size();
		final int nx = n[0], ny = n[1], nz = n[2];
		final double[] inv = linear(grid.voxelToWorld().inverse());
		final float[] out = new float[grid.voxelCount()];
		final float[][] c = { ux, uy, uz };
		IntStream.range(0, nz).parallel().forEach(z -> {
			final double[] di = new double[9]; // di[3*comp + axis] = d u_comp / d index_axis
			final double[] j = new double[9];
			for (int y = 0; y < ny; y++)
				for (int x = 0; x < nx; x++) {
					final int o = (z * ny + y) * nx + x;
					for (int comp = 0; comp < 3; comp++) {
						final float[] u = c[comp];
						di[3 * comp] = diff(u, o, x, nx, 1);
						di[3 * comp + 1] = diff(u, o, y, ny, nx);
						di[3 * comp + 2] = diff(u, o, z, nz, nx * ny);
					}
					// J = I + di * inv (world derivative = index derivative times d index / d world)
					for (int r = 0; r < 3; r++)
						for (int col = 0; col < 3; col++)
							j[3 * r + col] = (r == col ? 1 : 0) + di[3 * r] * inv[col] + di[3 * r + 1] * inv[3 + col] + di[3 * r + 2] * inv[6 + col];
					out[o] = (float) (j[0] * (j[4] * j[8] - j[5] * j[7]) - j[1] * (j[3] * j[8] - j[5] * j[6]) + j[2] * (j[3] * j[7] - j[4] * j[6]));
				}
		});
		return Volume.wrap(out, nx, ny, nz, grid.voxelToWorld());
	}

	/**
	 * Samples {@code source} (any grid, same world frame) at x + u(x) for every voxel x of this
	 * field's grid: the source brought onto this grid. Trilinear, {@code outside} beyond the source.
	 */
	public Volume warp(final Volume source, final float outside) {
		final int[] n = grid.size();
		final int nx = n[0], ny = n[1], nz = n[2];
		final AffineTransform3D v2w = grid.voxelToWorld();
		final AffineTransform3D w2s = source.worldToVoxel();
		final float[] src = source.data();
		final int sx = source.nx(), sy = source.ny(), sz = source.nz();
		final float[] out = new float[grid.voxelCount()];
		IntStream.range(0, nz).parallel().forEach(z -> {
			final double[] p = new double[3];
			for (int y = 0; y < ny; y++)
				for (int x = 0; x < nx; x++) {
					final int o = (z * ny + y) * nx + x;
					p[0] = x;
					p[1] = y;
					p[2] = z;
					v2w.apply(p, p);
					p[0] += ux[o];
					p[1] += uy[o];
					p[2] += uz[o];
					w2s.apply(p, p);
					out[o] = Resampler.linear(src, sx, sy, sz, p[0], p[1], p[2], outside);
				}
		});
		return Volume.wrap(out, nx, ny, nz, v2w);
	}

	/**
	 * The displacement of the map x -> y(x + u(x)), y = id + {@code after}: this field followed by
	 * another on the same grid (sampled trilinearly, clamped at the border). Composing a transform
	 * with its inverse gives the inverse-consistency error.
	 */
	public VectorField compose(final VectorField after) {
		if (!Arrays.equals(after.grid.size(), grid.size()) || !after.grid.voxelToWorld().equals(grid.voxelToWorld(), 1e-9))
			throw new IllegalArgumentException("Fields to compose must share one grid");
		final int[] n = grid.size();
		final double[] inv = linear(grid.voxelToWorld().inverse());
		final float[][] a = { ux, uy, uz }, b = { after.ux, after.uy, after.uz };
		final float[][] out = FieldOps.zeros(grid.voxelCount());
		IntStream.range(0, n[2]).parallel().forEach(z -> {
			final double[] s = new double[3];
			for (int y = 0; y < n[1]; y++)
				for (int x = 0; x < n[0]; x++) {
					final int o = (z * n[1] + y) * n[0] + x;
					final double wx = a[0][o], wy = a[1][o], wz = a[2][o];
					FieldOps.sample3(b, n[0], n[1], n[2], x + inv[0] * wx + inv[1] * wy + inv[2] * wz, y + inv[3] * wx + inv[4] * wy + inv[5] * wz,
							z + inv[6] * wx + inv[7] * wy + inv[8] * wz, s);
					out[0][o] = (float) (wx + s[0]);
					out[1][o] = (float) (wy + s[1]);
					out[2][o] = (float) (wz + s[2]);
				}
		});
		return new VectorField(grid, out[0], out[1], out[2]);
	}

	/** Central difference along one index axis (one-sided at the ends, 0 on an axis of size 1). */
	private static double diff(final float[] u, final int o, final int i, final int n, final int stride) {
		if (n == 1)
			return 0;
		if (i == 0)
			return u[o + stride] - u[o];
		if (i == n - 1)
			return u[o] - u[o - stride];
		return 0.5 * (u[o + stride] - u[o - stride]);
	}

	/** The 3x3 linear part, row-major. */
	static double[] linear(final AffineTransform3D m) {
		return new double[] { m.get(0, 0), m.get(0, 1), m.get(0, 2), m.get(1, 0), m.get(1, 1), m.get(1, 2), m.get(2, 0), m.get(2, 1),
				m.get(2, 2) };
	}
}
