package org.progressionprobe.report;

import java.awt.Color;
import java.util.List;
import java.util.Locale;

import org.progressionprobe.probe.RocCurve;

/** ROC curves of chosen settings overlaid, the chance diagonal, and a legend naming each curve with its AUC. */
final class RocOverlay extends Figure {

	/** A curve and its name. */
	record Curve(String name, RocCurve roc) {}

	private static final Color[] COLOURS = { new Color(0xD5, 0x5E, 0x00), new Color(0x00, 0x72, 0xB2), new Color(0x00, 0x9E, 0x73),
			new Color(0xCC, 0x79, 0xA7), new Color(0x56, 0xB4, 0xE9), new Color(0xE6, 0x9F, 0x00), new Color(0x22, 0x22, 0x22) };
	private static final int SIZE = 400, PAD = 14, LEFT = 64, TOP = 60, BOTTOM = 58, FONT = 13;

	private final String title;
	private final List<Curve> curves;
	private final double legendWidth;

	RocOverlay(final List<Curve> curves, final String title) {
		this.title = title;
		this.curves = List.copyOf(curves.subList(0, Math.min(curves.size(), COLOURS.length)));
		double w = 0;
		for (final Curve c : this.curves)
			w = Math.max(w, Canvas.textWidth(legend(c), FONT, false));
		legendWidth = w + 40;
	}

	private static String legend(final Curve c) {
		return String.format(Locale.ROOT, "%s (AUC %.3f)", c.name(), c.roc().area());
	}

	@Override
	int width() {
		return (int) Math.ceil(Math.max(LEFT + SIZE + 20 + legendWidth, Canvas.textWidth(title, 16, true) + 2 * PAD) + PAD);
	}

	@Override
	int height() {
		return Math.max(TOP + SIZE + BOTTOM, TOP + 30 + 22 * curves.size());
	}

	@Override
	void draw(final Canvas c) {
		c.text(title, PAD, 22, 16, true, INK, Canvas.Anchor.START);
		final double x0 = LEFT, y0 = TOP + SIZE;
		for (int k = 0; k <= 10; k += 2) {
			final double v = k / 10.0;
			c.line(x0 + v * SIZE, TOP, x0 + v * SIZE, y0, GRID, 1, false);
			c.line(x0, y0 - v * SIZE, x0 + SIZE, y0 - v * SIZE, GRID, 1, false);
			c.text(String.format(Locale.ROOT, "%.1f", v), x0 + v * SIZE, y0 + 17, 12, false, INK, Canvas.Anchor.MIDDLE);
			c.text(String.format(Locale.ROOT, "%.1f", v), x0 - 6, y0 - v * SIZE + 4, 12, false, INK, Canvas.Anchor.END);
		}
		c.rect(x0, TOP, SIZE, SIZE, null, INK);
		c.line(x0, y0, x0 + SIZE, TOP, MUTED, 1.5, true);
		c.text("false positive rate (1 - specificity)", x0 + SIZE / 2.0, y0 + 38, FONT, false, INK, Canvas.Anchor.MIDDLE);
		c.text("true positive rate", 8, TOP - 10, FONT, false, INK, Canvas.Anchor.START);
		for (int i = curves.size() - 1; i >= 0; i--) {
			final RocCurve roc = curves.get(i).roc();
			final double[] xy = new double[2 * roc.fpr().length];
			for (int q = 0; q < roc.fpr().length; q++) {
				xy[2 * q] = x0 + roc.fpr()[q] * SIZE;
				xy[2 * q + 1] = y0 - roc.tpr()[q] * SIZE;
			}
			c.polyline(xy, COLOURS[i], 2.2);
		}
		final double lx = x0 + SIZE + 20;
		for (int i = 0; i < curves.size(); i++) {
			final double ly = TOP + 14 + 22 * i;
			c.line(lx, ly - 4, lx + 26, ly - 4, COLOURS[i], 3, false);
			c.text(legend(curves.get(i)), lx + 32, ly, FONT, false, INK, Canvas.Anchor.START);
		}
	}
}
