package org.progressionprobe.align;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.util.List;

import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.progressionprobe.align.PairPreparation.Alignment;
import org.progressionprobe.command.Progress;
import org.progressionprobe.io.AtlasFiles;
import org.progressionprobe.testing.SharedData;
import org.progressionprobe.volume.AffineTransform3D;
import org.progressionprobe.volume.Atlas;
import org.progressionprobe.volume.Grid;
import org.progressionprobe.volume.Resampler;
import org.progressionprobe.volume.ScanPair;
import org.progressionprobe.volume.Volume;

/**
 * ROI boxes and the study's pair preparation on Colin27 + AAL (at 2 mm to keep it fast): a
 * "baseline" that is Colin27 with a shifted world, and a "follow-up" that is the baseline moved by
 * a known affine.
 */
class RoiAndPreparationTest {

	static Atlas atlas;
	static Volume baseline, followup;
	static final AffineTransform3D BASELINE_SHIFT = AffineTransform3D.of(1, 0, 0, 30, 0, 1, 0, -20, 0, 0, 1, 10);
	static final AffineTransform3D MOTION = AffineTransform3D.of(0.99, -0.07, 0.02, 3, 0.07, 1.01, 0.01, -2, -0.02, 0, 0.98, 4);

	@BeforeAll
	static void atlasAt2mm() throws IOException {
		final Atlas full = AtlasFiles.read(SharedData.require("data/template/ch2.nii.gz"), SharedData.require("data/template/aal.nii.gz"),
				SharedData.require("data/template/aal.nii.txt"));
		final Grid g = Grid.of(full.template()).coarsened(new double[] { 2, 2, 2 });
		atlas = new Atlas(Resampler.linear().resample(full.template(), g), Resampler.nearest().resample(full.labels(), g), full.names());
		final Volume t = atlas.template();
		baseline = Volume.wrap(t.data().clone(), t.nx(), t.ny(), t.nz(), BASELINE_SHIFT.copy().concatenate(t.voxelToWorld()));
		// follow-up(x) = baseline(MOTION^-1 x): baseline world p appears at MOTION(p)
		followup = Resampler.linear().resample(baseline, Grid.of(baseline), MOTION.inverse());
	}

	@Test
	void labelBoxGrowsByTheMarginAndCarriesThroughATransform() {
		final Volume l = Volume.zeros(20, 20, 20, org.progressionprobe.volume.Geometry.scaling(new double[] { 1, 2, 1 }, new double[] { 0, 0, 0 }));
		l.set(5, 6, 7, 3);
		l.set(8, 9, 10, 3);
		l.set(1, 1, 1, 4);
		final RoiBox b = RoiBox.ofLabels(l, List.of(3), 2);
		assertArrayEquals(new double[] { 3, 5, 5 }, b.min(), 1e-12, "2 mm = 2 voxels in x and z, 1 voxel in y");
		assertArrayEquals(new double[] { 10, 10, 12 }, b.max(), 1e-12);
		final Grid same = b.on(Grid.of(l), new AffineTransform3D());
		assertEquals(Grid.of(l).subGrid(new int[] { 3, 5, 5 }, new int[] { 8, 6, 8 }), same);
		// a world shift of +2 mm in x moves the crop by 2 voxels
		final Grid shifted = b.on(Grid.of(l), AffineTransform3D.of(1, 0, 0, 2, 0, 1, 0, 0, 0, 0, 1, 0));
		assertEquals(Grid.of(l).subGrid(new int[] { 5, 5, 5 }, new int[] { 8, 6, 8 }), shifted);
		// clipped at the image's edge; entirely outside is an error
		final Grid clipped = RoiBox.ofWorld(new double[] { -5, -5, -5 }, new double[] { 3, 3, 3 }).on(Grid.of(l), new AffineTransform3D());
		assertArrayEquals(new int[] { 4, 2, 4 }, clipped.size());
		assertThrows(IllegalArgumentException.class, () -> RoiBox.ofWorld(new double[] { 100, 0, 0 }, new double[] { 110, 5, 5 })
				.on(Grid.of(l), new AffineTransform3D()));
		assertThrows(IllegalArgumentException.class, () -> RoiBox.ofLabels(l, List.of(9), 0), "absent label");
		// a crop of a sub-grid copies voxels exactly
		assertEquals(3f, RoiBox.crop(l, same, Resampler.Interpolation.LINEAR).get(2, 1, 2));
	}

	@Test
	void noneWithoutCropLeavesTheScansAlone() {
		final ScanPair p = new PairPreparation(PairPreparation.Settings.of(Alignment.NONE), null, Progress.NONE).prepare("s1", baseline, followup);
		assertSame(baseline, p.baseline());
		assertSame(followup, p.followup());
		assertNull(p.labels());
	}

	@Test
	void pairResamplesTheFollowupOntoTheBaseline() {
		final ScanPair p = new PairPreparation(PairPreparation.Settings.of(Alignment.PAIR), null, Progress.NONE).prepare("s1", baseline, followup);
		assertTrue(p.followup().sameGrid(baseline));
		assertNull(p.labels());
		assertTrue(correlation(p.baseline(), p.followup()) > 0.98, "follow-up aligned to the baseline");
	}

	@Test
	void pairWithACropUsesTheAtlasToFindTheRegion() {
		final PairPreparation.Settings s = PairPreparation.Settings.of(Alignment.PAIR).withRoi(List.of("Hippocampus_.*"), 6);
		final ScanPair p = new PairPreparation(s, atlas, Progress.NONE).prepare("s1", baseline, followup);
		final Grid expected = RoiBox.ofLabels(atlas.labels(), atlas.labelsMatching(List.of("Hippocampus_.*")), 6).on(Grid.of(atlas.labels()),
				new AffineTransform3D());
		// the baseline is the atlas's voxels with a shifted world: the crop should be (nearly) the same voxels
		final double[] o = new double[3];
		p.baseline().voxelToWorld().apply(new double[3], o);
		final double[] e = new double[3];
		BASELINE_SHIFT.copy().concatenate(expected.voxelToWorld()).apply(new double[3], e);
		assertArrayEquals(e, o, 2.01, "crop origin within a voxel");
		assertTrue(p.labels().sameGrid(p.baseline()) && p.followup().sameGrid(p.baseline()));
		// the true labels of the crop: the atlas's, through the known baseline world shift
		final Volume truth = Resampler.nearest().resample(atlas.labels(), Grid.of(p.baseline()), BASELINE_SHIFT.inverse());
		assertTrue(agreement(p.labels(), truth) > 0.9, "labels carried onto the baseline: " + agreement(p.labels(), truth));
		assertTrue(count(p.labels(), 37) > 100 && count(p.labels(), 38) > 100, "both hippocampi inside the crop");
		assertTrue(correlation(p.baseline(), p.followup()) > 0.97);
	}

	@Test
	void atlasPutsBothScansOnTheAtlasGridWithItsLabels() {
		final PairPreparation.Settings s = PairPreparation.Settings.of(Alignment.ATLAS).withRoi(List.of("Hippocampus_L", "Hippocampus_R"), 4);
		final PairPreparation prep = new PairPreparation(s, atlas, Progress.NONE);
		final ScanPair p = prep.prepare("s1", baseline, followup);
		final Grid g = RoiBox.ofLabels(atlas.labels(), List.of(37, 38), 4).on(Grid.of(atlas.labels()), new AffineTransform3D());
		assertEquals(g, Grid.of(p.baseline()));
		assertArrayEquals(RoiBox.crop(atlas.labels(), g, Resampler.Interpolation.NEAREST).data(), p.labels().data());
		final Volume template = RoiBox.crop(atlas.template(), g, Resampler.Interpolation.LINEAR);
		assertTrue(correlation(template, p.baseline()) > 0.98, "baseline in atlas space");
		assertTrue(correlation(template, p.followup()) > 0.97, "follow-up in atlas space");
		// a pure function: the same inputs give the same numbers
		assertArrayEquals(p.followup().data(), prep.prepare("s1", baseline, followup).followup().data());
		assertEquals("atlas", prep.provenance().get("alignment"));
	}

	@Test
	void noneWithACropCutsEachScanOnItsOwnGrid() {
		final PairPreparation.Settings s = PairPreparation.Settings.of(Alignment.NONE).withRoi(List.of("Amygdala_.*"), 4);
		final ScanPair p = new PairPreparation(s, atlas, Progress.NONE).prepare("s1", baseline, followup);
		assertTrue(p.labels().sameGrid(p.baseline()));
		assertTrue(count(p.labels(), 41) > 10 && count(p.labels(), 42) > 10, "both amygdalae in the baseline crop");
		// each crop is a sub-grid of its own scan: same voxel size and axes, integer offset
		for (final Volume[] pair : new Volume[][] { { p.baseline(), baseline }, { p.followup(), followup } }) {
			final AffineTransform3D idx = pair[1].worldToVoxel().concatenate(pair[0].voxelToWorld());
			for (int r = 0; r < 3; r++) {
				assertEquals(idx.get(r, 3), Math.rint(idx.get(r, 3)), 1e-6);
				for (int c = 0; c < 3; c++)
					assertEquals(r == c ? 1 : 0, idx.get(r, c), 1e-9);
			}
		}
	}

	@Test
	void settingsThatCannotWorkAreRefused() {
		assertThrows(IllegalArgumentException.class, () -> new PairPreparation(PairPreparation.Settings.of(Alignment.ATLAS), null, Progress.NONE));
		final IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> new PairPreparation(
				PairPreparation.Settings.of(Alignment.PAIR).withRoi(List.of("No_Such_Region"), 0), atlas, Progress.NONE));
		assertTrue(e.getMessage().contains("No atlas label matches"), e.getMessage());
	}

	static double correlation(final Volume a, final Volume b) {
		double sa = 0, sb = 0, saa = 0, sbb = 0, sab = 0;
		final int n = a.data().length;
		for (int i = 0; i < n; i++) {
			final double x = a.data()[i], y = b.data()[i];
			sa += x;
			sb += y;
			saa += x * x;
			sbb += y * y;
			sab += x * y;
		}
		return (sab - sa * sb / n) / Math.sqrt((saa - sa * sa / n) * (sbb - sb * sb / n));
	}

	private static double agreement(final Volume a, final Volume b) {
		if (a.data().length != b.data().length)
			return 0;
		int same = 0, n = 0;
		for (int i = 0; i < a.data().length; i++)
			if (a.data()[i] != 0 || b.data()[i] != 0) {
				n++;
				if (a.data()[i] == b.data()[i])
					same++;
			}
		return (double) same / n;
	}

	private static int count(final Volume v, final int label) {
		int n = 0;
		for (final float x : v.data())
			if (x == label)
				n++;
		return n;
	}
}
