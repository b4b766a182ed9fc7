package org.progressionprobe.bench;

import java.lang.management.ManagementFactory;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.concurrent.ForkJoinPool;

import org.progressionprobe.command.Progress;
import org.progressionprobe.features.change.ChangeFeatures;
import org.progressionprobe.io.VolumeIO;
import org.progressionprobe.pipeline.FeatureBatch;
import org.progressionprobe.table.Cohort;
import org.progressionprobe.table.CohortPair;
import org.progressionprobe.table.FeatureVector;
import org.progressionprobe.volume.ScanPair;

/**
 * Change features of one cohort pair (registration, Jacobians, pooling) on 1 and on N workers:
 * wall and CPU seconds of each (best of {@code repeats}), the speed-up, the serial fraction it
 * implies (Amdahl: s = (N / speed-up - 1) / (N - 1)) and the speed-up that fraction allows on 16
 * cores; checks that the features are bit-identical.
 *
 * <pre>
 * scripts/bench/java.sh ThreadScalingBench cohort.csv [threads=2] [repeats=2]
 * </pre>
 */
public final class ThreadScalingBench {

	private ThreadScalingBench() {}

	private static double cpu() {
		return ((com.sun.management.OperatingSystemMXBean) ManagementFactory.getOperatingSystemMXBean()).getProcessCpuTime() / 1e9;
	}

	public static void main(final String[] args) throws Exception {
		final CohortPair pair = Cohort.read(Path.of(args[0]), false).pairs().get(0);
		final int n = args.length > 1 ? Integer.parseInt(args[1]) : 2;
		final int repeats = args.length > 2 ? Integer.parseInt(args[2]) : 2;
		final ScanPair scans = new ScanPair(pair.subject(), VolumeIO.read(pair.baseline()), VolumeIO.read(pair.followup()), null);
		final ChangeFeatures features = new ChangeFeatures(ChangeFeatures.Settings.defaults(), Progress.NONE);
		double[] reference = null;
		final double[] best = new double[n + 1];
		for (final int threads : new int[] { 1, n }) {
			best[threads] = Double.POSITIVE_INFINITY;
			for (int r = 0; r < repeats; r++) {
				final ForkJoinPool pool = FeatureBatch.pool(threads);
				final double c0 = cpu();
				final long t0 = System.nanoTime();
				final FeatureVector v = pool.submit(() -> features.compute(scans)).get();
				final double wall = (System.nanoTime() - t0) / 1e9;
				pool.shutdown();
				System.out.printf("%s %dx%dx%d, %d worker(s): wall %.2f s, cpu %.2f s, load %.1f%n", pair.subject(), scans.baseline().nx(),
						scans.baseline().ny(), scans.baseline().nz(), threads, wall, cpu() - c0,
						ManagementFactory.getOperatingSystemMXBean().getSystemLoadAverage());
				best[threads] = Math.min(best[threads], wall);
				final double[] values = v.values();
				if (reference == null)
					reference = values;
				else if (!Arrays.equals(reference, values))
					throw new IllegalStateException("features differ between 1 and " + threads + " workers");
			}
		}
		final double speedup = best[1] / best[n];
		final double serial = Math.max(0, (n / speedup - 1) / (n - 1));
		System.out.printf("speed-up on %d workers %.2f; serial fraction %.2f; Amdahl on 16 cores %.1f; features bit-identical%n", n, speedup, serial,
				1 / (serial + (1 - serial) / 16));
	}
}
