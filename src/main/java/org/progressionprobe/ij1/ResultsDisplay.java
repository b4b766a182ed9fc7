package org.progressionprobe.ij1;

import java.awt.GraphicsEnvironment;
import java.io.File;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

import org.progressionprobe.align.AlignmentFiles;
import org.progressionprobe.demo.Demo;
import org.progressionprobe.features.change.ChangeMeasurement;
import org.progressionprobe.io.ImagePlusVolumes;
import org.progressionprobe.io.VolumeIO;
import org.progressionprobe.probe.ProbeReport;
import org.progressionprobe.report.StudyReport;
import org.progressionprobe.study.Study;
import org.progressionprobe.table.FeatureTable;
import org.progressionprobe.volume.Volume;
import org.scijava.platform.PlatformService;

import ij.CompositeImage;
import ij.IJ;
import ij.ImagePlus;
import ij.ImageStack;
import ij.macro.Interpreter;
import ij.measure.ResultsTable;
import ij.text.TextWindow;

/**
 * Shows what a finished command made, when there is a screen to show it on (never headless or in a
 * batch-mode macro, where the files are the only output): Open Volume the calibrated image, Align Pair
 * the aligned image and a two-channel composite with the fixed one, Change Features the log-Jacobian
 * map over the baseline (with {@code maps_dir}), Train Probe the ROC plot, the weights as a Results
 * table and the weight maps, Apply Probe / Evaluate Predictions their tables, Run Study / Run Demo /
 * Study Report the comparison table, the forest plot and heatmap, and {@code report.html} in the web
 * browser, Engine Info its report. Commands only return outputs and write files;
 * the plain-ImageJ bridge and, in Fiji, {@link ResultsDisplayPostprocessor} call this.
 */
public final class ResultsDisplay {

	private ResultsDisplay() {}

	/** True when results can go on screen: a display, and no batch-mode macro running. */
	public static boolean available() {
		return !GraphicsEnvironment.isHeadless() && !Interpreter.isBatchMode();
	}

	/**
	 * Shows the results of a run of the command called {@code title}; {@code inputs} hold paths as
	 * text or files. The outputs themselves (an image, a report) are shown only if {@code showOutputs}
	 * (Fiji shows them itself). A study's report opens through {@code platform} (none without it). A
	 * result that cannot be read is reported in the Log, never thrown.
	 */
	public static void show(final String title, final Map<String, ?> inputs, final Map<String, ?> outputs, final boolean showOutputs,
			final PlatformService platform) {
		try {
			switch (title) {
			case "Open Volume":
				if (showOutputs && outputs.get("image") instanceof ImagePlus)
					((ImagePlus) outputs.get("image")).show();
				break;
			case "Align Pair":
				final Path aligned = path(inputs, "output_dir").resolve(AlignmentFiles.ALIGNED);
				overlay(VolumeIO.read(path(inputs, "fixed")), VolumeIO.read(aligned), "fixed", "aligned",
						"Align Pair: fixed (magenta) and aligned (green)").show();
				volume(aligned);
				break;
			case "Align To Atlas":
				volume(path(inputs, "output_dir").resolve(AlignmentFiles.ALIGNED));
				break;
			case "Crop To ROI":
			case "Apply Transform":
				volume(path(inputs, "output"));
				break;
			case "Change Features":
				table(path(inputs, "output"), "Change Features");
				if (path(inputs, "maps_dir") != null)
					overlay(VolumeIO.read(path(inputs, "baseline")), VolumeIO.read(path(inputs, "maps_dir").resolve(ChangeMeasurement.LOG_JACOBIAN)),
							"baseline", "log-Jacobian", "Change Features: log-Jacobian (green) over the baseline").show();
				break;
			case "Model Features":
			case "Cohort Features":
			case "Apply Probe":
				table(path(inputs, "output"), title);
				break;
			case "Train Probe":
				final Path probe = path(inputs, "output_dir");
				picture(probe.resolve(ProbeReport.ROC_PNG));
				table(probe.resolve(ProbeReport.WEIGHTS), "Probe weights");
				try (Stream<Path> maps = Files.list(probe)) {
					for (final Path p : maps.filter(p -> p.getFileName().toString().matches("weightmap_.*\\.png")).sorted().toList())
						picture(p);
				}
				break;
			case "Evaluate Predictions":
				table(path(inputs, "output_dir").resolve(ProbeReport.METRICS_CSV), "Evaluation");
				picture(path(inputs, "output_dir").resolve(ProbeReport.ROC_PNG));
				break;
			case "Run Study":
				study(path(inputs, "output_dir"), platform);
				break;
			case "Run Demo":
				study(path(inputs, "output_dir").resolve(Demo.STUDY_DIR), platform);
				break;
			case "Study Report":
				study(path(inputs, "study_dir"), platform);
				break;
			case "Engine Info":
				if (showOutputs)
					new TextWindow("Engine Info", String.valueOf(outputs.get("info")), 640, 420);
				break;
			default:
			}
		} catch (final IOException | RuntimeException e) {
			IJ.log("Progression Probe: " + title + ": results not shown: " + e.getMessage());
		}
	}

	private static void study(final Path dir, final PlatformService platform) {
		table(dir.resolve(Study.COMPARISON_CSV), "Comparison");
		picture(dir.resolve(Study.COMPARISON_PNG));
		picture(dir.resolve(StudyReport.HEATMAP + ".png"));
		final Path html = dir.resolve(StudyReport.REPORT_HTML);
		if (platform != null && Files.exists(html))
			browse(platform, html);
	}

	/** Opens a file in the web browser; one Log line says where it is, whether or not a browser started. */
	static void browse(final PlatformService platform, final Path file) {
		try {
			platform.open(file.toUri().toURL());
			IJ.log("Progression Probe: opened in the web browser: " + file);
		} catch (final IOException | RuntimeException e) {
			IJ.log("Progression Probe: open " + file + " in a web browser (none could be started: " + e.getMessage() + ")");
		}
	}

	/** The value of a path input, or null when it is not set. */
	static Path path(final Map<String, ?> inputs, final String key) {
		final Object v = inputs.get(key);
		if (v == null || v.toString().isBlank())
			return null;
		return v instanceof File ? ((File) v).toPath() : Path.of(v.toString());
	}

	private static void volume(final Path file) throws IOException {
		ImagePlusVolumes.toImagePlus(VolumeIO.read(file), file.getFileName().toString()).show();
	}

	private static void picture(final Path png) {
		if (Files.exists(png)) {
			final ImagePlus imp = IJ.openImage(png.toString());
			if (imp != null)
				imp.show();
		}
	}

	/** A CSV file (leading {@code #} lines skipped) as a Results table; numbers as numbers, the rest as text. */
	static ResultsTable table(final Path csv, final String title) {
		if (csv == null || !Files.exists(csv))
			return null;
		final FeatureTable t;
		try {
			t = FeatureTable.read(csv);
		} catch (final IOException e) {
			throw new IllegalStateException(csv + ": " + e.getMessage(), e);
		}
		final ResultsTable rt = new ResultsTable();
		final List<String> columns = t.columns();
		for (int r = 0; r < t.rowCount(); r++) {
			rt.incrementCounter();
			for (final String c : columns) {
				final String v = t.text(r, c);
				try {
					rt.addValue(c, Double.parseDouble(v));
				} catch (final NumberFormatException | NullPointerException e) {
					rt.addValue(c, v == null ? "" : v);
				}
			}
		}
		rt.show(title + " (" + csv.getFileName() + ")");
		return rt;
	}

	/**
	 * Two volumes as a two-channel composite (first magenta, second green) when they share a grid,
	 * else the second alone.
	 */
	static ImagePlus overlay(final Volume first, final Volume second, final String firstName, final String secondName, final String title) {
		final ImagePlus a = ImagePlusVolumes.toImagePlus(first, firstName), b = ImagePlusVolumes.toImagePlus(second, secondName);
		if (first.nx() != second.nx() || first.ny() != second.ny() || first.nz() != second.nz()) {
			b.setTitle(title);
			return b;
		}
		final ImageStack stack = new ImageStack(first.nx(), first.ny());
		for (int z = 1; z <= first.nz(); z++) {
			stack.addSlice(firstName, a.getStack().getProcessor(z));
			stack.addSlice(secondName, b.getStack().getProcessor(z));
		}
		final ImagePlus both = new ImagePlus(title, stack);
		both.setDimensions(2, first.nz(), 1);
		both.setCalibration(b.getCalibration());
		both.setProp(ImagePlusVolumes.MATRIX_PROPERTY, b.getProp(ImagePlusVolumes.MATRIX_PROPERTY));
		final CompositeImage composite = new CompositeImage(both, IJ.COMPOSITE);
		composite.setChannelLut(ij.process.LUT.createLutFromColor(java.awt.Color.MAGENTA), 1);
		composite.setChannelLut(ij.process.LUT.createLutFromColor(java.awt.Color.GREEN), 2);
		for (int c = 1; c <= 2; c++) {
			composite.setC(c);
			final ImagePlus source = c == 1 ? a : b;
			composite.setDisplayRange(source.getDisplayRangeMin(), source.getDisplayRangeMax());
		}
		composite.setC(1);
		composite.setZ(first.nz() / 2 + 1);
		return composite;
	}
}
