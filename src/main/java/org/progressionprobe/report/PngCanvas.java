package org.progressionprobe.report;

import java.awt.BasicStroke;
import java.awt.Color;
import java.awt.Graphics2D;
import java.awt.RenderingHints;
import java.awt.geom.Ellipse2D;
import java.awt.geom.Line2D;
import java.awt.geom.Path2D;
import java.awt.geom.Rectangle2D;
import java.awt.image.BufferedImage;

/** A {@link Canvas} on a headless RGB image with a white background, antialiased. */
final class PngCanvas implements Canvas {

	private final BufferedImage image;
	private final Graphics2D g;

	PngCanvas(final int width, final int height) {
		image = new BufferedImage(width, height, BufferedImage.TYPE_INT_RGB);
		g = image.createGraphics();
		g.setRenderingHint(RenderingHints.KEY_ANTIALIASING, RenderingHints.VALUE_ANTIALIAS_ON);
		g.setRenderingHint(RenderingHints.KEY_TEXT_ANTIALIASING, RenderingHints.VALUE_TEXT_ANTIALIAS_ON);
		g.setRenderingHint(RenderingHints.KEY_STROKE_CONTROL, RenderingHints.VALUE_STROKE_PURE);
		g.setColor(Color.WHITE);
		g.fillRect(0, 0, width, height);
	}

	BufferedImage finish() {
		g.dispose();
		return image;
	}

	@Override
	public void line(final double x1, final double y1, final double x2, final double y2, final Color colour, final double width, final boolean dashed) {
		g.setColor(colour);
		g.setStroke(dashed ? new BasicStroke((float) width, BasicStroke.CAP_BUTT, BasicStroke.JOIN_MITER, 10, new float[] { 5, 4 }, 0)
				: new BasicStroke((float) width));
		g.draw(new Line2D.Double(x1, y1, x2, y2));
	}

	@Override
	public void rect(final double x, final double y, final double w, final double h, final Color fill, final Color stroke) {
		final Rectangle2D r = new Rectangle2D.Double(x, y, w, h);
		if (fill != null) {
			g.setColor(fill);
			g.fill(r);
		}
		if (stroke != null) {
			g.setColor(stroke);
			g.setStroke(new BasicStroke(1));
			g.draw(r);
		}
	}

	@Override
	public void circle(final double cx, final double cy, final double r, final Color fill, final Color stroke) {
		final Ellipse2D e = new Ellipse2D.Double(cx - r, cy - r, 2 * r, 2 * r);
		if (fill != null) {
			g.setColor(fill);
			g.fill(e);
		}
		if (stroke != null) {
			g.setColor(stroke);
			g.setStroke(new BasicStroke(1.5f));
			g.draw(e);
		}
	}

	@Override
	public void polyline(final double[] xy, final Color colour, final double width) {
		final Path2D p = new Path2D.Double();
		p.moveTo(xy[0], xy[1]);
		for (int i = 2; i < xy.length; i += 2)
			p.lineTo(xy[i], xy[i + 1]);
		g.setColor(colour);
		g.setStroke(new BasicStroke((float) width, BasicStroke.CAP_ROUND, BasicStroke.JOIN_ROUND));
		g.draw(p);
	}

	@Override
	public void text(final String s, final double x, final double y, final int size, final boolean bold, final Color colour, final Anchor anchor) {
		g.setFont(Canvas.Metrics.font(size, bold));
		g.setColor(colour);
		final double w = anchor == Anchor.START ? 0 : Canvas.textWidth(s, size, bold);
		g.drawString(s, (float) (x - (anchor == Anchor.MIDDLE ? w / 2 : anchor == Anchor.END ? w : 0)), (float) y);
	}
}
