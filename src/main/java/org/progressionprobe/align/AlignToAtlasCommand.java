package org.progressionprobe.align;

import java.io.File;

import org.progressionprobe.command.CommandFailure;
import org.progressionprobe.command.StatusProgress;
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
 * Affine registration of a scan to an atlas template: the scan in atlas space, the transform, and
 * the atlas labels carried into the scan's space.
 */
@Plugin(type = Command.class, menu = { @Menu(label = "Plugins"), @Menu(label = "Progression Probe"), @Menu(label = "Alignment", weight = 2),
		@Menu(label = "Align To Atlas", weight = 2) }, headless = true,
		description = "Affine registration of a scan onto an atlas template: aligned.nii.gz (the scan in atlas space), transform.tfm,"
				+ " TransformParameters.0.txt, registration.json, labels_in_input.nii.gz (atlas labels on the scan's grid)")
public class AlignToAtlasCommand implements Command {

	@Parameter(label = "Scan", style = FileWidget.OPEN_STYLE)
	private File input;

	@Parameter(label = "Atlas template", style = FileWidget.OPEN_STYLE, required = false,
			description = "atlas template image; empty: the built-in phantom atlas (for simulated cohorts)")
	private File atlas;

	@Parameter(label = "Atlas labels", style = FileWidget.OPEN_STYLE, required = false, description = "label image on the template's grid")
	private File atlas_labels;

	@Parameter(label = "Atlas label names", style = FileWidget.OPEN_STYLE, required = false, description = "'value name' lines (AAL's format)")
	private File atlas_names;

	@Parameter(label = "Output folder", style = FileWidget.DIRECTORY_STYLE)
	private File output_dir;

	@Parameter(label = "Transform", choices = { "affine", "rigid", "translation" }, required = false)
	private String transform_type = RegistrationSettings.defaults().transformType().key();

	@Parameter(label = "Metric", choices = { "mi", "ncc" }, required = false,
			description = "mi (the default against an atlas): Mattes mutual information (template and scan of different contrasts); ncc: same contrast")
	private String metric = RegistrationSettings.ATLAS_METRIC.key();

	@Parameter(label = "Initialisation", choices = { "com", "geometry", "moments", "none" }, required = false,
			attrs = @Attr(name = "group", value = "Advanced"))
	private String init = RegistrationSettings.defaults().init().key();

	@Parameter(label = "Pyramid levels", min = "" + RegistrationSettings.MIN_LEVELS, max = "" + RegistrationSettings.MAX_LEVELS, required = false,
			attrs = @Attr(name = "group", value = "Advanced"))
	private int levels = RegistrationSettings.defaults().levels();

	@Parameter(label = "Iterations per level", min = "" + RegistrationSettings.MIN_ITERATIONS, required = false,
			attrs = @Attr(name = "group", value = "Advanced"))
	private int iterations = RegistrationSettings.defaults().iterations();

	@Parameter(label = "Samples per level", min = "" + RegistrationSettings.MIN_SAMPLES, required = false, attrs = @Attr(name = "group", value = "Advanced"))
	private int samples = RegistrationSettings.defaults().samples();

	@Parameter(label = "Interpolation of the aligned image", choices = { "linear", "cubic" }, required = false,
			attrs = @Attr(name = "group", value = "Advanced"))
	private String interpolation = CommandSettings.key(CommandSettings.INTERPOLATION);

	@Parameter(label = "Seed", required = false, attrs = @Attr(name = "group", value = "Advanced"))
	private long seed = RegistrationSettings.defaults().seed();

	@Parameter(type = ItemIO.OUTPUT, label = "Final metric value")
	private double similarity;

	@Parameter(type = ItemIO.OUTPUT, label = "Converged")
	private boolean converged;

	@Parameter
	private StatusService status;

	@Parameter
	private LogService log;

	@Override
	public void run() {
		CommandFailure.guard("Align To Atlas", log, () -> {
			final AtlasSource a = atlas == null ? AtlasSource.phantom() : new AtlasSource(atlas.toPath(), CommandSettings.path(atlas_labels),
					CommandSettings.path(atlas_names));
			final RegistrationSettings s = CommandSettings.registration(RegistrationSettings.atlasDefaults(), transform_type, metric, init, levels, iterations, samples, seed);
			final RegistrationResult r = new AlignmentFiles(new StatusProgress(status, log)).alignToAtlas(input.toPath(), a.template(), a.labels(), a.names(), s, CommandSettings.interpolation(interpolation),
					output_dir.toPath());
			similarity = r.similarity();
			converged = r.converged();
			log.info(CommandSettings.summary(r, output_dir));
		});
	}
}
