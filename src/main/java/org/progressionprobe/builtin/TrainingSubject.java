package org.progressionprobe.builtin;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.SplittableRandom;

import org.progressionprobe.command.Progress;
import org.progressionprobe.io.DisplacementFieldFiles;
import org.progressionprobe.io.VolumeIO;
import org.progressionprobe.sim.CohortSimulator;
import org.progressionprobe.sim.RigidMotion;
import org.progressionprobe.sim.SimulationSettings;
import org.progressionprobe.stats.Percentile;
import org.progressionprobe.table.FeatureTable;
import org.progressionprobe.volume.DisplacementField;
import org.progressionprobe.volume.GaussianSmoothing;
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

	/** Gamma of the contrast a subject's scans are seen with: log-uniform between 1/this and this. */
	static final double MAX_GAMMA = 1.6;
	/** A subject's scans are blurred to a resolution (FWHM, mm) between the voxel size and this many times it. */
	static final double MAX_RESOLUTION_FACTOR = 2;

	/**
	 * The subject as another scanner shows it: both scans through one random contrast (a gamma curve,
	 * intensities relative to the baseline's 99th percentile, {@link #MAX_GAMMA}) and blurred to one
	 * random resolution ({@link #MAX_RESOLUTION_FACTOR}), so that a network does not learn one
	 * template's contrast and sharpness.
	 */
	TrainingSubject scanner(final SplittableRandom r) {
		final double gamma = Math.exp(Math.log(MAX_GAMMA) * (2 * r.nextDouble() - 1));
		final double[] vs = baseline.voxelSize();
		final double voxel = Math.max(vs[0], Math.max(vs[1], vs[2]));
		final double fwhm = voxel * (1 + (MAX_RESOLUTION_FACTOR - 1) * r.nextDouble());
		final double sigma = Math.sqrt(fwhm * fwhm - voxel * voxel) / 2.3548;
		final float[] b = baseline.data();
		final double[] sorted = new double[b.length];
		for (int i = 0; i < b.length; i++)
			sorted[i] = b[i];
		Arrays.sort(sorted);
		final double top = Math.max(1e-6, Percentile.of(sorted, 99));
		return new TrainingSubject(id, seen(baseline, gamma, top, sigma), seen(followup, gamma, top, sigma), labels, atrophy, motion);
	}

	private static Volume seen(final Volume scan, final double gamma, final double top, final double sigmaMm) {
		final Volume v = new GaussianSmoothing(sigmaMm).apply(scan);
		final float[] a = v.data();
		for (int i = 0; i < a.length; i++)
			a[i] = (float) (top * Math.pow(Math.max(0, a[i]) / top, gamma));
		return v;
	}

	/**
	 * The training (or held-out) subjects of a run, simulated into {@code dir}: from the phantom, or
	 * from the template's {@link TrainingAtlas} classes (written into {@code dir/classes}).
	 */
	static List<TrainingSubject> simulate(final TrainingSettings t, final boolean heldOut, final Path dir, final Progress progress) throws IOException {
		final SimulationSettings s = t.simulation(heldOut);
		if (t.phantom())
			return simulate(s, dir, progress);
		final Path[] classes = TrainingAtlas.write(t.template(), t.atlas(), t.atlasNames(), Files.createDirectories(dir.resolve("classes")));
		return simulate(s.withTemplate(classes[0], classes[1], classes[2]), dir, progress);
	}

	/**
	 * Simulates subjects with the cohort simulator into {@code dir} (labels and displacement fields
	 * written) and reads them back; subjects of a real template are each seen through their own
	 * {@link #scanner} (drawn from the simulation's seed).
	 */
	static List<TrainingSubject> simulate(final SimulationSettings settings, final Path dir, final Progress progress) throws IOException {
		final CohortSimulator.Result r = new CohortSimulator(settings.withOutputs(true, true, false), progress).run(dir);
		final FeatureTable truth = FeatureTable.read(r.truth());
		final List<TrainingSubject> subjects = new ArrayList<>();
		for (int i = 0; i < truth.rowCount(); i++) {
			final String id = truth.text(i, "subject");
			final double[] rot = { truth.number(i, "rotation_x_deg"), truth.number(i, "rotation_y_deg"), truth.number(i, "rotation_z_deg") };
			final double[] shift = { truth.number(i, "shift_x_mm"), truth.number(i, "shift_y_mm"), truth.number(i, "shift_z_mm") };
			final TrainingSubject s = new TrainingSubject(id, VolumeIO.read(dir.resolve(id + "_baseline.nii.gz")),
					VolumeIO.read(dir.resolve(id + "_followup.nii.gz")), VolumeIO.read(dir.resolve(id + "_baseline_labels.nii.gz")),
					DisplacementFieldFiles.read(dir.resolve(id + "_displacement.nii.gz")), new RigidMotion(rot, shift));
			subjects.add(settings.phantom() ? s : s.scanner(new SplittableRandom(settings.seed() * 31 + i)));
		}
		return subjects;
	}
}
