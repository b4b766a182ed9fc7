package org.progressionprobe.bench;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Random;
import java.util.stream.IntStream;
import java.util.stream.Stream;

import org.progressionprobe.features.change.ChangeFeatures;
import org.progressionprobe.features.change.ChangeMeasurement;
import org.progressionprobe.features.change.RadialContraction;
import org.progressionprobe.io.AtlasFiles;
import org.progressionprobe.io.VolumeIO;
import org.progressionprobe.volume.AffineTransform3D;
import org.progressionprobe.volume.Atlas;
import org.progressionprobe.volume.GaussianSmoothing;
import org.progressionprobe.volume.Grid;
import org.progressionprobe.volume.Resampler;
import org.progressionprobe.volume.ScanPair;
import org.progressionprobe.volume.Volume;

/**
 * Benchmark of the change features against elastix's B-spline registration on the same pair: the
 * Colin27 brain (ch2bet, smoothed by 1 mm so that the follow-up's interpolation adds no blur of
 * its own) at 2 mm (90 x 108 x 90) as baseline; as follow-up the same brain with three known local
 * volume changes (balls of 10 mm at both hippocampi shrink to 0.85 and 0.90 of their volume, a
 * frontal one grows to 1.15), each scan with its own 2 % noise. Prints the wall time of both
 * (ours cold, i.e. including JIT warm-up, and warm), the ratio, the machine's load, and the mean
 * Jacobian determinant of each method inside each changed ball against the truth.
 * <p>
 * Usage: {@code scripts/bench/change_features.sh [SHARED_DIR]}; needs {@code elastix} and
 * {@code transformix} on the PATH (Debian: {@code apt-get install -y elastix}).
 */
public final class ChangeFeaturesBench {

	public static void main(final String[] args) throws Exception {
		final Path shared = Path.of(args.length > 0 ? args[0] : "../shared").toAbsolutePath().normalize();
		final Path dir = Files.createTempDirectory("change-bench");
		System.out.println("work dir: " + dir);
		System.out.println("load before: " + load() + " (cores: " + Runtime.getRuntime().availableProcessors() + ")");

		final Volume brain = VolumeIO.read(shared.resolve("data/template/ch2bet.nii.gz"));
		final Atlas atlas = AtlasFiles.read(shared.resolve("data/template/ch2bet.nii.gz"), shared.resolve("data/template/aal.nii.gz"),
				shared.resolve("data/template/aal.nii.txt"));
		final List<RadialContraction> truth = truth(atlas);
		final Grid grid2mm = Grid.of(brain).coarsened(new double[] { 2, 2, 2 });
		final Volume smooth = new GaussianSmoothing(1).apply(brain);
		final Volume baseline = noisy(toGrid(smooth, grid2mm), 1);
		final Volume followup = noisy(toGrid(deformed(smooth, truth), grid2mm), 2);
		final Volume labels = Resampler.nearest().resample(atlas.labels(), grid2mm);
		VolumeIO.write(baseline, dir.resolve("baseline.nii.gz"));
		VolumeIO.write(followup, dir.resolve("followup.nii.gz"));
		System.out.println("pair: " + baseline);

		final ChangeFeatures ours = new ChangeFeatures(ChangeFeatures.Settings.defaults().withLabelNames(atlas.names()));
		final ScanPair pair = new ScanPair("colin27-2mm", baseline, followup, labels);
		final com.sun.management.OperatingSystemMXBean os = (com.sun.management.OperatingSystemMXBean) java.lang.management.ManagementFactory
				.getOperatingSystemMXBean();
		long t0 = System.nanoTime();
		long c0 = os.getProcessCpuTime();
		ours.measure(pair);
		final double oursCold = (System.nanoTime() - t0) / 1e9, oursColdCpu = (os.getProcessCpuTime() - c0) / 1e9;
		t0 = System.nanoTime();
		c0 = os.getProcessCpuTime();
		final ChangeMeasurement m = ours.measure(pair);
		final double oursWarm = (System.nanoTime() - t0) / 1e9, oursWarmCpu = (os.getProcessCpuTime() - c0) / 1e9;

		final Path params = dir.resolve("elastix-bspline.txt");
		try (InputStream in = ChangeFeaturesBench.class.getResourceAsStream("elastix-bspline.txt")) {
			Files.copy(in, params);
		}
		final Path ex = Files.createDirectories(dir.resolve("elastix"));
		t0 = System.nanoTime();
		final double elastixCpu = run(dir.resolve("elastix.log"), "elastix", "-f", dir.resolve("baseline.nii.gz").toString(), "-m", dir.resolve("followup.nii.gz").toString(),
				"-p", params.toString(), "-out", ex.toString(), "-threads", Integer.toString(Runtime.getRuntime().availableProcessors()));
		final double elastixWall = (System.nanoTime() - t0) / 1e9;
		final Path tx = Files.createDirectories(dir.resolve("transformix"));
		run(dir.resolve("transformix.log"), "transformix", "-jac", "all", "-tp", ex.resolve("TransformParameters.0.txt").toString(), "-out",
				tx.toString());
		final Volume elastixJac = VolumeIO.read(find(tx, "spatialJacobian"));

		System.out.printf("wall: ours_cold_s=%.2f ours_warm_s=%.2f elastix_bspline_s=%.2f ratio_ours_warm_over_elastix=%.3f ratio_ours_cold_over_elastix=%.3f%n",
				oursCold, oursWarm, elastixWall, oursWarm / elastixWall, oursCold / elastixWall);
		System.out.printf("cpu:  ours_cold_cpu_s=%.2f ours_warm_cpu_s=%.2f elastix_cpu_s=%.2f (cpu / %d cores = the wall time on an idle machine, about)%n",
				oursColdCpu, oursWarmCpu, elastixCpu, Runtime.getRuntime().availableProcessors());
		System.out.println("ours qc: " + m.qcText());
		System.out.println("mean Jacobian inside each changed ball (truth = volume factor):");
		for (final RadialContraction c : truth)
			System.out.printf("  ball at (%.0f, %.0f, %.0f) r0=%.0f mm: truth=%.3f ours=%.4f elastix=%.4f%n", c.centre()[0], c.centre()[1], c.centre()[2],
					c.r0(), c.factor(), meanIn(m.jacobian(), c), meanIn(elastixJac, c));
		System.out.printf("  unchanged (foreground outside every ball's reach): ours=%.4f elastix=%.4f%n", meanOutside(m.jacobian(), m.foreground(), truth),
				meanOutside(elastixJac, m.foreground(), truth));
		System.out.printf("features: %d columns; logjac_mean_Hippocampus_L=%.4f (ln 0.85 = %.4f inside the ball; the AAL region is larger)%n",
				m.features().size(), m.features().get("logjac_mean_Hippocampus_L"), Math.log(0.85));
		System.out.println("load after: " + load());
	}

	/** Balls of radius 10 mm (moving region 20 mm): the hippocampi's centroids shrink to 0.85 and 0.90, a frontal ball grows to 1.15. */
	static List<RadialContraction> truth(final Atlas atlas) {
		return List.of(new RadialContraction(centroid(atlas.labels(), 37), 10, 20, 0.85), new RadialContraction(centroid(atlas.labels(), 38), 10, 20, 0.90),
				new RadialContraction(new double[] { 0, 30, 30 }, 10, 20, 1.15));
	}

	/** The brain with the contractions applied (1 mm, trilinear at the pre-images). */
	static Volume deformed(final Volume brain, final List<RadialContraction> maps) {
		if (maps.isEmpty())
			return brain;
		final Volume out = brain.zerosLike();
		final AffineTransform3D v2w = brain.voxelToWorld(), w2v = brain.worldToVoxel();
		final int nx = brain.nx(), ny = brain.ny(), nz = brain.nz();
		IntStream.range(0, nz).parallel().forEach(z -> {
			final double[] p = new double[3];
			for (int y = 0; y < ny; y++)
				for (int x = 0; x < nx; x++) {
					p[0] = x;
					p[1] = y;
					p[2] = z;
					v2w.apply(p, p);
					for (final RadialContraction c : maps)
						c.preimage(p);
					w2v.apply(p, p);
					out.data()[(z * ny + y) * nx + x] = Resampler.linear(brain.data(), nx, ny, nz, p[0], p[1], p[2], 0f);
				}
		});
		return out;
	}

	/** Anti-aliased 2 mm version: Gaussian of 0.85 mm (FWHM 2 mm), trilinear sampling. */
	static Volume toGrid(final Volume v, final Grid g) {
		return Resampler.linear().resample(new GaussianSmoothing(0.85).apply(v), g);
	}

	/** Adds Gaussian noise of 2 % of the brain's median intensity (seeded). */
	static Volume noisy(final Volume v, final long seed) {
		final float[] sorted = v.data().clone();
		java.util.Arrays.sort(sorted);
		int first = 0;
		while (first < sorted.length && sorted[first] <= 10)
			first++;
		final double median = sorted[(first + sorted.length) / 2];
		final Random r = new Random(seed);
		final Volume out = v.copy();
		for (int i = 0; i < out.data().length; i++)
			out.data()[i] += (float) (0.02 * median * r.nextGaussian());
		return out;
	}

	static double[] centroid(final Volume labels, final int value) {
		final double[] s = new double[3], p = new double[3];
		long n = 0;
		final AffineTransform3D v2w = labels.voxelToWorld();
		for (int z = 0; z < labels.nz(); z++)
			for (int y = 0; y < labels.ny(); y++)
				for (int x = 0; x < labels.nx(); x++)
					if (Math.round(labels.get(x, y, z)) == value) {
						p[0] = x;
						p[1] = y;
						p[2] = z;
						v2w.apply(p, p);
						for (int d = 0; d < 3; d++)
							s[d] += p[d];
						n++;
					}
		for (int d = 0; d < 3; d++)
			s[d] /= n;
		return s;
	}

	static double meanIn(final Volume map, final RadialContraction c) {
		double s = 0;
		long n = 0;
		final double[] p = new double[3];
		final AffineTransform3D v2w = map.voxelToWorld();
		for (int z = 0; z < map.nz(); z++)
			for (int y = 0; y < map.ny(); y++)
				for (int x = 0; x < map.nx(); x++) {
					p[0] = x;
					p[1] = y;
					p[2] = z;
					v2w.apply(p, p);
					if (c.inBall(p)) {
						s += map.get(x, y, z);
						n++;
					}
				}
		return s / n;
	}

	static double meanOutside(final Volume map, final Volume foreground, final List<RadialContraction> maps) {
		double s = 0;
		long n = 0;
		final double[] p = new double[3];
		final AffineTransform3D v2w = map.voxelToWorld();
		for (int z = 0; z < map.nz(); z++)
			for (int y = 0; y < map.ny(); y++)
				for (int x = 0; x < map.nx(); x++) {
					if (foreground.get(x, y, z) == 0)
						continue;
					p[0] = x;
					p[1] = y;
					p[2] = z;
					v2w.apply(p, p);
					boolean near = false;
					for (final RadialContraction c : maps) {
						final double[] q = c.centre();
						near |= Math.sqrt((p[0] - q[0]) * (p[0] - q[0]) + (p[1] - q[1]) * (p[1] - q[1]) + (p[2] - q[2]) * (p[2] - q[2])) < 28;
					}
					if (!near) {
						s += map.get(x, y, z);
						n++;
					}
				}
		return s / n;
	}

	private static Path find(final Path dir, final String prefix) throws IOException {
		try (Stream<Path> s = Files.list(dir)) {
			return s.filter(p -> p.getFileName().toString().startsWith(prefix)).findFirst()
					.orElseThrow(() -> new IOException(dir + ": transformix wrote no " + prefix + " image"));
		}
	}

	/** Runs a tool under /usr/bin/time; returns its CPU seconds (user + system), NaN without /usr/bin/time. */
	private static double run(final Path log, final String... cmd) throws IOException, InterruptedException {
		final Path time = Path.of("/usr/bin/time"), cpuFile = Path.of(log + ".cpu");
		final List<String> full = new java.util.ArrayList<>();
		if (Files.isExecutable(time))
			full.addAll(List.of(time.toString(), "-f", "%U %S", "-o", cpuFile.toString()));
		full.addAll(List.of(cmd));
		final Process p = new ProcessBuilder(full).redirectErrorStream(true).redirectOutput(log.toFile()).start();
		if (p.waitFor() != 0)
			throw new IOException(String.join(" ", cmd) + " failed; see " + log);
		if (!Files.exists(cpuFile))
			return Double.NaN;
		final String[] f = Files.readString(cpuFile).trim().split("\\s+");
		return Double.parseDouble(f[f.length - 2]) + Double.parseDouble(f[f.length - 1]);
	}

	private static String load() throws IOException {
		return Files.readString(Path.of("/proc/loadavg")).trim();
	}
}
