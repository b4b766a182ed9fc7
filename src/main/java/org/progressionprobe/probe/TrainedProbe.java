package org.progressionprobe.probe;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import org.progressionprobe.io.AtomicOutput;
import org.progressionprobe.table.FeatureTable;
import org.tribuo.Model;
import org.tribuo.classification.liblinear.LibLinearClassificationModel;
import org.tribuo.protos.core.ModelProto;

import com.oracle.labs.mlrg.olcut.provenance.ListProvenance;
import com.oracle.labs.mlrg.olcut.provenance.MapProvenance;
import com.oracle.labs.mlrg.olcut.provenance.PrimitiveProvenance;
import com.oracle.labs.mlrg.olcut.provenance.Provenance;
import com.oracle.labs.mlrg.olcut.provenance.primitives.DoubleProvenance;
import com.oracle.labs.mlrg.olcut.provenance.primitives.StringProvenance;

/**
 * A linear probe fitted on all rows: Tribuo's LibLinear logistic regression on z-scored features,
 * with what it needs to be applied to new pairs. Saved as Tribuo's protobuf model file
 * ({@code Model.serialize()}, not Java serialisation); our part travels in the model's instance
 * provenance next to Tribuo's own (trainer, dataset, versions): the feature column names, the
 * z-scoring means and scales, C, the threshold, the training table's provenance lines, the
 * cross-validation metrics and settings.
 */
public final class TrainedProbe {

	/** Instance provenance keys. */
	static final String FORMAT = "progression_probe_format", FEATURES = "features", MEAN = "zscore_mean", SCALE = "zscore_scale", C = "c",
			THRESHOLD = "threshold", POSITIVE = "positive_label", SOURCE = "training_source", TABLE = "training_table",
			METRICS = "cv_metrics", SETTINGS = "settings", NOTES = "notes";
	static final String FORMAT_VERSION = "linear-probe 1";

	/** A feature's weight towards class 1: on the z-scored feature, and per unit of the feature itself. */
	public record FeatureWeight(String feature, double standardized, double raw) {}

	private final LibLinearClassificationModel model;
	private final List<String> features;
	private final Standardizer standardizer;
	private final double c;
	private final double threshold;
	private final double[] weights;

	TrainedProbe(final LibLinearClassificationModel model) {
		this.model = model;
		final Map<String, ? extends Provenance> p = model.getProvenance().getInstanceProvenance().getMap();
		final String format = text(p, FORMAT);
		if (!FORMAT_VERSION.equals(format))
			throw new IllegalArgumentException("not a Progression Probe linear probe (format '" + format + "')");
		this.features = List.copyOf(strings(p, FEATURES));
		this.standardizer = new Standardizer(doubles(p, MEAN), doubles(p, SCALE));
		this.c = number(p, C);
		this.threshold = number(p, THRESHOLD);
		if (standardizer.size() != features.size())
			throw new IllegalArgumentException(features.size() + " features but " + standardizer.size() + " z-scoring parameters");
		this.weights = LibLinearLogistic.weights(model, features);
	}

	/** The instance provenance that {@link ProbeTrainer} stores in a model. */
	static Map<String, Provenance> provenance(final List<String> features, final Standardizer standardizer, final double c, final double threshold,
			final ProbeData data, final Map<String, Double> metrics, final Map<String, String> settings) {
		final Map<String, Provenance> p = new LinkedHashMap<>();
		p.put(FORMAT, new StringProvenance(FORMAT, FORMAT_VERSION));
		p.put(FEATURES, new ListProvenance<>(features.stream().map(f -> new StringProvenance(FEATURES, f)).toList()));
		p.put(MEAN, doubleList(MEAN, standardizer.mean()));
		p.put(SCALE, doubleList(SCALE, standardizer.scale()));
		p.put(C, new DoubleProvenance(C, c));
		p.put(THRESHOLD, new DoubleProvenance(THRESHOLD, threshold));
		p.put(POSITIVE, new StringProvenance(POSITIVE, LibLinearLogistic.POSITIVE));
		p.put(SOURCE, new StringProvenance(SOURCE, data.source()));
		p.put(TABLE, stringMap(data.provenance()));
		final Map<String, DoubleProvenance> m = new LinkedHashMap<>();
		metrics.forEach((k, v) -> m.put(k, new DoubleProvenance(k, v)));
		p.put(METRICS, new MapProvenance<>(m));
		p.put(SETTINGS, stringMap(settings));
		p.put(NOTES, new ListProvenance<>(data.notes().stream().map(n -> new StringProvenance(NOTES, n)).toList()));
		return p;
	}

	/** Saves the probe as a Tribuo protobuf model file, atomically. */
	public void save(final Path file) throws IOException {
		final byte[] bytes = model.serialize().toByteArray();
		AtomicOutput.write(file, out -> out.write(bytes));
	}

	/** Loads a probe saved by {@link #save}; errors name the file. */
	public static TrainedProbe load(final Path file) throws IOException {
		final Model<?> m;
		try (InputStream in = Files.newInputStream(file)) {
			m = Model.deserialize(ModelProto.parseFrom(in));
		} catch (final NoSuchFileException e) {
			throw new IOException(file + ": file not found");
		} catch (final IOException | RuntimeException e) {
			throw new IOException(file + ": not a Tribuo protobuf model file (" + e.getMessage() + ")", e);
		}
		if (!(m instanceof LibLinearClassificationModel lm))
			throw new IOException(file + ": not a linear probe but a " + m.getClass().getSimpleName());
		try {
			return new TrainedProbe(lm);
		} catch (final RuntimeException e) {
			throw new IOException(file + ": " + e.getMessage(), e);
		}
	}

	/** Probabilities of class 1 for rows of raw (not z-scored) features in {@link #features()} order. */
	public double[] probabilities(final double[][] x) {
		return LibLinearLogistic.probabilities(model, standardizer.apply(x), features);
	}

	/** Predictions for rows prepared with {@link ProbeData#forPrediction} for this probe's features. */
	public Predictions predict(final ProbeData data) {
		if (!data.features().equals(features))
			throw new IllegalArgumentException(data.source() + ": the rows' features differ from the probe's");
		return new Predictions(data.subjects(), probabilities(data.x()), threshold, data.isLabelled() ? data.labels() : null);
	}

	/**
	 * Predictions for a feature table; refuses a table missing any of the probe's columns, naming them.
	 *
	 * @throws ProbeDataException naming missing columns or non-finite values
	 */
	public Predictions predict(final FeatureTable table, final ProbeColumns columns, final String source) {
		return predict(ProbeData.forPrediction(table, features, columns, source));
	}

	/** Weights towards class 1, in feature order. */
	public List<FeatureWeight> weights() {
		final double[] scale = standardizer.scale();
		final List<FeatureWeight> out = new ArrayList<>(features.size());
		for (int j = 0; j < features.size(); j++)
			out.add(new FeatureWeight(features.get(j), weights[j], weights[j] / scale[j]));
		return out;
	}

	/** The intercept on z-scored features. */
	public double intercept() {
		return weights[features.size()];
	}

	/** CSV text of the weights: feature, weight (z-scored), raw weight, mean, scale. */
	public String weightsCsv() {
		final StringBuilder sb = new StringBuilder("feature,weight_standardized,weight_raw,zscore_mean,zscore_scale\n");
		final double[] mean = standardizer.mean();
		final double[] scale = standardizer.scale();
		final List<FeatureWeight> w = weights();
		for (int j = 0; j < w.size(); j++)
			sb.append(org.progressionprobe.table.Csv.join(List.of(w.get(j).feature(), num(w.get(j).standardized()), num(w.get(j).raw()),
					num(mean[j]), num(scale[j])))).append('\n');
		double rawIntercept = intercept();
		for (int j = 0; j < w.size(); j++)
			rawIntercept -= weights[j] * mean[j] / scale[j];
		sb.append("(intercept),").append(num(intercept())).append(',').append(num(rawIntercept)).append(",,\n");
		return sb.toString();
	}

	private static String num(final double v) {
		return org.progressionprobe.table.Csv.number(v);
	}

	public List<String> features() {
		return features;
	}

	public Standardizer standardizer() {
		return standardizer;
	}

	public double c() {
		return c;
	}

	public double threshold() {
		return threshold;
	}

	/** The Tribuo model (its provenance holds Tribuo's and our metadata). */
	public LibLinearClassificationModel model() {
		return model;
	}

	/** The training table's provenance lines. */
	public Map<String, String> trainingTableProvenance() {
		return strings(model.getProvenance().getInstanceProvenance().getMap().get(TABLE));
	}

	/** The cross-validation metrics stored with the probe (pooled values by metric key, in {@link Metric} order). */
	public Map<String, Double> metrics() {
		final Map<String, Double> stored = new LinkedHashMap<>();
		final Provenance p = model.getProvenance().getInstanceProvenance().getMap().get(METRICS);
		if (p instanceof MapProvenance<?> mp)
			for (final Map.Entry<String, ? extends Provenance> e : mp.getMap().entrySet())
				stored.put(e.getKey(), Double.parseDouble(primitive(e.getValue()).toString()));
		final Map<String, Double> out = new LinkedHashMap<>();
		for (final Metric m : Metric.values())
			if (stored.containsKey(m.key()))
				out.put(m.key(), stored.get(m.key()));
		out.putAll(stored);
		return Collections.unmodifiableMap(out);
	}

	/** The provenance lines to put at the top of files this probe writes. */
	public Map<String, String> describe() {
		final Map<String, String> out = new LinkedHashMap<>();
		out.put("probe", "linear probe (Tribuo " + model.getProvenance().getTribuoVersion() + " LibLinear L2R_LR), " + features.size()
				+ " features, C=" + c);
		out.put("probe_trained_on", text(model.getProvenance().getInstanceProvenance().getMap(), SOURCE));
		out.put("probe_trained_at", model.getProvenance().getTrainingTime().toString());
		metrics().forEach((k, v) -> out.put("probe_cv_" + k, org.progressionprobe.table.Csv.number(v)));
		return out;
	}

	private static MapProvenance<StringProvenance> stringMap(final Map<String, String> values) {
		final Map<String, StringProvenance> m = new LinkedHashMap<>();
		values.forEach((k, v) -> m.put(k, new StringProvenance(k, v)));
		return new MapProvenance<>(m);
	}

	private static ListProvenance<DoubleProvenance> doubleList(final String key, final double[] values) {
		final List<DoubleProvenance> l = new ArrayList<>(values.length);
		for (final double v : values)
			l.add(new DoubleProvenance(key, v));
		return new ListProvenance<>(l);
	}

	private static Object primitive(final Provenance p) {
		if (p instanceof PrimitiveProvenance<?> pp)
			return pp.getValue();
		throw new IllegalArgumentException("expected a single value in the probe's provenance, found " + p);
	}

	private static Provenance entry(final Map<String, ? extends Provenance> p, final String key) {
		final Provenance v = p.get(key);
		if (v == null)
			throw new IllegalArgumentException("the probe's provenance has no '" + key + "' entry");
		return v;
	}

	private static String text(final Map<String, ? extends Provenance> p, final String key) {
		final Provenance v = p.get(key);
		return v == null ? null : primitive(v).toString();
	}

	private static double number(final Map<String, ? extends Provenance> p, final String key) {
		return Double.parseDouble(primitive(entry(p, key)).toString());
	}

	private static List<String> strings(final Map<String, ? extends Provenance> p, final String key) {
		final Provenance v = entry(p, key);
		if (!(v instanceof ListProvenance<?> l))
			throw new IllegalArgumentException("the probe's '" + key + "' entry is not a list");
		return l.getList().stream().map(e -> primitive(e).toString()).toList();
	}

	private static Map<String, String> strings(final Provenance p) {
		final Map<String, String> out = new LinkedHashMap<>();
		if (p instanceof MapProvenance<?> mp)
			for (final Map.Entry<String, ? extends Provenance> e : mp.getMap().entrySet())
				out.put(e.getKey(), primitive(e.getValue()).toString());
		return Collections.unmodifiableMap(out);
	}

	private static double[] doubles(final Map<String, ? extends Provenance> p, final String key) {
		return strings(p, key).stream().mapToDouble(Double::parseDouble).toArray();
	}
}
