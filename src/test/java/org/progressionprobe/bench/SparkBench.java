package org.progressionprobe.bench;

import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;

import org.apache.spark.sql.SparkSession;
import org.progressionprobe.align.PairPreparation.Alignment;
import org.progressionprobe.command.Progress;
import org.progressionprobe.features.PairExtractor;
import org.progressionprobe.features.model.TestNets;
import org.progressionprobe.io.VolumeIO;
import org.progressionprobe.pipeline.FeatureBatch;
import org.progressionprobe.pipeline.PairSource;
import org.progressionprobe.spark.SparkFeatureBatch;
import org.progressionprobe.study.FeatureTableBuilder;
import org.progressionprobe.study.StudySetting;
import org.progressionprobe.table.Cohort;
import org.progressionprobe.table.CohortPair;
import org.progressionprobe.testing.BallCohort;
import org.progressionprobe.volume.AffineTransform3D;
import org.progressionprobe.volume.GaussianSmoothing;
import org.progressionprobe.volume.Grid;
import org.progressionprobe.volume.Resampler;
import org.progressionprobe.volume.ScanPair;
import org.progressionprobe.volume.Volume;

/**
 * Pairs per minute of the Spark form of Cohort Features on {@code local[2]} against the
 * single-machine {@link FeatureBatch} on the same cohort and setting, in one run, with the ratio,
 * the machine's load and a check that both wrote the same table; then an estimate, from the
 * measured per-pair cost, of the wall time of 10,000 pairs on N executors with and without GPUs.
 * <p>
 * Three cases: 28^3 phantoms (BallCohort; change features, no alignment: the engine's overhead
 * shows), the Colin27 brain at 2 mm (90 x 108 x 90; pair alignment + change features) and the same
 * brain pairs through a model package (pairnet, ONNX, pair alignment; prepare and inference timed
 * apart, and the model load).
 * <p>
 * Usage: {@code scripts/bench/spark.sh [SHARED_DIR] [PHANTOMS=16] [BRAINS=6]}.
 */
public final class SparkBench {

	private static final com.sun.management.OperatingSystemMXBean OS = (com.sun.management.OperatingSystemMXBean) ManagementFactory
			.getOperatingSystemMXBean();

	/** One side of a comparison. */
	record Run(double wallSeconds, double cpuSeconds, int pairs) {
		double pairsPerMinute() {
			return pairs / wallSeconds * 60;
		}
	}

	public static void main(final String[] args) throws Exception {
		final Path shared = Path.of(args.length > 0 ? args[0] : "../shared").toAbsolutePath().normalize();
		final int phantoms = args.length > 1 ? Integer.parseInt(args[1]) : 16, brains = args.length > 2 ? Integer.parseInt(args[2]) : 6;
		final Path dir = Files.createTempDirectory("spark-bench");
		System.out.println("work dir: " + dir);
		System.out.println("cores: " + Runtime.getRuntime().availableProcessors() + "; load before: " + load()
				+ " (the machine is shared: other processes' load slows both sides)");

		final Cohort balls = Cohort.readLabelled(BallCohort.write(Files.createDirectories(dir.resolve("balls")), phantoms, 1));
		final Cohort brainCohort = brainCohort(shared, Files.createDirectories(dir.resolve("brains")), brains);
		final StudySetting none = new StudySetting(Alignment.NONE, List.of(), 10, StudySetting.CHANGE, null, Map.of());
		final StudySetting pair = new StudySetting(Alignment.PAIR, List.of(), 10, StudySetting.CHANGE, null, Map.of());
		final Path model = TestNets.pairnet(dir.resolve("pairnet"), "onnx").toAbsolutePath();
		final StudySetting net = new StudySetting(Alignment.PAIR, List.of(), 10, model.toString(), null,
				Map.of("layers", "", "pooling", "gap", "combine", "diff", "device", "cpu"));

		// JIT warm-up on both sides' shared code (Spark's local executors run in this JVM)
		final Cohort warm = new Cohort(balls.file(), balls.pairs().subList(0, 2));
		FeatureTableBuilder.local(Progress.NONE).build(none, warm, dir.resolve("warm.csv"));

		final long s0 = System.nanoTime();
		final SparkSession spark = SparkSession.builder().master("local[2]").appName("SparkBench").config("spark.ui.enabled", "false")
				.config("spark.driver.host", "127.0.0.1").config("spark.driver.bindAddress", "127.0.0.1").getOrCreate();
		final double startup = (System.nanoTime() - s0) / 1e9;
		System.out.printf("spark session start: %.1f s (once per application; not in the rates below)%n", startup);
		try {
			final SparkFeatureBatch sparkBatch = new SparkFeatureBatch(spark, SparkFeatureBatch.Options.defaults().withParquet(false), Progress.NONE);
			compare("phantoms 28^3, change, no alignment", none, balls, dir.resolve("balls-out"), sparkBatch);
			final Run brain = compare("brain 2 mm, change, pair alignment", pair, brainCohort, dir.resolve("brain-out"), sparkBatch);
			final Run netRun = compare("brain 2 mm, pairnet (ONNX), pair alignment", net, brainCohort, dir.resolve("net-out"), sparkBatch);
			final double[] split = prepareAndInference(net, brainCohort);
			System.out.printf("pairnet per pair, one thread: prepare (read + pair alignment) %.3f s, features (inference + pooling) %.3f s; model load %.3f s%n",
					split[0], split[1], split[2]);
			System.out.println("load after: " + load());
			estimate(brain.cpuSeconds() / brain.pairs(), brainCohort.pairs().get(0), split, netRun.cpuSeconds() / netRun.pairs());
		} finally {
			spark.stop();
		}
	}

	/** Runs FeatureBatch, then Spark, on the same cohort and setting; prints both rates and their ratio; checks the tables match. */
	static Run compare(final String name, final StudySetting setting, final Cohort cohort, final Path out, final SparkFeatureBatch spark)
			throws IOException {
		Files.createDirectories(out);
		final Run single = timed(() -> FeatureTableBuilder.local(Progress.NONE).build(setting, cohort, out.resolve("single.csv")), cohort.size());
		final Run cluster = timed(() -> spark.build(setting, cohort, out.resolve("spark.csv")), cohort.size());
		final boolean same = Files.readAllLines(out.resolve("single.csv")).equals(Files.readAllLines(out.resolve("spark.csv")));
		final SparkFeatureBatch.Report rep = spark.lastReport();
		System.out.printf("%s: %d pairs%n", name, cohort.size());
		System.out.printf("  FeatureBatch (one machine, one pair at a time): %.1f s wall, %.1f s cpu, %.1f pairs/min%n", single.wallSeconds(),
				single.cpuSeconds(), single.pairsPerMinute());
		System.out.printf("  Spark local[2] (%d partitions, %d extractor loads %.2f s): %.1f s wall, %.1f s cpu, %.1f pairs/min%n", rep.partitions(),
				rep.loads(), rep.setupSeconds(), cluster.wallSeconds(), cluster.cpuSeconds(), cluster.pairsPerMinute());
		System.out.printf("  ratio spark/single pairs per minute = %.2f; same CSV text: %s; cpu per pair %.2f s (single) %.2f s (spark)%n",
				cluster.pairsPerMinute() / single.pairsPerMinute(), same, single.cpuSeconds() / cohort.size(), cluster.cpuSeconds() / cohort.size());
		if (!same)
			throw new IllegalStateException(name + ": the Spark table differs from FeatureBatch's");
		return cluster;
	}

	interface Job {
		FeatureBatch.Result run() throws IOException;
	}

	static Run timed(final Job job, final int pairs) throws IOException {
		final long c0 = OS.getProcessCpuTime(), t0 = System.nanoTime();
		final FeatureBatch.Result r = job.run();
		final Run run = new Run((System.nanoTime() - t0) / 1e9, (OS.getProcessCpuTime() - c0) / 1e9, pairs);
		if (!r.complete())
			throw new IllegalStateException("failures: " + r.failures());
		return run;
	}

	/** Seconds per pair for prepare and for features, and the extractor's load, one pair after the other. */
	static double[] prepareAndInference(final StudySetting setting, final Cohort cohort) throws Exception {
		final long l0 = System.nanoTime();
		final PairSource source = setting.createSource(Progress.NONE);
		try (PairExtractor features = setting.createFeatures(Progress.NONE)) {
			final double load = (System.nanoTime() - l0) / 1e9;
			double prep = 0, comp = 0;
			for (final CohortPair p : cohort.pairs()) {
				final long t0 = System.nanoTime();
				final ScanPair s = source.prepare(p);
				final long t1 = System.nanoTime();
				features.compute(s);
				prep += (t1 - t0) / 1e9;
				comp += (System.nanoTime() - t1) / 1e9;
			}
			return new double[] { prep / cohort.size(), comp / cohort.size(), load };
		}
	}

	/**
	 * The estimate: wall(10,000 pairs, N executors x k cores) = start + waves x (load + pairs per
	 * partition x cpu per pair / efficiency), with partitions as SparkFeatureBatch chooses them, and
	 * at least the time to read every scan once through the shared filesystem.
	 */
	static void estimate(final double brainCpuPerPair, final CohortPair sample, final double[] netSplit, final double netCpuPerPair) throws IOException {
		final int pairs = 10_000, k = 4;
		final double start = 30, efficiency = 0.85, fsBytesPerSecond = 1e9, gpuSpeedup = 20, bigModelLoad = 10;
		final Volume b = VolumeIO.read(sample.baseline());
		final double voxelsHere = b.voxelCount(), voxelsKnee = 384.0 * 384 * 160;
		final double kneeCpuPerPair = brainCpuPerPair * voxelsKnee / voxelsHere;
		final double kneeBytesPerPair = 2 * voxelsKnee * 2 * 0.6; // two int16 scans, gzip to about 60 %
		System.out.println();
		System.out.println("Estimate: 10,000 pairs on N executors of " + k + " cores (wall = start " + (int) start
				+ " s + waves x (model load + pairs per partition x core-seconds per pair / " + efficiency
				+ " efficiency), floored by reading every scan once at " + fsBytesPerSecond / 1e9 + " GB/s shared-filesystem bandwidth)");
		System.out.printf("  measured core-seconds per pair: change features, brain 2 mm (%,.0f voxels) %.2f s; pairnet incl. pair alignment %.2f s "
				+ "(of which inference %.3f s one thread)%n", voxelsHere, brainCpuPerPair, netCpuPerPair, netSplit[1]);
		System.out.printf("  knee MRI (OAI DESS 384x384x160 = %,.0f voxels) change features, scaled linearly by voxels: %.0f core-seconds per pair "
				+ "(an extrapolation, not a measurement)%n", voxelsKnee, kneeCpuPerPair);
		System.out.println("  N executors | change 2 mm brain | change knee (scaled) | model CPU | model GPU (1 per executor, inference /" + (int) gpuSpeedup + ")");
		final double brainIo = pairs * 2 * voxelsHere * 4 * 0.6 / fsBytesPerSecond, kneeIo = pairs * kneeBytesPerPair / fsBytesPerSecond;
		final double gpuPerPair = netCpuPerPair - netSplit[1] + netSplit[1] / gpuSpeedup;
		for (final int n : new int[] { 1, 10, 50, 100 }) {
			final double change = wall(pairs, n, k, brainCpuPerPair, 0, start, efficiency, brainIo);
			final double knee = wall(pairs, n, k, kneeCpuPerPair, 0, start, efficiency, kneeIo);
			final double cpuModel = wall(pairs, n, k, netCpuPerPair, bigModelLoad, start, efficiency, brainIo);
			final double gpuModel = wall(pairs, n, k, gpuPerPair, bigModelLoad, start, efficiency, brainIo);
			System.out.printf("  %11d | %17s | %20s | %9s | %s%n", n, hours(change), hours(knee), hours(cpuModel), hours(gpuModel));
		}
		System.out.println("  model columns: this pairnet (32^3 input) with a " + (int) bigModelLoad
				+ " s load per partition, as a large foundation model would need; a large model's inference costs far more than pairnet's, which "
				+ "only a GPU run can measure (none here): read the GPU column as 'prepare-bound'");
	}

	private static double wall(final int pairs, final int executors, final int cores, final double perPair, final double load, final double start,
			final double efficiency, final double ioFloor) {
		final int slots = executors * cores;
		final int partitions = Math.min(pairs, Math.max(slots, (pairs + 31) / 32));
		final double pairsPerPartition = (double) pairs / partitions;
		final double waves = Math.ceil((double) partitions / slots);
		return start + Math.max(ioFloor, waves * (load + pairsPerPartition * perPair / efficiency));
	}

	private static String hours(final double seconds) {
		return seconds >= 3600 ? String.format("%.1f h", seconds / 3600) : String.format("%.0f min", seconds / 60);
	}

	/** Pairs of the Colin27 brain at 2 mm: the follow-up shifted by a few mm, each scan with its own 2 % noise. */
	static Cohort brainCohort(final Path shared, final Path dir, final int n) throws IOException {
		final Volume brain = new GaussianSmoothing(1).apply(VolumeIO.read(shared.resolve("data/template/ch2bet.nii.gz")));
		final Grid g = Grid.of(brain).coarsened(new double[] { 2, 2, 2 });
		final List<CohortPair> pairs = new ArrayList<>();
		for (int i = 0; i < n; i++) {
			final Volume b = noisy(Resampler.linear().resample(brain, g), 10 * i + 1);
			final Volume f = noisy(Resampler.linear().resample(brain, g, new AffineTransform3D().translate(1 + 0.5 * i, -1, 0.5 * (i % 3))), 10 * i + 2);
			final Path bp = dir.resolve("b" + i + "_base.nii.gz"), fp = dir.resolve("b" + i + "_follow.nii.gz");
			VolumeIO.write(b, bp);
			VolumeIO.write(f, fp);
			pairs.add(new CohortPair("b" + i, bp, fp, i % 2, Map.of()));
		}
		final Path file = dir.resolve("cohort.csv");
		Cohort.write(file, pairs);
		return Cohort.readLabelled(file);
	}

	private static Volume noisy(final Volume v, final long seed) {
		float max = 0;
		for (final float x : v.data())
			max = Math.max(max, x);
		final SplittableRandom r = new SplittableRandom(seed);
		final float[] d = v.data().clone();
		for (int i = 0; i < d.length; i++)
			d[i] += (float) (0.02 * max * r.nextGaussian());
		return v.withData(d);
	}

	private static String load() {
		try {
			return Files.readString(Path.of("/proc/loadavg")).trim();
		} catch (final IOException e) {
			return String.format("%.2f", OS.getSystemLoadAverage());
		}
	}
}
