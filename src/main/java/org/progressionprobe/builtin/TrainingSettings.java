package org.progressionprobe.builtin;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

import org.progressionprobe.command.ParameterError;
import org.progressionprobe.command.ParameterValues;
import org.progressionprobe.sim.PhantomAtlas;
import org.progressionprobe.sim.SimulationSettings;

/**
 * Everything that determines a built-in network's training run; names follow the command's keys,
 * and a value out of range is an error naming the key.
 *
 * @param network which network: {@code unet} (task UNet) or {@code registration}
 * @param seed master seed: simulated subjects (seeds of their own, {@link #TRAINING_SUBJECTS_STREAM}), initial weights and the order of samples
 * @param steps optimiser steps
 * @param batch samples per step
 * @param subjects simulated training subjects
 * @param heldOut simulated held-out subjects (another seed) for the reported figures
 * @param voxelSizeMm voxel size of the simulated phantom scans
 * @param channels channels of the first level (doubling per level)
 * @param levels resolution levels of the UNet
 * @param inputSize network input, z, y, x (each divisible by 2^(levels-1))
 * @param learningRate Adam's initial step size (cosine decay to 5% of it)
 * @param maxRotationDeg largest random head rotation (per axis) of the training views, between the simulated scans and, for the
 *        registration network, of each training view's follow-up ({@link SampleView#moved})
 * @param maxShiftMm largest random head shift (per axis), likewise
 * @param roiViews share of the training views that are ROI crops ({@link SampleView#training}); near 1 a specialist of the deep structures
 * @param alignedViews registration network: share of the training views whose follow-up is seen aligned to the baseline but for a residual
 *        motion ({@link SampleView#alignedTo}), as pair or atlas alignment hands pairs over; the others see it moved at random
 * @param regionalWeight registration network: weight of the error of each class's mean volume change in a view, next to the voxels' errors
 *        (0: voxels only), so that reading a subject's change counts more than knowing where change usually is
 * @param volumeWeight registration network: weight of the volume-change error next to the three displacement errors
 * @param motionFirst registration network: share of the steps, at the start, trained on the displacement alone (volume-change weight 0), so
 *        that the head motion is learnt before the volume change, whose error penalises every non-rigid flaw of a motion estimate
 * @param globalMotion registration network: whether its head adds a global affine field to the local one ({@link UNet3D#globalAffine}: the
 *        affine part of a motion head's field), the head motion, whose Jacobian the volume change does not see vary; packages trained
 *        before 2026-12-07 (third session) with it had another global field, linear in the bottleneck's features (commit ca7d43c)
 * @param splitMotion registration network with the global field: whether the displacement's error is split, the global field against the
 *        target's affine part (its least-squares fit over the view: the head motion) and the local field against the rest (the anatomy's
 *        change), so that the local field, whose Jacobian is the volume change, is never asked to hold motion; otherwise the sum of both
 *        fields against the whole target
 * @param template a real template the subjects are simulated from, or null for the phantom
 * @param atlas its label image (AAL's names), or null
 * @param atlasNames its label names ({@code value name} lines), or null
 * @param threads TensorFlow's intra- and inter-op threads: 0 all cores, 1 a single thread for bit-identical reruns
 */
public record TrainingSettings(String network, long seed, int steps, int batch, int subjects, int heldOut, double voxelSizeMm, int channels,
		int levels, int[] inputSize, double learningRate, double maxRotationDeg, double maxShiftMm, double roiViews, double alignedViews, double regionalWeight,
		double volumeWeight, double motionFirst, boolean globalMotion, boolean splitMotion, Path template, Path atlas,
		Path atlasNames, int threads) {

	/** The phantom's settings (no template). */
	public TrainingSettings(final String network, final long seed, final int steps, final int batch, final int subjects, final int heldOut,
			final double voxelSizeMm, final int channels, final int levels, final int[] inputSize, final double learningRate, final double maxRotationDeg,
			final double maxShiftMm, final double roiViews) {
		this(network, seed, steps, batch, subjects, heldOut, voxelSizeMm, channels, levels, inputSize, learningRate, maxRotationDeg, maxShiftMm, roiViews,
				0, 0, RegistrationNet.VOLUME_WEIGHT, 0, false, false, null, null, null, 0);
	}

	/** The labels that shrink in the training subjects of the registration network: more than the study's, to show it local volume change. */
	static final List<String> REGISTRATION_ATROPHY_LABELS = List.of("Hippocampus.*", "Amygdala.*", "Thalamus.*", "Caudate.*", "Putamen.*");

	public TrainingSettings {
		network = network == null ? "" : network.trim().toLowerCase(Locale.ROOT);
		check(network.equals("unet") || network.equals("registration"), "network", "must be unet or registration", network);
		check(steps >= 1 && steps <= 1_000_000, "steps", "must be between 1 and 1000000", steps);
		check(batch >= 1 && batch <= 64, "batch", "must be between 1 and 64", batch);
		check(subjects >= 1 && subjects <= 10000, "subjects", "must be between 1 and 10000", subjects);
		check(heldOut >= 1 && heldOut <= 1000, "held_out", "must be between 1 and 1000", heldOut);
		check(voxelSizeMm >= 1 && voxelSizeMm <= 10, "voxel_size_mm", "must be between 1 and 10", voxelSizeMm);
		check(channels >= 1 && channels <= 64, "channels", "must be between 1 and 64", channels);
		check(levels >= 2 && levels <= 4, "levels", "must be between 2 and 4", levels);
		check(inputSize != null && inputSize.length == 3, "input_size", "must be three sizes z,y,x", inputSize == null ? "nothing" : inputSize.length + " sizes");
		inputSize = inputSize.clone();
		final int f = 1 << (levels - 1);
		for (final int s : inputSize)
			check(s >= f && s % f == 0 && s <= 256, "input_size", "must be sizes up to 256 divisible by " + f + " (2^(levels-1))", s);
		check(learningRate > 0 && learningRate <= 0.1, "learning_rate", "must be in (0, 0.1]", learningRate);
		check(maxRotationDeg >= 0 && maxRotationDeg <= 30, "max_rotation_deg", "must be between 0 and 30", maxRotationDeg);
		check(maxShiftMm >= 0 && maxShiftMm <= 50, "max_shift_mm", "must be between 0 and 50", maxShiftMm);
		check(roiViews >= 0 && roiViews <= 1, "roi_views", "must be between 0 and 1", roiViews);
		check(alignedViews >= 0 && alignedViews <= 1, "aligned_views", "must be between 0 and 1", alignedViews);
		check(regionalWeight >= 0 && regionalWeight <= 100, "regional_weight", "must be between 0 and 100", regionalWeight);
		check(volumeWeight >= 0 && volumeWeight <= 100, "volume_weight", "must be between 0 and 100", volumeWeight);
		check(motionFirst >= 0 && motionFirst < 1, "motion_first", "must be at least 0 and below 1", motionFirst);
		check(threads >= 0 && threads <= 1024, "threads", "must be between 0 (all cores) and 1024", threads);
		final int given = (template != null ? 1 : 0) + (atlas != null ? 1 : 0) + (atlasNames != null ? 1 : 0);
		if (given != 0 && given != 3)
			throw new IllegalArgumentException("template, atlas and atlas_names go together: give all three files or none (the phantom)");
	}

	/** True when the subjects are simulated from the phantom. */
	public boolean phantom() {
		return template == null;
	}

	/**
	 * The classes the subjects' label maps hold (value to name): the phantom's labels, or the
	 * {@link TrainingAtlas} classes of a real atlas.
	 */
	Map<Integer, String> classNames() {
		return phantom() ? PhantomAtlas.NAMES : TrainingAtlas.CLASS_NAMES;
	}

	private static void check(final boolean ok, final String key, final String rule, final Object value) {
		if (!ok)
			throw new IllegalArgumentException(key + " " + rule + ", got " + value);
	}

	public boolean unet() {
		return network.equals("unet");
	}

	/**
	 * Offset of the training subjects' master seed from {@code seed}: a stream of their own, so that
	 * no cohort simulated with a small seed (Simulate Cohort's and the demo's default is 1) shares
	 * their anatomy and a network is never evaluated on the heads it was trained on.
	 */
	static final long TRAINING_SUBJECTS_STREAM = 0x6A09E667F3BCC909L;

	/**
	 * The simulated training (or held-out) subjects: phantom or template at the voxel size, motion
	 * within the limits; from a template, lost volume goes to the unlabelled brain (white matter,
	 * ventricles). The registration network's structures each lose between 0 and 30%, drawn on their
	 * own (so that only a structure itself shows how much it changed, not its neighbours or the
	 * subject's class). The template's files are the user's; training simulates from its
	 * {@link TrainingAtlas} classes.
	 */
	SimulationSettings simulation(final boolean heldOutSubjects) {
		final SimulationSettings d = SimulationSettings.defaults();
		final long s = heldOutSubjects ? seed * 7919 + 104729 : seed + TRAINING_SUBJECTS_STREAM;
		final SimulationSettings sim = new SimulationSettings(heldOutSubjects ? heldOut : subjects, s, 0.5, unet() ? d.atrophyPercent() : 20, unet() ? d.ageingPercent() : 5,
				unet() ? List.of() : REGISTRATION_ATROPHY_LABELS, phantom() ? d.fillLabels() : List.of(TrainingAtlas.OTHER_BRAIN), maxRotationDeg,
				maxShiftMm, d.noise(), d.bias(), d.anatomyMm(), voxelSizeMm, template, atlas, atlasNames, true, true, false);
		return unet() ? sim : sim.withIndependentAtrophy();
	}

	/** The settings as key: value lines, in the command's key names. */
	public Map<String, String> describe() {
		final Map<String, String> m = new LinkedHashMap<>();
		m.put("network", network);
		m.put("seed", Long.toString(seed));
		m.put("steps", Integer.toString(steps));
		m.put("batch", Integer.toString(batch));
		m.put("subjects", Integer.toString(subjects));
		m.put("held_out", Integer.toString(heldOut));
		m.put("voxel_size_mm", Double.toString(voxelSizeMm));
		m.put("channels", Integer.toString(channels));
		m.put("levels", Integer.toString(levels));
		m.put("input_size", inputSize[0] + "," + inputSize[1] + "," + inputSize[2]);
		m.put("learning_rate", Double.toString(learningRate));
		m.put("max_rotation_deg", Double.toString(maxRotationDeg));
		m.put("max_shift_mm", Double.toString(maxShiftMm));
		m.put("roi_views", Double.toString(roiViews));
		m.put("aligned_views", Double.toString(alignedViews));
		m.put("regional_weight", Double.toString(regionalWeight));
		m.put("volume_weight", Double.toString(volumeWeight));
		m.put("motion_first", Double.toString(motionFirst));
		m.put("global_motion", Boolean.toString(globalMotion));
		m.put("split_motion", Boolean.toString(splitMotion));
		m.put("template", phantom() ? PHANTOM : template.toString());
		m.put("atlas", phantom() ? PHANTOM : atlas.toString());
		m.put("atlas_names", phantom() ? PHANTOM : atlasNames.toString());
		m.put("threads", Integer.toString(threads));
		return m;
	}

	/**
	 * The settings a package's {@code training_settings.txt} records (the {@link #describe()} lines;
	 * comments and the simulation's lines are skipped), so that a shipped network can be evaluated on
	 * the kind of subjects it was trained for.
	 */
	public static TrainingSettings read(final Path settingsFile) throws IOException {
		final Map<String, String> keys = new HashMap<>();
		for (final String line : Files.readAllLines(settingsFile)) {
			final int colon = line.indexOf(':');
			if (!line.startsWith("#") && colon > 0)
				keys.put(line.substring(0, colon).trim(), line.substring(colon + 1).trim());
		}
		try {
			return new TrainingSettings(required(keys, "network"), Long.parseLong(required(keys, "seed")), Integer.parseInt(required(keys, "steps")),
					Integer.parseInt(required(keys, "batch")), Integer.parseInt(required(keys, "subjects")), Integer.parseInt(required(keys, "held_out")),
					Double.parseDouble(required(keys, "voxel_size_mm")), Integer.parseInt(required(keys, "channels")),
					Integer.parseInt(required(keys, "levels")), inputSize(required(keys, "input_size")), Double.parseDouble(required(keys, "learning_rate")),
					Double.parseDouble(required(keys, "max_rotation_deg")), Double.parseDouble(required(keys, "max_shift_mm")),
					Double.parseDouble(required(keys, "roi_views")), Double.parseDouble(keys.getOrDefault("aligned_views", "0")),
					Double.parseDouble(keys.getOrDefault("regional_weight", "0")),
					Double.parseDouble(keys.getOrDefault("volume_weight", Double.toString(RegistrationNet.VOLUME_WEIGHT_BEFORE_SETTING))),
					Double.parseDouble(keys.getOrDefault("motion_first", "0")), Boolean.parseBoolean(keys.getOrDefault("global_motion", "false")),
					Boolean.parseBoolean(keys.getOrDefault("split_motion", "false")), file(keys, "template"), file(keys, "atlas"), file(keys, "atlas_names"),
					Integer.parseInt(keys.getOrDefault("threads", "0")));
		} catch (final IllegalArgumentException | ParameterError e) {
			throw new IOException(settingsFile + ": " + e.getMessage(), e);
		}
	}

	/** What {@link #describe()} records for the three template files when the phantom is the template. */
	static final String PHANTOM = "phantom";

	/** A template file's path as recorded, or null for the phantom (also for packages written before templates). */
	private static Path file(final Map<String, String> keys, final String key) {
		final String v = keys.getOrDefault(key, PHANTOM);
		return v.equals(PHANTOM) ? null : Path.of(v);
	}

	private static String required(final Map<String, String> keys, final String key) {
		final String v = keys.get(key);
		if (v == null)
			throw new IllegalArgumentException("no " + key);
		return v;
	}

	/** Parses {@code input_size}: three whole numbers z,y,x ({@link ParameterValues#integers}); anything else is an error naming the key. */
	public static int[] inputSize(final String zyx) {
		return ParameterValues.integers("input_size", zyx, 3);
	}

	public TrainingSettings withSeed(final long s) {
		return new TrainingSettings(network, s, steps, batch, subjects, heldOut, voxelSizeMm, channels, levels, inputSize, learningRate, maxRotationDeg,
				maxShiftMm, roiViews, alignedViews, regionalWeight, volumeWeight, motionFirst, globalMotion, splitMotion, template, atlas, atlasNames, threads);
	}

	public TrainingSettings withHeldOut(final int n) {
		return new TrainingSettings(network, seed, steps, batch, subjects, n, voxelSizeMm, channels, levels, inputSize, learningRate, maxRotationDeg,
				maxShiftMm, roiViews, alignedViews, regionalWeight, volumeWeight, motionFirst, globalMotion, splitMotion, template, atlas, atlasNames, threads);
	}

	public TrainingSettings withSteps(final int n) {
		return new TrainingSettings(network, seed, n, batch, subjects, heldOut, voxelSizeMm, channels, levels, inputSize, learningRate, maxRotationDeg,
				maxShiftMm, roiViews, alignedViews, regionalWeight, volumeWeight, motionFirst, globalMotion, splitMotion, template, atlas, atlasNames, threads);
	}

	/** A copy with another template, atlas and names (all null: the phantom). */
	public TrainingSettings withTemplate(final Path t, final Path a, final Path names) {
		return new TrainingSettings(network, seed, steps, batch, subjects, heldOut, voxelSizeMm, channels, levels, inputSize, learningRate, maxRotationDeg,
				maxShiftMm, roiViews, alignedViews, regionalWeight, volumeWeight, motionFirst, globalMotion, splitMotion, t, a, names, threads);
	}

	/** A copy with another thread count (0: all cores). */
	public TrainingSettings withThreads(final int n) {
		return new TrainingSettings(network, seed, steps, batch, subjects, heldOut, voxelSizeMm, channels, levels, inputSize, learningRate, maxRotationDeg,
				maxShiftMm, roiViews, alignedViews, regionalWeight, volumeWeight, motionFirst, globalMotion, splitMotion, template, atlas, atlasNames, n);
	}
}
