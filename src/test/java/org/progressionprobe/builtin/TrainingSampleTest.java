package org.progressionprobe.builtin;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.util.List;
import java.util.SplittableRandom;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.progressionprobe.command.ParameterLists;
import org.progressionprobe.command.Progress;
import org.progressionprobe.sim.SimulationSettings;
import org.progressionprobe.study.StudyPlan;
import org.progressionprobe.volume.Resampler;

/**
 * The training targets are right. Registration: the baseline channel sampled at q + u(q) matches
 * the follow-up channel at q far better than at q itself, for whole views and for random poses and
 * crops, the follow-up moved at random or aligned (compared by correlation, which each channel's own intensity normalisation leaves alone);
 * its volume change keeps the whole head's volume, finds the shrinking structures, and is exact
 * for linear maps.
 * UNet: its label target lines up with its scan in whole, cropped and ROI views (the phantom paints
 * white matter at 100 and CSF at 25, so white-matter voxels are brighter than CSF voxels in the
 * normalised input), and its held-out ROI view is the study's crop.
 */
class TrainingSampleTest {

	@TempDir
	Path tmp;

	@Test
	void registrationTargetMapsFollowupOntoBaseline() throws Exception {
		final int[] n = { 24, 28, 24 };
		final TrainingSettings s = new TrainingSettings("registration", 3, 1, 1, 2, 1, 4, 4, 2, n, 1e-3, 10, 10, 0.5);
		// no noise and no bias field, so that intensities differ only by where things are
		final SimulationSettings x = s.simulation(false);
		final List<TrainingSubject> subjects = TrainingSubject.simulate(new SimulationSettings(x.subjects(), x.seed(), x.progressorFraction(),
				x.atrophyPercent(), x.ageingPercent(), x.atrophyLabels(), x.fillLabels(), x.maxRotationDeg(), x.maxShiftMm(), 0, 0, x.anatomyMm(),
				x.voxelSizeMm(), null, null, null, true, true, false), tmp, Progress.NONE);
		final RegistrationNet net = new RegistrationNet(s);
		// every third training view through a network whose training views are all aligned (aligned_views=1)
		final RegistrationNet alignedNet = new RegistrationNet(new TrainingSettings("registration", 3, 1, 1, 2, 1, 4, 4, 2, n, 1e-3, 10, 10, 0.5, 1, 0, RegistrationNet.VOLUME_WEIGHT, 0, false, false, null,
				null, null, 0));
		for (int trial = 0; trial < 9; trial++) {
			final TrainingSubject subject = subjects.get(trial % 2);
			final boolean augment = trial > 0;
			final BuiltinTask.Sample sm = (trial % 3 == 2 ? alignedNet : net).sample(subject, new SplittableRandom(trial), augment);
			final SampleView v = augment ? SampleView.training(subject.baseline(), subject.labels(), org.progressionprobe.sim.PhantomAtlas.NAMES, n, new SplittableRandom(trial), 10, 10, 0.5)
					: SampleView.whole(subject.baseline(), n);
			final double[] mm = v.grid().voxelSize();
			final float[] follow = sm.input()[0], base = sm.input()[1];
			final Correlation withU = new Correlation(), without = new Correlation();
			for (int k = 0; k < n[0]; k++)
				for (int j = 0; j < n[1]; j++)
					for (int i = 0; i < n[2]; i++) {
						final int o = (k * n[1] + j) * n[2] + i;
						if (sm.mask()[o] == 0)
							continue;
						final float b = Resampler.linear(base, n[2], n[1], n[0], i + sm.target()[0][o], j + sm.target()[1][o],
								k + sm.target()[2][o], Float.NaN);
						if (Float.isNaN(b))
							continue;
						withU.add(follow[o], b);
						without.add(follow[o], base[o]);
					}
			assertTrue(withU.n > 500, "trial " + trial + ": " + withU.n + " head voxels");
			assertArrayEquals(mm, sm.voxelMm(), 1e-9, "the voxel size that turns the displacement into mm");
			if (trial % 3 == 2) // aligned: a sub-voxel residual at 4 mm, little to gain, nothing to lose
				assertTrue(withU.r() > without.r() - 1e-3 && withU.r() > 0.98, "trial " + trial + ": aligned view: correlation " + withU.r() + " vs " + without.r() + " at q");
			else assertTrue(1 - withU.r() < 0.5 * (1 - without.r()),
					"trial " + trial + ": baseline at q + u(q) matches the follow-up: correlation " + withU.r() + " vs " + without.r() + " at q");
			if (!augment) {
				double sum = 0, least = 0;
				int head = 0;
				for (int o = 0; o < sm.mask().length; o++)
					if (sm.mask()[o] != 0) {
						sum += sm.target()[3][o];
						least = Math.min(least, sm.target()[3][o]);
						head++;
					}
				// the lost volume is filled with CSF nearby: over the whole head the volume stays the same
				assertTrue(Math.abs(sum / head) < 0.01, "trial " + trial + ": head volume unchanged: mean volume change " + sum / head);
				assertTrue(least < -0.03, "trial " + trial + ": the shrinking structures lose volume: least " + least);
			}
		}
	}

	/**
	 * aligned_views: with 1, every training view shows the follow-up aligned to the baseline but for
	 * the residual motion, so the true displacement is the atrophy plus a millimetre or two; with 0 it carries the head motions (up to 10 degrees / 10 mm here). The held-out aligned
	 * ROI crop likewise holds less displacement than the ROI crop with the subject's own motion
	 * ({@link #registrationTargetMapsFollowupOntoBaseline} checks the aligned views' targets).
	 */
	@Test
	void alignedViewsLeaveTheAtrophyAndAResidualMotion() throws Exception {
		final int[] n = { 24, 28, 24 };
		final TrainingSettings moved = new TrainingSettings("registration", 3, 1, 1, 2, 1, 4, 4, 2, n, 1e-3, 10, 10, 0.5);
		final TrainingSettings aligned = new TrainingSettings("registration", 3, 1, 1, 2, 1, 4, 4, 2, n, 1e-3, 10, 10, 0.5, 1, 0, RegistrationNet.VOLUME_WEIGHT, 0, false, false, null, null, null, 0);
		final List<TrainingSubject> subjects = TrainingSubject.simulate(moved.simulation(false), tmp, Progress.NONE);
		double movedMm = 0, alignedMm = 0;
		for (int trial = 0; trial < 6; trial++) {
			final TrainingSubject subject = subjects.get(trial % 2);
			movedMm += meanDisplacementMm(new RegistrationNet(moved).sample(subject, new SplittableRandom(trial), true));
			final BuiltinTask.Sample a = new RegistrationNet(aligned).sample(subject, new SplittableRandom(trial), true);
			alignedMm += meanDisplacementMm(a);
		}
		// measured: 1.2 mm against 15.9 mm (1 degree about the view's centre and 1 mm per axis, plus the atrophy)
		assertTrue(alignedMm / 6 < 2.5 && alignedMm < 0.25 * movedMm, "aligned views: mean displacement " + alignedMm / 6 + " mm against " + movedMm / 6 + " mm moved");
		final List<BuiltinTask.Sample> held = new RegistrationNet(aligned).evaluationSamples(subjects.get(0));
		assertEquals(List.of(BuiltinTask.WHOLE, BuiltinTask.ROI_VIEW, RegistrationNet.ROI_ALIGNED_VIEW), held.stream().map(BuiltinTask.Sample::view).toList());
		assertTrue(meanDisplacementMm(held.get(2)) < 0.5 * meanDisplacementMm(held.get(1)),
				"held-out aligned crop: " + meanDisplacementMm(held.get(2)) + " mm against " + meanDisplacementMm(held.get(1)) + " mm");
	}

	private static double meanDisplacementMm(final BuiltinTask.Sample sm) {
		double sum = 0;
		int count = 0;
		final double[] mm = sm.voxelMm();
		for (int o = 0; o < sm.mask().length; o++)
			if (sm.mask()[o] != 0) {
				sum += Math.hypot(Math.hypot(sm.target()[0][o] * mm[0], sm.target()[1][o] * mm[1]), sm.target()[2][o] * mm[2]);
				count++;
			}
		return sum / count;
	}

	/** Pearson correlation, blind to each channel's own intensity normalisation (a crop's mean and spread differ between the visits). */
	private static final class Correlation {
		double sx, sy, sxx, syy, sxy;
		int n;

		void add(final double x, final double y) {
			sx += x;
			sy += y;
			sxx += x * x;
			syy += y * y;
			sxy += x * y;
			n++;
		}

		double r() {
			return (sxy - sx * sy / n) / Math.sqrt((sxx - sx * sx / n) * (syy - sy * sy / n));
		}
	}

	/**
	 * The regional figure of the registration network: predicting each structure's usual change
	 * (the same for every subject) scores nothing however well it fits the voxels; following each
	 * subject's own change scores 1, whatever each structure's offset.
	 */
	@Test
	void regionalVolumeChangeRewardsReadingTheSubjectNotThePrior() {
		// two structures, three subjects: (predicted, true)
		final List<double[]> hippocampus = List.of(new double[] { -0.1, -0.2 }, new double[] { -0.1, -0.05 }, new double[] { -0.1, -0.12 });
		final List<double[]> ventricle = List.of(new double[] { 0.3, 0.5 }, new double[] { 0.3, 0.1 }, new double[] { 0.3, 0.2 });
		assertTrue(Double.isNaN(org.progressionprobe.stats.Correlation.withinGroups(List.of(hippocampus, ventricle))), "the prior alone carries no regional figure");
		final List<double[]> readHippocampus = List.of(new double[] { -0.3, -0.2 }, new double[] { -0.15, -0.05 }, new double[] { -0.22, -0.12 });
		final List<double[]> readVentricle = List.of(new double[] { 0.9, 0.5 }, new double[] { 0.5, 0.1 }, new double[] { 0.6, 0.2 });
		assertEquals(1, org.progressionprobe.stats.Correlation.withinGroups(List.of(readHippocampus, readVentricle)), 1e-9);
		// reading one structure, the prior in the other: in between
		final double half = org.progressionprobe.stats.Correlation.withinGroups(List.of(readHippocampus, ventricle));
		assertTrue(half > 0 && half < 1, "partly read: " + half);
	}

	/** The volume change of q -> A q (in voxels) is -log det A inside the grid, whatever the rotation in A. */
	@Test
	void volumeChangeOfALinearMapIsMinusItsLogDeterminant() {
		final int[] n = { 6, 5, 4 };
		final double c = Math.cos(0.3), sn = Math.sin(0.3);
		final double[][] rotationTimesScale = { { 1.1 * c, -sn, 0 }, { 1.1 * sn, c, 0 }, { 0, 0, 0.9 } };
		final float[][] u = new float[3][n[0] * n[1] * n[2]];
		for (int k = 0; k < n[2]; k++)
			for (int j = 0; j < n[1]; j++)
				for (int i = 0; i < n[0]; i++) {
					final int o = (k * n[1] + j) * n[0] + i;
					final double[] q = { i, j, k };
					for (int d = 0; d < 3; d++)
						u[d][o] = (float) (rotationTimesScale[d][0] * q[0] + rotationTimesScale[d][1] * q[1] + rotationTimesScale[d][2] * q[2] - q[d]);
				}
		final float[] change = new float[u[0].length];
		RegistrationNet.volumeChange(u, n, change);
		// inside; at the border the voxel repeated outside halves the difference (as the network computes it)
		for (int k = 1; k < n[2] - 1; k++)
			for (int j = 1; j < n[1] - 1; j++)
				for (int i = 1; i < n[0] - 1; i++)
					assertEquals(-Math.log(1.1 * 0.9), change[(k * n[1] + j) * n[0] + i], 1e-4);
	}

	/** roi_views sets how many training views zoom into deep structures: with 1 the study's structures fill many times the share they fill with 0. */
	@Test
	void roiViewsSetTheShareOfZoomedTrainingViews() throws Exception {
		final int[] n = { 24, 28, 24 };
		final List<Integer> roi = org.progressionprobe.volume.Atlas.labelsMatching(org.progressionprobe.sim.PhantomAtlas.NAMES, SampleView.ROI_LABELS);
		final double[] share = new double[2];
		TrainingSubject subject = null;
		for (int k = 0; k < 2; k++) {
			final TrainingSettings s = new TrainingSettings("unet", 3, 1, 1, 1, 1, 3, 4, 2, n, 1e-3, 10, 10, k);
			if (subject == null)
				subject = TrainingSubject.simulate(s.simulation(false), tmp, Progress.NONE).get(0);
			final TaskUNet net = new TaskUNet(s);
			for (int trial = 0; trial < 24; trial++)
				for (final float l : net.sample(subject, new SplittableRandom(trial), true).mask())
					if (roi.contains(Math.round(l)))
						share[k]++;
		}
		assertTrue(share[1] > 4 * share[0], "hippocampus and amygdala voxels in 24 training views: roi_views 0 " + share[0] + ", 1 " + share[1]);
	}

	/** The ROI views show Run Study's default region (builtin sits above study and keeps its own copy of the labels). */
	@Test
	void roiViewsShowRunStudysDefaultRegion() {
		assertEquals(ParameterLists.split(StudyPlan.DEFAULT_ROI_LABELS), SampleView.ROI_LABELS);
	}

	/** The held-out ROI view is the study's crop: the hippocampi and amygdalae fill a far larger share of it than of the whole view. */
	@Test
	void unetRoiViewZoomsIntoTheStudysRegion() throws Exception {
		final int[] n = { 24, 28, 24 };
		final TrainingSettings s = new TrainingSettings("unet", 3, 1, 1, 1, 1, 3, 4, 2, n, 1e-3, 10, 10, 0.5);
		final TrainingSubject subject = TrainingSubject.simulate(s.simulation(false), tmp, Progress.NONE).get(0);
		final List<BuiltinTask.Sample> views = new TaskUNet(s).evaluationSamples(subject);
		assertEquals(List.of(BuiltinTask.WHOLE, BuiltinTask.ROI_VIEW), views.stream().map(BuiltinTask.Sample::view).toList());
		final List<Integer> roi = org.progressionprobe.volume.Atlas.labelsMatching(org.progressionprobe.sim.PhantomAtlas.NAMES, SampleView.ROI_LABELS);
		final double[] share = new double[2];
		for (int v = 0; v < 2; v++) {
			final float[] labels = views.get(v).mask();
			for (final float l : labels)
				if (roi.contains(Math.round(l)))
					share[v] += 1.0 / labels.length;
		}
		// both hemispheres' structures plus 10 mm margins: a few percent of the crop, thirty times their share of the whole view
		assertTrue(share[1] > 0.015 && share[1] > 10 * share[0], "share of hippocampus and amygdala voxels: whole view " + share[0] + ", ROI view " + share[1]);
	}

	@Test
	void unetTargetLinesUpWithTheScan() throws Exception {
		final int[] n = { 24, 28, 24 };
		final TrainingSettings s = new TrainingSettings("unet", 3, 1, 1, 1, 1, 6, 4, 2, n, 1e-3, 10, 10, 0.5);
		final TrainingSubject subject = TrainingSubject.simulate(s.simulation(false), tmp, Progress.NONE).get(0);
		final TaskUNet net = new TaskUNet(s);
		for (int trial = 0; trial < 8; trial++) {
			final BuiltinTask.Sample sm = net.sample(subject, new SplittableRandom(trial), trial > 0);
			assertEquals((org.progressionprobe.sim.PhantomAtlas.NAMES.size() + 1), sm.target().length);
			final int wm = 4, csf = 1;
			double sumWm = 0, sumCsf = 0;
			int nWm = 0, nCsf = 0;
			for (int i = 0; i < sm.mask().length; i++) {
				if (sm.target()[wm][i] == 1) {
					sumWm += sm.input()[0][i];
					nWm++;
				}
				if (sm.target()[csf][i] == 1) {
					sumCsf += sm.input()[0][i];
					nCsf++;
				}
			}
			if (nWm > 20 && nCsf > 20)
				assertTrue(sumWm / nWm > sumCsf / nCsf + 1, "trial " + trial + ": white matter " + sumWm / nWm + ", CSF " + sumCsf / nCsf);
		}
	}
	/**
	 * A moved view samples the same grid where the view samples R(q), R a rigid motion about the
	 * grid's centre within the limits: the follow-up of a registration training sample shows the
	 * head moved once more, so that the network sees more motions than the subjects have.
	 */
	@Test
	void aMovedViewIsTheViewAfterARigidMotionWithinTheLimits() {
		final org.progressionprobe.volume.Volume scan = org.progressionprobe.sim.PhantomAtlas.create(6).template();
		final SampleView v = SampleView.random(scan, new int[] { 24, 28, 24 }, new SplittableRandom(5), 10, 10);
		assertTrue(v.pose().equals(v.moved(new SplittableRandom(1), 0, 0).pose(), 1e-12), "no motion within zero limits");
		double largestShift = 0;
		for (int trial = 0; trial < 20; trial++) {
			final SampleView m = v.moved(new SplittableRandom(trial), 8, 6);
			assertEquals(v.grid(), m.grid());
			// R = pose^-1 moved-pose: rigid, rotated by at most 8 degrees about each axis (sqrt(3) * 8 in all), the centre shifted by at most 6 mm per axis
			final double[] r = v.pose().inverse().concatenate(m.pose()).getRowPackedCopy();
			for (int a = 0; a < 3; a++)
				for (int b = 0; b < 3; b++) {
					double dot = 0;
					for (int k = 0; k < 3; k++)
						dot += r[4 * k + a] * r[4 * k + b];
					assertEquals(a == b ? 1 : 0, dot, 1e-9, "trial " + trial + ": rotation columns orthonormal");
				}
			final double angle = Math.toDegrees(Math.acos(Math.max(-1, Math.min(1, (r[0] + r[5] + r[10] - 1) / 2))));
			assertTrue(angle <= 8 * Math.sqrt(3) + 1e-9, "trial " + trial + ": rotation " + angle + " degrees");
			final int[] n = v.grid().size();
			final double[] c = { (n[0] - 1) / 2.0, (n[1] - 1) / 2.0, (n[2] - 1) / 2.0 }, moved = new double[3];
			v.grid().voxelToWorld().apply(c, c);
			for (int d = 0; d < 3; d++)
				moved[d] = r[4 * d] * c[0] + r[4 * d + 1] * c[1] + r[4 * d + 2] * c[2] + r[4 * d + 3] - c[d];
			for (int d = 0; d < 3; d++) {
				assertTrue(Math.abs(moved[d]) <= 6 + 1e-9, "trial " + trial + ": centre shifted by " + moved[d] + " mm");
				largestShift = Math.max(largestShift, Math.abs(moved[d]));
			}
		}
		assertTrue(largestShift > 3, "the shifts use the limits: largest " + largestShift);
	}
}
