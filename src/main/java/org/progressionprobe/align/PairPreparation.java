package org.progressionprobe.align;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Supplier;

import org.progressionprobe.command.Progress;
import org.progressionprobe.volume.AffineTransform3D;
import org.progressionprobe.volume.AtlasResolution;
import org.progressionprobe.volume.Atlas;
import org.progressionprobe.volume.Grid;
import org.progressionprobe.volume.Resampler;
import org.progressionprobe.volume.ScanPair;
import org.progressionprobe.volume.Volume;

/**
 * Prepares one subject's baseline and follow-up scans for feature extraction, as a setting of the
 * study asks: no alignment, the follow-up aligned to the baseline, or both aligned to an atlas,
 * each optionally cropped to a region of interest given by atlas label names. It is a pure
 * function of the two scans, the atlas and the settings (registration is deterministic), so the
 * study grid can call it per pair anywhere.
 * <p>
 * The modes, precisely ({@code T_b}: atlas world to baseline world, from registering the baseline
 * (moving) to the atlas template (fixed); {@code T_p}: baseline world to follow-up world, from
 * registering the follow-up (moving) to the baseline (fixed); scans are resampled with the chosen
 * interpolation, labels with nearest neighbour):
 * <ul>
 * <li>{@code none}: no registration between the scans. Without a crop, both scans are returned as
 * they came, each on its own grid, with no labels (feature extractors resample as they need).
 * With a crop, each scan is registered to the atlas only to find the region: each is cut to the
 * sub-grid of its own voxels that covers the region (no interpolation), and the atlas labels are
 * carried onto the cropped baseline through {@code T_b}.</li>
 * <li>{@code pair}: the follow-up is resampled onto the baseline's grid through {@code T_p}; no
 * labels. With a crop, the baseline is also registered to the atlas; the common grid is the
 * sub-grid of the baseline covering the region; the baseline is cut to it, the follow-up resampled
 * onto it through {@code T_p}, the atlas labels carried onto it through {@code T_b}.</li>
 * <li>{@code atlas}: both scans are resampled onto the grid of atlas space (the atlas's field of
 * view at the scans' voxel size by default, {@link AtlasResolution}), the baseline through
 * {@code T_b}, the follow-up through {@code T_p} after {@code T_b} (so the two scans are aligned
 * with each other by a direct pair registration, not by two independent atlas registrations);
 * the labels are the atlas labels on that grid (by majority). With a crop, the common grid is the
 * sub-grid of atlas space covering the region.</li>
 * </ul>
 * The region is the bounding box of the atlas labels whose names match the given names or regular
 * expressions ({@link Atlas#labelsMatching}), grown by a margin in mm.
 * <p>
 * With a {@link TransformCache}, each registration is looked up before it is computed, so that the
 * settings of a study that need the same registration (the baseline to the atlas for every crop and
 * for atlas alignment, the follow-up to the baseline for pair and atlas alignment) share it.
 */
public final class PairPreparation {

	/** How the two scans are aligned. */
	public enum Alignment {
		NONE, PAIR, ATLAS;

		public String key() {
			return name().toLowerCase(Locale.ROOT);
		}
	}

	/**
	 * The settings of one preparation.
	 *
	 * @param alignment none, pair or atlas
	 * @param roiLabels atlas label names or regular expressions of the region to crop to; empty = no crop
	 * @param marginMm margin around the region, mm
	 * @param pairRegistration settings of the follow-up to baseline registration
	 * @param atlasRegistration settings of the scan to atlas registration
	 * @param interpolation how scans are resampled (labels always nearest)
	 * @param atlasResolution voxel size of atlas space (alignment=atlas): the scans', a size, or the atlas's own grid
	 */
	public record Settings(Alignment alignment, List<String> roiLabels, double marginMm, RegistrationSettings pairRegistration,
			RegistrationSettings atlasRegistration, Resampler.Interpolation interpolation, AtlasResolution atlasResolution) {

		public Settings {
			roiLabels = List.copyOf(roiLabels);
			if (!(marginMm >= 0))
				throw new IllegalArgumentException("margin_mm must be >= 0, got " + marginMm);
			if (interpolation == Resampler.Interpolation.NEAREST)
				throw new IllegalArgumentException("Scans are resampled with linear or cubic interpolation, not nearest");
			if (atlasResolution == null)
				throw new IllegalArgumentException("No atlas resolution given");
		}

		/**
		 * Defaults for an alignment: pair registration affine NCC, atlas registration affine Mattes MI,
		 * linear resampling, no crop, atlas space at the scans' voxel size.
		 */
		public static Settings of(final Alignment alignment) {
			return new Settings(alignment, List.of(), 0, RegistrationSettings.defaults(),
					RegistrationSettings.atlasDefaults(), Resampler.Interpolation.LINEAR, AtlasResolution.SCANS);
		}

		/** A copy that crops to the region of the given atlas labels plus a margin. */
		public Settings withRoi(final List<String> labels, final double margin) {
			return new Settings(alignment, labels, margin, pairRegistration, atlasRegistration, interpolation, atlasResolution);
		}

		/** A copy with another voxel size of atlas space. */
		public Settings withAtlasResolution(final AtlasResolution resolution) {
			return new Settings(alignment, roiLabels, marginMm, pairRegistration, atlasRegistration, interpolation, resolution);
		}

		public boolean crops() {
			return !roiLabels.isEmpty();
		}

		/** The settings as text, for provenance and caching. */
		public Map<String, String> toMap() {
			final Map<String, String> m = new LinkedHashMap<>();
			m.put("alignment", alignment.key());
			m.put("roi_labels", String.join(";", roiLabels));
			m.put("margin_mm", Double.toString(marginMm));
			m.put("interpolation", interpolation.name().toLowerCase(Locale.ROOT));
			if (alignment == Alignment.PAIR || alignment == Alignment.ATLAS)
				pairRegistration.toMap().forEach((k, v) -> m.put("pair_" + k, v));
			if (alignment == Alignment.ATLAS || crops())
				atlasRegistration.toMap().forEach((k, v) -> m.put("atlas_" + k, v));
			if (alignment == Alignment.ATLAS && !atlasResolution.equals(AtlasResolution.ATLAS))
				m.put("atlas_voxel_mm", atlasResolution.toString());
			return m;
		}
	}

	private final Settings settings;
	private final Atlas atlas;
	private final Progress progress;
	private final List<Integer> roiValues;
	private final TransformCache cache;
	private final Map<Grid, Atlas> spaces = new ConcurrentHashMap<>();

	/**
	 * @param atlas the atlas; needed for alignment=atlas and for a crop, else may be null
	 */
	public PairPreparation(final Settings settings, final Atlas atlas, final Progress progress) {
		this(settings, atlas, null, progress);
	}

	/**
	 * @param atlas the atlas; needed for alignment=atlas and for a crop, else may be null
	 * @param cache where registrations are looked up and stored, or null to compute each one
	 */
	public PairPreparation(final Settings settings, final Atlas atlas, final TransformCache cache, final Progress progress) {
		this.settings = settings;
		this.atlas = atlas;
		this.cache = cache;
		this.progress = progress;
		if (atlas == null && (settings.alignment() == Alignment.ATLAS || settings.crops()))
			throw new IllegalArgumentException(settings.alignment() == Alignment.ATLAS ? "alignment=atlas needs an atlas"
					: "A crop to atlas labels needs an atlas");
		if (settings.crops()) {
			roiValues = Atlas.labelsMatching(atlas.names(), settings.roiLabels(), "roi_labels");
			if (roiValues.isEmpty())
				throw new IllegalArgumentException("No atlas label matches " + settings.roiLabels() + " (the atlas has " + atlas.names().size()
						+ " labels, e.g. " + atlas.names().values().stream().limit(5).toList() + ")");
		} else
			roiValues = List.of();
	}

	/** The settings (and the atlas's size) as text, for a feature table's provenance. */
	public Map<String, String> provenance() {
		final Map<String, String> m = settings.toMap();
		if (atlas != null)
			m.put("atlas_grid", Grid.of(atlas.template()).toString());
		return m;
	}

	/** Prepares one pair. */
	public ScanPair prepare(final String subject, final Volume baseline, final Volume followup) {
		try {
			return switch (settings.alignment()) {
			case NONE -> none(subject, baseline, followup);
			case PAIR -> pair(subject, baseline, followup);
			case ATLAS -> toAtlas(subject, baseline, followup);
			};
		} catch (final IllegalArgumentException | IllegalStateException e) {
			throw new IllegalArgumentException(subject + ": " + e.getMessage(), e);
		}
	}

	private ScanPair none(final String subject, final Volume baseline, final Volume followup) {
		if (!settings.crops())
			return new ScanPair(subject, baseline, followup, null);
		final AffineTransform3D tb = toAtlas(baseline);
		final AffineTransform3D tf = toAtlas(followup);
		final RoiBox box = atlasBox();
		final Grid gb = box.on(Grid.of(baseline), tb), gf = box.on(Grid.of(followup), tf);
		final Volume b = RoiBox.crop(baseline, gb, Resampler.Interpolation.LINEAR);
		final Volume f = RoiBox.crop(followup, gf, Resampler.Interpolation.LINEAR);
		return new ScanPair(subject, b, f, Resampler.nearest().resample(atlas.labels(), gb, tb.inverse()));
	}

	private ScanPair pair(final String subject, final Volume baseline, final Volume followup) {
		final AffineTransform3D tp = pairTransform(baseline, followup);
		if (!settings.crops())
			return new ScanPair(subject, baseline, resampler().resample(followup, Grid.of(baseline), tp), null);
		final AffineTransform3D tb = toAtlas(baseline);
		final Grid g = atlasBox().on(Grid.of(baseline), tb);
		return new ScanPair(subject, RoiBox.crop(baseline, g, Resampler.Interpolation.LINEAR), resampler().resample(followup, g, tp),
				Resampler.nearest().resample(atlas.labels(), g, tb.inverse()));
	}

	private ScanPair toAtlas(final String subject, final Volume baseline, final Volume followup) {
		final AffineTransform3D tb = toAtlas(baseline);
		final AffineTransform3D tp = pairTransform(baseline, followup);
		final AffineTransform3D tf = tp.copy().concatenate(tb);
		final Atlas space = atlasSpace(baseline);
		final Grid full = Grid.of(space.template());
		final Grid g = settings.crops() ? atlasBox().on(full, new AffineTransform3D()) : full;
		final Volume labels = settings.crops() ? RoiBox.crop(space.labels(), g, Resampler.Interpolation.NEAREST) : space.labels();
		return new ScanPair(subject, resampler().resample(baseline, g, tb), resampler().resample(followup, g, tf), labels);
	}

	/**
	 * The atlas labels carried onto the baseline's own grid through {@code T_b} (nearest neighbour),
	 * for pooling by atlas regions where the alignment leaves the pair without labels.
	 */
	public Volume atlasLabelsOn(final Volume baseline) {
		if (atlas == null)
			throw new IllegalArgumentException("Pooling by atlas regions needs an atlas");
		return Resampler.nearest().resample(atlas.labels(), Grid.of(baseline), toAtlas(baseline).inverse());
	}

	/**
	 * The atlas on the grid of atlas space for this baseline, resampled once per grid (once per study
	 * when the cohort's scans share a voxel size). Registration to the atlas always uses the atlas's
	 * own template, so it is shared with the crops of the other alignments.
	 */
	private Atlas atlasSpace(final Volume baseline) {
		final Grid g = settings.atlasResolution().grid(Grid.of(atlas.template()), baseline);
		return spaces.computeIfAbsent(g, atlas::onGrid);
	}

	/** Atlas world to scan world. */
	private AffineTransform3D toAtlas(final Volume scan) {
		return register(atlas.template(), scan, settings.atlasRegistration());
	}

	/** Baseline world to follow-up world. */
	private AffineTransform3D pairTransform(final Volume baseline, final Volume followup) {
		return register(baseline, followup, settings.pairRegistration());
	}

	/** Fixed world to moving world, from the cache when it has the result. */
	private AffineTransform3D register(final Volume fixed, final Volume moving, final RegistrationSettings s) {
		final Supplier<CentredAffine> compute = () -> new AffineRegistration(s, progress).register(fixed, moving).transform();
		return (cache == null ? compute.get() : cache.registration(fixed, moving, s, compute)).toAffine();
	}

	private RoiBox atlasBox() {
		return RoiBox.ofLabels(atlas.labels(), roiValues, settings.marginMm());
	}

	private Resampler resampler() {
		return new Resampler(settings.interpolation(), 0f);
	}
}
