package org.progressionprobe.study;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CancellationException;
import java.util.stream.Stream;

import org.progressionprobe.align.TransformCache;
import org.progressionprobe.command.ParameterLists;
import org.progressionprobe.command.Progress;
import org.progressionprobe.features.model.ScanFeatureCache;
import org.progressionprobe.io.AtomicOutput;
import org.progressionprobe.pipeline.FeatureBatch;
import org.progressionprobe.probe.CrossValidationResult;
import org.progressionprobe.probe.Evaluation;
import org.progressionprobe.probe.Metric;
import org.progressionprobe.probe.NestedCrossValidation;
import org.progressionprobe.probe.PermutationTest;
import org.progressionprobe.probe.ProbeColumns;
import org.progressionprobe.probe.ProbeData;
import org.progressionprobe.probe.ProbeReport;
import org.progressionprobe.probe.ProbeSettings;
import org.progressionprobe.probe.ProbeTrainer;
import org.progressionprobe.probe.RegionColumn;
import org.progressionprobe.probe.RepeatedCrossValidation;
import org.progressionprobe.probe.TrainedProbe;
import org.progressionprobe.table.Cohort;
import org.progressionprobe.table.Csv;
import org.progressionprobe.table.FeatureTable;
import org.progressionprobe.volume.Atlas;

/**
 * The study grid: for each setting (alignment, crop, extractor) a feature table over the cohort,
 * computed once and cached ({@code features/<setting>.csv}, resumable), then a cross-validated
 * linear probe per setting and, for a network, per layer (optionally repeated on new splits and
 * tested against label permutations); the comparison table ({@code comparison.csv}) sets them side
 * by side, the way the study's tables compare alignments, models and layers, the paired
 * comparisons ({@code comparisons.csv}) test the differences that matter, and nested
 * cross-validation ({@code nested.csv}) gives an honest estimate of the best setting; the best
 * setting's final probe is drawn over the atlas ({@code best/}) when its features are regional. The report
 * package draws the figures and {@code report.html} from these files. A setting that fails is reported in the
 * table with its error; the others go on (a run in which none succeeded is an error:
 * {@link #requireSuccess}). The settings share their affine registrations through a
 * {@link TransformCache} in {@code transforms/} (here, or on Spark's executors): each scan is
 * registered to the atlas, and each follow-up to its baseline, once for the whole grid; and a
 * single-scan network's features of each scan through a {@link ScanFeatureCache} in
 * {@code scan-features/}, so a scan that several settings prepare alike (the baseline of none and
 * pair alignment) runs through the network once, and a rerun with one more layer runs only that layer;
 * and change features through a {@link org.progressionprobe.features.change.ChangeFeatureCache} in
 * {@code change-features/}, so the none setting (whose own pre-registration aligns the follow-up) and
 * the pair setting register a pair deformably once when they hand the demons the same follow-up.
 */
public final class Study {

	/** Files in the output folder. */
	public static final String COMPARISON_CSV = "comparison.csv", COMPARISON_PNG = "comparison.png", COMPARISONS_CSV = "comparisons.csv",
			NESTED_CSV = "nested.csv", BEST_DIR = "best", BEST_NOTE = "weightmap.txt", FEATURES_DIR = "features", PROBES_DIR = "probes",
			TRANSFORMS_DIR = "transforms", SCAN_FEATURES_DIR = "scan-features", CHANGE_FEATURES_DIR = "change-features";

	private final List<StudySetting> settings;
	private final ProbeSettings probe;
	private final FeatureTableBuilder tables;
	private final Progress progress;
	private final StudyStatistics statistics;

	/** A study whose feature tables are computed on this machine, sharing registrations in the output's {@code transforms/}. */
	public Study(final List<StudySetting> settings, final ProbeSettings probe, final Progress progress) {
		this(settings, probe, null, progress);
	}

	/**
	 * A study whose feature tables are computed by {@code tables} (e.g. on a cluster; null: on this
	 * machine); the probes are trained here.
	 */
	public Study(final List<StudySetting> settings, final ProbeSettings probe, final FeatureTableBuilder tables, final Progress progress) {
		if (settings.isEmpty())
			throw new IllegalArgumentException("A study needs at least one setting");
		final Set<String> ids = new LinkedHashSet<>();
		for (final StudySetting s : settings)
			if (!ids.add(s.id()))
				throw new IllegalArgumentException("Two settings share the id " + s.id());
		this.settings = List.copyOf(settings);
		this.probe = probe;
		this.tables = tables;
		this.progress = progress;
		this.statistics = StudyStatistics.defaults();
	}

	private Study(final Study s, final StudyStatistics statistics) {
		this.settings = s.settings;
		this.probe = s.probe;
		this.tables = s.tables;
		this.progress = s.progress;
		this.statistics = statistics;
	}

	/** The same study with these repeats, permutations and nested cross-validation. */
	public Study withStatistics(final StudyStatistics statistics) {
		return new Study(this, statistics);
	}

	/** Runs every setting on the cohort; writes the outputs into {@code outputDir}; returns the comparison rows. */
	public List<StudyResult> run(final Cohort cohort, final Path outputDir) throws IOException {
		final FeatureTableBuilder builder = tables != null ? tables
				: FeatureTableBuilder.cachedIn(outputDir, progress, 0, 1);
		final List<StudyResult> results = new ArrayList<>();
		final List<PairedComparisons.Scored> scored = new ArrayList<>();
		final Map<String, ProbeData> candidates = new LinkedHashMap<>();
		for (final StudySetting setting : settings) {
			progress.checkCancelled();
			progress.stage(setting.id(), settings.indexOf(setting), settings.size());
			final Path features = outputDir.resolve(FEATURES_DIR).resolve(setting.id() + ".csv");
			final String error = computeFeatures(builder, setting, cohort, features);
			if (error != null) {
				results.add(StudyResult.failed(setting, error));
				continue;
			}
			final FeatureTable table = FeatureTable.read(features);
			for (final Map.Entry<String, List<String>> group : featureGroups(setting, table).entrySet()) {
				final Evaluated e = evaluate(setting, group.getKey(), table, group.getValue(), outputDir);
				results.add(e.result());
				if (e.scored() != null) {
					scored.add(e.scored());
					candidates.put(e.result().label(), e.data());
				}
			}
		}
		writeComparison(results, cohort, outputDir);
		writeComparisons(scored, outputDir);
		if (statistics.nested() && candidates.size() > 1)
			writeNested(candidates, results, outputDir);
		writeBestWeights(results, candidates, outputDir);
		return results;
	}

	private record Evaluated(StudyResult result, PairedComparisons.Scored scored, ProbeData data) {}

	/** Computes (or completes) one setting's feature table; returns null on success, else the error. */
	private String computeFeatures(final FeatureTableBuilder builder, final StudySetting setting, final Cohort cohort, final Path out) {
		try {
			final FeatureBatch.Result r = builder.build(setting, cohort, out);
			if (!r.complete())
				return r.failures().size() + " subject(s) failed, e.g. " + r.failures().entrySet().iterator().next() + " (see " + out.getFileName()
						+ ".errors.csv)";
			return null;
		} catch (final CancellationException e) {
			throw e;
		} catch (final Exception e) {
			return e.getMessage() != null ? e.getMessage() : e.toString();
		}
	}

	/**
	 * The column groups that get a probe each: all features, and for a network also each layer
	 * (columns named {@code <layer>_...}, layers as the setting lists them or, by default, as the
	 * network declares them in the table's provenance; layer names may hold underscores, and a column
	 * goes to the longest layer name that begins it).
	 */
	static Map<String, List<String>> featureGroups(final StudySetting setting, final FeatureTable table) {
		final List<String> features = table.numericColumns(List.of(Cohort.SUBJECT, Cohort.LABEL, ProbeColumns.GROUP));
		final Map<String, List<String>> groups = new LinkedHashMap<>();
		groups.put("all", features);
		if (setting.extractor().equals(StudySetting.CHANGE))
			return groups;
		final String chosen = setting.modelOptions().getOrDefault("layers", "");
		final String layerList = chosen.isBlank() ? table.provenance().getOrDefault(FeatureBatch.FEATURES_PREFIX + "layers", "") : chosen;
		final List<String> layers = ParameterLists.split(layerList);
		if (layers.size() > 1) {
			for (final String layer : layers)
				groups.put(layer, new ArrayList<>());
			for (final String f : features) {
				final String layer = layerOf(f, layers);
				if (layer != null)
					groups.get(layer).add(f);
			}
		}
		return groups;
	}

	/** The layer a column belongs to: the longest of the layers whose name and an underscore begin the column's name (layer "volume" must not take "volume_change_..."). */
	private static String layerOf(final String column, final List<String> layers) {
		String best = null;
		for (final String layer : layers)
			if (column.startsWith(layer + "_") && (best == null || layer.length() > best.length()))
				best = layer;
		return best;
	}

	private Evaluated evaluate(final StudySetting setting, final String layer, final FeatureTable table, final List<String> columns,
			final Path outputDir) {
		try {
			if (columns.isEmpty())
				throw new IllegalArgumentException("no feature columns for layer " + layer);
			final List<String> keep = new ArrayList<>(List.of(Cohort.SUBJECT, Cohort.LABEL));
			keep.addAll(columns);
			final ProbeData data = ProbeData.forTraining(table.select(keep), ProbeColumns.defaults(), probe.folds(), setting.id());
			final ProbeTrainer trainer = new ProbeTrainer(probe, progress);
			final RepeatedCrossValidation repeated = trainer.crossValidateRepeated(data, statistics.repeats());
			final CrossValidationResult cv = repeated.first();
			final Evaluation e = cv.evaluation();
			final String name = probeName(setting.id(), layer);
			final Path dir = outputDir.resolve(PROBES_DIR).resolve(name);
			final Map<String, Object> extra = new LinkedHashMap<>();
			extra.put("setting", setting.id());
			extra.put("layer", layer);
			new ProbeReport(dir).writeEvaluation(e, name, extra);
			AtomicOutput.writeString(dir.resolve(ProbeReport.PREDICTIONS_CV), cv.predictionsCsv(data, table.provenance()));
			final double permutationP = statistics.permutations() == 0 ? Double.NaN
					: PermutationTest.run(trainer, data, cv, statistics.permutations(), probe.seed()).p();
			final StudyResult result = new StudyResult(setting.id(), setting.alignment().key(), setting.crops(), setting.extractor(), layer,
					data.rowCount(), data.features().size(), repeated.mean(Metric.AUC), repeated.mean(Metric.F1), repeated.mean(Metric.BALANCED_ACCURACY),
					statistics.repeats(), repeated.aucSpread(), permutationP, null);
			return new Evaluated(result, new PairedComparisons.Scored(result, data.labels(), repeated.meanProbabilities(), data.groups()), data);
		} catch (final CancellationException e) {
			throw e;
		} catch (final Exception e) {
			final StudyResult f = StudyResult.failed(setting, e.getMessage() != null ? e.getMessage() : e.toString());
			return new Evaluated(new StudyResult(f.setting(), f.alignment(), f.roi(), f.extractor(), layer, 0, 0, f.auc(), f.f1(), f.balancedAccuracy(),
					0, Double.NaN, Double.NaN, f.error()), null, null);
		}
	}

	private void writeComparison(final List<StudyResult> results, final Cohort cohort, final Path outputDir) throws IOException {
		final StringBuilder sb = new StringBuilder();
		sb.append("# cohort: ").append(cohort.file()).append(" (").append(cohort.size()).append(" pairs)").append('\n');
		probe.describe().forEach((k, v) -> sb.append("# probe.").append(k).append(": ").append(v).append('\n'));
		sb.append("# repeats: ").append(statistics.repeats()).append(" (metrics are means over repeated grouped stratified splits)\n");
		sb.append("# permutations: ").append(statistics.permutations())
				.append(" (each reruns the probe's cross-validation on the cached feature table with labels shuffled between subjects,"
						+ " C fixed at the true-label run's median fold C; no feature is recomputed)\n");
		sb.append(Csv.join(StudyResult.COLUMNS)).append('\n');
		for (final StudyResult r : results)
			sb.append(Csv.join(r.cells())).append('\n');
		AtomicOutput.writeString(outputDir.resolve(COMPARISON_CSV), sb.toString());
	}

	/** The folder name of a probe under {@value #PROBES_DIR}: the setting id, then the layer unless it is "all". */
	public static String probeName(final String setting, final String layer) {
		return layer.isEmpty() || layer.equals("all") ? setting : setting + "_" + layer;
	}

	private void writeComparisons(final List<PairedComparisons.Scored> scored, final Path outputDir) throws IOException {
		final List<PairedComparisons.Comparison> comparisons = PairedComparisons.compare(scored, probe.bootstrap(), probe.seed());
		final Map<String, String> provenance = new LinkedHashMap<>();
		provenance.put("pairs", "each setting vs its extractor's none setting (same layer); each layer vs the best layer of its setting");
		provenance.put("test", "DeLong's test for correlated ROC curves on the out-of-fold probabilities averaged over " + statistics.repeats()
				+ " repeat(s) (paired bootstrap over subjects when a subject has several rows); 95% intervals; p adjusted over all rows with Holm's method");
		AtomicOutput.writeString(outputDir.resolve(COMPARISONS_CSV), PairedComparisons.toCsv(comparisons, provenance));
	}

	private void writeNested(final Map<String, ProbeData> candidates, final List<StudyResult> results, final Path outputDir) throws IOException {
		final Map<String, ProbeData> same = new LinkedHashMap<>();
		final ProbeData first = candidates.values().iterator().next();
		candidates.forEach((k, v) -> {
			if (v.subjects().equals(first.subjects()))
				same.put(k, v);
		});
		final StudyResult best = results.stream().filter(StudyResult::ok).max(Comparator.comparingDouble(r -> r.auc().value())).orElseThrow();
		final StringBuilder sb = new StringBuilder();
		sb.append("# nested: outer ").append(probe.folds()).append(" grouped stratified folds; in each, every one of ").append(same.size())
				.append(" settings is cross-validated on the training part alone and the best refitted to score the test part\n");
		sb.append(Csv.join(List.of("estimate", "auc", "settings", "chosen"))).append('\n');
		try {
			final NestedCrossValidation nested = NestedCrossValidation.run(new ProbeTrainer(probe, progress), same);
			final String chosen = nested.choices().entrySet().stream().map(e -> e.getKey() + " x" + e.getValue())
					.collect(java.util.stream.Collectors.joining("; "));
			sb.append(Csv.join(List.of("nested", Csv.number(nested.auc()), Integer.toString(same.size()), chosen))).append('\n');
		} catch (final IllegalArgumentException e) {
			sb.append(Csv.join(List.of("nested", "nan", Integer.toString(same.size()), "failed: " + e.getMessage()))).append('\n');
		}
		sb.append(Csv.join(List.of("naive_best", Csv.number(best.auc().value()), Integer.toString(same.size()), best.label()))).append('\n');
		AtomicOutput.writeString(outputDir.resolve(NESTED_CSV), sb.toString());
	}

	/**
	 * The final probe of the best setting, fitted on all subjects, its weights drawn over the atlas
	 * when its feature columns are atlas regions ({@value #BEST_DIR}/): the maps, and a note
	 * ({@value #BEST_NOTE}) naming the setting and what was drawn, or why nothing was.
	 */
	private void writeBestWeights(final List<StudyResult> results, final Map<String, ProbeData> candidates, final Path outputDir) throws IOException {
		final StudyResult best = results.stream().filter(r -> candidates.containsKey(r.label()))
				.max(Comparator.comparingDouble(r -> r.auc().value())).orElse(null);
		if (best == null)
			return;
		final Path dir = outputDir.resolve(BEST_DIR);
		Files.createDirectories(dir);
		try (Stream<Path> old = Files.list(dir)) {
			for (final Path f : old.filter(f -> f.getFileName().toString().startsWith("weightmap_")).toList())
				Files.delete(f);
		}
		final StudySetting setting = settings.stream().filter(s -> s.id().equals(best.setting())).findFirst().orElseThrow();
		final ProbeData data = candidates.get(best.label());
		final List<String> notes = new ArrayList<>();
		notes.add("best setting: " + best.label() + " (AUC " + Csv.number(best.auc().value()) + "); probe fitted on all " + data.rowCount() + " rows");
		final Atlas atlas = setting.atlas() == null ? null : setting.atlas().load();
		final long regional = atlas == null ? 0
				: data.features().stream().filter(f -> RegionColumn.parse(f, atlas.names().values()).filter(r -> !r.isCell()).isPresent())
						.count();
		if (regional == 0)
			notes.add("no weight map: " + (atlas == null ? "the setting has no atlas" : "no feature column names an atlas region")
					+ " (its features are not regional" + (setting.extractor().equals(StudySetting.CHANGE) ? "; pooling_regions=atlas makes none and pair settings regional)" : ")"));
		else {
			final ProbeTrainer trainer = new ProbeTrainer(probe, progress);
			final TrainedProbe fitted = trainer.fit(data, trainer.chooseC(data), Map.of());
			notes.addAll(new ProbeReport(dir).writeWeightMaps(fitted, new ProbeReport.MapSources(atlas.labels(), atlas.names(), atlas.template(), null)));
			notes.add("drawn over the atlas template (" + setting.atlas().template().getFileName() + "), slices through the largest weight");
		}
		AtomicOutput.writeString(dir.resolve(BEST_NOTE), String.join("\n", notes) + "\n");
	}

	/** The comparison as console lines, followed by the line of {@link #failures} when a row failed. */
	public static String table(final List<StudyResult> results) {
		final StringBuilder sb = new StringBuilder();
		for (final StudyResult r : results)
			sb.append(r.line()).append('\n');
		final String failed = failures(results);
		if (failed != null)
			sb.append(failed).append('\n');
		return sb.toString();
	}

	/**
	 * The rows that failed in one line, e.g. {@code 3 of 18 settings failed: none_change (reason); ...}
	 * (the first three reasons), or null when none failed. A row is a setting, or a setting's layer.
	 */
	public static String failures(final List<StudyResult> results) {
		final List<StudyResult> failed = results.stream().filter(r -> !r.ok()).toList();
		if (failed.isEmpty())
			return null;
		final StringBuilder sb = new StringBuilder().append(failed.size()).append(" of ").append(results.size()).append(" settings failed: ");
		for (int i = 0; i < Math.min(3, failed.size()); i++)
			sb.append(i > 0 ? "; " : "").append(failed.get(i).label()).append(" (").append(failed.get(i).error()).append(')');
		if (failed.size() > 3)
			sb.append("; and ").append(failed.size() - 3).append(" more (see ").append(COMPARISON_CSV).append(')');
		return sb.toString();
	}

	/**
	 * Throws when no setting has a result (a study in which everything failed is a failed run, not a
	 * table of errors): the message says so and gives the first reasons.
	 */
	public static void requireSuccess(final List<StudyResult> results) {
		if (results.stream().noneMatch(StudyResult::ok))
			throw new IllegalStateException("No setting succeeded: " + failures(results));
	}
}
