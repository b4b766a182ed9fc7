package org.progressionprobe.features.change;

import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Collectors;

import org.progressionprobe.align.AffineRegistration;
import org.progressionprobe.align.RegistrationSettings;
import org.progressionprobe.command.ParameterError;
import org.progressionprobe.command.ParameterLists;
import org.progressionprobe.command.ParameterValues;
import org.progressionprobe.command.Progress;
import org.progressionprobe.features.PairExtractor;
import org.progressionprobe.table.FeatureVector;
import org.progressionprobe.volume.AffineTransform3D;
import org.progressionprobe.volume.Grid;
import org.progressionprobe.volume.Resampler;
import org.progressionprobe.volume.ScanPair;
import org.progressionprobe.volume.Volume;

/**
 * Change features that need no weights, as tensor-based morphometry measures them: the follow-up
 * is registered deformably onto the baseline ({@link DemonsRegistration}), and the log-Jacobian
 * determinant (local volume change: below 0 is shrinkage) and the displacement magnitude (mm) are
 * pooled over regions: the baseline's foreground ({@link ForegroundMask}), then atlas regions when
 * the pair has a label image, else a regular grid of cells over the foreground's bounding box.
 * <p>
 * Before the deformable registration the follow-up is pre-registered onto the baseline
 * ({@link Prealign}: affine by default, with the project's {@link AffineRegistration}, so a head
 * repositioned in the scanner is not read as change and the deformable field measures only the
 * residual change), resampled onto the baseline's grid (trilinear), and each scan's intensities are
 * divided by its median over the baseline's foreground, so a global gain difference is not read as
 * change. With {@code prealign=none} the scans must already be aligned (world coordinates are used
 * as they are).
 * <p>
 * {@link #compute} is a pure function of the pair and the settings: instances hold only settings,
 * can be called repeatedly and from several threads at once (each call uses all cores through the
 * common fork-join pool, so running pairs one after the other is the efficient way).
 */
public final class ChangeFeatures implements PairExtractor {

	/** Floor of the Jacobian determinant before its logarithm (folded voxels, J <= 0, are counted in the QC). */
	public static final double JACOBIAN_FLOOR = 1e-3;

	/** The follow-up's pre-registration onto the baseline, before the deformable registration. */
	public enum Prealign {
		/** None: the scans are used in the world coordinates they come with. */
		NONE,
		/** Rigid (6 parameters): removes repositioning only. */
		RIGID,
		/** Affine (12 parameters): also removes global scaling and shear (e.g. scanner gradient drift). */
		AFFINE;

		public String key() {
			return name().toLowerCase(Locale.ROOT);
		}

		/** The pre-registration named {@code text} (affine, rigid or none); an error names the key and the value. */
		public static Prealign parse(final String text) {
			for (final Prealign p : values())
				if (p.key().equalsIgnoreCase(text == null ? "" : text.trim()))
					return p;
			throw new IllegalArgumentException("prealign must be affine, rigid or none, got '" + text + "'");
		}

		/** Two scans of one head cover the same anatomy: most of the baseline must stay inside the follow-up. */
		static final double MIN_OVERLAP = 0.8;

		/**
		 * The largest entry of |A^T A - I| (A the affine's matrix) an affine pre-registration may reach:
		 * two scans of one head differ by a rigid motion and a few percent of scanner scaling, so an
		 * affine fit beyond about 10% of scaling or shear (e.g. on a small crop, where 12 parameters
		 * can take up the anatomy's change) is replaced by the rigid one.
		 */
		static final double MAX_AFFINE_DEPARTURE = 0.2;

		/**
		 * The affine registration settings of this pre-registration (the project's defaults for a pair
		 * of scans of one contrast: NCC, centres of mass, staged, coarse to fine; at least
		 * {@value #MIN_OVERLAP} of the baseline's samples inside the follow-up, so that the optimiser
		 * cannot slide a small crop off its partner), or null for none.
		 */
		public RegistrationSettings registration() {
			if (this == NONE)
				return null;
			return RegistrationSettings.defaults().withTransformType(this == RIGID ? RegistrationSettings.TransformType.RIGID
					: RegistrationSettings.TransformType.AFFINE).with("min_overlap", Double.toString(MIN_OVERLAP));
		}
	}

	/**
	 * Settings.
	 *
	 * @param registration deformable registration settings
	 * @param gridCells cells along x, y, z of the pooling grid used when there is no label image
	 * @param percentiles percentiles (0-100) reported per region besides the mean
	 * @param labelNames label value to name for a pair's label image; empty: every label present is a region {@code label_N}
	 * @param prealign pre-registration of the follow-up onto the baseline
	 */
	public record Settings(DemonsRegistration.Settings registration, int[] gridCells, double[] percentiles, Map<Integer, String> labelNames,
			Prealign prealign) {

		public Settings {
			if (gridCells.length != 3 || Arrays.stream(gridCells).anyMatch(c -> c < 1))
				throw new IllegalArgumentException("grid_cells needs three counts >= 1, got " + Arrays.toString(gridCells));
			for (final double p : percentiles)
				if (!(p >= 0 && p <= 100))
					throw new IllegalArgumentException("Percentiles must lie in [0, 100], got " + p);
			gridCells = gridCells.clone();
			percentiles = percentiles.clone();
			labelNames = labelNames == null ? Map.of() : java.util.Collections.unmodifiableMap(new TreeMap<>(labelNames));
			if (prealign == null)
				throw new IllegalArgumentException("prealign must be given (affine, rigid or none)");
		}

		/** Default registration, 3x3x3 cells, p5/p50/p95, no label names, affine pre-registration. */
		public static Settings defaults() {
			return new Settings(DemonsRegistration.Settings.defaults(), new int[] { 3, 3, 3 }, new double[] { 5, 50, 95 }, Map.of(), Prealign.AFFINE);
		}

		/** The keys {@link #parse} reads: the Change Features command's, and a study's options of the change extractor. */
		public static final List<String> KEYS = List.of("prealign", "levels", "iterations", "fluid_sigma", "diffusion_sigma", "max_step",
				"bias_sigma_mm", "grid_cells", "percentiles");

		/**
		 * Settings from the text a user types, by {@link #KEYS} (missing keys take the {@link #defaults()}; no
		 * label names): {@code iterations} one count per level or one for all levels, {@code grid_cells}
		 * and {@code percentiles} lists ({@link ParameterLists}). A value that is not of its key's form
		 * is a {@link ParameterError}, a value out of range an IllegalArgumentException, both naming the
		 * key and the value.
		 */
		public static Settings parse(final Map<String, String> text) {
			for (final String k : text.keySet())
				if (!KEYS.contains(k))
					throw new IllegalArgumentException("Unknown change features setting '" + k + "'; settings: " + String.join(", ", KEYS));
			final Settings d = defaults();
			final DemonsRegistration.Settings r = d.registration();
			final int levels = text.containsKey("levels") ? ParameterValues.integer("levels", text.get("levels")) : r.levels();
			int[] its = text.containsKey("iterations") ? ParameterValues.integers("iterations", nonBlank(text, "iterations"), 0) : r.iterations();
			if (its.length == 1 && levels > 1) {
				final int[] all = new int[levels];
				Arrays.fill(all, its[0]);
				its = all;
			}
			if (its.length != levels)
				throw new ParameterError("iterations: give one count per level (levels=" + levels + ") or one for all, got '"
						+ text.getOrDefault("iterations", ParameterLists.join(r.iterations())) + "'");
			final DemonsRegistration.Settings registration = new DemonsRegistration.Settings(levels, its, number(text, "fluid_sigma", r.fluidSigma()),
					number(text, "diffusion_sigma", r.diffusionSigma()), number(text, "max_step", r.maxStep()), number(text, "bias_sigma_mm", r.biasSigmaMm()));
			final int[] cells = text.containsKey("grid_cells") ? ParameterValues.integers("grid_cells", nonBlank(text, "grid_cells"), 0) : d.gridCells();
			final double[] pct = text.containsKey("percentiles") ? ParameterValues.numbers("percentiles", nonBlank(text, "percentiles"), 0) : d.percentiles();
			final Prealign pre = text.containsKey("prealign") ? Prealign.parse(text.get("prealign")) : d.prealign();
			return new Settings(registration, cells, pct, Map.of(), pre);
		}

		private static double number(final Map<String, String> text, final String key, final double fallback) {
			return text.containsKey(key) ? ParameterValues.number(key, text.get(key)) : fallback;
		}

		private static String nonBlank(final Map<String, String> text, final String key) {
			final String v = text.get(key);
			if (v == null || v.isBlank())
				throw new ParameterError(key + ": empty");
			return v;
		}

		public Settings withRegistration(final DemonsRegistration.Settings r) {
			return new Settings(r, gridCells, percentiles, labelNames, prealign);
		}

		public Settings withGridCells(final int... cells) {
			return new Settings(registration, cells, percentiles, labelNames, prealign);
		}

		public Settings withPercentiles(final double... p) {
			return new Settings(registration, gridCells, p, labelNames, prealign);
		}

		public Settings withLabelNames(final Map<Integer, String> names) {
			return new Settings(registration, gridCells, percentiles, names, prealign);
		}

		public Settings withPrealign(final Prealign p) {
			return new Settings(registration, gridCells, percentiles, labelNames, p);
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
	private final ChangeFeatureCache cache;

	public ChangeFeatures(final Settings settings) {
		this(settings, Progress.NONE);
	}

	/** @param progress receives the registration's iterations (shared by concurrent calls) */
	public ChangeFeatures(final Settings settings, final Progress progress) {
		this(settings, progress, null);
	}

	/**
	 * As {@link #ChangeFeatures(Settings, Progress)}, looking each pair's features up in {@code cache}
	 * (null: none) once the follow-up is pre-registered, and storing them there when measured.
	 */
	public ChangeFeatures(final Settings settings, final Progress progress, final ChangeFeatureCache cache) {
		this.settings = settings;
		this.progress = progress;
		this.cache = cache;
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
		final Prealign pre = settings.prealign();
		p.put("prealign", pre == Prealign.NONE ? "none (the scans' own world coordinates)"
				: pre.key() + " (follow-up onto baseline before the deformable registration, then resampled onto the baseline grid"
						+ (pre == Prealign.AFFINE ? "; rigid instead when max|A^T A - I| > " + Prealign.MAX_AFFINE_DEPARTURE : "")
						+ "; not used when it matches the scans worse (NCC over the baseline foreground) than their own coordinates)");
		if (pre != Prealign.NONE)
			p.put("prealign_registration", pre.registration().toMap().entrySet().stream().map(e -> e.getKey() + "=" + e.getValue())
					.collect(Collectors.joining(",")));
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
	public String label() {
		return "change features";
	}

	/** A pair's features; with a cache, read from it when a pair with the same inputs was measured before. */
	@Override
	public FeatureVector compute(final ScanPair pair) {
		final Prepared p = prepare(pair);
		if (cache == null)
			return measure(p).features();
		final String key = ChangeFeatureCache.key(settings, pair.baseline(), p.followup(), pair.labels());
		final FeatureVector cached = cache.get(key);
		if (cached != null)
			return cached;
		final FeatureVector features = measure(p).features();
		cache.put(key, features);
		return features;
	}

	/** Registration, maps, quality numbers and features of one pair. */
	public ChangeMeasurement measure(final ScanPair pair) {
		return measure(prepare(pair));
	}

	/** A checked pair, its baseline foreground and the follow-up on the baseline's grid, pre-registered as the settings ask. */
	private record Prepared(ScanPair pair, boolean[] foreground, int foregroundCount, Volume followup) {}

	private Prepared prepare(final ScanPair pair) {
		final String who = pair.subject();
		PairExtractor.requireFiniteVoxels(pair.baseline(), who + ": baseline scan");
		PairExtractor.requireFiniteVoxels(pair.followup(), who + ": follow-up scan");
		if (pair.labels() != null)
			PairExtractor.requireFiniteVoxels(pair.labels(), who + ": label image");
		final Volume baseline = pair.baseline();
		PairExtractor.requireOverlap(who + ": follow-up scan", pair.followup(), "the baseline", baseline);
		final boolean[] foreground = ForegroundMask.of(baseline);
		final int fgCount = count(foreground);
		if (fgCount == 0)
			throw new IllegalArgumentException(who + ": the baseline scan has an empty foreground (constant intensities?), nothing to measure");
		return new Prepared(pair, foreground, fgCount, prealigned(baseline, pair.followup(), foreground, who));
	}

	private ChangeMeasurement measure(final Prepared prepared) {
		final ScanPair pair = prepared.pair();
		final String who = pair.subject();
		final Volume baseline = pair.baseline(), followup = prepared.followup();
		final boolean[] foreground = prepared.foreground();
		final int fgCount = prepared.foregroundCount();

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
		final Volume warped = reg.forward().warp(settings.prealign() == Prealign.NONE ? pair.followup() : followup, Resampler.Interpolation.LINEAR, 0f);

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

	/**
	 * The follow-up on the baseline's grid: pre-registered onto the baseline as the settings ask
	 * (affine or rigid; the transform maps baseline world to follow-up world), then resampled
	 * trilinearly; without pre-registration resampled through the scans' own world coordinates. A
	 * pre-registration that matches the scans worse (NCC over the baseline's foreground) than their
	 * own coordinates is not used.
	 */
	private Volume prealigned(final Volume baseline, final Volume followup, final boolean[] foreground, final String who) {
		final Grid grid = Grid.of(baseline);
		final Volume world = followup.sameGrid(baseline) ? followup : Resampler.linear().resample(followup, grid);
		final RegistrationSettings s = settings.prealign().registration();
		if (s == null)
			return world;
		AffineTransform3D t;
		try {
			t = new AffineRegistration(s, progress).register(baseline, followup).affine();
			if (settings.prealign() == Prealign.AFFINE && departureFromRotation(t) > Prealign.MAX_AFFINE_DEPARTURE)
				t = new AffineRegistration(Prealign.RIGID.registration(), progress).register(baseline, followup).affine();
		} catch (final IllegalArgumentException | IllegalStateException e) {
			throw new IllegalArgumentException(who + ": the " + settings.prealign().key() + " pre-registration of the follow-up onto the baseline failed ("
					+ e.getMessage() + "); try prealign=rigid, or prealign=none for scans aligned beforehand", e);
		}
		final Volume registered = Resampler.linear().resample(followup, grid, t);
		return ncc(baseline, registered, foreground) >= ncc(baseline, world, foreground) ? registered : world;
	}

	/** Normalised cross-correlation of two volumes on one grid over a mask. */
	static double ncc(final Volume a, final Volume b, final boolean[] mask) {
		final float[] x = a.data(), y = b.data();
		double n = 0, sx = 0, sy = 0, sxx = 0, syy = 0, sxy = 0;
		for (int i = 0; i < x.length; i++)
			if (mask[i]) {
				n++;
				sx += x[i];
				sy += y[i];
				sxx += (double) x[i] * x[i];
				syy += (double) y[i] * y[i];
				sxy += (double) x[i] * y[i];
			}
		final double vx = sxx - sx * sx / n, vy = syy - sy * sy / n;
		return vx > 0 && vy > 0 ? (sxy - sx * sy / n) / Math.sqrt(vx * vy) : -1;
	}

	/** The largest entry of |A^T A - I| for the transform's matrix A: 0 for a rotation. */
	static double departureFromRotation(final AffineTransform3D t) {
		double max = 0;
		for (int i = 0; i < 3; i++)
			for (int j = 0; j < 3; j++) {
				double ata = 0;
				for (int k = 0; k < 3; k++)
					ata += t.get(k, i) * t.get(k, j);
				max = Math.max(max, Math.abs(ata - (i == j ? 1 : 0)));
			}
		return max;
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
