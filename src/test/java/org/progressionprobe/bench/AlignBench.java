package org.progressionprobe.bench;

import java.io.File;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import org.progressionprobe.align.AffineRegistration;
import org.progressionprobe.align.RegistrationResult;
import org.progressionprobe.align.RegistrationSettings;
import org.progressionprobe.align.TransformFiles;
import org.progressionprobe.command.Progress;
import org.progressionprobe.io.AtomicOutput;
import org.progressionprobe.io.VolumeIO;
import org.progressionprobe.volume.Grid;
import org.progressionprobe.volume.Resampler;
import org.progressionprobe.volume.Volume;

/**
 * Affine registration speed, memory and accuracy against elastix, in one run on the same case:
 * {@code shared/bench/make_affine_case.py} (Colin27 1 mm moved by a random affine), the anchor
 * {@code shared/bench/elastix_affine.sh} (elastix 5, Mattes MI, 4 levels, 250 iterations, all
 * cores), and ours in a separate JVM under {@code /usr/bin/time} (read both images, register,
 * write the ITK and elastix transforms and the report, like elastix without a result image). Both
 * errors come from the same script, {@code shared/bench/affine_error.py}, reading each tool's
 * {@code TransformParameters.0.txt}. Prints wall time, CPU time and peak memory of each and the
 * ratios; the machine's load is printed too, since other work on it makes wall times noisy.
 * <p>
 * Usage: {@code java -cp target/classes:target/test-classes:target/lib/* org.progressionprobe.bench.AlignBench [seed] [runs] [jvm options...]}
 * Needs elastix, python3-nibabel and python3-scipy (apt-get install -y elastix python3-nibabel python3-scipy).
 */
public final class AlignBench {

	private AlignBench() {}

	public static void main(final String[] args) throws Exception {
		if (args.length > 0 && args[0].equals("--child")) {
			child(Path.of(args[1]), Path.of(args[2]), Path.of(args[3]), args[4]);
			return;
		}
		final int seed = args.length > 0 ? Integer.parseInt(args[0]) : 1;
		final int runs = args.length > 1 ? Integer.parseInt(args[1]) : 1;
		final List<String> jvm = new ArrayList<>();
		for (int i = 2; i < args.length; i++)
			jvm.add(args[i]);
		final Path shared = Path.of(System.getProperty("progression.shared", "../shared")).toAbsolutePath().normalize();
		final Path bench = shared.resolve("bench");
		final Path caseDir = Path.of("target", "bench", "affine-seed-" + seed).toAbsolutePath();
		if (!Files.exists(caseDir.resolve("truth.txt"))) {
			Files.createDirectories(caseDir);
			run(List.of("/usr/bin/python3", bench.resolve("make_affine_case.py").toString(), shared.resolve("data/template/ch2.nii.gz").toString(),
					caseDir.toString(), Integer.toString(seed)));
		}
		System.out.println("case: " + caseDir + " (" + Files.readString(caseDir.resolve("truth.txt")).lines().count() + "-line truth)");
		System.out.println("cores: " + Runtime.getRuntime().availableProcessors() + ", load average before: " + load());
		for (int r = 0; r < runs; r++) {
			final Map<String, String> e = parse(run(List.of("bash", bench.resolve("elastix_affine.sh").toString(), caseDir.toString())));
			final double eWall = Double.parseDouble(e.get("elastix_wall_s")), eRss = Double.parseDouble(e.get("elastix_peak_rss_mb"));
			final double eCpu = elastixCpu(bench, caseDir);
			System.out.printf("elastix (MI):   wall %.2f s, cpu %.2f s, peak %.0f MB, mean error %s mm%n", eWall, eCpu, eRss, e.get("mean_err_mm"));
			for (final String metric : new String[] { "mi", "ncc" }) {
				final Path out = Files.createTempDirectory("align-bench");
				final List<String> cmd = new ArrayList<>(List.of("/usr/bin/time", "-f", "ours_wall_s=%e ours_cpu_s=%U+%S ours_peak_kb=%M", "java"));
				cmd.addAll(jvm);
				cmd.addAll(List.of("-cp", System.getProperty("java.class.path"), AlignBench.class.getName(), "--child",
						caseDir.resolve("fixed.nii.gz").toString(), caseDir.resolve("moving.nii.gz").toString(), out.toString(), metric));
				final Map<String, String> o = parse(run(cmd));
				final Map<String, String> err = parse(run(List.of("/usr/bin/python3", bench.resolve("affine_error.py").toString(), caseDir.toString(),
						out.resolve("TransformParameters.0.txt").toString())));
				final double wall = Double.parseDouble(o.get("ours_wall_s")), rss = Double.parseDouble(o.get("ours_peak_kb")) / 1024;
				final String[] cpu = o.get("ours_cpu_s").split("\\+");
				final double cpuS = Double.parseDouble(cpu[0]) + Double.parseDouble(cpu[1]);
				System.out.printf("ours (%s):     wall %.2f s, cpu %.2f s, peak %.0f MB, mean error %s mm (p95 %s, max %s)%n", metric, wall, cpuS, rss,
						err.get("mean_err_mm"), err.get("p95_err_mm"), err.get("max_err_mm"));
				System.out.printf("ratio ours/elastix (%s): wall %.2f, cpu %.2f, peak memory %.2f%n", metric, wall / eWall, cpuS / eCpu, rss / eRss);
				delete(out);
			}
		}
		System.out.println("load average after: " + load());
	}

	/** The child process: what a user's registration does, without writing a resampled image (elastix's run writes none either). */
	private static void child(final Path fixed, final Path moving, final Path out, final String metric) throws IOException {
		final Volume f = VolumeIO.read(fixed), m = VolumeIO.read(moving);
		final RegistrationSettings s = RegistrationSettings.defaults().with("metric", metric);
		final RegistrationResult r = new AffineRegistration(s, Progress.NONE).register(f, m);
		TransformFiles.writeItk(out.resolve("transform.tfm"), r.transform(), 3);
		TransformFiles.writeElastix(out.resolve("TransformParameters.0.txt"), r.transform(), Grid.of(f), Resampler.Interpolation.LINEAR, 3);
		AtomicOutput.writeString(out.resolve("registration.json"), r.toJson());
	}

	/** elastix's CPU seconds (user + system) on the same case, measured in a separate run of the same command as the anchor. */
	private static double elastixCpu(final Path bench, final Path caseDir) throws IOException, InterruptedException {
		final Path out = Files.createTempDirectory("elastix-cpu");
		final String t = run(List.of("/usr/bin/time", "-f", "cpu=%U+%S", "elastix", "-f", caseDir.resolve("fixed.nii.gz").toString(), "-m",
				caseDir.resolve("moving.nii.gz").toString(), "-p", bench.resolve("elastix-affine.txt").toString(), "-out", out.toString(), "-threads",
				Integer.toString(Runtime.getRuntime().availableProcessors())));
		delete(out);
		final Matcher m = Pattern.compile("cpu=([0-9.]+)\\+([0-9.]+)").matcher(t);
		if (!m.find())
			throw new IOException("no CPU time from /usr/bin/time: " + t);
		return Double.parseDouble(m.group(1)) + Double.parseDouble(m.group(2));
	}

	private static void delete(final Path dir) throws IOException {
		try (java.util.stream.Stream<Path> files = Files.walk(dir)) {
			for (final Path p : files.sorted(java.util.Comparator.reverseOrder()).toList())
				Files.delete(p);
		}
	}

	private static String load() throws IOException {
		return Files.readString(Path.of("/proc/loadavg")).trim();
	}

	private static Map<String, String> parse(final String text) {
		final Map<String, String> out = new LinkedHashMap<>();
		final Matcher m = Pattern.compile("([a-z0-9_]+)=([^\\s]+)").matcher(text);
		while (m.find())
			out.put(m.group(1), m.group(2));
		return out;
	}

	private static String run(final List<String> cmd) throws IOException, InterruptedException {
		final File log = File.createTempFile("bench", ".log");
		final Process p = new ProcessBuilder(cmd).redirectErrorStream(true).redirectOutput(log).start();
		if (!p.waitFor(30, TimeUnit.MINUTES) || p.exitValue() != 0)
			throw new IOException(String.join(" ", cmd) + " failed:\n" + Files.readString(log.toPath(), StandardCharsets.UTF_8));
		final String s = Files.readString(log.toPath(), StandardCharsets.UTF_8);
		Files.delete(log.toPath());
		return s;
	}
}
