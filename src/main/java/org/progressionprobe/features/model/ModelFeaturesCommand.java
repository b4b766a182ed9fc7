package org.progressionprobe.features.model;

import java.io.File;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;

import org.progressionprobe.command.CommandFailure;
import org.progressionprobe.features.PairExtractor;
import org.progressionprobe.io.VolumeIO;
import org.progressionprobe.table.FeatureTable;
import org.progressionprobe.table.FeatureVector;
import org.progressionprobe.volume.Volume;
import org.scijava.ItemIO;
import org.scijava.command.Command;
import org.scijava.log.LogService;
import org.scijava.plugin.Attr;
import org.scijava.plugin.Menu;
import org.scijava.plugin.Parameter;
import org.scijava.plugin.Plugin;
import org.scijava.widget.FileWidget;

/** One pair's model features: a network's named layers, pooled, written as a one-row CSV with provenance. */
@Plugin(type = Command.class, menu = { @Menu(label = "Plugins"), @Menu(label = "Progression Probe"), @Menu(label = "Features", weight = 3),
		@Menu(label = "Model Features", weight = 2) }, headless = true,
		description = "Pooled intermediate layers of a TorchScript, ONNX or TensorFlow network (bioimage.io model package) for a baseline/follow-up pair")
public class ModelFeaturesCommand implements Command {

	@Parameter(label = "Baseline scan", style = FileWidget.OPEN_STYLE)
	private File baseline;

	@Parameter(label = "Follow-up scan", style = FileWidget.OPEN_STYLE)
	private File followup;

	@Parameter(label = "Model", style = FileWidget.OPEN_STYLE,
			description = "model package: a folder or .zip with a bioimage.io rdf.yaml (or a built-in name such as builtin-registration)")
	private File model;

	@Parameter(label = "Layers", required = false, description = "comma-separated feature layers; empty for all the package declares")
	private String layers = "";

	@Parameter(label = "Pooling", required = false, description = "gap, gmp, roi or grid; comma-separated for several",
			attrs = @Attr(name = "options", value = "gap,gmp,roi,grid"))
	private String pooling = FeatureSettings.defaults().poolingText();

	@Parameter(label = "Grid cells per axis", required = false, min = "1", description = "for grid pooling",
			attrs = @Attr(name = "group", value = "Advanced"))
	private int grid = FeatureSettings.DEFAULT_GRID;

	@Parameter(label = "Combine (single-scan models)", required = false, choices = { "diff", "concat", "both" })
	private String combine = FeatureSettings.defaults().combine().toString();

	@Parameter(label = "ROI mask", required = false, style = FileWidget.OPEN_STYLE, description = "mask on the baseline's grid, for roi pooling",
			attrs = @Attr(name = "group", value = "Advanced"))
	private File roi;

	@Parameter(label = "Device", required = false, choices = { "cpu", "gpu" }, attrs = @Attr(name = "group", value = "Advanced"))
	private String device = FeatureSettings.defaults().device().toString();

	@Parameter(label = "Engine", required = false, choices = { "auto", "onnx", "torchscript", "tensorflow" },
			description = "which weights to run; auto prefers ONNX, then TorchScript, then TensorFlow",
			attrs = @Attr(name = "group", value = "Advanced"))
	private String engine = "auto";

	@Parameter(label = "Cache folder", required = false, style = FileWidget.DIRECTORY_STYLE,
			description = "where zipped packages are unpacked; default ~/.cache/progression-probe/models",
			attrs = @Attr(name = "group", value = "Advanced"))
	private File cache_dir;

	@Parameter(label = "Output CSV", style = FileWidget.SAVE_STYLE)
	private File output;

	@Parameter(type = ItemIO.OUTPUT, label = "Features")
	private int feature_count;

	@Parameter
	private LogService log;

	@Override
	public void run() {
		CommandFailure.guard("Model Features", log, () -> {
			final FeatureSettings settings = settings(layers, pooling, grid, combine, device, engine,
					cache_dir != null ? cache_dir.toPath() : ModelCache.models());
			final Volume base = VolumeIO.read(baseline.toPath());
			final Volume follow = VolumeIO.read(followup.toPath());
			PairExtractor.requireFiniteVoxels(base, baseline.toString());
			PairExtractor.requireFiniteVoxels(follow, followup.toString());
			PairExtractor.requireOverlap(followup.toString(), follow, "the baseline " + baseline, base);
			final ModelPackage pkg = ModelPackage.open(model.toPath(), settings.unpackRoot());
			final Volume mask = roi != null ? VolumeIO.read(roi.toPath()) : null;
			try (ModelFeatures extractor = new ModelFeatures(pkg, settings)) {
				final FeatureVector v = PairExtractor.requireFinite(extractor.compute(base, follow, mask), extractor, baseline + " and " + followup);
				final Map<String, String> provenance = new LinkedHashMap<>();
				provenance.put("command", "Model Features");
				provenance.put("baseline", baseline.toString());
				provenance.put("followup", followup.toString());
				if (roi != null)
					provenance.put("roi", roi.toString());
				provenance.putAll(extractor.provenance());
				FeatureTable.single(v, provenance).write(output.toPath());
				feature_count = v.size();
				log.info("Model Features: " + v.size() + " features from " + pkg.name() + " (" + provenance.get("engine") + ") -> " + output);
			}
		});
	}

	/** Settings from the command's text keys; a bad value is an error naming the key. */
	static FeatureSettings settings(final String layers, final String pooling, final int grid, final String combine, final String device,
			final String engine, final Path unpackRoot) {
		try {
			return FeatureSettings.parse(layers, pooling, grid, combine, device, engine, unpackRoot);
		} catch (final IllegalArgumentException e) {
			throw new CommandFailure(e.getMessage(), e);
		}
	}
}
