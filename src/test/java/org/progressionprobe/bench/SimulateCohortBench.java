package org.progressionprobe.bench;

import java.lang.management.ManagementFactory;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.stream.Stream;

import org.progressionprobe.command.Progress;
import org.progressionprobe.sim.CohortSimulator;
import org.progressionprobe.sim.PhantomAtlas;
import org.progressionprobe.sim.SimulationSettings;

/**
 * Times Simulate Cohort: the phantom atlas, then a cohort (default 40 subjects at 2 mm, the demo's
 * size) into a temporary folder; prints wall time, process CPU time and output size. There is no
 * external anchor for simulation in ../shared/bench; the CPU time tells what the run would take on
 * idle cores (CPU / cores) when the machine is shared.
 *
 * <pre>
 * mvn -q test-compile dependency:build-classpath -Dmdep.outputFile=cp.txt
 * java -cp target/classes:target/test-classes:$(cat cp.txt) org.progressionprobe.bench.SimulateCohortBench [subjects] [voxel_mm] [threads]
 * </pre>
 */
public final class SimulateCohortBench {

	private SimulateCohortBench() {}

	private static double cpu() {
		return ((com.sun.management.OperatingSystemMXBean) ManagementFactory.getOperatingSystemMXBean()).getProcessCpuTime() / 1e9;
	}

	public static void main(final String[] args) throws Exception {
		final int subjects = args.length > 0 ? Integer.parseInt(args[0]) : 40;
		final double voxel = args.length > 1 ? Double.parseDouble(args[1]) : 2;
		final int threads = args.length > 2 ? Integer.parseInt(args[2]) : 0;
		for (int i = 0; i < 3; i++)
			PhantomAtlas.create(voxel); // warm up
		double c0 = cpu();
		long t0 = System.nanoTime();
		PhantomAtlas.create(voxel);
		System.out.printf("phantom atlas at %.1f mm: wall %.3f s, cpu %.3f s%n", voxel, (System.nanoTime() - t0) / 1e9, cpu() - c0);

		final Path dir = Files.createTempDirectory("simulate-bench");
		try {
			final SimulationSettings s = SimulationSettings.defaults().withSubjects(subjects, 1).withVoxelSize(voxel);
			c0 = cpu();
			t0 = System.nanoTime();
			final CohortSimulator.Result r = new CohortSimulator(s, Progress.NONE, threads).run(dir);
			final double wall = (System.nanoTime() - t0) / 1e9, cpu = cpu() - c0;
			long bytes = 0;
			try (Stream<Path> files = Files.list(dir)) {
				for (final Path f : files.toList())
					bytes += Files.size(f);
			}
			System.out.printf("Simulate Cohort: %d subjects at %.1f mm, %s threads, %d cores: wall %.1f s, cpu %.1f s (%.2f cpu-s per subject), %.1f MB%n",
					subjects, voxel, threads == 0 ? "auto" : Integer.toString(threads), Runtime.getRuntime().availableProcessors(), wall, cpu,
					cpu / subjects, bytes / 1e6);
			System.out.println(r.summary());
			System.out.printf("load average during the run: %.2f (the machine is shared; wall time on idle cores ~ cpu / cores)%n",
					ManagementFactory.getOperatingSystemMXBean().getSystemLoadAverage());
		} finally {
			try (Stream<Path> files = Files.walk(dir)) {
				for (final Path p : files.sorted(java.util.Comparator.reverseOrder()).toList())
					Files.deleteIfExists(p);
			}
		}
	}
}
