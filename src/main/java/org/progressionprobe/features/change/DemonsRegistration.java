package org.progressionprobe.features.change;

import java.util.Arrays;
import java.util.stream.IntStream;

import org.progressionprobe.command.Progress;
import org.progressionprobe.volume.AffineTransform3D;
import org.progressionprobe.volume.DisplacementField;
import org.progressionprobe.volume.Geometry;
import org.progressionprobe.volume.GaussianSmoothing;
import org.progressionprobe.volume.Grid;
import org.progressionprobe.volume.Resampler;
import org.progressionprobe.volume.Volume;

/**
 * Deformable registration of a moving image onto a fixed image on the same grid: multi-resolution
 * log-domain diffeomorphic demons (Vercauteren et al. 2008). The transform is exp(v) of a
 * stationary velocity field v, computed by scaling and squaring, so it is smooth and invertible
 * with exp(-v) as its inverse. Each iteration takes a demons step on the sum of squared
 * differences with symmetric (ESM) forces, bounded by a maximum step length, smooths the step
 * ("fluid" regularisation), adds it to v (the first-order log-domain update) and smooths v
 * ("diffusion" regularisation). Forces are computed in world millimetres, so anisotropic and
 * oblique grids are handled.
 * <p>
 * Same inputs, same result, whatever the number of cores. Instances hold only settings and are
 * safe to share between threads.
 */
public final class DemonsRegistration {

	/**
	 * Registration settings.
	 *
	 * @param levels number of pyramid levels (each halves the resolution; fewer are used when the image is small)
	 * @param iterations iterations per level, coarsest first (one entry per level)
	 * @param fluidSigma Gaussian sigma for smoothing each step, in voxels of the level (0 = none)
	 * @param diffusionSigma Gaussian sigma for smoothing the velocity field, in voxels of the level (0 = none)
	 * @param maxStep largest step per iteration, in voxels of the level (the demons' sigma_x is twice this)
	 * @param biasSigmaMm Gaussian sigma, in mm, of the differential bias correction (0 = none): at every
	 *            iteration the warped moving image is multiplied by the ratio of the two images'
	 *            local means, so that a smooth intensity difference between the visits (a scanner's
	 *            bias field) is not mistaken for motion
	 */
	public record Settings(int levels, int[] iterations, double fluidSigma, double diffusionSigma, double maxStep, double biasSigmaMm) {

		public Settings {
			if (levels < 1)
				throw new IllegalArgumentException("levels must be at least 1, got " + levels);
			if (iterations.length != levels)
				throw new IllegalArgumentException("Give one iteration count per level (" + levels + "), got " + Arrays.toString(iterations));
			for (final int i : iterations)
				if (i < 0)
					throw new IllegalArgumentException("Iteration counts must be >= 0, got " + Arrays.toString(iterations));
			if (!(fluidSigma >= 0) || !(diffusionSigma >= 0))
				throw new IllegalArgumentException("Smoothing sigmas must be >= 0 voxels, got fluid " + fluidSigma + ", diffusion " + diffusionSigma);
			if (!(maxStep > 0))
				throw new IllegalArgumentException("max_step must be > 0 voxels, got " + maxStep);
			if (!(biasSigmaMm >= 0))
				throw new IllegalArgumentException("bias_sigma_mm must be >= 0 (0 = no bias correction), got " + biasSigmaMm);
			iterations = iterations.clone();
		}

		/** 3 levels, 60/40/20 iterations, fluid sigma 1, diffusion sigma 0.75, max step 1 voxel, bias correction at 8 mm. */
		public static Settings defaults() {
			return new Settings(3, new int[] { 60, 40, 20 }, 1.0, 0.75, 1.0, 8);
		}

		/** A copy with another bias-correction sigma (0 = none). */
		public Settings withBiasSigmaMm(final double sigmaMm) {
			return new Settings(levels, iterations, fluidSigma, diffusionSigma, maxStep, sigmaMm);
		}

		@Override
		public int[] iterations() {
			return iterations.clone();
		}

		@Override
		public boolean equals(final Object o) {
			return o instanceof Settings s && levels == s.levels && Arrays.equals(iterations, s.iterations) && fluidSigma == s.fluidSigma
					&& diffusionSigma == s.diffusionSigma && maxStep == s.maxStep
					&& biasSigmaMm == s.biasSigmaMm;
		}

		@Override
		public int hashCode() {
			return java.util.Objects.hash(levels, Arrays.hashCode(iterations), fluidSigma, diffusionSigma, maxStep, biasSigmaMm);
		}

		@Override
		public String toString() {
			return "levels=" + levels + " iterations=" + Arrays.toString(iterations) + " fluid_sigma=" + fluidSigma + " diffusion_sigma="
					+ diffusionSigma + " max_step=" + maxStep + " bias_sigma_mm=" + biasSigmaMm;
		}
	}

	/**
	 * The outcome of a registration.
	 *
	 * @param forward displacement of exp(v): fixed-world point x maps to moving-world point x + u(x)
	 * @param inverse displacement of exp(-v): the inverse map
	 * @param levelsUsed pyramid levels actually used
	 * @param initialMse mean squared intensity difference before registration (normalised intensities)
	 * @param finalMse the same after registration, at the finest level
	 */
	public record Result(DisplacementField forward, DisplacementField inverse, int levelsUsed, double initialMse, double finalMse) {}

	/**
	 * Voxels whose intensity difference is below this (in units of the normalised intensities,
	 * about 1 in tissue) get no force: without it, rounding noise in flat regions, divided by a
	 * near-zero gradient, would move them (ITK's IntensityDifferenceThreshold).
	 */
	public static final double DIFFERENCE_THRESHOLD = 1e-4;

	/** A level stops early when its mean squared difference fell by less than this fraction over {@link #WINDOW} iterations. */
	public static final double TOLERANCE = 1e-3;

	/** Voxels darker than this (in units of the foreground median) are left out of the bias estimate. */
	static final float BIAS_MASK_LEVEL = 0.1f;

	/** Iterations over which convergence is judged. */
	public static final int WINDOW = 5;

	private final Settings settings;
	private final Progress progress;

	public DemonsRegistration(final Settings settings, final Progress progress) {
		this.settings = settings;
		this.progress = progress;
	}

	public Settings settings() {
		return settings;
	}

	/** Registers {@code moving} onto {@code fixed}; both must lie on the same grid. */
	public Result register(final Volume fixed, final Volume moving) {
		if (!fixed.sameGrid(moving))
			throw new IllegalArgumentException("Demons registration needs both images on one grid: " + fixed + " vs " + moving);
		final Grid full = Grid.of(fixed);
		final int levels = usableLevels(full, settings.levels());
		final int[] iterations = settings.iterations();
		final long total = Arrays.stream(iterations, settings.levels() - levels, settings.levels()).sum();
		long done = 0;
		float[][] v = null;
		Grid previous = null;
		final double initialMse = meanSquaredDifference(fixed.data(), moving.data());
		double mse = Double.NaN;
		for (int level = levels - 1; level >= 0; level--) {
			final Grid g = levelGrid(full, level);
			final Volume f = downsample(fixed, g, level);
			final Volume m = downsample(moving, g, level);
			v = v == null ? FieldOps.zeros(g.voxelCount()) : transfer(v, previous, g);
			previous = g;
			final Level lv = new Level(g, f.data(), m.data());
			final int its = iterations[settings.levels() - 1 - level];
			final double[] history = new double[its];
			for (int it = 0; it < its; it++) {
				progress.checkCancelled();
				history[it] = lv.step(v);
				progress.report("Deformable registration", ++done, total);
				if (it >= WINDOW && history[it] >= (1 - TOLERANCE) * history[it - WINDOW])
					break;
			}
			done = doneBefore(iterations, settings.levels() - levels, settings.levels() - level);
			if (level == 0)
				mse = meanSquaredDifference(fixed.data(), lv.warp(FieldOps.exp(v, lv.n)));
		}
		final int[] n = full.size();
		final DisplacementField forward = DisplacementField.fromIndexUnits(full, FieldOps.exp(v, n));
		final DisplacementField inverse = DisplacementField.fromIndexUnits(full, FieldOps.exp(FieldOps.negate(v), n));
		return new Result(forward, inverse, levels, initialMse, mse);
	}

	private static long doneBefore(final int[] iterations, final int from, final int to) {
		long s = 0;
		for (int i = from; i < to; i++)
			s += iterations[i];
		return s;
	}

	/** Levels that keep at least 8 voxels along every axis of size >= 8 (at least one). */
	static int usableLevels(final Grid full, final int wanted) {
		int levels = 1;
		while (levels < wanted) {
			final int[] s = levelGrid(full, levels).size();
			final int[] f = full.size();
			boolean ok = true;
			for (int d = 0; d < 3; d++)
				if (f[d] >= 8 && s[d] < 8)
					ok = false;
			if (!ok)
				break;
			levels++;
		}
		return levels;
	}

	/**
	 * The grid of a pyramid level: voxels 2^level times the finest spacing along each axis (axes
	 * already coarser than that are coarsened less, so coarse levels become near-isotropic).
	 */
	static Grid levelGrid(final Grid full, final int level) {
		if (level == 0)
			return full;
		return full.coarsened(factors(full, level));
	}

	private static double[] factors(final Grid full, final int level) {
		final double[] vs = full.voxelSize();
		final double min = Math.min(vs[0], Math.min(vs[1], vs[2]));
		final double[] f = new double[3];
		for (int d = 0; d < 3; d++)
			f[d] = full.size()[d] == 1 ? 1 : Math.max(1, Math.pow(2, level) * min / vs[d]);
		return f;
	}

	/** Anti-aliased image at a level: Gaussian of 0.5 level voxel (per axis), then trilinear sampling. */
	private static Volume downsample(final Volume image, final Grid g, final int level) {
		if (level == 0)
			return image;
		final double[] f = factors(Grid.of(image), level);
		final double[] sigma = new double[3];
		for (int d = 0; d < 3; d++)
			sigma[d] = f[d] > 1 ? 0.5 * f[d] : 0;
		final Volume s = image.copy();
		GaussianSmoothing.smooth(s.data(), s.size(), sigma);
		return Resampler.linear().resample(s, g);
	}

	/** A velocity field in index units of {@code from}, carried to index units of {@code to} (same world frame). */
	private static float[][] transfer(final float[][] v, final Grid from, final Grid to) {
		final int[] a = from.size(), b = to.size();
		final AffineTransform3D toFrom = from.voxelToWorld().inverse().concatenate(to.voxelToWorld());
		// index units of 'from' -> world -> index units of 'to'
		final double[] c = Geometry.linearPart(to.voxelToWorld().inverse().concatenate(from.voxelToWorld()));
		final float[][] out = FieldOps.zeros(to.voxelCount());
		IntStream.range(0, b[2]).parallel().forEach(z -> {
			final double[] p = new double[3], s = new double[3];
			for (int y = 0; y < b[1]; y++)
				for (int x = 0; x < b[0]; x++) {
					final int o = (z * b[1] + y) * b[0] + x;
					p[0] = x;
					p[1] = y;
					p[2] = z;
					toFrom.apply(p, p);
					FieldOps.sample3(v, a[0], a[1], a[2], p[0], p[1], p[2], s);
					out[0][o] = (float) (c[0] * s[0] + c[1] * s[1] + c[2] * s[2]);
					out[1][o] = (float) (c[3] * s[0] + c[4] * s[1] + c[5] * s[2]);
					out[2][o] = (float) (c[6] * s[0] + c[7] * s[1] + c[8] * s[2]);
				}
		});
		return out;
	}

	/** One pyramid level: images, the fixed image's gradient, and the demons step. */
	private final class Level {
		final int[] n;
		final float[] fixed, moving;
		final float[][] fixedGradient;
		final double[] inv; // index <- world, linear part
		final double sigmaX; // mm
		final double[] fluid, diffusion, bias; // sigma in voxels per axis
		final double gradientFloor; // (intensity / mm)^2

		Level(final Grid g, final float[] fixed, final float[] moving) {
			this.n = g.size();
			this.fixed = fixed;
			this.moving = moving;
			this.inv = Geometry.linearPart(g.voxelToWorld().inverse());
			final double[] vs = g.voxelSize();
			final double min = Math.min(vs[0], Math.min(vs[1], vs[2]));
			this.sigmaX = 2 * settings.maxStep() * min;
			this.fluid = new double[3];
			this.diffusion = new double[3];
			this.bias = new double[3];
			for (int d = 0; d < 3; d++) {
				fluid[d] = settings.fluidSigma() * min / vs[d];
				diffusion[d] = settings.diffusionSigma() * min / vs[d];
				bias[d] = settings.biasSigmaMm() / vs[d];
			}
			this.fixedGradient = gradient(fixed);
			this.gradientFloor = gradientFloor();
		}

		/**
		 * The squared gradient magnitude that noise alone gives: its median over the fixed image's
		 * bright voxels, most of which lie inside flat tissue. Added to the demons' denominator, it
		 * keeps noise in flat regions from driving the field (whose step would otherwise be about
		 * sigma_x whatever the noise level), and leaves the forces at edges nearly unchanged.
		 */
		private double gradientFloor() {
			final float[] g2 = new float[fixed.length];
			int k = 0;
			for (int o = 0; o < fixed.length; o++)
				if (fixed[o] > BIAS_MASK_LEVEL)
					g2[k++] = fixedGradient[0][o] * fixedGradient[0][o] + fixedGradient[1][o] * fixedGradient[1][o]
							+ fixedGradient[2][o] * fixedGradient[2][o];
			if (k == 0)
				return 0;
			final float[] a = Arrays.copyOf(g2, k);
			Arrays.sort(a);
			return a[k / 2];
		}

		/** One demons iteration on v (updated in place); returns the mean squared difference before the step. */
		double step(final float[][] v) {
			final float[][] u = FieldOps.exp(v, n);
			final float[] warped = warp(u);
			if (settings.biasSigmaMm() > 0)
				correctBias(warped);
			final float[][] wg = gradient(warped);
			final int nx = n[0], ny = n[1], nz = n[2];
			final float[][] update = FieldOps.zeros(fixed.length);
			final double[] sse = new double[nz];
			final double inv2 = 1 / (sigmaX * sigmaX);
			IntStream.range(0, nz).parallel().forEach(z -> {
				double sum = 0;
				for (int o = z * nx * ny; o < (z + 1) * nx * ny; o++) {
					final double diff = fixed[o] - warped[o];
					sum += diff * diff;
					final double jx = 0.5 * (fixedGradient[0][o] + wg[0][o]);
					final double jy = 0.5 * (fixedGradient[1][o] + wg[1][o]);
					final double jz = 0.5 * (fixedGradient[2][o] + wg[2][o]);
					final double denom = jx * jx + jy * jy + jz * jz + diff * diff * inv2 + gradientFloor;
					if (denom < 1e-12 || Math.abs(diff) < DIFFERENCE_THRESHOLD)
						continue;
					final double k = diff / denom;
					final double wx = k * jx, wy = k * jy, wz = k * jz; // world mm
					update[0][o] = (float) (inv[0] * wx + inv[1] * wy + inv[2] * wz);
					update[1][o] = (float) (inv[3] * wx + inv[4] * wy + inv[5] * wz);
					update[2][o] = (float) (inv[6] * wx + inv[7] * wy + inv[8] * wz);
				}
				sse[z] = sum;
			});
			if (settings.fluidSigma() > 0)
				FieldOps.smooth(update, n, fluid);
			for (int c = 0; c < 3; c++) {
				final float[] vc = v[c], uc = update[c];
				IntStream.range(0, vc.length).parallel().forEach(i -> vc[i] += uc[i]);
			}
			if (settings.diffusionSigma() > 0)
				FieldOps.smooth(v, n, diffusion);
			return Arrays.stream(sse).sum() / fixed.length;
		}

		/**
		 * Differential bias correction: multiplies the warped moving image by G(fixed w) / G(warped w),
		 * local means (Gaussian of {@code biasSigmaMm}) over the voxels w where both images are above
		 * a tenth of their normalised level, clamped to [0.5, 2].
		 */
		void correctBias(final float[] warped) {
			final float[] f = new float[fixed.length], m = new float[fixed.length];
			for (int i = 0; i < f.length; i++)
				if (fixed[i] > BIAS_MASK_LEVEL && warped[i] > BIAS_MASK_LEVEL) {
					f[i] = fixed[i];
					m[i] = warped[i];
				}
			GaussianSmoothing.smooth(f, n, bias);
			GaussianSmoothing.smooth(m, n, bias);
			IntStream.range(0, f.length).parallel().forEach(i -> {
				if (m[i] > 1e-6f && f[i] > 1e-6f)
					warped[i] *= Math.max(0.5f, Math.min(2f, f[i] / m[i]));
			});
		}

		/** The moving image sampled at x + u(x) (index units), clamped at the border. */
		float[] warp(final float[][] u) {
			final int nx = n[0], ny = n[1], nz = n[2];
			final float[] out = new float[moving.length];
			IntStream.range(0, nz).parallel().forEach(z -> {
				for (int y = 0; y < ny; y++)
					for (int x = 0; x < nx; x++) {
						final int o = (z * ny + y) * nx + x;
						out[o] = FieldOps.sample(moving, nx, ny, nz, x + u[0][o], y + u[1][o], z + u[2][o]);
					}
			});
			return out;
		}

		/** World-space gradient (per mm) of an image by central differences: g_world = A^-T g_index. */
		float[][] gradient(final float[] a) {
			final int nx = n[0], ny = n[1], nz = n[2];
			final float[][] g = FieldOps.zeros(a.length);
			IntStream.range(0, nz).parallel().forEach(z -> {
				for (int y = 0; y < ny; y++)
					for (int x = 0; x < nx; x++) {
						final int o = (z * ny + y) * nx + x;
						final double gi = central(a, o, x, nx, 1), gj = central(a, o, y, ny, nx), gk = central(a, o, z, nz, nx * ny);
						g[0][o] = (float) (inv[0] * gi + inv[3] * gj + inv[6] * gk);
						g[1][o] = (float) (inv[1] * gi + inv[4] * gj + inv[7] * gk);
						g[2][o] = (float) (inv[2] * gi + inv[5] * gj + inv[8] * gk);
					}
			});
			return g;
		}
	}

	private static double meanSquaredDifference(final float[] a, final float[] b) {
		double s = 0;
		for (int i = 0; i < a.length; i++)
			s += (a[i] - b[i]) * (double) (a[i] - b[i]);
		return s / a.length;
	}

	private static double central(final float[] a, final int o, final int i, final int n, final int stride) {
		if (n == 1)
			return 0;
		if (i == 0)
			return a[o + stride] - a[o];
		if (i == n - 1)
			return a[o] - a[o - stride];
		return 0.5 * (a[o + stride] - a[o - stride]);
	}
}
