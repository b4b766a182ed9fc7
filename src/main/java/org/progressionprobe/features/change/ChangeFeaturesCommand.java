package org.progressionprobe.features.change;

import java.io.File;
import java.util.LinkedHashMap;
import java.util.Map;

import org.progressionprobe.command.CommandFailure;
import org.progressionprobe.command.ParameterLists;
import org.progressionprobe.command.StatusProgress;
import org.progressionprobe.features.PairExtractor;
import org.progressionprobe.io.AtlasFiles;
import org.progressionprobe.io.VolumeIO;
import org.progressionprobe.table.FeatureTable;
import org.progressionprobe.volume.ScanPair;
import org.progressionprobe.volume.Volume;
import org.scijava.ItemIO;
import org.scijava.app.StatusService;
import org.scijava.command.Command;
import org.scijava.log.LogService;
import org.scijava.plugin.Attr;
import org.scijava.plugin.Menu;
import org.scijava.plugin.Parameter;
import org.scijava.plugin.Plugin;
import org.scijava.widget.FileWidget;

/**
 * Change features of one scan pair (no weights needed): affine (or rigid) pre-registration and
 * deformable registration of the follow-up onto the baseline, Jacobian maps, pooled by region, written as a one-row feature CSV; optionally
 * the maps as NIfTI files. The work is done by {@link ChangeFeatures}.
 */
@Plugin(type = Command.class, menu = { @Menu(label = "Plugins"), @Menu(label = "Progression Probe"), @Menu(label = "Features", weight = 3),
		@Menu(label = "Change Features", weight = 1) }, headless = true,
		description = "Change between a baseline and a follow-up scan: deformable registration, log-Jacobian and displacement pooled by region")
public class ChangeFeaturesCommand implements Command {

	@Parameter(label = "Baseline scan", style = FileWidget.OPEN_STYLE)
	private File baseline;

	@Parameter(label = "Follow-up scan", style = FileWidget.OPEN_STYLE, description = "pre-registered onto the baseline (prealign), resampled onto its grid")
	private File followup;

	@Parameter(label = "Feature file (CSV)", style = FileWidget.SAVE_STYLE)
	private File output;

	@Parameter(label = "Label image", style = FileWidget.OPEN_STYLE, required = false,
			description = "regions on the baseline's grid (0 = background); without it: a grid of cells over the foreground")
	private File labels;

	@Parameter(label = "Label names", style = FileWidget.OPEN_STYLE, required = false, description = "'value name' lines (AAL's .txt format)")
	private File label_names;

	@Parameter(label = "Maps folder", style = FileWidget.DIRECTORY_STYLE, required = false,
			description = "when given: displacement field, Jacobian, log-Jacobian, warped follow-up and foreground as NIfTI")
	private File maps_dir;

	@Parameter(label = "Pre-registration", required = false, choices = { "affine", "rigid", "none" }, attrs = @Attr(name = "group", value = "Advanced"),
			description = "of the follow-up onto the baseline before the deformable registration (none: the scans are aligned already)")
	private String prealign = ChangeFeatures.Settings.defaults().prealign().key();

	@Parameter(label = "Pyramid levels", min = "1", attrs = @Attr(name = "group", value = "Advanced"))
	private int levels = DemonsRegistration.Settings.defaults().levels();

	@Parameter(label = "Iterations per level (coarse to fine)", description = "one count per level, or one for all",
			attrs = @Attr(name = "group", value = "Advanced"))
	private String iterations = ParameterLists.join(DemonsRegistration.Settings.defaults().iterations());

	@Parameter(label = "Step smoothing sigma (voxels)", min = "0", attrs = @Attr(name = "group", value = "Advanced"))
	private double fluid_sigma = DemonsRegistration.Settings.defaults().fluidSigma();

	@Parameter(label = "Field smoothing sigma (voxels)", min = "0", attrs = @Attr(name = "group", value = "Advanced"))
	private double diffusion_sigma = DemonsRegistration.Settings.defaults().diffusionSigma();

	@Parameter(label = "Maximum step (voxels)", attrs = @Attr(name = "group", value = "Advanced"))
	private double max_step = DemonsRegistration.Settings.defaults().maxStep();

	@Parameter(label = "Bias correction sigma (mm)", min = "0", description = "differential bias correction between the visits (0 = none)",
			attrs = @Attr(name = "group", value = "Advanced"))
	private double bias_sigma_mm = DemonsRegistration.Settings.defaults().biasSigmaMm();

	@Parameter(label = "Grid cells x,y,z", description = "pooling cells over the foreground when there is no label image",
			attrs = @Attr(name = "group", value = "Advanced"))
	private String grid_cells = ParameterLists.join(ChangeFeatures.Settings.defaults().gridCells());

	@Parameter(label = "Percentiles", attrs = @Attr(name = "group", value = "Advanced"))
	private String percentiles = ParameterLists.join(ChangeFeatures.Settings.defaults().percentiles());

	@Parameter(type = ItemIO.OUTPUT, label = "Registration quality")
	private String qc;

	@Parameter
	private LogService log;

	@Parameter(required = false)
	private StatusService status;

	@Override
	public void run() {
		CommandFailure.guard("Change Features", log, () -> {
			final ChangeFeatures features = new ChangeFeatures(settings(), new StatusProgress(status, log));
			final Volume b = VolumeIO.read(baseline.toPath());
			final Volume f = VolumeIO.read(followup.toPath());
			PairExtractor.requireFiniteVoxels(b, baseline.toString());
			PairExtractor.requireFiniteVoxels(f, followup.toString());
			PairExtractor.requireOverlap(followup.toString(), f, "the baseline " + baseline, b);
			Volume l = null;
			if (labels != null) {
				l = VolumeIO.read(labels.toPath());
				if (!l.sameGrid(b))
					throw new CommandFailure(labels + ": the label image must lie on the baseline's grid (" + b + "), but it is " + l);
				RegionPooling.checkLabels(labels.toString(), ForegroundMask.of(b), l, features.settings().labelNames());
			}
			final ChangeMeasurement m = features.measure(new ScanPair(baseline.getName(), b, f, l));
			PairExtractor.requireFinite(m.features(), features, baseline + " and " + followup);
			FeatureTable.single(m.features(), features.provenance()).write(output.toPath());
			if (maps_dir != null)
				m.writeMaps(maps_dir.toPath());
			qc = m.qcText();
			log.info("Change Features: " + m.features().size() + " features written to " + output + "; " + qc);
		});
	}

	private ChangeFeatures.Settings settings() throws java.io.IOException {
		final Map<String, String> text = new LinkedHashMap<>();
		text.put("prealign", prealign);
		text.put("levels", Integer.toString(levels));
		text.put("iterations", iterations);
		text.put("fluid_sigma", Double.toString(fluid_sigma));
		text.put("diffusion_sigma", Double.toString(diffusion_sigma));
		text.put("max_step", Double.toString(max_step));
		text.put("bias_sigma_mm", Double.toString(bias_sigma_mm));
		text.put("grid_cells", grid_cells);
		text.put("percentiles", percentiles);
		return ChangeFeatures.Settings.parse(text).withLabelNames(label_names == null ? Map.of() : AtlasFiles.readNames(label_names.toPath()));
	}
}
