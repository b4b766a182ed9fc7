package org.progressionprobe.probe;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.EnumMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.SplittableRandom;

import org.progressionprobe.io.JsonText;
import org.progressionprobe.stats.Percentile;
import org.progressionprobe.table.Csv;

import com.google.gson.JsonElement;
import com.google.gson.JsonNull;
import com.google.gson.JsonObject;
import com.google.gson.JsonPrimitive;

/**
 * How well predicted probabilities match 0/1 labels: every {@link Metric} on the pooled rows and,
 * when rows carry cross-validation folds, the mean over folds; each with a percentile bootstrap
 * 95% interval. The bootstrap resamples groups (subjects) with replacement, never single rows, so
 * repeated visits of a subject stay together; it is seeded. Replicates in which a metric is
 * undefined (a single class) are left out of that metric's interval.
 */
public final class Evaluation {

	private static final java.util.Set<String> JSON_KEYS = java.util.Set.of("rows", "positives", "subjects", "threshold", "bootstrap_replicates",
			"folds", "pooled", "fold_mean");

	/** A value with its bootstrap interval (NaN bounds when no replicate defined it). */
	public record Estimate(double value, double low, double high) {
		@Override
		public String toString() {
			if (Double.isNaN(low) || Double.isNaN(high))
				return String.format(Locale.ROOT, "%.3f", value);
			return String.format(Locale.ROOT, "%.3f [%.3f, %.3f]", value, low, high);
		}
	}

	private final int rows;
	private final int positives;
	private final int groups;
	private final int replicates;
	private final double threshold;
	private final Map<Metric, Estimate> pooled;
	private final Map<Metric, Estimate> foldMean;
	private final int folds;
	private final RocCurve roc;

	private Evaluation(final int rows, final int positives, final int groups, final int replicates, final double threshold,
			final Map<Metric, Estimate> pooled, final Map<Metric, Estimate> foldMean, final int folds, final RocCurve roc) {
		this.rows = rows;
		this.positives = positives;
		this.groups = groups;
		this.replicates = replicates;
		this.threshold = threshold;
		this.pooled = pooled;
		this.foldMean = foldMean;
		this.folds = folds;
		this.roc = roc;
	}

	/**
	 * Evaluates predictions.
	 *
	 * @param labels 0/1 per row, both classes present
	 * @param probabilities predicted probability of class 1 per row
	 * @param groups group (subject) per row, the bootstrap's unit
	 * @param fold cross-validation fold per row (0..k-1), or null for pooled metrics only
	 * @param threshold probability from which a row is predicted 1
	 * @param replicates bootstrap replicates (0 for no intervals)
	 * @param seed bootstrap seed
	 */
	public static Evaluation of(final int[] labels, final double[] probabilities, final List<String> groups, final int[] fold,
			final double threshold, final int replicates, final long seed) {
		final int n = labels.length;
		if (probabilities.length != n || groups.size() != n || (fold != null && fold.length != n))
			throw new IllegalArgumentException("Labels, probabilities, groups and folds differ in number");
		final RocCurve roc = RocCurve.of(labels, probabilities);
		final int k = fold == null ? 0 : Arrays.stream(fold).max().orElse(-1) + 1;

		final Map<String, List<Integer>> byGroup = new LinkedHashMap<>();
		for (int i = 0; i < n; i++)
			byGroup.computeIfAbsent(groups.get(i), g -> new ArrayList<>()).add(i);
		final int[][] groupRows = byGroup.values().stream().map(l -> l.stream().mapToInt(Integer::intValue).toArray()).toArray(int[][]::new);

		final double[] pooledValue = Metric.all(labels, probabilities, threshold);
		final double[] foldValue = k > 0 ? foldMean(labels, probabilities, fold, k, threshold) : null;
		final int m = Metric.values().length;
		final double[][] pooledBoot = new double[m][replicates];
		final double[][] foldBoot = new double[m][replicates];
		final SplittableRandom random = new SplittableRandom(seed);
		int[] rowsOf = new int[2 * n];
		for (int r = 0; r < replicates; r++) {
			int len = 0;
			for (int g = 0; g < groupRows.length; g++) {
				final int[] gr = groupRows[random.nextInt(groupRows.length)];
				if (len + gr.length > rowsOf.length)
					rowsOf = Arrays.copyOf(rowsOf, 2 * (len + gr.length));
				for (final int i : gr)
					rowsOf[len++] = i;
			}
			final int[] l = new int[len];
			final double[] p = new double[len];
			final int[] f = fold == null ? null : new int[len];
			for (int q = 0; q < len; q++) {
				l[q] = labels[rowsOf[q]];
				p[q] = probabilities[rowsOf[q]];
				if (f != null)
					f[q] = fold[rowsOf[q]];
			}
			final double[] pv = Metric.all(l, p, threshold);
			final double[] fv = k > 0 ? foldMean(l, p, f, k, threshold) : null;
			for (int j = 0; j < m; j++) {
				pooledBoot[j][r] = pv[j];
				foldBoot[j][r] = fv == null ? Double.NaN : fv[j];
			}
		}
		final Map<Metric, Estimate> pooled = new EnumMap<>(Metric.class);
		final Map<Metric, Estimate> foldMean = k > 0 ? new EnumMap<>(Metric.class) : null;
		for (final Metric metric : Metric.values()) {
			pooled.put(metric, estimate(pooledValue[metric.ordinal()], pooledBoot[metric.ordinal()]));
			if (foldMean != null)
				foldMean.put(metric, estimate(foldValue[metric.ordinal()], foldBoot[metric.ordinal()]));
		}
		int positives = 0;
		for (final int v : labels)
			positives += v;
		return new Evaluation(n, positives, groupRows.length, replicates, threshold, pooled, foldMean, k, roc);
	}

	/** Metric means over folds, each fold's undefined values left out. */
	static double[] foldMean(final int[] labels, final double[] probabilities, final int[] fold, final int k, final double threshold) {
		final int m = Metric.values().length;
		final double[] sum = new double[m];
		final int[] count = new int[m];
		for (int f = 0; f < k; f++) {
			final int[] rows = StratifiedGroupFolds.rows(fold, f, true);
			if (rows.length == 0)
				continue;
			final int[] l = new int[rows.length];
			final double[] p = new double[rows.length];
			for (int q = 0; q < rows.length; q++) {
				l[q] = labels[rows[q]];
				p[q] = probabilities[rows[q]];
			}
			final double[] v = Metric.all(l, p, threshold);
			for (int j = 0; j < m; j++)
				if (!Double.isNaN(v[j])) {
					sum[j] += v[j];
					count[j]++;
				}
		}
		final double[] out = new double[m];
		for (int j = 0; j < m; j++)
			out[j] = count[j] == 0 ? Double.NaN : sum[j] / count[j];
		return out;
	}

	private static Estimate estimate(final double value, final double[] replicates) {
		final double[] v = Arrays.stream(replicates).filter(d -> !Double.isNaN(d)).sorted().toArray();
		if (v.length == 0)
			return new Estimate(value, Double.NaN, Double.NaN);
		return new Estimate(value, Percentile.of(v, 2.5), Percentile.of(v, 97.5));
	}

	/** A metric on the pooled rows. */
	public Estimate pooled(final Metric metric) {
		return pooled.get(metric);
	}

	/** A metric's mean over folds, or null when the rows carry no folds. */
	public Estimate foldMean(final Metric metric) {
		return foldMean == null ? null : foldMean.get(metric);
	}

	public RocCurve roc() {
		return roc;
	}

	public int rows() {
		return rows;
	}

	public int positives() {
		return positives;
	}

	public int groups() {
		return groups;
	}

	public int replicates() {
		return replicates;
	}

	public int folds() {
		return folds;
	}

	public double threshold() {
		return threshold;
	}

	/** One line for people: AUC and F1 with their intervals. */
	public String summary() {
		return "AUC " + pooled(Metric.AUC) + ", F1 " + pooled(Metric.F1) + " (" + rows + " rows, " + positives + " positive, " + groups
				+ " subjects; " + (replicates > 0 ? "95% bootstrap intervals over " + replicates + " subject resamples)" : "no bootstrap)");
	}

	/** Pooled values by metric key (for provenance). */
	public Map<String, Double> pooledValues() {
		final Map<String, Double> out = new LinkedHashMap<>();
		for (final Metric m : Metric.values())
			out.put(m.key(), pooled(m).value());
		return out;
	}

	/** CSV: metric, scope (pooled or fold_mean), value, ci_low, ci_high. */
	public String toCsv() {
		final StringBuilder sb = new StringBuilder("metric,scope,value,ci_low,ci_high\n");
		for (final Metric m : Metric.values()) {
			row(sb, m, "pooled", pooled(m));
			if (foldMean != null)
				row(sb, m, "fold_mean", foldMean(m));
		}
		return sb.toString();
	}

	private static void row(final StringBuilder sb, final Metric m, final String scope, final Estimate e) {
		sb.append(m.key()).append(',').append(scope).append(',').append(Csv.number(e.value())).append(',').append(Csv.number(e.low())).append(',')
				.append(Csv.number(e.high())).append('\n');
	}

	/**
	 * JSON object with the given extra entries (strings, numbers or booleans; those named like the
	 * evaluation's own entries are left out), counts, and pooled and fold-mean estimates.
	 */
	public String toJson(final Map<String, Object> extra) {
		final JsonObject j = new JsonObject();
		for (final Map.Entry<String, Object> e : extra.entrySet())
			if (!JSON_KEYS.contains(e.getKey()))
				j.add(e.getKey(), json(e.getValue()));
		j.addProperty("rows", rows);
		j.addProperty("positives", positives);
		j.addProperty("subjects", groups);
		j.add("threshold", JsonText.number(threshold));
		j.addProperty("bootstrap_replicates", replicates);
		j.addProperty("folds", folds);
		j.add("pooled", json(pooled));
		if (foldMean != null)
			j.add("fold_mean", json(foldMean));
		return JsonText.write(j);
	}

	private static JsonObject json(final Map<Metric, Estimate> estimates) {
		final JsonObject o = new JsonObject();
		for (final Map.Entry<Metric, Estimate> e : estimates.entrySet()) {
			final Estimate v = e.getValue();
			final JsonObject estimate = new JsonObject();
			estimate.add("value", JsonText.number(v.value()));
			estimate.add("ci_low", JsonText.number(v.low()));
			estimate.add("ci_high", JsonText.number(v.high()));
			o.add(e.getKey().key(), estimate);
		}
		return o;
	}

	private static JsonElement json(final Object v) {
		if (v == null)
			return JsonNull.INSTANCE;
		if (v instanceof Number n)
			return n instanceof Double || n instanceof Float ? JsonText.number(n.doubleValue()) : new JsonPrimitive(n);
		if (v instanceof Boolean b)
			return new JsonPrimitive(b);
		return new JsonPrimitive(v.toString());
	}
}
