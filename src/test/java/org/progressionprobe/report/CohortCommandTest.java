package org.progressionprobe.report;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.List;
import java.util.Map;
import java.util.TreeMap;

import org.junit.jupiter.api.Test;
import org.progressionprobe.study.CohortCommand;
import org.progressionprobe.study.CohortFeaturesCommand;
import org.progressionprobe.study.StudyPlan;
import org.scijava.command.CommandInfo;
import org.scijava.module.ModuleItem;
import org.scijava.service.Service;

/** Cohort Features and Run Study share their parameters through {@link CohortCommand}: the same keys as before, in a sensible order, with the settings' defaults. */
class CohortCommandTest {

	@Test
	void theKeysAreTheOnesMacrosAndTheLauncherUseTheInputsLeadTheMainDialog() {
		assertEquals(List.of("cohort", "atlas", "atlas_labels", "atlas_names", "output", "extractor", "alignment", "roi", "prealign"),
				keys(CohortFeaturesCommand.class, false));
		assertEquals(List.of("roi_labels", "margin_mm", "pooling", "pooling_regions", "combine", "device", "atlas_voxel_mm", "threads", "parallel_pairs",
				"layers"), keys(CohortFeaturesCommand.class, true));
		assertEquals(List.of("cohort", "atlas", "atlas_labels", "atlas_names", "output_dir", "alignments", "roi", "extractors", "layers", "prealign"),
				keys(RunStudyCommand.class, false));
		assertEquals(List.of("roi_labels", "margin_mm", "pooling", "pooling_regions", "combine", "device", "atlas_voxel_mm", "threads", "parallel_pairs",
				"folds", "seed", "bootstrap", "c", "repeats", "permutations", "nested"), keys(RunStudyCommand.class, true));
	}

	@Test
	void theDefaultsAreTheSettingsClasses() {
		final Map<String, Object> expected = new TreeMap<>(Map.of("roi_labels", StudyPlan.DEFAULT_ROI_LABELS, "margin_mm", 10.0, "pooling", "gap",
				"pooling_regions", "grid", "combine", "diff", "device", "cpu", "atlas_voxel_mm", "", "threads", 0, "parallel_pairs", 1, "prealign", "affine"));
		for (final Class<?> c : List.of(CohortFeaturesCommand.class, RunStudyCommand.class)) {
			final CommandInfo info = new CommandInfo(c.getName());
			final Map<String, Object> defaults = new TreeMap<>();
			expected.keySet().forEach(k -> defaults.put(k, info.getInput(k).getDefaultValue()));
			assertEquals(expected, defaults, c.getName());
		}
		assertEquals("none,pair,atlas", new CommandInfo(RunStudyCommand.class.getName()).getInput("alignments").getDefaultValue());
		assertEquals("none", new CommandInfo(CohortFeaturesCommand.class.getName()).getInput("alignment").getDefaultValue());
		assertEquals(5, new CommandInfo(RunStudyCommand.class.getName()).getInput("folds").getDefaultValue());
	}

	private static List<String> keys(final Class<?> command, final boolean advanced) {
		final CommandInfo info = new CommandInfo(command.getName());
		return java.util.stream.StreamSupport.stream(info.inputs().spliterator(), false)
				.filter(i -> !Service.class.isAssignableFrom(i.getType()) && isAdvanced(i) == advanced).map(ModuleItem::getName).toList();
	}

	private static boolean isAdvanced(final ModuleItem<?> item) {
		return "Advanced".equals(item.get("group"));
	}
}
