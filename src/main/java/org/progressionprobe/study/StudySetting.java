package org.progressionprobe.study;

import java.io.IOException;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

import org.progressionprobe.align.AtlasSource;
import org.progressionprobe.align.PairPreparation;
import org.progressionprobe.align.TransformCache;
import org.progressionprobe.command.ParameterValues;
import org.progressionprobe.command.Progress;
import org.progressionprobe.features.PairExtractor;
import org.progressionprobe.features.change.ChangeFeatureCache;
import org.progressionprobe.features.change.ChangeFeatures;
import org.progressionprobe.features.model.FeatureSettings;
import org.progressionprobe.features.model.ModelCache;
import org.progressionprobe.features.model.ModelFeatures;
import org.progressionprobe.features.model.ModelPackage;
import org.progressionprobe.features.model.ScanFeatureCache;
import org.progressionprobe.io.AtlasFiles;
import org.progressionprobe.io.VolumeIO;
import org.progressionprobe.pipeline.PairSource;
import org.progressionprobe.table.CohortPair;
import org.progressionprobe.volume.Atlas;
import org.progressionprobe.volume.ScanPair;
import org.progressionprobe.volume.Volume;

/**
 * One way of turning a cohort into a feature table: how the scans are prepared (alignment none,
 * pair or atlas; crop to atlas labels or not) and which features are read out (the built-in
 * change features, or a network). Everything is plain values, so a setting can be rebuilt
 * anywhere (another thread, a cluster executor) and gives the same features.
 *
 * @param alignment how the scans are aligned
 * @param roiLabels atlas label names or patterns to crop to; empty = no crop
 * @param marginMm margin of the crop, mm
 * @param extractor "change", or a model (package path or built-in name)
 * @param atlas the atlas (for atlas alignment, crops and regional pooling), or null
 * @param modelOptions settings of a model extractor (layers, pooling, combine, device), or of the change extractor
 *        ({@value #PREALIGN}: affine, rigid or none; affine when absent). Only the {@code none} alignment
 *        pre-registers: after pair or atlas alignment the scans arrive affinely aligned by the study's own
 *        registration, and a second affine fit on a crop only adds noise (pair-aligned crop, 32 simulated
 *        subjects: AUC 0.82 without it, 0.64 with it)
 * @param regions what features are pooled over where the alignment gives no atlas labels (none or pair without a crop)
 */
public record StudySetting(PairPreparation.Alignment alignment, List<String> roiLabels, double marginMm, String extractor, AtlasSource atlas,
		Map<String, String> modelOptions, Regions regions) {

	/** The built-in change features (deformable registration, Jacobians). */
	public static final String CHANGE = "change";

	/** Option of the change extractor: the follow-up's pre-registration onto the baseline. */
	public static final String PREALIGN = "prealign";

	/**
	 * The regions of a none or pair setting without a crop: a grid of cells over the foreground (or the
	 * cohort's own baseline labels), or the atlas regions carried onto the baseline through its
	 * affine registration to the atlas (the one atlas settings share in the transform cache).
	 */
	public enum Regions {
		GRID, ATLAS;

		public String key() {
			return name().toLowerCase(Locale.ROOT);
		}

		/** grid or atlas; an error names the wrong value. */
		public static Regions parse(final String s) {
			return switch (s == null || s.isBlank() ? GRID.key() : s.trim().toLowerCase(Locale.ROOT)) {
			case "grid" -> GRID;
			case "atlas" -> ATLAS;
			default -> throw new IllegalArgumentException("Unknown pooling_regions '" + s + "': use grid or atlas");
			};
		}
	}

	public StudySetting {
		roiLabels = List.copyOf(roiLabels);
		modelOptions = Map.copyOf(modelOptions);
		if (regions == null)
			regions = Regions.GRID;
	}

	/** A setting with grid regions where the alignment gives no atlas labels. */
	public StudySetting(final PairPreparation.Alignment alignment, final List<String> roiLabels, final double marginMm, final String extractor,
			final AtlasSource atlas, final Map<String, String> modelOptions) {
		this(alignment, roiLabels, marginMm, extractor, atlas, modelOptions, Regions.GRID);
	}

	/** The same setting with these regions (an atlas is then needed: the given one, else the default). */
	public StudySetting withRegions(final Regions r) throws IOException {
		final AtlasSource a = r == Regions.ATLAS && atlas == null ? AtlasSource.phantom() : atlas;
		return new StudySetting(alignment, roiLabels, marginMm, extractor, a, modelOptions, r);
	}

	/** The settings with these regions. */
	public static List<StudySetting> withRegions(final List<StudySetting> settings, final Regions r) throws IOException {
		final List<StudySetting> out = new java.util.ArrayList<>();
		for (final StudySetting s : settings)
			out.add(s.withRegions(r));
		return out;
	}

	/** Whether the pairs get the atlas regions carried onto the baseline (the alignment and crop give no labels of their own). */
	public boolean poolsAtlasRegions() {
		return regions == Regions.ATLAS && alignment != PairPreparation.Alignment.ATLAS && !crops();
	}

	public boolean crops() {
		return !roiLabels.isEmpty();
	}

	/** A short identifier usable as a file name, e.g. {@code atlas-roi_change}, {@code pair-regions_change} (atlas regions pooled). */
	public String id() {
		final String model = extractor.replaceAll(".*/", "").replaceAll("\\.(zip|yaml)$", "");
		return alignment.key() + (crops() ? "-roi" : "") + (poolsAtlasRegions() ? "-regions" : "") + "_" + model.replaceAll("[^A-Za-z0-9.-]+", "-").toLowerCase(Locale.ROOT);
	}

	/** Reads and prepares the scans of one subject as this setting asks. */
	public PairSource createSource(final Progress progress) throws IOException {
		return createSource(null, progress);
	}

	/** As {@link #createSource(Progress)}, looking registrations up in {@code transforms} (null: none) before computing them. */
	public PairSource createSource(final TransformCache transforms, final Progress progress) throws IOException {
		final Atlas loaded = atlas == null ? null : atlas.load();
		PairPreparation.Settings s = PairPreparation.Settings.of(alignment).withRoi(roiLabels, marginMm);
		if (atlas != null)
			s = s.withAtlasResolution(atlas.resolution());
		final PairPreparation preparation = new PairPreparation(s, loaded, transforms, progress);
		final Map<String, String> prov = new LinkedHashMap<>(preparation.provenance());
		if (atlas != null)
			prov.put("atlas", atlas.describe());
		prov.put("labels", poolsAtlasRegions() ? "the atlas's, carried onto each baseline through its affine registration to the atlas"
				: "the atlas's where the setting uses an atlas, else the cohort's " + CohortPair.BASELINE_LABELS + " column when it has one");
		return new PairSource() {
			@Override
			public ScanPair prepare(final CohortPair pair) throws Exception {
				final ScanPair prepared = preparation.prepare(pair.subject(), VolumeIO.read(pair.baseline()), VolumeIO.read(pair.followup()));
				if (poolsAtlasRegions())
					return new ScanPair(prepared.subject(), prepared.baseline(), prepared.followup(), preparation.atlasLabelsOn(prepared.baseline()));
				return prepared.labels() == null && pair.baselineLabels() != null ? withOwnLabels(prepared, pair.baselineLabels()) : prepared;
			}

			@Override
			public Map<String, String> provenance() {
				return prov;
			}
		};
	}

	/** The atlas regions pooled by change features: all of them, or with a crop those of the region of interest (the others lie partly outside it). */
	private Map<Integer, String> regionNames(final Map<Integer, String> names) {
		if (roiLabels.isEmpty())
			return names;
		final Map<Integer, String> roi = new java.util.TreeMap<>();
		for (final int v : Atlas.labelsMatching(names, roiLabels))
			roi.put(v, names.get(v));
		return roi;
	}

	/** The pair with the subject's own baseline label image, which must lie on the prepared baseline's grid. */
	private static ScanPair withOwnLabels(final ScanPair pair, final Path file) throws IOException {
		final Volume labels = VolumeIO.read(file);
		if (!labels.sameGrid(pair.baseline()))
			throw new IllegalArgumentException(file + ": the label image is not on the baseline's grid (" + labels + " vs " + pair.baseline() + ")");
		return new ScanPair(pair.subject(), pair.baseline(), pair.followup(), labels);
	}

	/** The feature extractor of this setting; close it when done (a network holds native memory). */
	public PairExtractor createFeatures(final Progress progress) throws IOException {
		return createFeatures(null, null, progress);
	}

	/**
	 * As {@link #createFeatures(Progress)}, a single-scan network looking each scan's features up in
	 * {@code scanFeatures} (null: none) first, change features each pair in {@code changeFeatures}
	 * (null: none) once its follow-up is pre-registered.
	 */
	public PairExtractor createFeatures(final ScanFeatureCache scanFeatures, final ChangeFeatureCache changeFeatures, final Progress progress)
			throws IOException {
		if (extractor.equals(CHANGE)) {
			ChangeFeatures.Settings s = ChangeFeatures.Settings.parse(modelOptions);
			if (alignment != PairPreparation.Alignment.NONE)
				s = s.withPrealign(ChangeFeatures.Prealign.NONE);
			if (atlas != null)
				s = s.withLabelNames(regionNames(AtlasFiles.readNames(atlas.names())));
			return new ChangeFeatures(s, progress, changeFeatures);
		}
		final Map<String, String> o = modelOptions;
		final FeatureSettings settings = FeatureSettings.parse(o.get("layers"), o.get("pooling"),
				o.containsKey("grid") ? ParameterValues.integer("grid", o.get("grid")) : FeatureSettings.DEFAULT_GRID, o.get("combine"), o.get("device"),
				o.get("engine"), ModelCache.models());
		return new ModelFeatures(ModelPackage.open(Path.of(extractor), settings.unpackRoot()), settings, scanFeatures);
	}
}
