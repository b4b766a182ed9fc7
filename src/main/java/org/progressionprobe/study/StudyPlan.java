package org.progressionprobe.study;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

import org.progressionprobe.align.AtlasSource;
import org.progressionprobe.align.PairPreparation.Alignment;
import org.progressionprobe.features.change.ChangeFeatures;
import org.progressionprobe.features.model.FeatureSettings;
import org.progressionprobe.volume.AtlasResolution;

/**
 * What a study compares: alignments x crop options x extractors, as a user writes them
 * ({@code alignments="none,pair,atlas"}, {@code roi="off,on"}, {@code extractors="change,model.zip"}),
 * turned into the list of {@link StudySetting}s. A crop or atlas alignment without an atlas uses
 * the default atlas ({@link AtlasSource#phantom()}); combinations that cannot work are refused with a reason.
 *
 * @param alignments none, pair, atlas
 * @param roi off, on
 * @param roiLabels atlas label names or patterns of the region for "on"
 * @param marginMm crop margin
 * @param extractors "change" or model packages / built-in names
 * @param modelOptions settings of model extractors
 * @param atlas the atlas, or null for the default one where an atlas is needed
 * @param atlasResolution voxel size of atlas space for atlas alignment (replaces the atlas's own)
 */
public record StudyPlan(List<String> alignments, List<String> roi, List<String> roiLabels, double marginMm, List<String> extractors,
		ModelOptions modelOptions, AtlasSource atlas, AtlasResolution atlasResolution) {

	/** A plan with atlas space at the scans' voxel size. */
	public StudyPlan(final List<String> alignments, final List<String> roi, final List<String> roiLabels, final double marginMm,
			final List<String> extractors, final ModelOptions modelOptions, final AtlasSource atlas) {
		this(alignments, roi, roiLabels, marginMm, extractors, modelOptions, atlas, AtlasResolution.SCANS);
	}

	/** The change extractor's pre-registration by default. */
	public static final String DEFAULT_PREALIGN = ChangeFeatures.Settings.defaults().prealign().key();

	/** A study's alignments by default: all three, so that a study compares them. */
	public static final String DEFAULT_ALIGNMENTS = "none,pair,atlas";

	/** The crop option by default: the whole view (a crop needs atlas labels of the region). */
	public static final String DEFAULT_ROI = "off";

	/** A single setting's alignment by default (Cohort Features): none, the scans as they come. */
	public static final String DEFAULT_ALIGNMENT = "none";

	/** The study's region by default: hippocampi and amygdalae, the structures whose atrophy marks progression. */
	public static final String DEFAULT_ROI_LABELS = "Hippocampus.*,Amygdala.*";

	/**
	 * Settings shared by every model extractor of a study ({@code layers}, {@code pooling},
	 * {@code combine}, {@code device}), and the change extractor's pre-registration of the follow-up
	 * onto the baseline ({@code prealign}: affine, rigid or none; see {@link ChangeFeatures.Prealign}).
	 */
	public record ModelOptions(String layers, String pooling, String combine, String device, String prealign) {

		/** Null or blank text takes the default of its settings class ({@link FeatureSettings#defaults()}, {@link ChangeFeatures.Settings#defaults()}). */
		public ModelOptions {
			final FeatureSettings d = FeatureSettings.defaults();
			layers = layers == null ? "" : layers;
			pooling = blank(pooling) ? d.poolingText() : pooling;
			combine = blank(combine) ? d.combine().toString() : combine;
			device = blank(device) ? d.device().toString() : device;
			prealign = ChangeFeatures.Prealign.parse(prealign == null ? DEFAULT_PREALIGN : prealign).key();
		}

		/** Model settings with the change extractor's default pre-registration. */
		public ModelOptions(final String layers, final String pooling, final String combine, final String device) {
			this(layers, pooling, combine, device, DEFAULT_PREALIGN);
		}

		/** Every declared layer, global average pooling, difference of single-scan features, CPU; affine pre-registration for change features. */
		public static ModelOptions defaults() {
			return new ModelOptions(null, null, null, null);
		}

		private static boolean blank(final String text) {
			return text == null || text.isBlank();
		}

		/** The options of the change extractor. */
		Map<String, String> changeMap() {
			return Map.of(StudySetting.PREALIGN, prealign);
		}

		Map<String, String> toMap() {
			final Map<String, String> m = new LinkedHashMap<>();
			m.put("layers", layers);
			m.put("pooling", pooling);
			m.put("combine", combine);
			m.put("device", device);
			return m;
		}
	}

	/** Every combination, in the order alignments, then crop, then extractor. */
	public List<StudySetting> settings() throws java.io.IOException {
		if (alignments.isEmpty() || extractors.isEmpty())
			throw new IllegalArgumentException("A study needs at least one alignment and one extractor");
		final List<StudySetting> out = new ArrayList<>();
		for (final String a : alignments) {
			final Alignment alignment = parseAlignment(a);
			for (final String r : roi.isEmpty() ? List.of("off") : roi) {
				final boolean crop = parseRoi(r);
				final AtlasSource given = atlas == null && (crop || alignment == Alignment.ATLAS) ? AtlasSource.phantom() : atlas;
				final AtlasSource source = given == null ? null : given.withResolution(atlasResolution);
				if (crop && roiLabels.isEmpty())
					throw new IllegalArgumentException("roi=on needs roi_labels");
				for (final String e : extractors)
					out.add(new StudySetting(alignment, crop ? roiLabels : List.of(), marginMm, e, source,
							e.equals(StudySetting.CHANGE) ? modelOptions.changeMap() : modelOptions.toMap()));
			}
		}
		return out;
	}

	private static Alignment parseAlignment(final String a) {
		try {
			return Alignment.valueOf(a.trim().toUpperCase(Locale.ROOT));
		} catch (final IllegalArgumentException e) {
			throw new IllegalArgumentException("Unknown alignment '" + a + "': use none, pair or atlas");
		}
	}

	private static boolean parseRoi(final String r) {
		return switch (r.trim().toLowerCase(Locale.ROOT)) {
		case "on", "true", "yes" -> true;
		case "off", "false", "no" -> false;
		default -> throw new IllegalArgumentException("Unknown roi option '" + r + "': use off or on");
		};
	}
}
