package org.progressionprobe.bench;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.lang.management.ManagementFactory;
import java.lang.management.MemoryPoolMXBean;
import java.lang.management.MemoryType;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;

import org.progressionprobe.io.VolumeIO;
import org.progressionprobe.volume.AffineTransform3D;
import org.progressionprobe.volume.Volume;

/**
 * Read speed and memory of the NIfTI reader.
 * <ol>
 * <li>Speed: reads {@code ch2.nii.gz} (181 x 217 x 181 uint8, gzip) with nibabel's
 * {@code nib.load(f).get_fdata()} (Debian's python3-nibabel) and with {@link VolumeIO#read}, in one
 * run, alternating rounds, each after a warm-up; prints the medians and their ratio (target: Java
 * at most 1.5 x nibabel).</li>
 * <li>Memory: writes a 512^3 float32 .nii in a temporary folder and reads it in a child JVM whose
 * heap is the 512 MB float array plus 64 MB: it can only succeed if the reader keeps no second full
 * copy. The child prints the heap pools' peak use during the read.</li>
 * </ol>
 * Run with {@code scripts/bench/read_benchmark.sh [SHARED_DIR] [N]}. The machine is shared, so the
 * times are noisy; the ratio from one run is what to compare.
 */
public final class ReadBench {

	private static final String NIBABEL = String.join("\n", "import sys, time, statistics, nibabel as nib",
			"f, n, w = sys.argv[1], int(sys.argv[2]), int(sys.argv[3])", "for _ in range(w): nib.load(f).get_fdata()", "ts = []",
			"for _ in range(n):", "    t = time.perf_counter(); d = nib.load(f).get_fdata(); ts.append(time.perf_counter() - t)",
			"print(' '.join(repr(t) for t in ts)); print(float(d.sum()))");

	private ReadBench() {}

	public static void main(final String[] args) throws Exception {
		if (args.length > 0 && args[0].equals("--child")) {
			child(Path.of(args[1]));
			return;
		}
		final Path shared = Path.of(args.length > 0 ? args[0] : "../shared");
		final int n = args.length > 1 ? Integer.parseInt(args[1]) : 15;
		final Path ch2 = shared.resolve("data/template/ch2.nii.gz");
		if (!Files.exists(ch2)) {
			System.err.println("ReadBench: " + ch2 + " is missing (pass the shared folder as the first argument)");
			System.exit(2);
		}
		System.out.println("machine: " + Runtime.getRuntime().availableProcessors() + " cores, load average "
				+ ManagementFactory.getOperatingSystemMXBean().getSystemLoadAverage() + " (shared: times are noisy)");
		speed(ch2, n);
		memory();
	}

	private static void speed(final Path ch2, final int n) throws Exception {
		final String python = python();
		final List<Double> py = new ArrayList<>(), java = new ArrayList<>();
		double javaSum = 0, pySum = 0;
		for (int w = 0; w < 5; w++)
			VolumeIO.read(ch2);
		final int rounds = 3;
		for (int r = 0; r < rounds; r++) {
			final List<String> out = run(List.of(python, "-c", NIBABEL, ch2.toString(), Integer.toString(n), "2"));
			for (final String t : out.get(out.size() - 2).split(" "))
				py.add(Double.parseDouble(t));
			pySum = Double.parseDouble(out.get(out.size() - 1));
			for (int i = 0; i < n; i++) {
				final long t0 = System.nanoTime();
				final Volume v = VolumeIO.read(ch2);
				java.add((System.nanoTime() - t0) / 1e9);
				if (i == 0) {
					javaSum = 0;
					for (final float f : v.data())
						javaSum += f;
				}
			}
		}
		final double mp = median(py), mj = median(java);
		System.out.printf(Locale.ROOT, "read ch2.nii.gz (181x217x181 uint8, gzip), median of %d reads in %d alternating rounds:%n", n * rounds, rounds);
		System.out.printf(Locale.ROOT, "  nibabel nib.load(f).get_fdata(): %.1f ms   (sum %.0f)%n", mp * 1e3, pySum);
		System.out.printf(Locale.ROOT, "  Java VolumeIO.read:               %.1f ms   (sum %.0f)%n", mj * 1e3, javaSum);
		System.out.printf(Locale.ROOT, "  ratio Java / nibabel: %.2f (target <= 1.5)%n", mj / mp);
		if (pySum != javaSum)
			System.out.println("  WARNING: the two readers disagree on the voxel sum");
	}

	private static void memory() throws Exception {
		final Path dir = Files.createTempDirectory("read-benchmark");
		final Path big = dir.resolve("big512.nii");
		try {
			final int n = 512;
			writeBigFloatNifti(big, n);
			final long arrayMb = (long) n * n * n * 4 >> 20;
			final String heap = "-Xmx" + (arrayMb + 64) + "m";
			System.out.printf(Locale.ROOT, "read a %d^3 float32 .nii (%d MB of voxels) in a child JVM with %s:%n", n, arrayMb, heap);
			final String javaBin = Path.of(System.getProperty("java.home"), "bin", "java").toString();
			final List<String> out = run(List.of(javaBin, heap, "-XX:+UseG1GC", "-cp", System.getProperty("java.class.path"), ReadBench.class.getName(),
					"--child", big.toString()));
			for (final String line : out)
				System.out.println("  " + line);
		} finally {
			Files.deleteIfExists(big);
			Files.deleteIfExists(dir);
		}
	}

	/** Child JVM: read the big file and report the heap's peak. */
	private static void child(final Path file) throws IOException {
		System.gc();
		final List<MemoryPoolMXBean> heap = new ArrayList<>();
		for (final MemoryPoolMXBean p : ManagementFactory.getMemoryPoolMXBeans())
			if (p.getType() == MemoryType.HEAP) {
				heap.add(p);
				p.resetPeakUsage();
			}
		final long before = ManagementFactory.getMemoryMXBean().getHeapMemoryUsage().getUsed();
		final long t0 = System.nanoTime();
		final Volume v = VolumeIO.read(file);
		final double seconds = (System.nanoTime() - t0) / 1e9;
		long peak = 0;
		for (final MemoryPoolMXBean p : heap)
			peak += p.getPeakUsage().getUsed();
		final long array = (long) v.data().length * 4;
		final int n = v.nx();
		final boolean ok = v.get(n - 1, n - 1, n - 1) == value(n - 1, n - 1, n - 1, n) && v.get(3, 5, 7) == value(3, 5, 7, n);
		System.out.printf(Locale.ROOT, "read in %.2f s, values %s; heap before %d MB, peak (sum of pool peaks, an upper bound) %d MB, "
				+ "voxel array %d MB, peak beyond the array and the baseline: %d MB%n", seconds, ok ? "correct" : "WRONG", before >> 20, peak >> 20,
				array >> 20, (peak - array - before) >> 20);
	}

	private static float value(final int x, final int y, final int z, final int n) {
		return (float) ((x + 31 * y + 977 * z) % 4093) - 2000.5f;
	}

	/** A little-endian float32 NIfTI-1 file of n^3 voxels, streamed slice by slice (the benchmark keeps no volume). */
	private static void writeBigFloatNifti(final Path file, final int n) throws IOException {
		final Path headerSource = file.resolveSibling("header.nii");
		VolumeIO.write(Volume.zeros(n, n, 1, AffineTransform3D.of(1.2, 0, 0, -300, 0, 1.2, 0, -300, 0, 0, 1.2, -300)), headerSource);
		final byte[] header = Arrays.copyOf(Files.readAllBytes(headerSource), 352);
		Files.delete(headerSource);
		ByteBuffer.wrap(header).order(ByteOrder.LITTLE_ENDIAN).putShort(46, (short) n);
		try (OutputStream out = new java.io.BufferedOutputStream(Files.newOutputStream(file), 1 << 20)) {
			out.write(header);
			final ByteBuffer slice = ByteBuffer.allocate(n * n * 4).order(ByteOrder.LITTLE_ENDIAN);
			for (int z = 0; z < n; z++) {
				slice.clear();
				for (int y = 0; y < n; y++)
					for (int x = 0; x < n; x++)
						slice.putFloat(value(x, y, z, n));
				out.write(slice.array());
			}
		}
	}

	private static String python() throws Exception {
		for (final String p : new String[] { "/usr/bin/python3", "python3" }) {
			try {
				final Process proc = new ProcessBuilder(p, "-c", "import nibabel").redirectErrorStream(true).start();
				proc.getInputStream().readAllBytes();
				if (proc.waitFor() == 0)
					return p;
			} catch (final IOException e) {
				// try the next one
			}
		}
		System.err.println("ReadBench: no python3 with nibabel; install it with: apt-get install -y python3-nibabel");
		System.exit(2);
		return null;
	}

	private static List<String> run(final List<String> command) throws Exception {
		final Process p = new ProcessBuilder(command).redirectErrorStream(true).start();
		final List<String> lines = new ArrayList<>();
		try (BufferedReader r = new BufferedReader(new InputStreamReader(p.getInputStream(), StandardCharsets.UTF_8))) {
			for (String line; (line = r.readLine()) != null;)
				lines.add(line);
		}
		if (p.waitFor() != 0)
			throw new IllegalStateException(String.join(" ", command.subList(0, Math.min(2, command.size()))) + " failed:\n" + String.join("\n", lines));
		return lines;
	}

	private static double median(final List<Double> values) {
		final double[] v = values.stream().mapToDouble(Double::doubleValue).sorted().toArray();
		return v.length % 2 == 1 ? v[v.length / 2] : (v[v.length / 2 - 1] + v[v.length / 2]) / 2;
	}
}
