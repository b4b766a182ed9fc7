package org.progressionprobe.study;

import java.awt.Color;
import java.io.IOException;
import java.nio.file.Path;
import java.util.List;

import ij.gui.Plot;

import org.progressionprobe.probe.ProbeImages;

/**
 * The study's figure, drawn headless with ImageJ's Plot: cross-validated AUC per setting with its
 * 95% interval, settings numbered along x and named in the caption, chance (0.5) marked.
 */
final class StudyPlot {

	private StudyPlot() {}

	static void write(final List<StudyResult> results, final String title, final Path png) throws IOException {
		final List<StudyResult> ok = results.stream().filter(StudyResult::ok).toList();
		final Plot plot = new Plot(title, "setting", "AUC (95% CI)");
		plot.setSize(Math.max(480, 60 * ok.size() + 160), 420);
		plot.setLimits(0.4, ok.size() + 0.6, 0, 1.05);
		plot.setColor(Color.GRAY);
		plot.drawDottedLine(0.4, 0.5, ok.size() + 0.6, 0.5, 3);
		final double[] x = new double[ok.size()], y = new double[ok.size()];
		for (int i = 0; i < ok.size(); i++) {
			final StudyResult r = ok.get(i);
			x[i] = i + 1;
			y[i] = r.auc().value();
			if (!Double.isNaN(r.auc().low())) {
				plot.setColor(Color.BLUE);
				plot.drawLine(x[i], r.auc().low(), x[i], r.auc().high());
				plot.drawLine(x[i] - 0.1, r.auc().low(), x[i] + 0.1, r.auc().low());
				plot.drawLine(x[i] - 0.1, r.auc().high(), x[i] + 0.1, r.auc().high());
			}
		}
		plot.setColor(Color.BLUE);
		plot.addPoints(x, y, Plot.CIRCLE);
		plot.setColor(Color.BLACK);
		// setting names in the lower part of the frame (y below 0.4), where AUC values rarely fall
		final double step = Math.min(0.045, 0.36 / Math.max(1, ok.size()));
		for (int i = 0; i < ok.size(); i++)
			plot.addLabel(0.02, 0.63 + step * (i + 1), (i + 1) + ": " + ok.get(i).label());
		ProbeImages.writePng(plot.getProcessor(), png);
	}
}
