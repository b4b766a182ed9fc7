package org.progressionprobe.report;

import java.awt.Color;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

import org.progressionprobe.study.StudyResult;

/**
 * The heatmap: a row per extractor and layer, a column per alignment and crop, each cell the
 * cross-validated AUC with its value printed, coloured from blue (below chance) through white
 * (0.5) to red (1); settings the grid did not run stay blank.
 */
final class Heatmap extends Figure {

	private static final int CELL_W = 78, CELL_H = 26, FONT = 13, PAD = 14, TOP = 84, BOTTOM = 56;
	private static final List<String> ALIGNMENT_ORDER = List.of("none", "pair", "atlas");

	private final String title;
	private final List<String> rows = new ArrayList<>();
	private final List<String[]> columns = new ArrayList<>();
	private final Map<String, StudyResult> cells = new LinkedHashMap<>();
	private final double labelWidth;

	Heatmap(final List<StudyResult> results, final String title) {
		this.title = title;
		final List<String> seenColumns = new ArrayList<>();
		for (final StudyResult r : results) {
			if (!r.ok())
				continue;
			final String row = rowName(r), column = ForestPlot.rowName(r);
			if (!rows.contains(row))
				rows.add(row);
			if (!seenColumns.contains(column)) {
				seenColumns.add(column);
				columns.add(new String[] { r.alignment(), Boolean.toString(r.roi()) });
			}
			cells.put(row + "\u0000" + column, r);
		}
		columns.sort((a, b) -> {
			final int ia = rank(a[0]), ib = rank(b[0]);
			return ia != ib ? Integer.compare(ia, ib) : a[0].equals(b[0]) ? a[1].compareTo(b[1]) : a[0].compareTo(b[0]);
		});
		double lw = Canvas.textWidth("extractor : layer", 12, true);
		for (final String r : rows)
			lw = Math.max(lw, Canvas.textWidth(r, FONT, false));
		labelWidth = lw + 16;
	}

	private static int rank(final String alignment) {
		final int i = ALIGNMENT_ORDER.indexOf(alignment);
		return i < 0 ? ALIGNMENT_ORDER.size() : i;
	}

	private static String rowName(final StudyResult r) {
		return r.extractor() + (r.layer().isEmpty() || r.layer().equals("all") ? " : all" : " : " + r.layer());
	}

	/** Width of the colour bar and the text beside it. */
	private static final double BAR_W = 220;
	private static final String LEGEND = "cross-validated AUC (grey: not in the grid)";

	@Override
	int width() {
		final double legend = BAR_W + 14 + Canvas.textWidth(LEGEND, 12, false);
		return (int) Math.ceil(PAD + Math.max(labelWidth + columns.size() * CELL_W, Math.max(Canvas.textWidth(title, 16, true), legend)) + PAD);
	}

	@Override
	int height() {
		return TOP + rows.size() * CELL_H + BOTTOM;
	}

	@Override
	void draw(final Canvas c) {
		c.text(title, PAD, 22, 16, true, INK, Canvas.Anchor.START);
		final double x0 = PAD + labelWidth;
		c.text("extractor : layer", x0 - 10, TOP - 8, 12, true, INK, Canvas.Anchor.END);
		for (int j = 0; j < columns.size(); j++) {
			final double cx = x0 + j * CELL_W + CELL_W / 2.0;
			c.rect(x0 + j * CELL_W + 4, TOP - 44, CELL_W - 8, 5, alignmentColour(columns.get(j)[0]), null);
			c.text(columns.get(j)[0], cx, TOP - 24, FONT, true, INK, Canvas.Anchor.MIDDLE);
			c.text(Boolean.parseBoolean(columns.get(j)[1]) ? "ROI crop" : "whole view", cx, TOP - 8, 12, false, INK, Canvas.Anchor.MIDDLE);
		}
		for (int i = 0; i < rows.size(); i++) {
			final double y = TOP + i * CELL_H;
			c.text(rows.get(i), x0 - 10, y + CELL_H / 2.0 + 4.5, FONT, false, INK, Canvas.Anchor.END);
			for (int j = 0; j < columns.size(); j++) {
				final StudyResult r = cells.get(rows.get(i) + "\u0000" + columns.get(j)[0] + (Boolean.parseBoolean(columns.get(j)[1]) ? "-roi" : ""));
				final double x = x0 + j * CELL_W;
				if (r == null) {
					c.rect(x, y, CELL_W, CELL_H, new Color(0xF2, 0xF2, 0xF2), Color.WHITE);
					continue;
				}
				final double auc = r.auc().value();
				final Color fill = colour(auc);
				c.rect(x, y, CELL_W, CELL_H, fill, Color.WHITE);
				c.text(Double.isNaN(auc) ? "n/a" : String.format(Locale.ROOT, "%.2f", auc), x + CELL_W / 2.0, y + CELL_H / 2.0 + 4.5, FONT, false,
						luminance(fill) < 0.5 ? Color.WHITE : INK, Canvas.Anchor.MIDDLE);
			}
		}
		final double barY = TOP + rows.size() * CELL_H + 18, barW = BAR_W;
		for (int k = 0; k < 110; k++) {
			final double v = 0.3 + 0.7 * k / 109.0;
			c.rect(PAD + k * barW / 110, barY, barW / 110 + 0.6, 12, colour(v), null);
		}
		c.rect(PAD, barY, barW, 12, null, MUTED);
		for (final double v : new double[] { 0.3, 0.5, 0.7, 1.0 })
			c.text(String.format(Locale.ROOT, "%.1f", v), PAD + (v - 0.3) / 0.7 * barW, barY + 27, 11, false, INK, Canvas.Anchor.MIDDLE);
		c.text(LEGEND, PAD + barW + 14, barY + 11, 12, false, INK, Canvas.Anchor.START);
	}

	/** White at 0.5, towards dark red at 1 and dark blue at 0.3 and below. */
	static Color colour(final double auc) {
		if (Double.isNaN(auc))
			return new Color(0xCC, 0xCC, 0xCC);
		final double t = Math.max(-1, Math.min(1, auc >= 0.5 ? (auc - 0.5) / 0.5 : (auc - 0.5) / 0.2));
		final int[] end = t >= 0 ? new int[] { 0xB2, 0x18, 0x2B } : new int[] { 0x21, 0x66, 0xAC };
		final double a = Math.abs(t);
		return new Color((int) Math.round(255 + a * (end[0] - 255)), (int) Math.round(255 + a * (end[1] - 255)), (int) Math.round(255 + a * (end[2] - 255)));
	}

	private static double luminance(final Color c) {
		return (0.2126 * c.getRed() + 0.7152 * c.getGreen() + 0.0722 * c.getBlue()) / 255;
	}
}
