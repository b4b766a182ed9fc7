package org.progressionprobe.report;

import java.awt.Color;
import java.awt.Font;
import java.awt.FontMetrics;
import java.awt.image.BufferedImage;

/** Where a figure draws itself: the few primitives the report's figures need, in pixels, y downwards. */
interface Canvas {

	/** Horizontal anchor of a text. */
	enum Anchor {
		START, MIDDLE, END
	}

	void line(double x1, double y1, double x2, double y2, Color colour, double width, boolean dashed);

	/** A rectangle; fill or stroke may be null. */
	void rect(double x, double y, double w, double h, Color fill, Color stroke);

	/** A circle; fill or stroke may be null. */
	void circle(double cx, double cy, double r, Color fill, Color stroke);

	/** A polyline through the points (x0, y0, x1, y1, ...). */
	void polyline(double[] xy, Color colour, double width);

	/** Text with its baseline at y. */
	void text(String s, double x, double y, int size, boolean bold, Color colour, Anchor anchor);

	/** Width of a text in pixels (the same font metrics for PNG and SVG). */
	static double textWidth(final String s, final int size, final boolean bold) {
		return Metrics.of(size, bold).stringWidth(s);
	}

	/** Font metrics from a headless image. */
	final class Metrics {
		private static final java.util.Map<Integer, FontMetrics> CACHE = new java.util.concurrent.ConcurrentHashMap<>();
		private static final BufferedImage SCRATCH = new BufferedImage(1, 1, BufferedImage.TYPE_INT_RGB);

		private Metrics() {}

		static Font font(final int size, final boolean bold) {
			return new Font(Font.SANS_SERIF, bold ? Font.BOLD : Font.PLAIN, size);
		}

		static FontMetrics of(final int size, final boolean bold) {
			return CACHE.computeIfAbsent(size * 2 + (bold ? 1 : 0), k -> {
				final var g = SCRATCH.createGraphics();
				try {
					return g.getFontMetrics(font(size, bold));
				} finally {
					g.dispose();
				}
			});
		}
	}
}
