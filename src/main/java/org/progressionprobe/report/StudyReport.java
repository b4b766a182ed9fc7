package org.progressionprobe.report;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

import org.progressionprobe.io.AtomicOutput;
import org.progressionprobe.probe.ProbeReport;
import org.progressionprobe.probe.RocCurve;
import org.progressionprobe.study.Study;
import org.progressionprobe.study.StudyResult;
import org.progressionprobe.table.FeatureTable;

/**
 * The study report, built from the files of a study folder ({@code comparison.csv},
 * {@code comparisons.csv}, {@code nested.csv}, each probe's out-of-fold predictions): the figures
 * as PNG and SVG ({@code comparison.png} the forest plot, {@code heatmap}, {@code roc}) and one
 * self-contained {@code report.html} (figures inline, no network) opening with the cohort and the
 * settings, then the heatmap and forest plot, the paired comparisons with adjusted p-values and a
 * one-line reading each, the naive best beside the nested estimate, the ROC curves, the best
 * setting's weight map over the atlas (or why there is none), the
 * per-setting details and each setting's feature provenance.
 */
public final class StudyReport {

	/** Files written into the study folder. */
	public static final String REPORT_HTML = "report.html", FOREST = "comparison", HEATMAP = "heatmap", ROC = "roc_overlay";

	private static final int ROC_CURVES = 5;

	private final Path dir;

	public StudyReport(final Path studyDir) {
		this.dir = studyDir;
	}

	/** Writes the figures and {@code report.html}; returns the report's path. */
	public Path write() throws IOException {
		final Path comparisonFile = dir.resolve(Study.COMPARISON_CSV);
		if (!Files.isRegularFile(comparisonFile))
			throw new IOException(comparisonFile + ": no comparison table; is " + dir + " a study folder written by Run Study?");
		final FeatureTable comparison = FeatureTable.read(comparisonFile);
		final List<StudyResult> results = StudyResult.read(comparison);
		final List<StudyResult> ok = results.stream().filter(StudyResult::ok).toList();
		final StringBuilder html = new StringBuilder();
		html.append("<!DOCTYPE html>\n<html lang=\"en\"><head><meta charset=\"utf-8\"><title>Progression Probe study report</title>\n<style>")
				.append(STYLE).append("</style></head><body>\n<h1>Progression Probe study report</h1>\n");
		provenance(html, comparison, results);
		if (ok.isEmpty())
			html.append("<p class=\"warn\">No setting produced a result; see the errors in the details below.</p>\n");
		else {
			final String title = "Cross-validated AUC per setting";
			html.append("<h2>AUC by extractor, layer, alignment and crop</h2>\n<div class=\"fig\">")
					.append(new Heatmap(results, title).write(dir, HEATMAP)).append("</div>\n");
			html.append("<h2>Forest plot</h2>\n<div class=\"fig\">").append(new ForestPlot(results, title + " (95% bootstrap intervals)").write(dir, FOREST))
					.append("</div>\n");
		}
		comparisons(html);
		nested(html);
		if (!ok.isEmpty())
			rocs(html, ok);
		bestWeights(html);
		details(html, results);
		featureProvenance(html, results);
		html.append("</body></html>\n");
		final Path out = dir.resolve(REPORT_HTML);
		AtomicOutput.writeString(out, html.toString());
		return out;
	}

	private static void provenance(final StringBuilder html, final FeatureTable comparison, final List<StudyResult> results) {
		html.append("<h2>Cohort and settings</h2>\n<table class=\"kv\">\n");
		for (final Map.Entry<String, String> e : comparison.provenance().entrySet())
			html.append("<tr><th>").append(Html.escape(e.getKey())).append("</th><td>").append(Html.escape(e.getValue())).append("</td></tr>\n");
		final Set<String> alignments = new LinkedHashSet<>(), extractors = new LinkedHashSet<>(), settings = new LinkedHashSet<>();
		for (final StudyResult r : results) {
			alignments.add(r.alignment() + (r.roi() ? " + ROI crop" : ""));
			extractors.add(r.extractor());
			settings.add(r.setting());
		}
		final int subjects = results.stream().mapToInt(StudyResult::subjects).max().orElse(0);
		row(html, "subjects (largest probe)", Integer.toString(subjects));
		row(html, "settings", settings.size() + " (" + results.size() + " probes with the layers)");
		row(html, "alignments", String.join(", ", alignments));
		row(html, "extractors", String.join(", ", extractors));
		html.append("</table>\n");
	}

	private void comparisons(final StringBuilder html) throws IOException {
		final Path file = dir.resolve(Study.COMPARISONS_CSV);
		html.append("<h2>Paired comparisons</h2>\n");
		if (!Files.isRegularFile(file)) {
			html.append("<p>No paired comparisons (").append(Study.COMPARISONS_CSV).append(" is missing).</p>\n");
			return;
		}
		final FeatureTable t = FeatureTable.read(file);
		for (final Map.Entry<String, String> e : t.provenance().entrySet())
			html.append("<p class=\"note\">").append(Html.escape(e.getKey())).append(": ").append(Html.escape(e.getValue())).append("</p>\n");
		if (t.rowCount() == 0) {
			html.append("<p>No pairs: the grid has no <code>none</code> setting of an extractor and no setting with several layers.</p>\n");
			return;
		}
		html.append("<table><tr><th>question</th><th>reading</th><th>AUC</th><th>reference AUC</th><th>difference [95% CI]</th>"
				+ "<th>bootstrap 95% CI</th><th>p</th><th>p (Holm)</th><th>test</th></tr>\n");
		for (int r = 0; r < t.rowCount(); r++) {
			final double holm = t.number(r, "p_holm");
			html.append(holm < 0.05 ? "<tr class=\"sig\">" : "<tr>").append(td(t.text(r, "question"))).append(td(t.text(r, "reading")))
					.append(td(f3(t.number(r, "auc")))).append(td(f3(t.number(r, "auc_reference"))))
					.append(td(String.format(Locale.ROOT, "%+.3f [%.3f, %.3f]", t.number(r, "difference"), t.number(r, "ci_low"), t.number(r, "ci_high"))))
					.append(td(String.format(Locale.ROOT, "[%.3f, %.3f]", t.number(r, "bootstrap_low"), t.number(r, "bootstrap_high"))))
					.append(td(p(t.number(r, "p")))).append(td(p(holm))).append(td(t.text(r, "method"))).append("</tr>\n");
		}
		html.append("</table>\n<p class=\"note\">Highlighted: Holm-adjusted p &lt; 0.05. A difference whose interval spans 0 is within the noise of this cohort.</p>\n");
	}

	private void nested(final StringBuilder html) throws IOException {
		final Path file = dir.resolve(Study.NESTED_CSV);
		html.append("<h2>Best of the grid: naive and nested</h2>\n");
		if (!Files.isRegularFile(file)) {
			html.append("<p>Nested cross-validation was not run (").append(Study.NESTED_CSV)
					.append(" is missing). The best AUC of the grid is optimistic: the same predictions chose and scored it.</p>\n");
			return;
		}
		final FeatureTable t = FeatureTable.read(file);
		final int nested = t.find("estimate", "nested"), naive = t.find("estimate", "naive_best");
		html.append("<table><tr><th>estimate</th><th>AUC</th><th>setting(s)</th></tr>\n");
		if (naive >= 0)
			html.append("<tr>").append(td("naive best (largest cross-validated AUC of " + t.text(naive, "settings") + " probes)"))
					.append(td(f3(t.number(naive, "auc")))).append(td(t.text(naive, "chosen"))).append("</tr>\n");
		if (nested >= 0)
			html.append("<tr>").append(td("nested cross-validation (the choice of setting made inside each outer training part)"))
					.append(td(f3(t.number(nested, "auc")))).append(td("chosen per outer fold: " + t.text(nested, "chosen"))).append("</tr>\n");
		html.append("</table>\n");
		t.provenance().forEach((k, v) -> html.append("<p class=\"note\">").append(Html.escape(k + ": " + v)).append("</p>\n"));
	}

	private void rocs(final StringBuilder html, final List<StudyResult> ok) throws IOException {
		final List<StudyResult> chosen = new ArrayList<>();
		final Map<String, StudyResult> bestOf = new LinkedHashMap<>();
		final List<StudyResult> ranked = ok.stream().sorted(Comparator.comparingDouble((StudyResult r) -> r.auc().value()).reversed()).toList();
		for (final StudyResult r : ranked)
			bestOf.putIfAbsent(r.extractor(), r);
		chosen.addAll(bestOf.values());
		for (final StudyResult r : ranked)
			if (chosen.size() < ROC_CURVES && !chosen.contains(r))
				chosen.add(r);
		final List<RocOverlay.Curve> curves = new ArrayList<>();
		for (final StudyResult r : chosen.subList(0, Math.min(chosen.size(), Math.max(ROC_CURVES, bestOf.size())))) {
			final Path predictions = dir.resolve(Study.PROBES_DIR).resolve(probeName(r)).resolve(ProbeReport.PREDICTIONS_CV);
			if (!Files.isRegularFile(predictions))
				continue;
			final FeatureTable t = FeatureTable.read(predictions);
			final int[] labels = new int[t.rowCount()];
			final double[] p = new double[t.rowCount()];
			for (int i = 0; i < labels.length; i++) {
				labels[i] = (int) t.number(i, "label");
				p[i] = t.number(i, "probability");
			}
			curves.add(new RocOverlay.Curve(r.label(), RocCurve.of(labels, p)));
		}
		if (curves.isEmpty())
			return;
		html.append("<h2>ROC curves</h2>\n<p class=\"note\">The best setting of each extractor, then the next best; out-of-fold predictions of the first split.</p>\n<div class=\"fig\">")
				.append(new RocOverlay(curves, "ROC curves of the best settings (first split)").write(dir, ROC)).append("</div>\n");
	}

	/** The weight map of the best setting's final probe over the atlas ({@link Study#BEST_DIR}), or why there is none. */
	private void bestWeights(final StringBuilder html) throws IOException {
		final Path best = dir.resolve(Study.BEST_DIR), note = best.resolve(Study.BEST_NOTE);
		if (!Files.isRegularFile(note))
			return;
		html.append("<h2>Weights of the best setting over anatomy</h2>\n");
		for (final String line : Files.readAllLines(note))
			html.append("<p class=\"note\">").append(Html.escape(line)).append("</p>\n");
		final List<Path> maps;
		try (java.util.stream.Stream<Path> files = Files.list(best)) {
			maps = files.filter(f -> f.getFileName().toString().startsWith("weightmap_") && f.getFileName().toString().endsWith(".png")).sorted().toList();
		}
		for (final Path png : maps)
			html.append("<div class=\"fig\"><img alt=\"").append(Html.escape(png.getFileName().toString())).append("\" src=\"data:image/png;base64,")
					.append(java.util.Base64.getEncoder().encodeToString(Files.readAllBytes(png))).append("\"></div>\n");
		if (!maps.isEmpty())
			html.append("<p class=\"note\">Standardised weights of the probe fitted on all subjects: red raises the predicted chance of progression, blue lowers it."
					+ " Slices through the voxel of the largest weight; planes and left (L) / right (R) as marked.</p>\n");
	}

	private static void details(final StringBuilder html, final List<StudyResult> results) {
		html.append("<h2>Per-setting details</h2>\n<table><tr><th>setting</th><th>layer</th><th>subjects</th><th>features</th><th>AUC [95% CI]</th>"
				+ "<th>F1 [95% CI]</th><th>balanced accuracy [95% CI]</th><th>repeats (AUC sd)</th><th>p (permutation)</th><th>files / error</th></tr>\n");
		for (final StudyResult r : results) {
			html.append("<tr>").append(td(r.setting())).append(td(r.layer()));
			if (!r.ok()) {
				html.append("<td colspan=\"7\"></td>").append("<td class=\"warn\">").append(Html.escape(r.error())).append("</td></tr>\n");
				continue;
			}
			final String probe = Study.PROBES_DIR + "/" + probeName(r) + "/";
			html.append(td(Integer.toString(r.subjects()))).append(td(Integer.toString(r.features()))).append(td(r.auc().toString()))
					.append(td(r.f1().toString())).append(td(r.balancedAccuracy().toString()))
					.append(td(r.repeats() + (r.repeats() > 1 ? String.format(Locale.ROOT, " (%.3f)", r.aucRepeatSd()) : "")))
					.append(td(Double.isNaN(r.permutationP()) ? "" : p(r.permutationP()))).append("<td><a href=\"").append(Html.escape(probe))
					.append(ProbeReport.METRICS_CSV).append("\">metrics</a> <a href=\"").append(Html.escape(probe)).append(ProbeReport.ROC_PNG)
					.append("\">ROC</a></td></tr>\n");
		}
		html.append("</table>\n");
	}

	/** How each setting's features were made: the provenance lines of its feature table. */
	private void featureProvenance(final StringBuilder html, final List<StudyResult> results) throws IOException {
		html.append("<h2>How the features were made</h2>\n");
		for (final String setting : new LinkedHashSet<>(results.stream().map(StudyResult::setting).toList())) {
			final Path table = dir.resolve(Study.FEATURES_DIR).resolve(setting + ".csv");
			if (!Files.isRegularFile(table))
				continue;
			html.append("<details><summary>").append(Html.escape(setting)).append("</summary><table class=\"kv\">\n");
			for (final Map.Entry<String, String> e : FeatureTable.read(table).provenance().entrySet())
				row(html, e.getKey(), e.getValue());
			html.append("</table></details>\n");
		}
	}

	private static String probeName(final StudyResult r) {
		return Study.probeName(r.setting(), r.layer());
	}

	private static void row(final StringBuilder html, final String k, final String v) {
		html.append("<tr><th>").append(Html.escape(k)).append("</th><td>").append(Html.escape(v)).append("</td></tr>\n");
	}

	private static String td(final String s) {
		return "<td>" + Html.escape(s) + "</td>";
	}

	private static String f3(final double v) {
		return Double.isNaN(v) ? "n/a" : String.format(Locale.ROOT, "%.3f", v);
	}

	/** A p-value for people: three digits, "<0.001" below. */
	static String p(final double v) {
		return Double.isNaN(v) ? "n/a" : v < 0.001 ? "<0.001" : String.format(Locale.ROOT, "%.3g", v);
	}

	private static final String STYLE = "body{font-family:DejaVu Sans,Helvetica,Arial,sans-serif;margin:2em auto;max-width:1200px;color:#222;padding:0 1em}"
			+ "table{border-collapse:collapse;margin:.5em 0 1em}td,th{border:1px solid #ccc;padding:3px 8px;text-align:left;font-size:13px;vertical-align:top}"
			+ "th{background:#f0f0f0}.kv th{width:16em}tr.sig td{background:#fff3d6}.note{color:#555;font-size:13px;margin:.2em 0}.warn{color:#a00}"
			+ ".fig{overflow-x:auto;margin:.5em 0 1.5em}h2{margin-top:1.6em;border-bottom:1px solid #ddd}";
}
