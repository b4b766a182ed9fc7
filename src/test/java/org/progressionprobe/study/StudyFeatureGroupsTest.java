package org.progressionprobe.study;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;
import org.progressionprobe.align.PairPreparation.Alignment;
import org.progressionprobe.table.FeatureTable;

class StudyFeatureGroupsTest {

	private static final List<String> COLUMNS = List.of("subject", "label", "enc1_gap_c00", "enc1_gap_c01", "volume_change_gap_c00",
			"volume_change_gmp_c00");

	private static StudySetting network(final String layers) {
		return new StudySetting(Alignment.NONE, List.of(), 0, "net.zip", null, Map.of("layers", layers));
	}

	@Test
	void layersWithUnderscoresGetTheirOwnProbeAsTheNetworkDeclaresThem() {
		final FeatureTable table = new FeatureTable(COLUMNS, Map.of("features.layers", "enc1,volume_change"));
		final Map<String, List<String>> groups = Study.featureGroups(network(""), table);
		assertEquals(List.of("all", "enc1", "volume_change"), List.copyOf(groups.keySet()));
		assertEquals(List.of("volume_change_gap_c00", "volume_change_gmp_c00"), groups.get("volume_change"));
		assertEquals(4, groups.get("all").size());
	}

	@Test
	void aColumnGoesToTheLongestLayerNameThatBeginsIt() {
		final FeatureTable table = new FeatureTable(List.of("subject", "label", "volume_gap_c00", "volume_change_gap_c00", "volume_change_gmp_c00"),
				Map.of("features.layers", "volume,volume_change"));
		final Map<String, List<String>> groups = Study.featureGroups(network(""), table);
		assertEquals(List.of("volume_gap_c00"), groups.get("volume"));
		assertEquals(List.of("volume_change_gap_c00", "volume_change_gmp_c00"), groups.get("volume_change"));
	}

	@Test
	void layersTheUserChoseOverrideTheDeclaredOnesAndOneLayerGetsNoSeparateProbe() {
		final FeatureTable table = new FeatureTable(COLUMNS, Map.of("features.layers", "enc1,volume_change"));
		assertEquals(List.of("all"), List.copyOf(Study.featureGroups(network("volume_change"), table).keySet()));
		assertEquals(List.of("all"), List.copyOf(Study.featureGroups(
				new StudySetting(Alignment.NONE, List.of(), 0, StudySetting.CHANGE, null, Map.of()), table).keySet()));
	}
}
