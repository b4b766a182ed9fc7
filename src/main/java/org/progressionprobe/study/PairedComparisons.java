package org.progressionprobe.study;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;

import org.progressionprobe.probe.PairedBootstrap;
import org.progressionprobe.stats.DeLong;
import org.progressionprobe.stats.Holm;
import org.progressionprobe.table.Csv;

/**
 * Paired comparisons of a study's probes on the same subjects and splits: by default each setting
 * against its own extractor's {@code none} setting (same layer: does alignment or a crop help?),
 * and each layer against the best layer of the same setting. The test is DeLong's for correlated
 * ROC curves on the out-of-fold probabilities (averaged over repeats) when every subject has one
 * row, else the paired bootstrap over subjects; a paired bootstrap interval is given in both cases.
 * The AUCs compared are those of the out-of-fold probabilities averaged over the repeats (with one
 * repeat, the settings' own AUCs).
 * p-values are adjusted over all comparisons with Holm's method.
 */
public final class PairedComparisons {

	/** A probe's out-of-fold predictions, with its row in the comparison table. */
	public record Scored(StudyResult result, int[] labels, double[] probabilities, List<String> groups) {}

	/**
	 * One comparison.
	 *
	 * @param question "alignment/crop" or "layer"
	 * @param setting the label of the setting compared
	 * @param reference the label of the setting it is compared against
	 * @param method "delong" or "bootstrap" (the source of se, z, p and the main interval)
	 */
	public record Comparison(String question, String setting, String reference, double auc, double aucReference, double difference, double low,
			double high, double se, double z, double p, double pHolm, String method, double bootstrapLow, double bootstrapHigh) {

		/** One line for people, e.g. {@code pair-roi_change vs none_change: +0.21 [0.09, 0.33], p=0.003 (Holm 0.02)}. */
		public String reading() {
			return String.format(Locale.ROOT, "%s vs %s: %+.2f [%.2f, %.2f], p=%s (Holm %s)", setting, reference, difference, low, high, p(p),
					p(pHolm));
		}

		private static String p(final double v) {
			return Double.isNaN(v) ? "n/a" : v < 0.001 ? "<0.001" : String.format(Locale.ROOT, "%.3g", v);
		}
	}

	/** Column names of {@code comparisons.csv}. */
	public static final List<String> COLUMNS = List.of("question", "setting", "reference", "auc", "auc_reference", "difference", "ci_low", "ci_high",
			"se", "z", "p", "p_holm", "method", "bootstrap_low", "bootstrap_high", "reading");

	private PairedComparisons() {}

	/** The default pairs among the scored probes (those without a result are skipped), tested and Holm-adjusted. */
	public static List<Comparison> compare(final List<Scored> scored, final int bootstrap, final long seed) {
		final List<Comparison> raw = new ArrayList<>();
		for (final Pair pair : defaultPairs(scored))
			raw.add(test(pair.setting(), pair.reference(), pair.question(), bootstrap, seed));
		final double[] adjusted = Holm.adjust(raw.stream().mapToDouble(Comparison::p).toArray());
		final List<Comparison> out = new ArrayList<>();
		for (int i = 0; i < raw.size(); i++) {
			final Comparison c = raw.get(i);
			out.add(new Comparison(c.question(), c.setting(), c.reference(), c.auc(), c.aucReference(), c.difference(), c.low(), c.high(), c.se(),
					c.z(), c.p(), adjusted[i], c.method(), c.bootstrapLow(), c.bootstrapHigh()));
		}
		return out;
	}

	private record Pair(Scored setting, Scored reference, String question) {}

	/** Each setting against its extractor's none setting of the same layer, then each layer against the best layer of its setting. */
	private static List<Pair> defaultPairs(final List<Scored> scored) {
		final List<Pair> pairs = new ArrayList<>();
		final Map<String, Scored> noneOf = new LinkedHashMap<>();
		for (final Scored s : scored)
			if (s.result().alignment().equals("none") && !s.result().roi())
				noneOf.putIfAbsent(s.result().extractor() + "\u0000" + s.result().layer(), s);
		for (final Scored s : scored) {
			final Scored none = noneOf.get(s.result().extractor() + "\u0000" + s.result().layer());
			if (none != null && none != s)
				pairs.add(new Pair(s, none, "alignment/crop"));
		}
		final Map<String, List<Scored>> layersOf = new LinkedHashMap<>();
		for (final Scored s : scored)
			if (!s.result().layer().isEmpty() && !s.result().layer().equals("all"))
				layersOf.computeIfAbsent(s.result().setting(), k -> new ArrayList<>()).add(s);
		for (final List<Scored> layers : layersOf.values()) {
			Scored best = layers.get(0);
			for (final Scored s : layers)
				if (s.result().auc().value() > best.result().auc().value())
					best = s;
			for (final Scored s : layers)
				if (s != best)
					pairs.add(new Pair(s, best, "layer"));
		}
		return pairs;
	}

	private static Comparison test(final Scored a, final Scored b, final String question, final int bootstrap, final long seed) {
		if (!a.groups().equals(b.groups()) || !java.util.Arrays.equals(a.labels(), b.labels()))
			throw new IllegalArgumentException(a.result().label() + " and " + b.result().label() + " have other rows; they cannot be paired");
		final boolean oneRowPerSubject = new LinkedHashSet<>(a.groups()).size() == a.groups().size();
		final PairedBootstrap boot = PairedBootstrap.aucDifference(a.labels(), a.probabilities(), b.probabilities(), a.groups(), Math.max(bootstrap, 200),
				seed);
		final DeLong.Comparison d = DeLong.compare(a.labels(), a.probabilities(), b.probabilities());
		if (oneRowPerSubject)
			return new Comparison(question, a.result().label(), b.result().label(), d.aucA(), d.aucB(), d.difference(), d.low(), d.high(), d.se(), d.z(),
					d.p(), Double.NaN, "delong", boot.low(), boot.high());
		return new Comparison(question, a.result().label(), b.result().label(), d.aucA(), d.aucB(), boot.difference(), boot.low(), boot.high(),
				Double.NaN, Double.NaN, boot.p(), Double.NaN, "bootstrap", boot.low(), boot.high());
	}

	/** {@code comparisons.csv}: provenance lines, then one row per comparison. */
	public static String toCsv(final List<Comparison> comparisons, final Map<String, String> provenance) {
		final StringBuilder sb = new StringBuilder();
		provenance.forEach((k, v) -> sb.append("# ").append(k).append(": ").append(v.replace('\n', ' ')).append('\n'));
		sb.append(Csv.join(COLUMNS)).append('\n');
		for (final Comparison c : comparisons)
			sb.append(Csv.join(List.of(c.question(), c.setting(), c.reference(), num(c.auc()), num(c.aucReference()), num(c.difference()), num(c.low()),
					num(c.high()), num(c.se()), num(c.z()), num(c.p()), num(c.pHolm()), c.method(), num(c.bootstrapLow()), num(c.bootstrapHigh()),
					c.reading()))).append('\n');
		return sb.toString();
	}

	private static String num(final double v) {
		return Csv.number(v);
	}
}
