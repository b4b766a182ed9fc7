package org.progressionprobe.align;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

import org.progressionprobe.command.Progress;
import org.progressionprobe.io.AtlasFiles;
import org.progressionprobe.io.AtomicOutput;
import org.progressionprobe.io.VolumeIO;
import org.progressionprobe.io.VolumeIOException;
import org.progressionprobe.volume.AffineTransform3D;
import org.progressionprobe.volume.Atlas;
import org.progressionprobe.volume.Grid;
import org.progressionprobe.volume.Resampler;
import org.progressionprobe.volume.Volume;

/**
 * The align step on files, as the commands run it: read the images, register, and write the
 * aligned image, the transform in ITK and elastix formats and the registration report into an
 * output folder. Every file appears complete or not at all ({@link AtomicOutput}).
 */
public final class AlignmentFiles {

	/** Names of the files written into an output folder. */
	public static final String ALIGNED = "aligned.nii.gz", ITK = "transform.tfm", ELASTIX = "TransformParameters.0.txt",
			REPORT = "registration.json", LABELS_IN_INPUT = "labels_in_input.nii.gz", LABEL_NAMES = "labels_in_input.txt";

	private final Progress progress;

	public AlignmentFiles(final Progress progress) {
		this.progress = progress;
	}

	/**
	 * Registers {@code moving} onto {@code fixed} and writes {@value #ALIGNED} (the moving image
	 * resampled onto the fixed grid), {@value #ITK}, {@value #ELASTIX} and {@value #REPORT}.
	 *
	 * @param fixedMask optional (null)
	 * @param movingMask optional (null)
	 */
	public RegistrationResult alignPair(final Path fixed, final Path moving, final Path fixedMask, final Path movingMask,
			final RegistrationSettings settings, final Resampler.Interpolation interpolation, final Path outputDir) throws IOException {
		AtomicOutput.checkFolder(outputDir);
		final Volume f = VolumeIO.read(fixed), m = VolumeIO.read(moving);
		final Volume fm = fixedMask != null ? VolumeIO.read(fixedMask) : null, mm = movingMask != null ? VolumeIO.read(movingMask) : null;
		final RegistrationResult r = register(settings, f, m, fm, mm, fixed, moving);
		writeResult(r, f, m, interpolation, outputDir);
		return r;
	}

	/**
	 * Registers {@code input} (moving) onto an atlas template (fixed) and writes {@value #ALIGNED}
	 * (the input in atlas space), the transforms (atlas world to input world), the report and, if
	 * the atlas has labels, {@value #LABELS_IN_INPUT} (the atlas labels carried onto the input's grid).
	 *
	 * @param labels atlas labels on the template's grid, or null
	 * @param names the labels' names file ({@code value name} lines), copied next to the carried labels, or null
	 */
	public RegistrationResult alignToAtlas(final Path input, final Path template, final Path labels, final Path names,
			final RegistrationSettings settings, final Resampler.Interpolation interpolation, final Path outputDir) throws IOException {
		AtomicOutput.checkFolder(outputDir);
		final Volume in = VolumeIO.read(input), t = VolumeIO.read(template);
		final Volume l = labels != null ? VolumeIO.read(labels) : null;
		if (l != null && !l.sameGrid(t))
			throw new VolumeIOException(labels, "the atlas labels are not on the template's grid (" + Grid.of(l) + " vs " + Grid.of(t) + ")");
		final RegistrationResult r = register(settings, t, in, null, null, template, input);
		writeResult(r, t, in, interpolation, outputDir);
		if (l != null) {
			final Volume carried = Resampler.nearest().resample(l, Grid.of(in), r.affine().inverse());
			VolumeIO.writeLabels(carried, outputDir.resolve(LABELS_IN_INPUT));
			if (names != null) {
				AtlasFiles.readNames(names);
				AtomicOutput.write(outputDir.resolve(LABEL_NAMES), out -> Files.copy(names, out));
			}
		}
		return r;
	}

	/**
	 * Crops {@code input} to the box around the given labels (names, regular expressions or
	 * numbers) of a label image plus a margin, or to a world box, and writes it to {@code output}.
	 *
	 * @param labels label image in the input's world (any grid), or null for a world box
	 * @param names label names file ({@code value name} lines), needed when labels are chosen by name
	 * @param roiLabels label names, regular expressions or values
	 * @param boxMin world box lower corner (mm, RAS) when no labels are given
	 * @param boxMax world box upper corner
	 * @return the crop grid
	 */
	public Grid cropToRoi(final Path input, final Path output, final Path labels, final Path names, final List<String> roiLabels,
			final double marginMm, final double[] boxMin, final double[] boxMax) throws IOException {
		if (output.toAbsolutePath().getParent() != null)
			AtomicOutput.checkFolder(output.toAbsolutePath().getParent());
		final Volume in = VolumeIO.read(input);
		final RoiBox box;
		if (labels != null) {
			final Volume l = VolumeIO.read(labels);
			if (roiLabels.isEmpty())
				throw new IllegalArgumentException("Choose the region's labels (roi_labels: names, regular expressions or values)");
			final List<Integer> values = labelValues(l, names, roiLabels);
			try {
				box = RoiBox.ofLabels(l, values, marginMm);
			} catch (final IllegalArgumentException e) {
				throw new VolumeIOException(labels, e.getMessage() + (l.isZero() ? " (the label image is all 0)" : ""));
			}
		} else {
			if (boxMin == null || boxMax == null)
				throw new IllegalArgumentException("Give either a label image (labels + roi_labels) or a world box (box_min_mm and box_max_mm)");
			box = RoiBox.ofWorld(boxMin, boxMax);
		}
		final Grid g;
		try {
			g = box.on(Grid.of(in), new AffineTransform3D());
		} catch (final IllegalArgumentException e) {
			throw new VolumeIOException(input, e.getMessage() + (labels != null ? "; the region comes from the labels in " + labels : "")
					+ "; the image spans " + Grid.of(in).describeWorldExtent());
		}
		VolumeIO.write(RoiBox.crop(in, g, Resampler.Interpolation.LINEAR), output);
		return g;
	}

	/**
	 * Resamples {@code input} onto the grid of {@code reference} (or the grid an elastix file
	 * names, when no reference is given) through a transform file that maps reference-world points
	 * to input-world points (or its inverse).
	 */
	public void applyTransform(final Path input, final Path reference, final Path transform, final Path output,
			final Resampler.Interpolation interpolation, final boolean invert) throws IOException {
		final Volume in = VolumeIO.read(input);
		final Grid grid;
		AffineTransform3D t;
		if (isItk(transform)) {
			t = TransformFiles.readItk(transform).toAffine();
			grid = reference != null ? Grid.of(VolumeIO.read(reference)) : null;
		} else {
			final TransformFiles.ElastixTransform e = TransformFiles.readElastix(transform);
			t = e.transform().toAffine();
			grid = reference != null ? Grid.of(VolumeIO.read(reference)) : e.grid();
		}
		if (grid == null)
			throw new VolumeIOException(transform, "gives no output grid: pass a reference image");
		if (invert)
			t = t.inverse();
		final Volume out = new Resampler(interpolation, 0f).resample(in, grid, t);
		if (interpolation == Resampler.Interpolation.NEAREST && integral(out))
			VolumeIO.writeLabels(out, output);
		else
			VolumeIO.write(out, output);
	}

	private RegistrationResult register(final RegistrationSettings settings, final Volume fixed, final Volume moving, final Volume fixedMask,
			final Volume movingMask, final Path fixedFile, final Path movingFile) {
		try {
			return new AffineRegistration(settings, progress).register(fixed, moving, fixedMask, movingMask);
		} catch (final IllegalArgumentException e) {
			throw new IllegalArgumentException("Registering " + movingFile + " onto " + fixedFile + ": " + e.getMessage(), e);
		}
	}

	private void writeResult(final RegistrationResult r, final Volume fixed, final Volume moving, final Resampler.Interpolation interpolation,
			final Path outputDir) throws IOException {
		AtomicOutput.createFolder(outputDir);
		final Grid g = Grid.of(fixed);
		final int dim = r.twoD() && TransformFiles.isPlanar(r.transform(), g) ? 2 : 3;
		progress.report("Writing results", 0, 1);
		VolumeIO.write(new Resampler(interpolation, 0f).resample(moving, g, r.affine()), outputDir.resolve(ALIGNED));
		TransformFiles.writeItk(outputDir.resolve(ITK), r.transform(), dim);
		TransformFiles.writeElastix(outputDir.resolve(ELASTIX), r.transform(), g, interpolation, dim);
		AtomicOutput.writeString(outputDir.resolve(REPORT), r.toJson());
		progress.report("Writing results", 1, 1);
	}

	/** Label values chosen by value, or by name through a names file (names and regular expressions). */
	static List<Integer> labelValues(final Volume labels, final Path names, final List<String> chosen) throws IOException {
		final List<Integer> values = new ArrayList<>();
		final List<String> patterns = new ArrayList<>();
		for (final String c : chosen) {
			try {
				values.add(Integer.parseInt(c.trim()));
			} catch (final NumberFormatException e) {
				patterns.add(c.trim());
			}
		}
		if (!patterns.isEmpty()) {
			if (names == null)
				throw new IllegalArgumentException("Labels chosen by name (" + patterns + ") need a label names file (label_names)");
			final List<Integer> matched = Atlas.labelsMatching(AtlasFiles.readNames(names), patterns, "roi_labels");
			if (matched.isEmpty())
				throw new VolumeIOException(names, "no label name matches " + patterns);
			values.addAll(matched);
		}
		return values;
	}

	private static boolean isItk(final Path transform) throws IOException {
		if (!Files.exists(transform))
			throw new VolumeIOException(transform, "file not found");
		try (java.io.BufferedReader r = Files.newBufferedReader(transform)) {
			final String first = r.readLine();
			return first != null && first.stripLeading().startsWith("#Insight");
		}
	}

	private static boolean integral(final Volume v) {
		for (final float x : v.data())
			if (x != Math.rint(x) || x < Short.MIN_VALUE || x > Short.MAX_VALUE)
				return false;
		return true;
	}
}
