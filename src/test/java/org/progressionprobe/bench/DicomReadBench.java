package org.progressionprobe.bench;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;

import org.progressionprobe.io.VolumeIO;
import org.progressionprobe.volume.Volume;

/**
 * Read time of DICOM series folders in different transfer syntaxes, against GDCM's command-line
 * decompression of the same folder ({@code gdcmconv --raw}, one process a file, so its time includes
 * process starts). The first folder is the uncompressed reference: every other folder must give the
 * same voxels. Prints, per folder, the median of 3 reads after a warm-up, GDCM's time and the ratio.
 * <p>
 * Run with {@code scripts/bench/java.sh DicomReadBench native-folder other-folder...}; the folders
 * hold one series each (e.g. made by gdcmconv --rle / --j2k and dcmcjpeg +e1 from the first).
 */
public final class DicomReadBench {

	private DicomReadBench() {}

	public static void main(final String[] args) throws Exception {
		float[] reference = null;
		for (final String a : args) {
			final Path folder = Path.of(a);
			Volume v = VolumeIO.read(folder);
			final double[] t = new double[3];
			for (int i = 0; i < t.length; i++) {
				final long t0 = System.nanoTime();
				v = VolumeIO.read(folder);
				t[i] = (System.nanoTime() - t0) * 1e-9;
			}
			Arrays.sort(t);
			if (reference == null)
				reference = v.data();
			else if (!Arrays.equals(reference, v.data()))
				throw new AssertionError(folder + ": voxels differ from " + args[0]);
			final double gdcm = gdcm(folder);
			System.out.println(String.format(Locale.ROOT, "%-12s %s  ours %.2f s  gdcmconv --raw %.2f s  ratio %.2f  voxels %s", folder.getFileName(),
					Arrays.toString(v.size()), t[1], gdcm, t[1] / gdcm, reference == v.data() ? "reference" : "equal"));
		}
	}

	private static double gdcm(final Path folder) throws Exception {
		final Path out = Files.createTempDirectory("gdcm-raw");
		final List<Path> files = new ArrayList<>();
		try (var s = Files.list(folder)) {
			s.filter(Files::isRegularFile).forEach(files::add);
		}
		final long t0 = System.nanoTime();
		for (final Path f : files) {
			final Process p = new ProcessBuilder("gdcmconv", "--raw", f.toString(), out.resolve(f.getFileName()).toString()).inheritIO().start();
			if (p.waitFor() != 0)
				throw new AssertionError("gdcmconv failed on " + f);
		}
		final double seconds = (System.nanoTime() - t0) * 1e-9;
		try (var s = Files.list(out)) {
			for (final Path f : (Iterable<Path>) s::iterator)
				Files.delete(f);
		}
		Files.delete(out);
		return seconds;
	}
}
