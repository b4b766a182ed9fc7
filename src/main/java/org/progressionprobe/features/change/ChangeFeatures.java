package org.progressionprobe.features.change;

import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Collectors;

import org.progressionprobe.command.Progress;
import org.progressionprobe.features.PairFeatures;
import org.progressionprobe.features.ScanPair;
import org.progressionprobe.table.FeatureVector;
import org.progressionprobe.volume.Grid;
import org.progressionprobe.volume.Resampler;
import org.progressionprobe.volume.Volume;

/**
 * Change features that need no weights, as tensor-based morphometry measures them: the follow-up
 * is registered deformably onto the baseline ({@link DemonsRegistration}), and the log-Jacobian
 * determinant (local volume change: below 0 is shrinkage) and the displacement magnitude (mm) are
 * pooled over regions: the baseline's foreground ({@link ForegroundMask}), then atlas regions when
 * the pair has a label image, else a regular grid of cells over the foreground's bounding box.
 * <p>
 * Before registration the follow-up is resampled onto the baseline's grid (trilinear, world
 * coordinates: the scans must already be affinely aligned) and each scan's intensities are divided
 * by its median over the baseline's foreground, so a global gain difference is not read as change.
 * <p>
 * {@link #compute} is a pure function of the pair and the settings: instances hold only settings,
 * can be called repeatedly and from several threads at once (each call uses all cores through the
 * common fork-join pool, so running pairs one after the other is the efficient way).
 */
public final class ChangeFeatures implements PairFeatures {

	/** Floor of the Jacobian determinant before its logarithm (folded voxels, J <= 0, are counted in the QC). */
	public static final double JACOBIAN_FLOOR = 1e-3;

	/**
	 * Settings.
	 *
	 * @param registration deformable registration settings
	 * @param gridCells cells along x, y, z of the pooling grid used when there is no label image
	 * @param percentiles percentiles (0-100) reported per region besides the mean
	 * @param labelNames label value to name for a pair's label image; empty: every label present is a region {@code label_N}
	 */
	public record Settings(DemonsRegistration.Settings registration, int[] gridCells, double[] percentiles, Map<Integer, String> labelNames) {

		public Settings {
			if (gridCells.length != 3 || Arrays.stream(gridCells).anyMatch(c -> c < 1))
				throw new IllegalArgumentException("grid_cells needs three counts >= 1, got " + Arrays.toString(gridCells));
			for (final double p : percentiles)
				if (!(p >= 0 && p <= 100))
					throw new IllegalArgumentException("Percentiles must lie in [0, 100], got " + p);
			gridCells = gridCells.clone();
			percentiles = percentiles.clone();
			labelNames = labelNames == null ? Map.of() : java.util.Collections.unmodifiableMap(new TreeMap<>(labelNames));
		}

		/** Default registration, 3x3x3 cells, p5/p50/p95, no label names. */
		public static Settings defaults() {
			return new Settings(DemonsRegistration.Settings.defaults(), new int[] { 3, 3, 3 }, new double[] { 5, 50, 95 }, Map.of());
		}

		public Settings withRegistration(final DemonsRegistration.Settings r) {
			return new Settings(r, gridCells, percentiles, labelNames);
		}

		public Settings withGridCells(final int... cells) {
			return new Settings(registration, cells, percentiles, labelNames);
		}

		public Settings withPercentiles(final double... p) {
			return new Settings(registration, gridCells, p, labelNames);
		}

		public Settings withLabelNames(final Map<Integer, String> names) {
			return new Settings(registration, gridCells, percentiles, names);
		}

		@Override
		public int[] gridCells() {
			return gridCells.clone();
		}

		@Override
		public double[] percentiles() {
			return percentiles.clone();
		}
	}

	private final Settings settings;
	private final Progress progress;

	public ChangeFeatures(final Settings settings) {
		this(settings, Progress.NONE);
	}

	/** @param progress receives the registration's iterations (shared by concurrent calls) */
	public ChangeFeatures(final Settings settings, final Progress progress) {
		this.settings = settings;
		this.progress = progress;
	}

	public Settings settings() {
		return settings;
	}

	@Override
	public Map<String, String> provenance() {
		final DemonsRegistration.Settings r = settings.registration();
		final Map<String, String> p = new LinkedHashMap<>();
		p.put("features", "change (deformable registration, Jacobian maps, no weights)");
		p.put("registration", "log-domain diffeomorphic demons: stationary velocity field, scaling and squaring, SSD with ESM forces, "
				+ "follow-up onto baseline");
		p.put("levels", Integer.toString(r.levels()));
		p.put("iterations", Arrays.stream(r.iterations()).mapToObj(Integer::toString).collect(Collectors.joining(",")) + " (coarse to fine)");
		p.put("fluid_sigma", r.fluidSigma() + " voxels");
		p.put("diffusion_sigma", r.diffusionSigma() + " voxels");
		p.put("max_step", r.maxStep() + " voxels");
		p.put("bias_correction", r.biasSigmaMm() > 0 ? "differential, at every iteration: warped follow-up times the ratio of local means (Gaussian "
				+ r.biasSigmaMm() + " mm)" : "none");
		p.put("intensity", "each scan divided by its median over the baseline foreground");
		p.put("foreground", "baseline > Otsu threshold (256 bins, minimum to 99.9th percentile)");
		p.put("maps", "logjac = ln(max(det J, " + JACOBIAN_FLOOR + ")) in world mm; dispmag = |u| mm");
		p.put("grid_cells", settings.gridCells[0] + "," + settings.gridCells[1] + "," + settings.gridCells[2] + " (without a label image)");
		p.put("percentiles", Arrays.stream(settings.percentiles).mapToObj(RegionPooling::percentileName).collect(Collectors.joining(",")));
		p.put("label_names", settings.labelNames().isEmpty() ? "none (label_N for every label present)"
				: settings.labelNames().size() + " names");
		return p;
	}

	@Override
	public FeatureVector compute(final ScanPair pair) {
		return measure(pair).features();
	}

	/** Registration, maps, quality numbers and features of one pair. */
	public ChangeMeasurement measure(final ScanPair pair) {
		final String who = pair.subject();
		requireFinite(pair.baseline(), who + ": baseline scan");
		requireFinite(pair.followup(), who + ": follow-up scan");
		if (pair.labels() != null)
			requireFinite(pair.labels(), who + ": label image");
		final Volume baseline = pair.baseline();
		final Grid grid = Grid.of(baseline);
		requireOverlap(who + ": follow-up scan", pair.followup(), "the baseline", baseline);
		final Volume followup = pair.followup().sameGrid(baseline) ? pair.followup() : Resampler.linear().resample(pair.followup(), grid);
		final boolean[] foreground = ForegroundMask.of(baseline);
		final int fgCount = count(foreground);
		if (fgCount == 0)
			throw new IllegalArgumentException(who + ": the baseline scan has an empty foreground (constant intensities?), nothing to measure");

		final Volume fixed = normalised(baseline, foreground, who + ": baseline scan");
		final Volume moving = normalised(followup, foreground, who + ": follow-up scan (on the baseline grid)");
		final DemonsRegistration.Result reg = new DemonsRegistration(settings.registration(), progress).register(fixed, moving);

		final Volume jacobian = reg.forward().jacobianDeterminant();
		final float[] j = jacobian.data();
		final float[] lj = new float[j.length];
		int folded = 0;
		for (int i = 0; i < j.length; i++) {
			if (j[i] <= 0 && foreground[i])
				folded++;
			lj[i] = (float) Math.log(Math.max(j[i], JACOBIAN_FLOOR));
		}
		final Volume logJacobian = jacobian.withData(lj);
		final Volume magnitude = reg.forward().magnitude();
		final Volume warped = reg.forward().warp(pair.followup(), Resampler.Interpolation.LINEAR, 0f);

		final float[] ic = reg.forward().andThen(reg.inverse()).magnitude().data();
		double icSum = 0, icMax = 0;
		for (int i = 0; i < ic.length; i++)
			if (foreground[i]) {
				icSum += ic[i];
				icMax = Math.max(icMax, ic[i]);
			}
		final Map<String, Double> qc = new LinkedHashMap<>();
		qc.put("mse_before", reg.initialMse());
		qc.put("mse_after", reg.finalMse());
		qc.put("inverse_consistency_mean_mm", icSum / fgCount);
		qc.put("inverse_consistency_max_mm", icMax);
		qc.put("folded_voxels", (double) folded);
		qc.put("foreground_voxels", (double) fgCount);
		qc.put("levels_used", (double) reg.levelsUsed());

		if (pair.labels() != null)
			for (final String w : RegionPooling.checkLabels(who + ": label image", foreground, pair.labels(), settings.labelNames()))
				System.getLogger(ChangeFeatures.class.getName()).log(System.Logger.Level.WARNING, w);
		final List<RegionPooling.Region> regions = RegionPooling.regions(foreground, pair.labels(), settings.labelNames(), settings.gridCells,
				baseline.size());
		final FeatureVector.Builder b = new FeatureVector.Builder();
		for (final RegionPooling.Region r : regions) {
			RegionPooling.pool(b, "logjac", lj, r, settings.percentiles);
			RegionPooling.pool(b, "dispmag", magnitude.data(), r, settings.percentiles);
		}
		final float[] fg = new float[foreground.length];
		for (int i = 0; i < fg.length; i++)
			fg[i] = foreground[i] ? 1 : 0;
		return new ChangeMeasurement(b.build(), reg.forward(), reg.inverse(), jacobian, logJacobian, warped, baseline.withData(fg), qc);
	}

	/** Throws an error naming {@code what} if any voxel is NaN or infinite. */
	public static void requireFinite(final Volume v, final String what) {
		final float[] a = v.data();
		int bad = 0, first = -1;
		for (int i = 0; i < a.length; i++)
			if (!Float.isFinite(a[i])) {
				bad++;
				if (first < 0)
					first = i;
			}
		if (bad > 0) {
			final int x = first % v.nx(), y = (first / v.nx()) % v.ny(), z = first / (v.nx() * v.ny());
			throw new IllegalArgumentException(what + " has " + bad + " non-finite voxel" + (bad > 1 ? "s" : "") + " (NaN or infinite), the first at voxel ("
					+ x + ", " + y + ", " + z + ")");
		}
	}

	/**
	 * Throws an error naming {@code what} if the follow-up's field of view and the baseline's do not
	 * meet in world space, with both extents in mm.
	 */
	public static void requireOverlap(final String what, final Volume followup, final String baselineName, final Volume baseline) {
		final Grid f = Grid.of(followup), b = Grid.of(baseline);
		if (!f.overlapsInWorld(b))
			throw new IllegalArgumentException(what + " does not overlap " + baselineName + " in world space: the follow-up spans "
					+ f.describeWorldExtent() + ", the baseline " + b.describeWorldExtent()
					+ " (align the follow-up to the baseline first, or check the files' geometry with Volume Info)");
	}

	/** The scan divided by its median over the mask. */
	private static Volume normalised(final Volume v, final boolean[] mask, final String what) {
		final float[] a = v.data();
		final float[] inside = new float[count(mask)];
		int k = 0;
		for (int i = 0; i < a.length; i++)
			if (mask[i])
				inside[k++] = a[i];
		Arrays.sort(inside);
		final double median = inside.length % 2 == 1 ? inside[inside.length / 2]
				: 0.5 * (inside[inside.length / 2 - 1] + inside[inside.length / 2]);
		if (!(median > 0))
			throw new IllegalArgumentException(what + " has no positive signal in the baseline's foreground (median " + median + ")");
		final float[] out = new float[a.length];
		final float s = (float) (1 / median);
		for (int i = 0; i < a.length; i++)
			out[i] = a[i] * s;
		return v.withData(out);
	}

	private static int count(final boolean[] mask) {
		int n = 0;
		for (final boolean b : mask)
			if (b)
				n++;
		return n;
	}
}
