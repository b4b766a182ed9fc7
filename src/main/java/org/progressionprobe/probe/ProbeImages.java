package org.progressionprobe.probe;

import java.awt.Color;
import java.io.IOException;
import java.nio.file.Path;
import java.util.Locale;

import javax.imageio.ImageIO;

import org.progressionprobe.io.AtomicOutput;
import org.progressionprobe.volume.Grid;
import org.progressionprobe.volume.Resampler;
import org.progressionprobe.volume.Volume;

import ij.gui.Plot;
import ij.process.ColorProcessor;
import ij.process.ImageProcessor;

/**
 * The probe's pictures, drawn by ImageJ without a display (they work with
 * {@code java.awt.headless=true}): the ROC curve as an ImageJ {@link Plot}, and a weight map as a
 * colour overlay on three orthogonal slices of a background volume. Written as PNG atomically.
 */
public final class ProbeImages {

	private static final int PANEL = 256;

	private ProbeImages() {}

	/** The ROC curve with the chance diagonal and a caption (e.g. the AUC with its interval). */
	public static ImageProcessor roc(final RocCurve roc, final String title, final String caption) {
		final Plot plot = new Plot(title, "False positive rate (1 - specificity)", "True positive rate (sensitivity)");
		plot.setSize(480, 480);
		plot.setLimits(0, 1, 0, 1);
		plot.setColor(Color.GRAY);
		plot.drawDottedLine(0, 0, 1, 1, 4);
		plot.setColor(new Color(0xC0, 0x20, 0x20));
		plot.setLineWidth(2);
		plot.addPoints(roc.fpr(), roc.tpr(), Plot.LINE);
		plot.setLineWidth(1);
		plot.setColor(Color.BLACK);
		plot.addLabel(0.35, 0.93, caption);
		return plot.getProcessor();
	}

	/**
	 * A weight map over a background: three orthogonal slices (across voxel z, y and x; upper rows =
	 * larger index) through the voxel with the largest absolute weight, positive weights red,
	 * negative blue, opacity growing with the weight. Each slice is labelled with its anatomical
	 * plane and index, and its horizontal edges with the directions they face (L/R, P/A, I/S) from
	 * the map's orientation.
	 *
	 * @param background intensity volume (baseline or atlas template), resampled onto the map's grid if needed; null for none
	 */
	public static ImageProcessor weightOverlay(final WeightMap map, final Volume background, final String caption) {
		final Volume w = map.weights();
		final Volume bg = background == null ? null
				: background.sameGrid(w) ? background : Resampler.linear().resample(background, Grid.of(w));
		final double max = map.maxAbs();
		final int[] peak = peak(w);
		final int nx = w.nx(), ny = w.ny(), nz = w.nz();
		final double[] range = bg == null ? new double[] { 0, 1 } : robustRange(bg.data());
		final int zoom = Math.max(1, PANEL / Math.max(nx, Math.max(ny, nz)));
		final int[][] panels = { { nx, ny }, { nx, nz }, { ny, nz } };
		final int gap = 8, top = 48, bottom = 40;
		int width = gap;
		for (final int[] p : panels)
			width += p[0] * zoom + gap;
		final int height = top + Math.max(ny, nz) * zoom + bottom;
		final ColorProcessor ip = new ColorProcessor(width, height);
		ip.setColor(Color.BLACK);
		ip.fill();
		int x0 = gap;
		for (int p = 0; p < 3; p++) {
			final int pw = panels[p][0], ph = panels[p][1];
			for (int v = 0; v < ph; v++)
				for (int u = 0; u < pw; u++) {
					final int x = p == 0 || p == 1 ? u : peak[0];
					final int y = p == 0 ? v : p == 1 ? peak[1] : u;
					final int z = p == 0 ? peak[2] : v;
					final int idx = w.index(x, y, z);
					final int rgb = colour(bg == null ? 0.2 : (bg.data()[idx] - range[0]) / (range[1] - range[0]), w.data()[idx], max);
					for (int dy = 0; dy < zoom; dy++)
						for (int dx = 0; dx < zoom; dx++)
							ip.set(x0 + u * zoom + dx, top + (ph - 1 - v) * zoom + dy, rgb);
				}
			x0 += pw * zoom + gap;
		}
		ip.setAntialiasedText(true);
		ip.setFontSize(14);
		ip.setColor(Color.WHITE);
		ip.drawString(caption, gap, 20);
		final String orientation = w.orientation();
		final int[] fixed = { 2, 1, 0 }, across = { 0, 0, 1 };
		ip.setFontSize(11);
		x0 = gap;
		for (int p = 0; p < 3; p++) {
			final int pw = panels[p][0] * zoom, a = across[p];
			ip.drawString(plane(orientation.charAt(fixed[p])) + " " + "xyz".charAt(fixed[p]) + "=" + peak[fixed[p]], x0 + 14, top - 6);
			ip.drawString(String.valueOf(opposite(orientation.charAt(a))), x0, top - 6);
			ip.drawString(String.valueOf(orientation.charAt(a)), x0 + pw - 8, top - 6);
			x0 += pw + gap;
		}
		final int barY = top + Math.max(ny, nz) * zoom + 10, barW = Math.min(200, width - 2 * gap - 160);
		for (int i = 0; i < barW; i++) {
			final int rgb = colour(0, (2.0 * i / (barW - 1) - 1) * max, max);
			for (int j = 0; j < 10; j++)
				ip.set(gap + i, barY + j, rgb);
		}
		ip.setFontSize(12);
		ip.drawString(String.format(Locale.ROOT, "%.3g ... 0 ... +%.3g (standardised weight)", -max, max), gap + barW + 8, barY + 12);
		return ip;
	}

	/** The plane across a voxel axis that points to {@code direction}. */
	private static String plane(final char direction) {
		return switch (direction) {
		case 'S', 'I' -> "axial";
		case 'A', 'P' -> "coronal";
		default -> "sagittal";
		};
	}

	private static char opposite(final char direction) {
		return switch (direction) {
		case 'R' -> 'L';
		case 'L' -> 'R';
		case 'A' -> 'P';
		case 'P' -> 'A';
		case 'S' -> 'I';
		default -> 'S';
		};
	}

	/** Writes an image as PNG, atomically. */
	public static void writePng(final ImageProcessor ip, final Path file) throws IOException {
		AtomicOutput.write(file, out -> {
			if (!ImageIO.write(ip.getBufferedImage(), "png", out))
				throw new IOException(file + ": no PNG writer");
		});
	}

	private static int colour(final double grey, final double w, final double max) {
		final double g = Math.max(0, Math.min(1, grey));
		double r = g, gr = g, b = g;
		if (max > 0 && w != 0) {
			final double a = 0.35 + 0.6 * Math.min(1, Math.abs(w) / max);
			final double[] c = w > 0 ? new double[] { 1, 0.15, 0.1 } : new double[] { 0.1, 0.35, 1 };
			r = (1 - a) * g + a * c[0];
			gr = (1 - a) * g + a * c[1];
			b = (1 - a) * g + a * c[2];
		}
		return (int) Math.round(r * 255) << 16 | (int) Math.round(gr * 255) << 8 | (int) Math.round(b * 255);
	}

	private static int[] peak(final Volume w) {
		int best = 0;
		final float[] d = w.data();
		for (int i = 1; i < d.length; i++)
			if (Math.abs(d[i]) > Math.abs(d[best]))
				best = i;
		if (d[best] == 0)
			return new int[] { w.nx() / 2, w.ny() / 2, w.nz() / 2 };
		return new int[] { best % w.nx(), best / w.nx() % w.ny(), best / (w.nx() * w.ny()) };
	}

	private static double[] robustRange(final float[] d) {
		final float[] sample = new float[Math.min(d.length, 100_000)];
		final int step = Math.max(1, d.length / sample.length);
		int n = 0;
		for (int i = 0; i < d.length && n < sample.length; i += step)
			sample[n++] = d[i];
		final float[] s = java.util.Arrays.copyOf(sample, n);
		java.util.Arrays.sort(s);
		final double lo = s[(int) (0.01 * (n - 1))], hi = s[(int) (0.995 * (n - 1))];
		return hi > lo ? new double[] { lo, hi } : new double[] { lo, lo + 1 };
	}
}
