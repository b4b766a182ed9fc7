package org.progressionprobe.features.change;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.Map;

import org.junit.jupiter.api.Test;
import org.progressionprobe.align.PairPreparation;
import org.progressionprobe.align.PairPreparation.Alignment;
import org.progressionprobe.command.Progress;
import org.progressionprobe.table.FeatureVector;
import org.progressionprobe.volume.Atlas;
import org.progressionprobe.volume.AtlasResolution;
import org.progressionprobe.volume.ScanPair;
import org.progressionprobe.volume.Volume;

/**
 * Atlas alignment at the scans' voxel size measures the same change as on the atlas's own finer
 * grid: a 1 mm atlas, 2 mm scans whose ball loses 20% of its volume, change features both ways.
 */
class AtlasSpaceChangeTest {

	@Test
	void theScansResolutionMeasuresTheKnownChangeAsTheAtlasGridDoes() {
		final SyntheticChange change = SyntheticChange.standard(0.8);
		final Volume template = change.baselineOn(80, SyntheticChange.grid(80, 1.0));
		final Atlas atlas = new Atlas(template, change.labelsOn(template), Map.of(1, "Shrinking", 2, "Control"));
		final Volume baseline = change.baselineOn(40, SyntheticChange.grid(40, 2.0));
		final Volume followup = change.followupOn(40, SyntheticChange.grid(40, 2.0));
		final ChangeFeatures features = new ChangeFeatures(ChangeFeatures.Settings.defaults()
				.withRegistration(DemonsRegistration.Settings.defaults().withBiasSigmaMm(0)).withLabelNames(atlas.names()));
		final PairPreparation.Settings s = PairPreparation.Settings.of(Alignment.ATLAS);
		final ScanPair coarse = new PairPreparation(s, atlas, Progress.NONE).prepare("s1", baseline, followup);
		final ScanPair fine = new PairPreparation(s.withAtlasResolution(AtlasResolution.ATLAS), atlas, Progress.NONE).prepare("s1", baseline, followup);
		assertArrayEquals(new int[] { 40, 40, 40 }, coarse.baseline().size(), "atlas space at the scans' 2 mm");
		assertArrayEquals(new int[] { 80, 80, 80 }, fine.baseline().size(), "the atlas's own 1 mm grid");
		final FeatureVector c = features.compute(coarse), f = features.compute(fine);
		final double truth = Math.log(0.8);
		assertEquals(truth, f.get("logjac_mean_Shrinking"), 0.04, "1 mm: " + f.get("logjac_mean_Shrinking"));
		assertEquals(truth, c.get("logjac_mean_Shrinking"), 0.04, "2 mm: " + c.get("logjac_mean_Shrinking"));
		assertEquals(f.get("logjac_mean_Shrinking"), c.get("logjac_mean_Shrinking"), 0.03, "the two grids agree");
		assertEquals(0, c.get("logjac_mean_Control"), 0.02);
		assertEquals(0, f.get("logjac_mean_Control"), 0.02);
	}
}
