/**
 * The study report: figures (forest plot, heatmap, overlaid ROC curves) drawn once onto a
 * {@link org.progressionprobe.report.Canvas} that writes PNG (headless Java2D) or SVG text, and a
 * self-contained {@code report.html} built from the files of a study folder.
 */
package org.progressionprobe.report;
