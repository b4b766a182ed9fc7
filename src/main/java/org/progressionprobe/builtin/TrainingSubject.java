package org.progressionprobe.builtin;

import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

import org.progressionprobe.command.Progress;
import org.progressionprobe.io.DisplacementFieldFiles;
import org.progressionprobe.io.VolumeIO;
import org.progressionprobe.sim.CohortSimulator;
import org.progressionprobe.sim.RigidMotion;
import org.progressionprobe.sim.SimulationSettings;
import org.progressionprobe.table.FeatureTable;
import org.progressionprobe.volume.DisplacementField;
import org.progressionprobe.volume.Volume;

/**
 * One simulated subject as training data: both scans (on the same grid), the baseline label map,
 * the true atrophy displacement d (a follow-up point before the head motion, x, came from the
 * baseline point x + d(x)) and the head motion M (baseline world to follow-up world).
 */
record TrainingSubject(String id, Volume baseline, Volume followup, Volume labels, DisplacementField atrophy, RigidMotion motion) {

	/**
	 * The baseline point (world mm) whose anatomy the follow-up shows at follow-up world point y:
	 * {@code D(M^-1 y)} with {@code D(x) = x + d(x)}.
	 */
	void baselinePoint(final double[] y, final double[] motionInverse, final double[] out) {
		final double[] m = motionInverse;
		final double x0 = m[0] * y[0] + m[1] * y[1] + m[2] * y[2] + m[3];
		final double x1 = m[4] * y[0] + m[5] * y[1] + m[6] * y[2] + m[7];
		final double x2 = m[8] * y[0] + m[9] * y[1] + m[10] * y[2] + m[11];
		final double[] p = { x0, x1, x2 };
		atrophy.displacement(p, out);
		out[0] += x0;
		out[1] += x1;
		out[2] += x2;
	}

	/**
	 * Simulates subjects with the cohort simulator into {@code dir} (labels and displacement fields
	 * written) and reads them back.
	 */
	static List<TrainingSubject> simulate(final SimulationSettings settings, final Path dir, final Progress progress) throws IOException {
		final CohortSimulator.Result r = new CohortSimulator(settings.withOutputs(true, true, false), progress).run(dir);
		final FeatureTable truth = FeatureTable.read(r.truth());
		final List<TrainingSubject> subjects = new ArrayList<>();
		for (int i = 0; i < truth.rowCount(); i++) {
			final String id = truth.text(i, "subject");
			final double[] rot = { truth.number(i, "rotation_x_deg"), truth.number(i, "rotation_y_deg"), truth.number(i, "rotation_z_deg") };
			final double[] shift = { truth.number(i, "shift_x_mm"), truth.number(i, "shift_y_mm"), truth.number(i, "shift_z_mm") };
			subjects.add(new TrainingSubject(id, VolumeIO.read(dir.resolve(id + "_baseline.nii.gz")), VolumeIO.read(dir.resolve(id + "_followup.nii.gz")),
					VolumeIO.read(dir.resolve(id + "_baseline_labels.nii.gz")), DisplacementFieldFiles.read(dir.resolve(id + "_displacement.nii.gz")),
					new RigidMotion(rot, shift)));
		}
		return subjects;
	}
}
