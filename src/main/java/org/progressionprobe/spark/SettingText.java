package org.progressionprobe.spark;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;

import org.progressionprobe.align.AtlasSource;
import org.progressionprobe.align.PairPreparation.Alignment;
import org.progressionprobe.study.StudySetting;
import org.progressionprobe.volume.AtlasResolution;

/**
 * A {@link StudySetting} as plain text (a map of strings), the form in which it travels to
 * cluster executors, which rebuild the setting from it: {@code parse(format(s))} equals {@code s}
 * with its atlas paths made absolute, so that an executor reads the same files as the driver (on a
 * filesystem every node sees).
 */
public final class SettingText {

	static final String ALIGNMENT = "alignment", ROI_LABELS = "roi_labels", MARGIN_MM = "margin_mm", EXTRACTOR = "extractor",
			ATLAS = "atlas", ATLAS_LABELS = "atlas_labels", ATLAS_NAMES = "atlas_names", ATLAS_VOXEL_MM = "atlas_voxel_mm", REGIONS = "pooling_regions", MODEL_PREFIX = "model.";

	private SettingText() {}

	/** The setting as text; ROI labels are joined by newlines (they are regular expressions and may hold commas). */
	public static Map<String, String> format(final StudySetting s) {
		final Map<String, String> m = new TreeMap<>();
		m.put(ALIGNMENT, s.alignment().key());
		m.put(ROI_LABELS, String.join("\n", s.roiLabels()));
		m.put(MARGIN_MM, Double.toString(s.marginMm()));
		m.put(EXTRACTOR, s.extractor());
		if (s.atlas() != null) {
			m.put(ATLAS, s.atlas().template().toAbsolutePath().toString());
			m.put(ATLAS_LABELS, s.atlas().labels().toAbsolutePath().toString());
			m.put(ATLAS_NAMES, s.atlas().names().toAbsolutePath().toString());
			m.put(ATLAS_VOXEL_MM, s.atlas().resolution().key());
		}
		m.put(REGIONS, s.regions().key());
		s.modelOptions().forEach((k, v) -> m.put(MODEL_PREFIX + k, v));
		return m;
	}

	/** Rebuilds a setting; an error names the key that is missing or wrong. */
	public static StudySetting parse(final Map<String, String> m) {
		final Alignment alignment;
		try {
			alignment = Alignment.valueOf(required(m, ALIGNMENT).toUpperCase(Locale.ROOT));
		} catch (final IllegalArgumentException e) {
			throw new IllegalArgumentException("Setting text: unknown alignment '" + m.get(ALIGNMENT) + "' (none, pair or atlas)");
		}
		final String roi = m.getOrDefault(ROI_LABELS, "");
		final List<String> labels = roi.isEmpty() ? List.of() : new ArrayList<>(Arrays.asList(roi.split("\n")));
		final double margin;
		try {
			margin = Double.parseDouble(m.getOrDefault(MARGIN_MM, "0"));
		} catch (final NumberFormatException e) {
			throw new IllegalArgumentException("Setting text: margin_mm '" + m.get(MARGIN_MM) + "' is not a number");
		}
		AtlasSource atlas = null;
		if (m.containsKey(ATLAS) || m.containsKey(ATLAS_LABELS) || m.containsKey(ATLAS_NAMES))
			atlas = new AtlasSource(Path.of(required(m, ATLAS)), Path.of(required(m, ATLAS_LABELS)), Path.of(required(m, ATLAS_NAMES)),
					AtlasResolution.parse(m.get(ATLAS_VOXEL_MM)));
		final Map<String, String> model = new LinkedHashMap<>();
		m.forEach((k, v) -> {
			if (k.startsWith(MODEL_PREFIX))
				model.put(k.substring(MODEL_PREFIX.length()), v);
		});
		return new StudySetting(alignment, labels, margin, required(m, EXTRACTOR), atlas, model, StudySetting.Regions.parse(m.get(REGIONS)));
	}

	private static String required(final Map<String, String> m, final String key) {
		final String v = m.get(key);
		if (v == null || v.isBlank())
			throw new IllegalArgumentException("Setting text: no " + key);
		return v;
	}
}
