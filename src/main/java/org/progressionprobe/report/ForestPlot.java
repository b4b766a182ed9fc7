package org.progressionprobe.report;

import java.awt.Color;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import org.progressionprobe.study.StudyResult;

/**
 * The forest plot: one row per setting with its name, its cross-validated AUC and 95% interval,
 * rows grouped by extractor and layer under a header, coloured by alignment, a filled square for a
 * crop and an open circle for the whole view, the chance line at 0.5, the value printed at the
 * right. The height grows with the rows, the label column with the longest name.
 */
final class ForestPlot extends Figure {

	private static final int ROW = 20, HEADER = 24, FONT = 13, PLOT_WIDTH = 420, TOP = 74, BOTTOM = 52, PAD = 14;

	private final String title;
	private final String valueHeader;
	private final Map<String, List<StudyResult>> groups = new LinkedHashMap<>();
	private final double lo;
	private final double labelWidth, valueWidth;

	ForestPlot(final List<StudyResult> results, final String title) {
		this.title = title;
		double min = 0.5;
		for (final StudyResult r : results)
			if (r.ok()) {
				groups.computeIfAbsent(group(r), g -> new ArrayList<>()).add(r);
				min = Math.min(min, Double.isNaN(r.auc().low()) ? r.auc().value() : r.auc().low());
			}
		lo = Math.max(0, Math.floor(min * 10) / 10);
		valueHeader = results.stream().anyMatch(r -> !Double.isNaN(r.permutationP())) ? "AUC [95% CI]   p (permutation)" : "AUC [95% CI]";
		double lw = 0, vw = Canvas.textWidth(valueHeader, FONT, true);
		for (final Map.Entry<String, List<StudyResult>> g : groups.entrySet()) {
			lw = Math.max(lw, Canvas.textWidth(g.getKey(), FONT, true) - 40);
			for (final StudyResult r : g.getValue()) {
				lw = Math.max(lw, Canvas.textWidth(rowName(r), FONT, false));
				vw = Math.max(vw, Canvas.textWidth(value(r), FONT, false));
			}
		}
		labelWidth = lw + 24;
		valueWidth = vw + 12;
	}

	static String group(final StudyResult r) {
		return r.extractor() + (r.layer().isEmpty() || r.layer().equals("all") ? " \u00b7 all features" : " \u00b7 layer " + r.layer());
	}

	/** The name within its group: alignment, and "-roi" for a crop (as in the setting ids). */
	static String rowName(final StudyResult r) {
		return r.alignment() + (r.roi() ? "-roi" : "");
	}

	private static String value(final StudyResult r) {
		final String v = r.auc().toString().replace("[", " [");
		return Double.isNaN(r.permutationP()) ? v : v + "  p=" + StudyReport.p(r.permutationP());
	}

	@Override
	int width() {
		return (int) Math.ceil(PAD + Math.max(labelWidth + PLOT_WIDTH + 16 + valueWidth, Math.max(legend(null, 0, 0),
				Canvas.textWidth(title, 16, true))) + PAD);
	}

	@Override
	int height() {
		int rows = 0;
		for (final List<StudyResult> g : groups.values())
			rows += g.size();
		return TOP + groups.size() * HEADER + rows * ROW + BOTTOM;
	}

	@Override
	void draw(final Canvas c) {
		c.text(title, PAD, 22, 16, true, INK, Canvas.Anchor.START);
		legend(c, PAD, 46);
		final double x0 = PAD + labelWidth, x1 = x0 + PLOT_WIDTH, valueX = x1 + 16;
		final double plotBottom = height() - BOTTOM;
		aucAxis(c, x0, x1, lo, TOP - 6, plotBottom, "cross-validated AUC (95% interval)");
		c.text(valueHeader, valueX, TOP - 10, FONT, true, INK, Canvas.Anchor.START);
		double y = TOP;
		boolean shade = false;
		for (final Map.Entry<String, List<StudyResult>> g : groups.entrySet()) {
			c.text(g.getKey(), PAD, y + 17, FONT, true, INK, Canvas.Anchor.START);
			y += HEADER;
			for (final StudyResult r : g.getValue()) {
				if (shade)
					c.rect(PAD, y, width() - 2 * PAD, ROW, new Color(0xF4, 0xF4, 0xF4), null);
				shade = !shade;
				final double cy = y + ROW / 2.0;
				final Color colour = alignmentColour(r.alignment());
				c.text(rowName(r), x0 - 10, cy + 4.5, FONT, false, INK, Canvas.Anchor.END);
				if (!Double.isNaN(r.auc().low())) {
					c.line(x(r.auc().low(), x0, x1), cy, x(r.auc().high(), x0, x1), cy, colour, 2, false);
					c.line(x(r.auc().low(), x0, x1), cy - 4, x(r.auc().low(), x0, x1), cy + 4, colour, 2, false);
					c.line(x(r.auc().high(), x0, x1), cy - 4, x(r.auc().high(), x0, x1), cy + 4, colour, 2, false);
				}
				marker(c, x(r.auc().value(), x0, x1), cy, colour, r.roi());
				c.text(value(r), valueX, cy + 4.5, FONT, false, INK, Canvas.Anchor.START);
				y += ROW;
			}
		}
	}

	private double x(final double v, final double x0, final double x1) {
		return x0 + (Math.max(lo, Math.min(1, v)) - lo) / (1 - lo) * (x1 - x0);
	}

	static void marker(final Canvas c, final double x, final double y, final Color colour, final boolean crop) {
		if (crop)
			c.rect(x - 5, y - 5, 10, 10, colour, INK);
		else
			c.circle(x, y, 5, Color.WHITE, colour);
	}

	private static final String[][] ALIGNMENTS = { { "none", "none (no alignment)" }, { "pair", "pair (follow-up to baseline)" },
			{ "atlas", "atlas (both to the atlas)" } };

	/** Alignment colours and the crop marker in one line starting at x0; returns its width. */
	static double legend(final Canvas c, final double x0, final double y) {
		double x = x0;
		for (final String[] a : ALIGNMENTS) {
			if (c != null) {
				c.rect(x, y - 10, 12, 12, alignmentColour(a[0]), null);
				c.text(a[1], x + 17, y, 12, false, INK, Canvas.Anchor.START);
			}
			x += 17 + Canvas.textWidth(a[1], 12, false) + 18;
		}
		for (final boolean crop : new boolean[] { true, false }) {
			final String text = crop ? "cropped to the ROI" : "whole view";
			if (c != null) {
				marker(c, x + 5, y - 4, MUTED, crop);
				c.text(text, x + 15, y, 12, false, INK, Canvas.Anchor.START);
			}
			x += 15 + Canvas.textWidth(text, 12, false) + 18;
		}
		return x - x0;
	}
}
