package org.progressionprobe.features.change;

import java.util.stream.IntStream;

import org.progressionprobe.volume.Volume;

/**
 * The foreground of a scan: voxels brighter than Otsu's threshold, computed on a 256-bin histogram
 * between the scan's minimum and its 99.9th percentile (brighter voxels fall in the top bin, so a
 * few hot voxels do not squeeze the histogram). On an MRI head this separates head from air; on a
 * skull-stripped brain, brain from background. It is where change is pooled when no label image
 * says otherwise.
 */
public final class ForegroundMask {

	private ForegroundMask() {}

	/** Otsu's threshold of the scan's intensities; NaN if the scan is constant. */
	public static double otsuThreshold(final Volume scan) {
		final float[] a = scan.data();
		final float[] sorted = a.clone();
		java.util.Arrays.parallelSort(sorted);
		final double lo = sorted[0];
		final double hi = sorted[(int) Math.min(sorted.length - 1, Math.floor(0.999 * (sorted.length - 1)))];
		if (!(hi > lo))
			return sorted[sorted.length - 1] > lo ? lo : Double.NaN;
		final int bins = 256;
		final long[] h = new long[bins];
		final double w = (hi - lo) / bins;
		for (final float v : a)
			h[Math.max(0, Math.min(bins - 1, (int) ((v - lo) / w)))]++;
		double total = 0, sum = 0;
		for (int i = 0; i < bins; i++) {
			total += h[i];
			sum += i * (double) h[i];
		}
		double w0 = 0, s0 = 0, best = -1;
		int bestBin = 0;
		for (int t = 0; t < bins - 1; t++) {
			w0 += h[t];
			s0 += t * (double) h[t];
			final double w1 = total - w0;
			if (w0 == 0 || w1 == 0)
				continue;
			final double m0 = s0 / w0, m1 = (sum - s0) / w1;
			final double between = w0 * w1 * (m0 - m1) * (m0 - m1);
			if (between > best) {
				best = between;
				bestBin = t;
			}
		}
		return lo + (bestBin + 1) * w;
	}

	/** Voxels above Otsu's threshold (all false for a constant scan). */
	public static boolean[] of(final Volume scan) {
		final double t = otsuThreshold(scan);
		final float[] a = scan.data();
		final boolean[] mask = new boolean[a.length];
		if (Double.isNaN(t))
			return mask;
		IntStream.range(0, a.length).parallel().forEach(i -> mask[i] = a[i] > t);
		return mask;
	}
}
