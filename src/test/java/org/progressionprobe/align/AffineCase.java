package org.progressionprobe.align;

import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;

import org.progressionprobe.io.VolumeIO;
import org.progressionprobe.testing.SharedData;
import org.progressionprobe.volume.AffineTransform3D;
import org.progressionprobe.volume.Volume;

/**
 * A registration case from {@code shared/bench/make_affine_case.py}: Colin27 and a copy moved by a
 * known random affine, generated into a folder. Skips the calling test with a clear message when
 * python3 with nibabel and scipy is missing.
 */
public record AffineCase(Volume fixed, Volume moving, AffineTransform3D truth, Path dir) {

	/** A python3 that can import nibabel and scipy, or null. */
	public static String python() {
		for (final String p : List.of("/usr/bin/python3", "python3")) {
			try {
				final Process proc = new ProcessBuilder(p, "-c", "import nibabel, scipy").redirectErrorStream(true).start();
				if (proc.waitFor(60, TimeUnit.SECONDS) && proc.exitValue() == 0)
					return p;
			} catch (final IOException | InterruptedException e) {
				// try the next candidate
			}
		}
		return null;
	}

	/** Generates (or reuses) the case with the given seed in {@code dir}. */
	public static AffineCase generate(final Path dir, final int seed) throws IOException, InterruptedException {
		final Path script = SharedData.require("bench/make_affine_case.py");
		final Path ch2 = SharedData.require("data/template/ch2.nii.gz");
		if (!Files.exists(dir.resolve("truth.txt"))) {
			final String py = python();
			assumeTrue(py != null, "Skipped: needs python3 with nibabel and scipy to generate the registration case"
					+ " (apt-get install -y python3-nibabel python3-scipy)");
			Files.createDirectories(dir);
			final Process p = new ProcessBuilder(py, script.toString(), ch2.toString(), dir.toString(), Integer.toString(seed))
					.redirectErrorStream(true).start();
			final String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
			if (!p.waitFor(300, TimeUnit.SECONDS) || p.exitValue() != 0)
				throw new IOException("make_affine_case.py failed: " + out);
		}
		final List<String> lines = Files.readAllLines(dir.resolve("truth.txt"));
		final double[] m = new double[12];
		for (int r = 0; r < 3; r++) {
			final String[] f = lines.get(r).trim().split("\\s+");
			for (int c = 0; c < 4; c++)
				m[4 * r + c] = Double.parseDouble(f[c]);
		}
		return new AffineCase(VolumeIO.read(dir.resolve("fixed.nii.gz")), VolumeIO.read(dir.resolve("moving.nii.gz")), AffineTransform3D.of(m), dir);
	}

	/**
	 * Mean distance (mm) between where a fixed-world to moving-world transform and the truth send
	 * the brain voxels (above 10% of the maximum; every 50th, as shared/bench/affine_error.py). Both
	 * images have identity voxel-to-world matrices, so voxel indices are world mm.
	 */
	public double meanError(final AffineTransform3D fixedToMoving) {
		final float[] d = fixed.data();
		float max = 0;
		for (final float v : d)
			max = Math.max(max, v);
		final int nx = fixed.nx(), ny = fixed.ny();
		double sum = 0;
		int n = 0, k = 0;
		final double[] p = new double[3], a = new double[3], b = new double[3];
		for (int i = 0; i < d.length; i++) {
			if (!(d[i] > 0.1 * max) || k++ % 50 != 0)
				continue;
			p[0] = i % nx;
			p[1] = (i / nx) % ny;
			p[2] = i / (nx * ny);
			fixedToMoving.apply(p, a);
			truth.apply(p, b);
			sum += Math.sqrt((a[0] - b[0]) * (a[0] - b[0]) + (a[1] - b[1]) * (a[1] - b[1]) + (a[2] - b[2]) * (a[2] - b[2]));
			n++;
		}
		return sum / n;
	}
}
