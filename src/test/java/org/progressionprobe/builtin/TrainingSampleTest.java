package org.progressionprobe.builtin;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.util.List;
import java.util.SplittableRandom;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.progressionprobe.command.Progress;
import org.progressionprobe.sim.SimulationSettings;
import org.progressionprobe.volume.Resampler;

/**
 * The training targets are right. Registration: the baseline channel sampled at q + u(q) matches
 * the follow-up channel at q far better than at q itself, for whole views and for random poses and
 * crops. UNet: its label target lines up with its scan (the phantom paints white matter at 100 and
 * CSF at 25, so white-matter voxels are brighter than CSF voxels in the normalised input).
 */
class TrainingSampleTest {

	@TempDir
	Path tmp;

	@Test
	void registrationTargetMapsFollowupOntoBaseline() throws Exception {
		final int[] n = { 24, 28, 24 };
		final TrainingSettings s = new TrainingSettings("registration", 3, 1, 1, 2, 1, 6, 4, 2, n, 1e-3, 10, 10);
		// no noise and no bias field, so that intensities differ only by where things are
		final SimulationSettings x = s.simulation(false);
		final List<TrainingSubject> subjects = TrainingSubject.simulate(new SimulationSettings(x.subjects(), x.seed(), x.progressorFraction(),
				x.atrophyPercent(), x.ageingPercent(), x.atrophyLabels(), x.fillLabels(), x.maxRotationDeg(), x.maxShiftMm(), 0, 0, x.anatomyMm(),
				x.voxelSizeMm(), null, null, null, true, true, false), tmp, Progress.NONE);
		final RegistrationNet net = new RegistrationNet(s);
		for (int trial = 0; trial < 6; trial++) {
			final TrainingSubject subject = subjects.get(trial % 2);
			final boolean augment = trial > 0;
			final BuiltinTask.Sample sm = net.sample(subject, new SplittableRandom(trial), augment);
			final SampleView v = augment ? SampleView.random(subject.followup(), n, new SplittableRandom(trial), 10, 10)
					: SampleView.whole(subject.followup(), n);
			final double[] mm = v.grid().voxelSize();
			final float[] follow = sm.input()[0], base = sm.input()[1];
			double withU = 0, without = 0;
			int count = 0;
			for (int k = 0; k < n[0]; k++)
				for (int j = 0; j < n[1]; j++)
					for (int i = 0; i < n[2]; i++) {
						final int o = (k * n[1] + j) * n[2] + i;
						if (sm.mask()[o] == 0)
							continue;
						final float b = Resampler.linear(base, n[2], n[1], n[0], i + sm.target()[0][o] / mm[0], j + sm.target()[1][o] / mm[1],
								k + sm.target()[2][o] / mm[2], Float.NaN);
						if (Float.isNaN(b))
							continue;
						withU += Math.abs(b - follow[o]);
						without += Math.abs(base[o] - follow[o]);
						count++;
					}
			assertTrue(count > 500, "trial " + trial + ": " + count + " head voxels");
			assertTrue(withU < 0.6 * without, "trial " + trial + ": baseline at q + u(q) matches the follow-up: " + withU / count + " vs " + without / count);
		}
	}

	@Test
	void unetTargetLinesUpWithTheScan() throws Exception {
		final int[] n = { 24, 28, 24 };
		final TrainingSettings s = new TrainingSettings("unet", 3, 1, 1, 1, 1, 6, 4, 2, n, 1e-3, 10, 10);
		final TrainingSubject subject = TrainingSubject.simulate(s.simulation(false), tmp, Progress.NONE).get(0);
		final TaskUNet net = new TaskUNet(s);
		for (int trial = 0; trial < 4; trial++) {
			final BuiltinTask.Sample sm = net.sample(subject, new SplittableRandom(trial), trial > 0);
			assertEquals(TaskUNet.CLASSES, sm.target().length);
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
}
