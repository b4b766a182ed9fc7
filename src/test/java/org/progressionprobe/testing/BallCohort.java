package org.progressionprobe.testing;

import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;

import org.progressionprobe.io.VolumeIO;
import org.progressionprobe.table.Cohort;
import org.progressionprobe.table.CohortPair;
import org.progressionprobe.volume.Geometry;
import org.progressionprobe.volume.Volume;

/**
 * A tiny cohort for pipeline tests that need many subjects quickly: 28^3 volumes at 2 mm, a bright
 * ball inside a dimmer shell, with noise; progressors (odd subjects) lose 15% of the ball's volume
 * at follow-up, stable subjects none.
 */
public final class BallCohort {

	private BallCohort() {}

	/** Writes {@code subjects} pairs and {@code cohort.csv} into {@code dir}; returns the cohort file. */
	public static Path write(final Path dir, final int subjects, final long seed) throws IOException {
		final List<CohortPair> pairs = new ArrayList<>();
		final SplittableRandom rnd = new SplittableRandom(seed);
		for (int i = 0; i < subjects; i++) {
			final int label = i % 2;
			final double r0 = 6 + rnd.nextDouble(), r1 = label == 1 ? r0 * Math.cbrt(0.85) : r0;
			final Path b = dir.resolve("s" + i + "_b.nii.gz"), f = dir.resolve("s" + i + "_f.nii.gz");
			VolumeIO.write(ball(r0, rnd.split()), b);
			VolumeIO.write(ball(r1, rnd.split()), f);
			pairs.add(new CohortPair("s" + i, b, f, label, Map.of()));
		}
		final Path cohort = dir.resolve("cohort.csv");
		Cohort.write(cohort, pairs);
		return cohort;
	}

	/** One scan: a ball of the given radius (voxels) in a shell of radius 11, unit noise. */
	public static Volume ball(final double radiusVox, final SplittableRandom rnd) {
		final int n = 28;
		final Volume v = Volume.zeros(n, n, n, Geometry.scaling(new double[] { 2, 2, 2 }, new double[] { -27, -27, -27 }));
		for (int z = 0; z < n; z++)
			for (int y = 0; y < n; y++)
				for (int x = 0; x < n; x++) {
					final double d = Math.sqrt((x - 13.5) * (x - 13.5) + (y - 13.5) * (y - 13.5) + (z - 13.5) * (z - 13.5));
					final double inside = 1 / (1 + Math.exp((d - radiusVox) / 0.7));
					final double shell = 1 / (1 + Math.exp((d - 11) / 0.7));
					v.set(x, y, z, (float) (20 + 60 * shell + 100 * inside + rnd.nextGaussian()));
				}
		return v;
	}
}
