package org.progressionprobe.features.change;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.progressionprobe.command.Progress;
import org.progressionprobe.io.AtlasFiles;
import org.progressionprobe.io.VolumeIO;
import org.progressionprobe.sim.CohortSimulator;
import org.progressionprobe.sim.RigidMotion;
import org.progressionprobe.sim.SimulationSettings;
import org.progressionprobe.table.Cohort;
import org.progressionprobe.table.CohortPair;
import org.progressionprobe.table.FeatureVector;
import org.progressionprobe.volume.ScanPair;
import org.progressionprobe.volume.Volume;

/**
 * The change extractor's own pre-registration: a follow-up repositioned in the scanner (5 degrees
 * about each axis and 6 mm) gives the change features of the unmoved pair with prealign=affine,
 * and wrong ones without it.
 */
class PrealignTest {

	@TempDir
	static Path dir;
	static Volume baseline, followup, moved, labels;
	static Map<Integer, String> names;

	/** Regions with a known volume loss in this progressor (20% on average). */
	static final List<String> ATROPHY = List.of("Hippocampus_L", "Hippocampus_R", "Amygdala_L", "Amygdala_R");

	@BeforeAll
	static void simulateOneProgressorWithoutMotion() throws IOException {
		final SimulationSettings s = SimulationSettings.defaults().withSubjects(1, 3).withVoxelSize(3).withAtrophy(1, 20, 0).withMotion(0, 0);
		final CohortSimulator.Result r = new CohortSimulator(s, Progress.NONE).run(dir);
		final CohortPair p = Cohort.read(r.cohort(), false).pairs().get(0);
		baseline = VolumeIO.read(p.baseline());
		followup = VolumeIO.read(p.followup());
		labels = VolumeIO.read(p.baselineLabels());
		names = AtlasFiles.readNames(CohortSimulator.atlasFiles(dir)[2]);
		// the same voxels, the head repositioned in the scanner's world: rotated about the head's centre, shifted
		final RigidMotion motion = new RigidMotion(new double[] { 5, -5, 5 }, new double[] { 6, -6, 6 });
		moved = Volume.wrap(followup.data().clone(), followup.nx(), followup.ny(), followup.nz(),
				followup.voxelToWorld().copy().preConcatenate(motion.transform()));
	}

	private static FeatureVector features(final ChangeFeatures.Prealign prealign, final Volume f) {
		final ChangeFeatures.Settings s = ChangeFeatures.Settings.defaults().withLabelNames(names).withPrealign(prealign);
		return new ChangeFeatures(s).compute(new ScanPair("sub-001", baseline, f, labels));
	}

	@Test
	void aRepositionedFollowUpGivesTheUnmovedPairsChangeWithAffinePrealignAndNoiseWithout() {
		final FeatureVector unmoved = features(ChangeFeatures.Prealign.NONE, followup);
		final FeatureVector unmovedAffine = features(ChangeFeatures.Prealign.AFFINE, followup);
		final FeatureVector movedAffine = features(ChangeFeatures.Prealign.AFFINE, moved);
		final FeatureVector movedRigid = features(ChangeFeatures.Prealign.RIGID, moved);
		final FeatureVector movedNone = features(ChangeFeatures.Prealign.NONE, moved);
		final StringBuilder report = new StringBuilder();
		for (final String region : ATROPHY) {
			final String c = "logjac_mean_" + region;
			report.append(String.format("%s: unmoved %.4f, unmoved+affine %.4f, moved+affine %.4f, moved+rigid %.4f, moved+none %.4f%n", c,
					unmoved.get(c), unmovedAffine.get(c), movedAffine.get(c), movedRigid.get(c), movedNone.get(c)));
		}
		report.append(String.format("dispmag_mean_foreground: unmoved %.3f, moved+affine %.3f, moved+none %.3f mm%n", unmoved.get("dispmag_mean_foreground"),
				movedAffine.get("dispmag_mean_foreground"), movedNone.get("dispmag_mean_foreground")));
		double total = 0, offAffine = 0, offRigid = 0, offNone = 0;
		for (final String region : ATROPHY) {
			final String c = "logjac_mean_" + region;
			total += unmoved.get(c);
			assertEquals(unmovedAffine.get(c), movedAffine.get(c), 0.015, "affine pre-registration undoes the repositioning\n" + report);
			assertEquals(unmoved.get(c), unmovedAffine.get(c), 0.03, "pre-registering an aligned pair changes little\n" + report);
			offAffine += Math.abs(movedAffine.get(c) - unmovedAffine.get(c));
			offRigid += Math.abs(movedRigid.get(c) - unmovedAffine.get(c));
			offNone += Math.abs(movedNone.get(c) - unmovedAffine.get(c));
		}
		assertTrue(total < -0.1, "the atrophy is measured on the unmoved pair\n" + report);
		assertTrue(offRigid / ATROPHY.size() < 0.015, "a rigid pre-registration undoes it too\n" + report);
		assertTrue(offNone / ATROPHY.size() > 0.04 && offNone > 5 * offAffine, "without pre-registration the repositioning is read as change\n" + report);
		assertTrue(movedNone.get("dispmag_mean_foreground") > 3 * unmoved.get("dispmag_mean_foreground"), "the field absorbs the motion\n" + report);
		assertTrue(movedAffine.get("dispmag_mean_foreground") < 1.5 * unmoved.get("dispmag_mean_foreground"), "the field measures the residual\n" + report);
	}

	@Test
	void thePreRegistrationIsInTheProvenance() {
		final Map<String, String> affine = new ChangeFeatures(ChangeFeatures.Settings.defaults()).provenance();
		assertTrue(affine.get("prealign").startsWith("affine"), affine.toString());
		assertTrue(affine.get("prealign_registration").contains("transform_type=affine") && affine.get("prealign_registration").contains("metric=ncc"),
				affine.toString());
		final Map<String, String> none = new ChangeFeatures(ChangeFeatures.Settings.defaults().withPrealign(ChangeFeatures.Prealign.NONE)).provenance();
		assertTrue(none.get("prealign").startsWith("none") && !none.containsKey("prealign_registration"), none.toString());
	}
}
