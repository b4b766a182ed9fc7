package org.progressionprobe.report;

import java.awt.Color;
import java.io.IOException;
import java.nio.file.Path;

import javax.imageio.ImageIO;

import org.progressionprobe.io.AtomicOutput;

/** A figure laid out for its content (its size follows the number of rows and the longest label), drawn once for PNG and SVG. */
abstract class Figure {

	/** Colour-blind-safe colours (Okabe-Ito) by alignment. */
	static Color alignmentColour(final String alignment) {
		return switch (alignment) {
		case "none" -> new Color(0xE6, 0x9F, 0x00);
		case "pair" -> new Color(0x00, 0x72, 0xB2);
		case "atlas" -> new Color(0x00, 0x9E, 0x73);
		default -> new Color(0x55, 0x55, 0x55);
		};
	}

	static final Color INK = new Color(0x22, 0x22, 0x22), GRID = new Color(0xDD, 0xDD, 0xDD), MUTED = new Color(0x77, 0x77, 0x77);

	abstract int width();

	abstract int height();

	abstract void draw(Canvas c);

	final void writePng(final Path file) throws IOException {
		final PngCanvas c = new PngCanvas(width(), height());
		draw(c);
		final var image = c.finish();
		AtomicOutput.write(file, out -> {
			if (!ImageIO.write(image, "png", out))
				throw new IOException(file + ": no PNG writer");
		});
	}

	final String svg() {
		final SvgCanvas c = new SvgCanvas(width(), height());
		draw(c);
		return c.finish();
	}

	/** Writes {@code <stem>.png} and {@code <stem>.svg} into {@code dir}; returns the SVG text. */
	final String write(final Path dir, final String stem) throws IOException {
		writePng(dir.resolve(stem + ".png"));
		final String svg = svg();
		AtomicOutput.writeString(dir.resolve(stem + ".svg"), svg);
		return svg;
	}

	/** A horizontal AUC axis from {@code lo} to 1 in steps of 0.1 with grid lines, the chance line at 0.5. */
	static void aucAxis(final Canvas c, final double x0, final double x1, final double lo, final double top, final double bottom, final String title) {
		for (int k = (int) Math.round(lo * 10); k <= 10; k++) {
			final double v = k / 10.0, x = x0 + (v - lo) / (1 - lo) * (x1 - x0);
			c.line(x, top, x, bottom, GRID, 1, false);
			c.line(x, bottom, x, bottom + 4, INK, 1, false);
			c.text(String.format(java.util.Locale.ROOT, "%.1f", v), x, bottom + 17, 12, false, INK, Canvas.Anchor.MIDDLE);
		}
		if (lo < 0.5) {
			final double x = x0 + (0.5 - lo) / (1 - lo) * (x1 - x0);
			c.line(x, top, x, bottom, MUTED, 1.5, true);
			c.text("chance", x + 3, top + 11, 11, false, MUTED, Canvas.Anchor.START);
		}
		c.line(x0, bottom, x1, bottom, INK, 1, false);
		c.text(title, (x0 + x1) / 2, bottom + 34, 13, false, INK, Canvas.Anchor.MIDDLE);
	}
}
