package org.progressionprobe.report;

import java.awt.Color;
import java.util.Locale;

/** A {@link Canvas} that writes SVG text (white background, sans-serif text). */
final class SvgCanvas implements Canvas {

	private final StringBuilder sb = new StringBuilder();

	SvgCanvas(final int width, final int height) {
		sb.append("<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"").append(width).append("\" height=\"").append(height)
				.append("\" viewBox=\"0 0 ").append(width).append(' ').append(height)
				.append("\" font-family=\"DejaVu Sans, Helvetica, Arial, sans-serif\">\n<rect width=\"100%\" height=\"100%\" fill=\"white\"/>\n");
	}

	String finish() {
		return sb + "</svg>\n";
	}

	@Override
	public void line(final double x1, final double y1, final double x2, final double y2, final Color colour, final double width, final boolean dashed) {
		sb.append(String.format(Locale.ROOT, "<line x1=\"%.1f\" y1=\"%.1f\" x2=\"%.1f\" y2=\"%.1f\" stroke=\"%s\" stroke-width=\"%.1f\"%s/>\n", x1, y1,
				x2, y2, hex(colour), width, dashed ? " stroke-dasharray=\"5,4\"" : ""));
	}

	@Override
	public void rect(final double x, final double y, final double w, final double h, final Color fill, final Color stroke) {
		sb.append(String.format(Locale.ROOT, "<rect x=\"%.1f\" y=\"%.1f\" width=\"%.1f\" height=\"%.1f\" fill=\"%s\"%s/>\n", x, y, w, h,
				fill == null ? "none" : hex(fill), stroke == null ? "" : " stroke=\"" + hex(stroke) + "\""));
	}

	@Override
	public void circle(final double cx, final double cy, final double r, final Color fill, final Color stroke) {
		sb.append(String.format(Locale.ROOT, "<circle cx=\"%.1f\" cy=\"%.1f\" r=\"%.1f\" fill=\"%s\"%s/>\n", cx, cy, r, fill == null ? "none" : hex(fill),
				stroke == null ? "" : " stroke=\"" + hex(stroke) + "\" stroke-width=\"1.5\""));
	}

	@Override
	public void polyline(final double[] xy, final Color colour, final double width) {
		sb.append("<polyline fill=\"none\" stroke=\"").append(hex(colour)).append("\" stroke-width=\"").append(width).append("\" points=\"");
		for (int i = 0; i < xy.length; i += 2)
			sb.append(String.format(Locale.ROOT, "%.1f,%.1f ", xy[i], xy[i + 1]));
		sb.append("\"/>\n");
	}

	@Override
	public void text(final String s, final double x, final double y, final int size, final boolean bold, final Color colour, final Anchor anchor) {
		sb.append(String.format(Locale.ROOT, "<text x=\"%.1f\" y=\"%.1f\" font-size=\"%d\"%s fill=\"%s\"%s>%s</text>\n", x, y, size,
				bold ? " font-weight=\"bold\"" : "", hex(colour),
				anchor == Anchor.MIDDLE ? " text-anchor=\"middle\"" : anchor == Anchor.END ? " text-anchor=\"end\"" : "", Html.escape(s)));
	}

	private static String hex(final Color c) {
		return String.format("#%02x%02x%02x", c.getRed(), c.getGreen(), c.getBlue());
	}
}
