package org.progressionprobe.features.change;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.progressionprobe.table.FeatureVector;
import org.progressionprobe.volume.AffineTransform3D;
import org.progressionprobe.volume.Geometry;
import org.progressionprobe.volume.ScanPair;
import org.progressionprobe.volume.Volume;

class ChangeFeaturesTest {

	private static final Map<Integer, String> NAMES = Map.of(1, "Shrinking", 2, "Control");
	private static final SyntheticChange CASE = SyntheticChange.standard(0.8);
	private static final AffineTransform3D GRID = SyntheticChange.grid(56, 1.25);
	private static Volume baseline, followup, labels;
	private static ChangeMeasurement forward;
	/** The scans of this case have no bias field between them: no bias correction, whose local-mean ratio would absorb part of the change. */
	private static final DemonsRegistration.Settings NO_BIAS = DemonsRegistration.Settings.defaults().withBiasSigmaMm(0);
	private static final ChangeFeatures FEATURES = new ChangeFeatures(ChangeFeatures.Settings.defaults().withRegistration(NO_BIAS).withLabelNames(NAMES));

	@BeforeAll
	static void registerOnce() {
		baseline = CASE.baselineOn(56, GRID);
		followup = CASE.followupOn(56, GRID);
		labels = CASE.labelsOn(baseline);
		forward = FEATURES.measure(new ScanPair("s1", baseline, followup, labels));
	}

	private static double meanJacobian(final ChangeMeasurement m, final int label) {
		double sum = 0;
		int n = 0;
		for (int i = 0; i < labels.data().length; i++)
			if (labels.data()[i] == label) {
				sum += m.jacobian().data()[i];
				n++;
			}
		return sum / n;
	}

	@Test
	void contractionOfABallIsMeasuredWithinTwoPercentOfItsVolume() {
		// the ball keeps 80 % of its volume: the integral of the Jacobian over it is 0.8 times its volume
		final double ratio = meanJacobian(forward, 1);
		assertEquals(0.8, ratio, 0.02 * 0.8, "follow-up volume / baseline volume of the contracted ball");
		// ... and its change (-20 %) within 10 % of itself
		assertEquals(-0.2, ratio - 1, 0.02);
		assertEquals(Math.log(0.8), forward.features().get("logjac_mean_Shrinking"), 0.03);
		assertTrue(forward.features().get("dispmag_p95_Shrinking") > 0.4, "the ball's rim moves by 9 mm * (1 - 0.8^(1/3)) = 0.64 mm");
		assertEquals(0, forward.qc().get("folded_voxels"), 0);
		assertTrue(forward.qc().get("mse_after") < 0.05 * forward.qc().get("mse_before"), forward.qcText());
		assertTrue(forward.qc().get("inverse_consistency_mean_mm") < 0.05, forward.qcText());
	}

	@Test
	void theDefaultBiasCorrectionCostsLittleOfTheContraction() {
		final ChangeMeasurement m = new ChangeFeatures(ChangeFeatures.Settings.defaults().withLabelNames(NAMES))
				.measure(new ScanPair("s1", baseline, followup, labels));
		assertEquals(0.8, meanJacobian(m, 1), 0.03 * 0.8, "with the default 8 mm bias correction");
	}

	@Test
	void regionsTheChangeDidNotReachStayNearZero() {
		final FeatureVector f = forward.features();
		assertEquals(0, f.get("logjac_mean_Control"), 0.01);
		assertEquals(1, meanJacobian(forward, 2), 0.01);
		assertTrue(f.get("dispmag_p95_Control") < 0.1, "control region moved " + f.get("dispmag_p95_Control") + " mm");
	}

	@Test
	void identicalScansGiveZeroChange() {
		final FeatureVector f = FEATURES.compute(new ScanPair("same", baseline, baseline.copy(), labels));
		assertTrue(f.size() > 10 && f.names().containsAll(List.of("logjac_mean_Shrinking", "logjac_mean_Control", "dispmag_p95_foreground")),
				"features: " + f.names());
		for (int i = 0; i < f.size(); i++)
			assertEquals(0, f.get(i), 0, f.names().get(i));
	}

	@Test
	void swappingBaselineAndFollowupFlipsTheSign() {
		final FeatureVector back = FEATURES.compute(new ScanPair("swapped", followup, baseline, labels));
		final double there = forward.features().get("logjac_mean_Shrinking"), andBack = back.get("logjac_mean_Shrinking");
		assertTrue(there < -0.15 && andBack > 0.1, there + " vs " + andBack);
		// the label ball (radius 9 mm) is larger than the shrunken ball (8.4 mm) of the swapped baseline, so a little less comes back
		assertEquals(-there, andBack, 0.35 * -there);
		assertEquals(0, back.get("logjac_mean_Control"), 0.01);
	}

	@Test
	void aFollowupOnAnotherGridIsResampledNotRefused() {
		// the same anatomy on a grid of half the spacing and another size, whose every other voxel falls on a baseline
		// voxel: resampled onto the baseline's grid it is the baseline, so a misplaced resampling would show as change
		final AffineTransform3D fine = Geometry.scaling(new double[] { 0.625, 0.625, 0.625 }, new double[] { GRID.get(0, 3), GRID.get(1, 3), GRID.get(2, 3) });
		final Volume f = CASE.fill(111, 112, 113, fine, true);
		// without pre-registration: this checks the resampling through world coordinates, to 1e-3
		final ChangeFeatures worldOnly = new ChangeFeatures(FEATURES.settings().withPrealign(ChangeFeatures.Prealign.NONE));
		final FeatureVector v = worldOnly.compute(new ScanPair("regridded", baseline, f, labels));
		for (final String region : List.of("foreground", "Shrinking", "Control")) {
			assertEquals(0, v.get("logjac_mean_" + region), 1e-3, region);
			assertEquals(0, v.get("dispmag_p95_" + region), 1e-2, region);
		}
	}

	@Test
	void columnsSayRegionAndStatisticInAFixedOrder() {
		final List<String> names = forward.features().names();
		assertEquals(List.of("logjac_mean_foreground", "logjac_p5_foreground", "logjac_p50_foreground", "logjac_p95_foreground",
				"dispmag_mean_foreground", "dispmag_p5_foreground", "dispmag_p50_foreground", "dispmag_p95_foreground", "logjac_mean_Shrinking"),
				names.subList(0, 9));
		assertEquals(3 * 8, names.size());
		assertEquals("dispmag_p95_Control", names.get(names.size() - 1));
	}

	@Test
	void withoutLabelsAGridOfCellsIsPooledAndTheResultIsDeterministic() throws Exception {
		// the deformable step's pooling on scans aligned by construction (the contracting ball is a large part of this small
		// image, and an affine pre-registration would take up part of its change, which a shortened registration leaves in the cells)
		final ChangeFeatures cells = new ChangeFeatures(ChangeFeatures.Settings.defaults().withPrealign(ChangeFeatures.Prealign.NONE)
				.withRegistration(new DemonsRegistration.Settings(2, new int[] { 20, 10 }, 1, 0.5, 1, 20)).withGridCells(3, 2, 1));
		final ScanPair pair = new ScanPair("cells", baseline, followup, null);
		final FeatureVector a = cells.compute(pair);
		// the same on one thread: parallel loops run inside the pool that calls them
		final java.util.concurrent.ForkJoinPool one = new java.util.concurrent.ForkJoinPool(1);
		final FeatureVector b = one.submit(() -> cells.compute(pair)).get();
		one.shutdown();
		assertEquals((1 + 6) * 8, a.size());
		assertEquals(a.names(), b.names());
		assertArrayEquals(a.values(), b.values(), "same pair, same settings, same numbers, whatever the number of threads");
		assertTrue(a.names().contains("dispmag_p95_cell_2_1_0"), a.names().toString());
		assertTrue(a.names().indexOf("logjac_mean_cell_0_1_0") < a.names().indexOf("logjac_mean_cell_1_0_0"));
		// the ball sits at x = -9, y = 4: the cells (0, 1, 0) and (1, 1, 0) hold it, the far cell (2, 0, 0) does not (the ball's
		// contraction is balanced by the expansion of its surroundings, so the cells' means change little, their low percentiles much)
		assertTrue(a.get("logjac_p5_cell_0_1_0") < -0.1 && a.get("logjac_p5_cell_1_1_0") < -0.1, java.util.Arrays.toString(a.values()));
		assertEquals(0, a.get("logjac_p5_cell_2_0_0"), 0.03);
		assertEquals(0, a.get("logjac_mean_cell_2_0_0"), 0.005);
	}

	@Test
	void labelsWithoutNamesAreNamedByValue() {
		final ChangeFeatures unnamed = new ChangeFeatures(ChangeFeatures.Settings.defaults()
				.withRegistration(new DemonsRegistration.Settings(1, new int[] { 1 }, 1, 0.5, 1, 20)));
		final FeatureVector v = unnamed.compute(new ScanPair("unnamed", baseline, baseline, labels));
		assertTrue(v.names().contains("logjac_mean_label_1") && v.names().contains("dispmag_p50_label_2"), v.names().toString());
	}

	@Test
	void aNamedLabelAbsentFromTheImageGivesNaNButKeepsItsColumns() {
		final ChangeFeatures extra = new ChangeFeatures(ChangeFeatures.Settings.defaults()
				.withRegistration(new DemonsRegistration.Settings(1, new int[] { 1 }, 1, 0.5, 1, 20)).withLabelNames(Map.of(1, "Shrinking", 7, "Absent region")));
		final FeatureVector v = extra.compute(new ScanPair("absent", baseline, baseline, labels));
		assertTrue(Double.isNaN(v.get("logjac_mean_Absent_region")));
		assertEquals(3 * 8, v.size());
	}

	@Test
	void nonFiniteVoxelsAreAnErrorNamingSubjectAndScan() {
		final Volume bad = followup.copy();
		bad.set(3, 4, 5, Float.NaN);
		final IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> FEATURES.compute(new ScanPair("subject-17", baseline, bad, labels)));
		assertTrue(e.getMessage().contains("subject-17") && e.getMessage().contains("follow-up") && e.getMessage().contains("non-finite")
				&& e.getMessage().contains("(3, 4, 5)"), e.getMessage());
	}

	@Test
	void anEmptyForegroundIsAnErrorNamingTheSubject() {
		final Volume flat = baseline.zerosLike();
		final IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> FEATURES.compute(new ScanPair("subject-18", flat, followup, null)));
		assertTrue(e.getMessage().contains("subject-18") && e.getMessage().contains("empty foreground"), e.getMessage());
	}

	@Test
	void provenanceListsTheSettings() {
		final Map<String, String> p = FEATURES.provenance();
		assertEquals("3", p.get("levels"));
		assertTrue(p.get("iterations").startsWith("60,40,20"), p.toString());
		assertEquals("0.75 voxels", p.get("diffusion_sigma"));
		assertEquals("p5,p50,p95", p.get("percentiles"));
		assertTrue(p.get("registration").contains("demons"));
	}
}
