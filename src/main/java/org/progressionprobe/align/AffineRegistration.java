package org.progressionprobe.align;

import java.util.ArrayList;
import java.util.List;

import org.progressionprobe.align.RegistrationSettings.Init;
import org.progressionprobe.align.RegistrationSettings.TransformType;
import org.progressionprobe.command.Progress;
import org.progressionprobe.volume.AffineTransform3D;
import org.progressionprobe.volume.Geometry;
import org.progressionprobe.volume.Grid;
import org.progressionprobe.volume.Resampler;
import org.progressionprobe.volume.Volume;

/**
 * Intensity-based affine registration of a moving image onto a fixed image, in 3D or 2D (a volume
 * with one slice: then only in-plane parameters move). The result maps fixed-world points to
 * moving-world points.
 * <p>
 * Method: the transform starts from the chosen initialisation (grid centres, centres of mass, or
 * centres of mass and principal axes) and is refined coarse to fine on a pyramid defined in mm
 * ({@link Pyramid}); at each level a limited-memory BFGS optimiser ({@link Lbfgs}) minimises minus
 * the metric ({@link MetricEvaluator}: normalised cross-correlation, or Mattes mutual information)
 * with its analytic gradient, on the level's voxels or a seeded random subset of them. With
 * {@code staged}, the coarsest level first fits a translation, then a rigid transform, then the
 * final type. The parameters live in a frame centred at the centre of rotation and aligned with
 * the fixed image's axes, scaled so that rotations, matrix entries and translations all move
 * points by millimetres (see {@link TransformModel}).
 * <p>
 * Fixed samples keep two voxels away from the faces of the fixed grid ({@link SampleSet}). Mutual
 * information can favour shrinking a small object in a large empty field of view (its value grows
 * with the moving image's entropy over the overlap): for such images use NCC, a fixed mask, or a
 * rigid transform.
 * <p>
 * Bad input is refused with a message: images that do not overlap at the start, a constant image,
 * an empty mask, a 2D image against a 3D one. Voxels that are not finite (NaN, infinity) are
 * documented to be left out: they are masked out of the metric and set to 0 for smoothing.
 */
public final class AffineRegistration {

	/** Coarse levels keep at least this many voxels along every axis that has more. */
	private static final int MIN_LEVEL_VOXELS = 16;

	private final RegistrationSettings settings;
	private final Progress progress;

	public AffineRegistration(final RegistrationSettings settings, final Progress progress) {
		this.settings = settings;
		this.progress = progress;
	}

	/** Registers without masks. */
	public RegistrationResult register(final Volume fixed, final Volume moving) {
		return register(fixed, moving, null, null);
	}

	/**
	 * Registers {@code moving} onto {@code fixed}.
	 *
	 * @param fixedMask where the fixed image counts (nonzero), on any grid (resampled nearest onto the fixed grid), or null
	 * @param movingMask where the moving image counts, on any grid, or null
	 */
	public RegistrationResult register(final Volume fixed, final Volume moving, final Volume fixedMask, final Volume movingMask) {
		final boolean twoD = fixed.nz() == 1;
		if (twoD != (moving.nz() == 1))
			throw new IllegalArgumentException("Cannot register a " + (twoD ? "2D" : "3D") + " fixed image with a " + (twoD ? "3D" : "2D")
					+ " moving image: both must be 2D (one slice) or both 3D");
		final Prepared f = prepare(fixed, fixedMask, "fixed");
		final Prepared m = prepare(moving, movingMask, "moving");

		// frame: centre of rotation c and the fixed image's axis directions D
		final double[] d = directions(fixed.voxelToWorld());
		final Start start = start(f, m, d, twoD);
		final double[] c = start.centre;
		final AffineTransform3D toFrame = frameOf(c, d).inverse();

		final double[] spacings = Pyramid.spacings(fixed, settings.levels(), settings.finestSpacingMm(), MIN_LEVEL_VOXELS);
		progress.report("Registration: pyramid", 0, 1);
		final List<PyramidLevel> fp = Pyramid.build(f.image, f.mask, spacings, settings.smoothing());
		final List<PyramidLevel> mp = Pyramid.build(m.image, m.mask, spacings, settings.smoothing());

		double[] a = start.matrix, t = start.translation;
		final List<RegistrationResult.Stage> stages = new ArrayList<>();
		boolean converged = false;
		double similarity = Double.NaN;
		final double finest = spacings[spacings.length - 1];
		for (int l = 0; l < spacings.length; l++) {
			progress.checkCancelled();
			final SampleSet samples = SampleSet.of(fp.get(l), toFrame, settings.samples(), settings.seed() + 7919L * l);
			if (samples.n < (twoD ? 16 : 64))
				throw new IllegalArgumentException("Too few fixed voxels to register at level " + (l + 1) + " (" + samples.n
						+ "): the fixed image or its mask is too small");
			if (samples.max == samples.min)
				throw new IllegalArgumentException("The fixed image is constant (" + samples.min + ")" + (f.mask != null ? " inside its mask" : "")
						+ ": there is nothing to register");
			final MetricEvaluator metric = new MetricEvaluator(samples, mp.get(l), settings.metric(), settings.histogramBins(),
					settings.minOverlap());
			final double[] q = movingMap(mp.get(l).image(), c, d);
			final FrameCost cost = new FrameCost(metric, q);
			final double startCost = cost.at(a, t);
			if (!Double.isFinite(startCost))
				throw new IllegalArgumentException(startProblem(metric, l, fixed, moving));
			final List<TransformType> types = new ArrayList<>();
			if (l == 0 && settings.staged())
				for (final TransformType s : TransformType.values())
					if (s.ordinal() < settings.transformType().ordinal())
						types.add(s);
			types.add(settings.transformType());
			final double scale = spacings[l] / finest;
			for (final TransformType type : types) {
				final TransformModel model = new TransformModel(type, twoD, samples.radius, a, t);
				final Lbfgs optimiser = new Lbfgs(settings.iterations(), settings.toleranceMm() * scale, 2 * spacings[l], spacings[l], progress);
				final String step = "Registration level " + (l + 1) + "/" + spacings.length + " (" + type.key() + ")";
				final Lbfgs.Outcome o = optimiser.minimise((x, g) -> cost.value(model, x, g), new double[model.size()], step);
				final double[] na = new double[9], nt = new double[3];
				model.apply(o.x(), na, nt);
				a = na;
				t = nt;
				cost.at(a, t);
				similarity = metric.similarity();
				converged = o.converged();
				stages.add(new RegistrationResult.Stage(l, spacings[l], type, samples.n, o.iterations(), similarity, metric.overlap(),
						o.converged(), o.reason()));
			}
		}
		return new RegistrationResult(toWorld(a, t, c, d), similarity, converged, twoD, List.copyOf(stages), settings);
	}

	/** The cost of a frame transform through a level's metric, with the gradient chained to the model's parameters. */
	private static final class FrameCost {
		private final MetricEvaluator metric;
		private final double[] q; // frame (moved) mm -> moving voxel, 3x4 row-major
		private final double[] a = new double[9], t = new double[3], m = new double[12], gm = new double[12], ga = new double[9],
				gt = new double[3];

		FrameCost(final MetricEvaluator metric, final double[] q) {
			this.metric = metric;
			this.q = q;
		}

		double at(final double[] a, final double[] t) {
			compose(a, t);
			return metric.evaluate(m, null);
		}

		double value(final TransformModel model, final double[] x, final double[] g) {
			model.apply(x, a, t);
			compose(a, t);
			final double v = metric.evaluate(m, gm);
			if (!Double.isFinite(v))
				return v;
			// dC/dA = Q^T G[:, 0:3], dC/dt = Q^T G[:, 3]
			for (int r = 0; r < 3; r++) {
				for (int c = 0; c < 3; c++) {
					double s = 0;
					for (int k = 0; k < 3; k++)
						s += q[4 * k + r] * gm[4 * k + c];
					ga[3 * r + c] = s;
				}
				double s = 0;
				for (int k = 0; k < 3; k++)
					s += q[4 * k + r] * gm[4 * k + 3];
				gt[r] = s;
			}
			model.gradient(x, ga, gt, g);
			return v;
		}

		/** m = [Q_lin A | Q_lin t + Q_off]. */
		private void compose(final double[] a, final double[] t) {
			for (int r = 0; r < 3; r++) {
				for (int c = 0; c < 3; c++)
					m[4 * r + c] = q[4 * r] * a[c] + q[4 * r + 1] * a[3 + c] + q[4 * r + 2] * a[6 + c];
				m[4 * r + 3] = q[4 * r] * t[0] + q[4 * r + 1] * t[1] + q[4 * r + 2] * t[2] + q[4 * r + 3];
			}
		}
	}

	private String startProblem(final MetricEvaluator metric, final int level, final Volume fixed, final Volume moving) {
		if (metric.overlap() < settings.minOverlap())
			return String.format(
					"The images do not overlap: at the start (init=%s) only %.1f%% of the fixed image's samples map inside the moving image%s"
							+ " (at least %.0f%% are needed; in world space the fixed image spans %s, the moving image %s)."
							+ " Check the voxel-to-world matrices of both images, or start from init=com or geometry.",
					settings.init().key(), 100 * metric.overlap(), level > 0 ? " at level " + (level + 1) : "", 100 * settings.minOverlap(),
					Grid.of(fixed).describeWorldExtent(), Grid.of(moving).describeWorldExtent());
		return "The moving image is constant where it overlaps the fixed image: there is nothing to register";
	}

	/** An image with its non-finite voxels set to 0 and masked out, and its mask as bytes on its grid. */
	private record Prepared(Volume image, byte[] mask) {}

	private static Prepared prepare(final Volume v, final Volume maskVolume, final String role) {
		byte[] mask = null;
		if (maskVolume != null) {
			final Volume onGrid = maskVolume.sameGrid(v) ? maskVolume : Resampler.nearest().resample(maskVolume, Grid.of(v));
			mask = new byte[v.voxelCount()];
			int inside = 0;
			final float[] md = onGrid.data();
			for (int i = 0; i < md.length; i++)
				if (md[i] != 0 && !Float.isNaN(md[i])) {
					mask[i] = 1;
					inside++;
				}
			if (inside == 0)
				throw new IllegalArgumentException("The " + role + " mask is empty" + (maskVolume.sameGrid(v) ? "" : " where it overlaps the " + role + " image")
						+ ": it has no nonzero voxel");
		}
		final float[] a = v.data();
		int bad = 0;
		for (final float x : a)
			if (!Float.isFinite(x))
				bad++;
		Volume image = v;
		if (bad > 0) {
			if (bad == a.length)
				throw new IllegalArgumentException("The " + role + " image has no finite voxel (all are NaN or infinite)");
			final float[] copy = a.clone();
			if (mask == null) {
				mask = new byte[a.length];
				java.util.Arrays.fill(mask, (byte) 1);
			}
			for (int i = 0; i < copy.length; i++)
				if (!Float.isFinite(copy[i])) {
					copy[i] = 0;
					mask[i] = 0;
				}
			image = v.withData(copy);
		}
		float lo = Float.POSITIVE_INFINITY, hi = Float.NEGATIVE_INFINITY;
		int count = 0;
		final float[] data = image.data();
		for (int i = 0; i < data.length; i++)
			if (mask == null || mask[i] != 0) {
				lo = Math.min(lo, data[i]);
				hi = Math.max(hi, data[i]);
				count++;
			}
		if (count == 0)
			throw new IllegalArgumentException("The " + role + " image has no finite voxel inside its mask");
		if (lo == hi)
			throw new IllegalArgumentException("The " + role + " image is constant (" + lo + ")" + (mask != null ? " inside its mask" : "")
					+ ": there is nothing to register");
		return new Prepared(image, mask);
	}

	/** The starting transform in the frame: centre of rotation, matrix and translation. */
	private record Start(double[] centre, double[] matrix, double[] translation) {}

	private Start start(final Prepared f, final Prepared m, final double[] d, final boolean twoD) {
		final double[] identity = { 1, 0, 0, 0, 1, 0, 0, 0, 1 };
		final Init init = settings.init();
		if (init == Init.NONE) {
			final double[] c = Geometry.gridCentre(f.image);
			return new Start(c, identity, new double[3]);
		}
		if (init == Init.GEOMETRY)
			return fromCentres(Geometry.gridCentre(f.image), Geometry.gridCentre(m.image), d, identity);
		final Moments fm = Moments.of(f.image, f.mask), mm = Moments.of(m.image, m.mask);
		if (fm.centre() == null || mm.centre() == null)
			return fromCentres(Geometry.gridCentre(f.image), Geometry.gridCentre(m.image), d, identity);
		if (init == Init.CENTRE_OF_MASS || settings.transformType() == TransformType.TRANSLATION)
			return fromCentres(fm.centre(), mm.centre(), d, identity);
		return fromCentres(fm.centre(), mm.centre(), d, principalRotation(fm, mm, d, twoD));
	}

	/** Centre of rotation c (fixed), and the translation taking c to the moving centre. */
	private static Start fromCentres(final double[] fixedCentre, final double[] movingCentre, final double[] d, final double[] matrix) {
		final double[] t = new double[3];
		for (int r = 0; r < 3; r++)
			for (int k = 0; k < 3; k++)
				t[r] += d[3 * k + r] * (movingCentre[k] - fixedCentre[k]);
		return new Start(fixedCentre, matrix, t);
	}

	/**
	 * The rotation (in the frame) that takes the fixed image's principal axes onto the moving
	 * image's: of the sign choices that make a proper rotation, the one closest to the identity.
	 */
	static double[] principalRotation(final Moments f, final Moments m, final double[] d, final boolean twoD) {
		final double[] cf = rotateCovariance(f.covariance(), d), cm = rotateCovariance(m.covariance(), d);
		if (twoD) {
			final double af = 0.5 * Math.atan2(2 * cf[1], cf[0] - cf[4]), am = 0.5 * Math.atan2(2 * cm[1], cm[0] - cm[4]);
			double phi = am - af;
			// the principal axis has no sign: take the smaller of the two equivalent rotations
			while (phi > Math.PI / 2)
				phi -= Math.PI;
			while (phi < -Math.PI / 2)
				phi += Math.PI;
			return TransformModel.rotation(new double[] { 0, 0, phi }, -1);
		}
		final double[] ef = Moments.principalAxes(cf), em = Moments.principalAxes(cm);
		double[] best = null;
		double bestTrace = Double.NEGATIVE_INFINITY;
		for (int sign = 0; sign < 8; sign++) {
			final double[] r = new double[9];
			for (int i = 0; i < 3; i++)
				for (int j = 0; j < 3; j++) {
					double s = 0;
					for (int k = 0; k < 3; k++)
						s += em[3 * i + k] * ((sign >> k & 1) == 1 ? -1 : 1) * ef[3 * j + k];
					r[3 * i + j] = s;
				}
			final double det = r[0] * (r[4] * r[8] - r[5] * r[7]) - r[1] * (r[3] * r[8] - r[5] * r[6]) + r[2] * (r[3] * r[7] - r[4] * r[6]);
			final double trace = r[0] + r[4] + r[8];
			if (det > 0 && trace > bestTrace) {
				bestTrace = trace;
				best = r;
			}
		}
		return best;
	}

	/** D^T C D. */
	private static double[] rotateCovariance(final double[] cov, final double[] d) {
		final double[] out = new double[9];
		for (int r = 0; r < 3; r++)
			for (int c = 0; c < 3; c++) {
				double s = 0;
				for (int i = 0; i < 3; i++)
					for (int j = 0; j < 3; j++)
						s += d[3 * i + r] * cov[3 * i + j] * d[3 * j + c];
				out[3 * r + c] = s;
			}
		return out;
	}

	/** The unit axis directions of a voxel-to-world matrix, orthonormalised (columns of a row-major 3x3). */
	static double[] directions(final AffineTransform3D v2w) {
		final double[][] col = new double[3][3];
		for (int c = 0; c < 3; c++)
			for (int r = 0; r < 3; r++)
				col[c][r] = v2w.get(r, c);
		// Gram-Schmidt from the first axis: a 2D image keeps its plane, z stays the normal
		for (int c = 0; c < 3; c++) {
			for (int k = 0; k < c; k++) {
				double dot = 0;
				for (int r = 0; r < 3; r++)
					dot += col[c][r] * col[k][r];
				for (int r = 0; r < 3; r++)
					col[c][r] -= dot * col[k][r];
			}
			double n = 0;
			for (int r = 0; r < 3; r++)
				n += col[c][r] * col[c][r];
			n = Math.sqrt(n);
			for (int r = 0; r < 3; r++)
				col[c][r] /= n;
		}
		final double[] d = new double[9];
		for (int c = 0; c < 3; c++)
			for (int r = 0; r < 3; r++)
				d[3 * r + c] = col[c][r];
		return d;
	}

	/** Frame to world: x = c + D u. */
	private static AffineTransform3D frameOf(final double[] c, final double[] d) {
		return AffineTransform3D.of(d[0], d[1], d[2], c[0], d[3], d[4], d[5], c[1], d[6], d[7], d[8], c[2]);
	}

	/** Frame (moved) mm to moving voxel index: Wm^-1 (c + D y), 12 values row-major. */
	private static double[] movingMap(final Volume moving, final double[] c, final double[] d) {
		return moving.worldToVoxel().concatenate(frameOf(c, d)).getRowPackedCopy();
	}

	/** World transform y = c + D (A' D^T (x - c) + t'): matrix D A' D^T, translation D t', centre c. */
	private static CentredAffine toWorld(final double[] a, final double[] t, final double[] c, final double[] d) {
		final double[] dt = new double[9], da = new double[9], out = new double[9];
		for (int r = 0; r < 3; r++)
			for (int k = 0; k < 3; k++)
				dt[3 * r + k] = d[3 * k + r];
		TransformModel.multiply(d, a, da);
		TransformModel.multiply(da, dt, out);
		final double[] tw = new double[3];
		for (int r = 0; r < 3; r++)
			tw[r] = d[3 * r] * t[0] + d[3 * r + 1] * t[1] + d[3 * r + 2] * t[2];
		return new CentredAffine(out, tw, c);
	}
}
