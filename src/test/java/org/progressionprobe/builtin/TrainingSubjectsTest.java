package org.progressionprobe.builtin;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.progressionprobe.command.Progress;
import org.progressionprobe.sim.SimulationSettings;

/**
 * A built-in network never trains on the heads a cohort of the same seed gets: Simulate Cohort and
 * the demo default to seed 1, as training does, and a network evaluated on the anatomy it was
 * trained on would look better than it is. The training subjects' label maps differ from those of
 * a cohort simulated with the same seed (which the cohort's own reruns reproduce exactly).
 */
class TrainingSubjectsTest {

	@TempDir
	Path tmp;

	@Test
	void trainingSubjectsAreNotTheHeadsOfACohortWithTheSameSeed() throws Exception {
		final TrainingSettings t = new TrainingSettings("unet", 1, 1, 1, 1, 1, 6, 4, 2, new int[] { 16, 16, 16 }, 1e-3, 10, 10, 0.5);
		final SimulationSettings cohort = SimulationSettings.defaults().withSubjects(1, t.seed()).withVoxelSize(6);
		final float[] trained = TrainingSubject.simulate(t.simulation(false), tmp.resolve("training"), Progress.NONE).get(0).labels().data();
		final float[] cohortLabels = TrainingSubject.simulate(cohort, tmp.resolve("cohort"), Progress.NONE).get(0).labels().data();
		final float[] again = TrainingSubject.simulate(cohort, tmp.resolve("again"), Progress.NONE).get(0).labels().data();
		assertArrayEquals(cohortLabels, again, "a cohort's subject is the same on every run");
		int differ = 0;
		for (int i = 0; i < trained.length; i++)
			if (trained[i] != cohortLabels[i])
				differ++;
		assertTrue(differ > trained.length / 50, differ + " of " + trained.length + " voxels labelled differently");
	}
}
