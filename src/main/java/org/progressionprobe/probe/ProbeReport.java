package org.progressionprobe.probe;

import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.stream.Collectors;

import org.progressionprobe.io.AtomicOutput;
import org.progressionprobe.io.VolumeIO;
import org.progressionprobe.volume.Grid;
import org.progressionprobe.volume.Volume;

/**
 * Writes what a probe's training or an evaluation produced into an output folder, every file
 * atomically: the probe ({@value #PROBE}), metrics with intervals ({@value #METRICS_CSV},
 * {@value #METRICS_JSON}), out-of-fold predictions ({@value #PREDICTIONS_CV}), the ROC curve
 * ({@value #ROC_PNG}, {@value #ROC_CSV}), the weights ({@value #WEIGHTS}) and, when the feature
 * columns are regional and a label image or reference grid is given, weight maps
 * ({@code weightmap_<family>.nii.gz} and {@code .png}).
 */
public final class ProbeReport {

	public static final String PROBE = "probe.tribuo", METRICS_CSV = "metrics.csv", METRICS_JSON = "metrics.json",
			PREDICTIONS_CV = "predictions_cv.csv", ROC_PNG = "roc.png", ROC_CSV = "roc.csv", WEIGHTS = "weights.csv";

	/**
	 * What weight maps are drawn on; any part may be null.
	 *
	 * @param labels atlas label image (for region columns)
	 * @param names label value to region name
	 * @param reference baseline or atlas template: background of the overlays and grid of cell columns
	 * @param gridCells cells along x, y, z for cell columns, or null to infer from the column names
	 */
	public record MapSources(Volume labels, Map<Integer, String> names, Volume reference, int[] gridCells) {
		public static final MapSources NONE = new MapSources(null, null, null, null);
	}

	private final Path dir;

	public ProbeReport(final Path dir) {
		this.dir = dir;
	}

	/**
	 * Writes a training's outputs.
	 *
	 * @return notes on what was written or skipped (e.g. why no weight map)
	 */
	public List<String> writeTraining(final ProbeData data, final ProbeTrainer.Training training, final ProbeSettings settings,
			final MapSources maps) throws IOException {
		final List<String> notes = new ArrayList<>(data.notes());
		final CrossValidationResult cv = training.crossValidation();
		final TrainedProbe probe = training.probe();
		training.probe().save(dir.resolve(PROBE));
		final Map<String, String> prov = new LinkedHashMap<>();
		prov.put("predictions", "out-of-fold probabilities of class 1 from " + data.source());
		prov.putAll(settings.describe());
		AtomicOutput.writeString(dir.resolve(PREDICTIONS_CV), cv.predictionsCsv(data, prov));
		final Map<String, Object> extra = new LinkedHashMap<>();
		extra.put("features_file", data.source());
		extra.put("features", data.features().size());
		settings.describe().forEach(extra::put);
		extra.put("c_per_fold", Arrays.stream(cv.cPerFold()).mapToObj(v -> String.format(Locale.ROOT, "%g", v)).collect(Collectors.joining(" ")));
		extra.put("c_final", probe.c());
		extra.put("fit_seconds", cv.fitSeconds());
		extra.put("notes", String.join("; ", data.notes()));
		writeEvaluation(cv.evaluation(), "Cross-validated ROC (" + settings.folds() + " folds, grouped)", extra);
		AtomicOutput.writeString(dir.resolve(WEIGHTS), probe.weightsCsv());
		notes.addAll(writeWeightMaps(probe, maps));
		return notes;
	}

	/** Writes metrics (CSV, JSON with the extra entries) and the ROC curve (PNG, CSV). */
	public void writeEvaluation(final Evaluation evaluation, final String rocTitle, final Map<String, Object> extra) throws IOException {
		AtomicOutput.writeString(dir.resolve(METRICS_CSV), evaluation.toCsv());
		AtomicOutput.writeString(dir.resolve(METRICS_JSON), evaluation.toJson(extra));
		AtomicOutput.writeString(dir.resolve(ROC_CSV), evaluation.roc().toCsv());
		final String caption = "AUC " + evaluation.pooled(Metric.AUC) + " (n=" + evaluation.rows() + ")";
		ProbeImages.writePng(ProbeImages.roc(evaluation.roc(), rocTitle, caption), dir.resolve(ROC_PNG));
	}

	/** Writes a weight map volume and overlay per regional column family; returns notes on what was mapped. */
	public List<String> writeWeightMaps(final TrainedProbe probe, final MapSources sources) throws IOException {
		final Map<String, Double> weights = new LinkedHashMap<>();
		probe.weights().forEach(w -> weights.put(w.feature(), w.standardized()));
		final List<WeightMap> maps = new ArrayList<>();
		final List<String> notes = new ArrayList<>();
		final boolean anyCells = weights.keySet().stream().anyMatch(c -> RegionColumn.parse(c, List.of()).isPresent());
		if (sources.labels() != null && sources.names() != null)
			maps.addAll(WeightMap.regions(weights, sources.labels(), sources.names()));
		else if (sources.labels() != null)
			notes.add("a label image without label names: no region weight map");
		if (anyCells) {
			if (sources.reference() != null)
				maps.addAll(WeightMap.cells(weights, Grid.of(sources.reference()), sources.gridCells()));
			else if (sources.labels() != null)
				maps.addAll(WeightMap.cells(weights, Grid.of(sources.labels()), sources.gridCells()));
			else
				notes.add("grid-cell columns but no reference volume: no cell weight map");
		}
		int mapped = 0;
		for (final WeightMap map : maps) {
			VolumeIO.write(map.weights(), dir.resolve(map.fileStem() + ".nii.gz"));
			final Volume background = sources.reference() != null ? sources.reference() : mask(sources.labels(), map.weights());
			final String caption = (map.family().isEmpty() ? "weights" : map.family()) + ": " + map.columns().size()
					+ (map.cells() ? " grid cells" : " regions");
			ProbeImages.writePng(ProbeImages.weightOverlay(map, background, caption), dir.resolve(map.fileStem() + ".png"));
			mapped += map.columns().size();
		}
		if (!maps.isEmpty())
			notes.add("weight maps: " + maps.size() + " (" + mapped + " of " + weights.size() + " columns mapped; the others are not regional)");
		else if (sources.labels() != null || sources.reference() != null)
			notes.add("no feature column names a region of the label names or a grid cell: no weight map");
		return notes;
	}

	private static Volume mask(final Volume labels, final Volume like) {
		if (labels == null || !labels.sameGrid(like))
			return null;
		final float[] d = new float[labels.voxelCount()];
		final float[] l = labels.data();
		for (int i = 0; i < d.length; i++)
			d[i] = l[i] != 0 ? 0.5f : 0;
		return labels.withData(d);
	}
}
