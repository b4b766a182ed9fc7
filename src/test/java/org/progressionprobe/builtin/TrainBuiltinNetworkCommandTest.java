package org.progressionprobe.builtin;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.progressionprobe.command.CommandFailure;
import org.progressionprobe.command.Progress;
import org.progressionprobe.features.model.FeatureSettings;
import org.progressionprobe.features.model.ModelFeatures;
import org.progressionprobe.features.model.ModelPackage;
import org.progressionprobe.launcher.CommandRunner;
import org.progressionprobe.table.FeatureVector;
import org.progressionprobe.testing.SharedData;
import org.scijava.Context;

/**
 * "Train Built-in Network" retrains tiny versions of both networks (8 mm phantoms, 16^3 input, two
 * levels of 4 channels, a few dozen steps): each must learn (loss falls clearly; Dice above what
 * no segmentation gives, end-point error below that of a zero displacement), and the package it
 * writes must load through ModelPackage and give features through ModelFeatures.
 */
class TrainBuiltinNetworkCommandTest {

	private static Context context;

	@TempDir
	Path tmp;

	@BeforeAll
	static void start() {
		context = new Context();
	}

	@AfterAll
	static void stop() {
		context.dispose();
	}

	private Map<String, Object> train(final String network, final Path out, final int steps) {
		return train(network, out, steps, 0);
	}

	private Map<String, Object> train(final String network, final Path out, final int steps, final int threads) {
		return train(network, out, steps, threads, Map.of());
	}

	private Map<String, Object> train(final String network, final Path out, final int steps, final int threads, final Map<String, Object> more) {
		final Map<String, Object> in = new HashMap<>(Map.of("network", network, "output", out.toFile(), "subjects", 3, "held_out", 1, "steps", steps,
				"seed", 4, "voxel_size_mm", 8.0, "channels", 4, "levels", 2, "input_size", "16,16,16"));
		in.put("learning_rate", 5e-3);
		in.put("max_rotation_deg", 3.0);
		in.put("max_shift_mm", 8.0);
		in.put("threads", threads);
		in.putAll(more);
		return new CommandRunner(context).run(TrainBuiltinNetworkCommand.class, in);
	}

	private static Map<String, Double> metrics(final Path pkg) throws Exception {
		final Map<String, Double> m = new HashMap<>();
		for (final String line : Files.readAllLines(pkg.resolve("metrics.csv")).subList(1, Files.readAllLines(pkg.resolve("metrics.csv")).size())) {
			final String[] kv = line.split(",");
			m.put(kv[0], Double.parseDouble(kv[1]));
		}
		return m;
	}

	@Test
	void taskUNetLearnsAndItsPackageGivesFeatures() throws Exception {
		final Path out = tmp.resolve("unet");
		final String summary = (String) train("unet", out, 200).get("summary");
		assertTrue(summary.startsWith("builtin-unet: dice_mean"), summary);
		final Map<String, Double> m = metrics(out);
		assertTrue(m.get("loss_last_tenth") < 0.75 * m.get("loss_first_tenth"), "loss falls: " + m);
		// predicting background everywhere scores 0; white matter is large enough to learn in a couple of hundred steps at 8 mm,
		// where half the steps see ROI crops, as held out here (at 8 mm the whole view is 3-4 voxels of white matter across)
		assertTrue(m.get("roi_dice_mean") > 0.05, "Dice above chance: " + m);
		assertTrue(m.get("roi_dice_WhiteMatter_L") + m.get("roi_dice_WhiteMatter_R") > 2 * 0.3, "white matter Dice: " + m);
		final ModelPackage p = ModelPackage.open(out, tmp.resolve("cache"));
		assertEquals(List.of("enc1", "enc2", "dec1", "probabilities"), p.featureLayers());
		assertEquals("single", p.pairMode().toString());
		final List<TrainingSubject> s = TrainingSubject.simulate(new TrainingSettings("unet", 9, 1, 1, 1, 1, 8, 4, 2, new int[] { 16, 16, 16 }, 1e-3, 5, 5, 0.5)
				.simulation(false), tmp.resolve("sim"), Progress.NONE);
		try (ModelFeatures fx = new ModelFeatures(p, FeatureSettings.defaults().withUnpackRoot(tmp.resolve("cache")))) {
			final FeatureVector v = fx.compute(s.get(0).baseline(), s.get(0).followup());
			assertEquals(4 + 8 + 4 + (org.progressionprobe.sim.PhantomAtlas.NAMES.size() + 1), v.size());
			assertTrue(v.names().contains("probabilities_diff_gap_c14"), v.names().toString());
			assertEquals("TensorFlow", fx.provenance().get("engine"));
		}
	}

	@Test
	void registrationNetLearnsIntoAZip() throws Exception {
		final Path out = tmp.resolve("registration.zip");
		train("registration", out, 120, 0, Map.of("global_motion", false, "volume_weight", 10.0));
		final ModelPackage p = ModelPackage.open(out, tmp.resolve("cache"));
		final Map<String, Double> m = metrics(p.folder());
		// What a short run learns first is the head motion: the held-out end-point error falls clearly below a zero
		// displacement's (0.61-0.88 of it in eight runs with these subjects; TensorFlow's CPU kernels are not bitwise
		// reproducible). The per-step loss swings with each view's motion (0.1 to 1.9), so the loss is judged on the
		// mean of the first and last thirds of the run. With other seeds' subjects 120 or even 400 steps of this tiny
		// network at 8 mm do not always learn the motion; the shipped network's learning is checked by ShippedNetworksTest.
		// This run is of the local field alone with the volume change weighted 10 (an earlier shipped network): with the
		// global field linear in the features and the weight 2.5 (the defaults then), 120 steps at this learning rate learnt
		// motion in the crops (0.76 of zero's) but not on the whole view, and the loss, dominated by the swinging
		// displacement, did not fall yet; the defaults now (projected global field, split loss) were not measured at this size.
		assertTrue(m.get("epe_mm") < 0.95 * m.get("epe_zero_displacement_mm"), "end-point error below a zero displacement's: " + m);
		final double[] steps = m.entrySet().stream().filter(e -> e.getKey().startsWith("loss_step_"))
				.sorted(java.util.Comparator.comparingInt(e -> Integer.parseInt(e.getKey().substring("loss_step_".length()))))
				.mapToDouble(Map.Entry::getValue).toArray();
		final int third = steps.length / 3;
		final double first = java.util.Arrays.stream(steps, 0, third).average().orElseThrow();
		final double last = java.util.Arrays.stream(steps, steps.length - third, steps.length).average().orElseThrow();
		assertTrue(last < first, "loss falls: first third " + first + ", last third " + last + "; " + m);
		assertEquals(List.of("enc1", "enc2", "volume_change"), p.featureLayers());
		assertEquals("pair", p.pairMode().toString());
		final List<TrainingSubject> s = TrainingSubject.simulate(new TrainingSettings("registration", 9, 1, 1, 1, 1, 8, 4, 2, new int[] { 16, 16, 16 }, 1e-3,
				5, 5, 0.5).simulation(false), tmp.resolve("sim"), Progress.NONE);
		try (ModelFeatures fx = new ModelFeatures(p, FeatureSettings.defaults().withUnpackRoot(tmp.resolve("cache")))) {
			final FeatureVector v = fx.compute(s.get(0).baseline(), s.get(0).followup());
			assertEquals(4 + 8 + 1, v.size());
			for (int i = 0; i < v.size(); i++)
				assertTrue(Double.isFinite(v.get(i)));
		}
	}

	/**
	 * aligned_views and regional_weight reach the training and its record: with the same seed on one
	 * thread, the first step's loss (before any update) is the voxels' loss alone with weight 0 and
	 * grows by the regional term with weight 5; the held-out figures include the aligned ROI crop and
	 * the regional volume change; training_settings.txt reads back with both values.
	 */
	@Test
	void alignedViewsAndRegionalWeightReachTrainingAndItsRecord() throws Exception {
		final Path plain = tmp.resolve("plain"), regional = tmp.resolve("regional");
		train("registration", plain, 3, 1, Map.of("aligned_views", 0.5));
		train("registration", regional, 3, 1, Map.of("aligned_views", 0.5, "regional_weight", 5.0));
		final Map<String, Double> p = metrics(plain), r = metrics(regional);
		assertTrue(r.get("loss_step_1") > p.get("loss_step_1") * 1.001, "the regional term adds to the first step's loss: " + p.get("loss_step_1") + " vs "
				+ r.get("loss_step_1"));
		assertTrue(r.containsKey("roi_aligned_epe_mm") && r.containsKey("roi_regional_volume_change_r"), r.toString());
		final TrainingSettings read = TrainingSettings.read(regional.resolve("training_settings.txt"));
		assertEquals(0.5, read.alignedViews());
		assertEquals(5.0, read.regionalWeight());
	}

	/**
	 * With {@code motion_first} 0.5 of four steps, the first two train on the displacement alone: single
	 * threads, same seed, so their losses are those of a run with volume weight 0 (and the same
	 * weights reach step three); from step three on the volume change counts, so the loss differs.
	 */
	@Test
	void motionFirstTrainsTheDisplacementAloneAtFirst() throws Exception {
		final Path curriculum = tmp.resolve("curriculum"), motion = tmp.resolve("motion");
		train("registration", curriculum, 4, 1, Map.of("motion_first", 0.5, "volume_weight", 4.0));
		train("registration", motion, 4, 1, Map.of("volume_weight", 0.0));
		final Map<String, Double> c = metrics(curriculum), m = metrics(motion);
		for (final String step : List.of("loss_step_1", "loss_step_2"))
			assertEquals(m.get(step), c.get(step), 1e-5 * m.get(step), step + ": displacement alone");
		for (final String step : List.of("loss_step_3", "loss_step_4"))
			assertTrue(Math.abs(c.get(step) - m.get(step)) > 1e-3 * m.get(step), step + ": the volume change counts: " + c.get(step) + " vs " + m.get(step));
		final TrainingSettings read = TrainingSettings.read(curriculum.resolve("training_settings.txt"));
		assertEquals(0.5, read.motionFirst());
		assertEquals(4.0, read.volumeWeight());
		final CommandFailure bad = assertThrows(CommandFailure.class, () -> train("registration", tmp.resolve("never"), 4, 1, Map.of("motion_first", 1.0)));
		assertTrue(bad.getMessage().contains("motion_first") && bad.getMessage().contains("1.0"), bad.getMessage());
		assertFalse(Files.exists(tmp.resolve("never")));
	}

	/**
	 * {@code split_motion} (with the global field) trains on another loss, the global field held to
	 * the target's affine part and the local field to the rest ({@code GlobalMotionFieldTest} checks
	 * the loss itself), and the package records it.
	 */
	@Test
	void splitMotionTrainsOnTheSplitLossAndIsRecorded() throws Exception {
		final Path split = tmp.resolve("split"), joint = tmp.resolve("joint");
		train("registration", split, 2, 1, Map.of("split_motion", true));
		train("registration", joint, 2, 1, Map.of("split_motion", false));
		final double s = metrics(split).get("loss_step_1"), j = metrics(joint).get("loss_step_1");
		assertTrue(Math.abs(s - j) > 1e-3 * j, "the same first step, another loss: " + s + " vs " + j);
		assertTrue(TrainingSettings.read(split.resolve("training_settings.txt")).splitMotion());
		assertFalse(TrainingSettings.read(joint.resolve("training_settings.txt")).splitMotion());
	}

	/**
	 * On the real template (Colin27 with AAL, coarsened to 6 mm, a dozen steps): the package is
	 * written, loads, names the template in its metadata, and segments the AAL classes (background,
	 * other brain, other grey and the twelve deep structures) of a real-anatomy subject.
	 */
	@Test
	void trainsOnARealTemplate() throws Exception {
		final Path template = SharedData.require("data/template/ch2bet.nii.gz"), atlas = SharedData.require("data/template/aal.nii.gz"),
				names = SharedData.require("data/template/aal.nii.txt");
		final Path out = tmp.resolve("colin.zip");
		final Map<String, Object> in = new HashMap<>(Map.of("network", "unet", "output", out.toFile(), "subjects", 2, "held_out", 1, "steps", 12, "seed",
				4, "voxel_size_mm", 6.0, "channels", 4, "levels", 2, "input_size", "16,16,16"));
		in.put("template", template.toFile());
		in.put("atlas", atlas.toFile());
		in.put("atlas_names", names.toFile());
		final String summary = (String) new CommandRunner(context).run(TrainBuiltinNetworkCommand.class, in).get("summary");
		assertTrue(summary.startsWith("builtin-unet: dice_mean"), summary);
		final ModelPackage p = ModelPackage.open(out, tmp.resolve("cache"));
		final String rdf = Files.readString(p.folder().resolve("rdf.yaml"));
		assertTrue(rdf.contains("training_data: \"Simulate Cohort on template ch2bet.nii.gz with atlas aal.nii.gz"), rdf);
		final TrainingSettings read = TrainingSettings.read(p.folder().resolve("training_settings.txt"));
		assertEquals(template, read.template());
		assertEquals(names, read.atlasNames());
		assertTrue(metrics(p.folder()).containsKey("roi_dice_Hippocampus_L"), metrics(p.folder()).toString());
		final List<TrainingSubject> s = TrainingSubject.simulate(read.withHeldOut(1).simulation(true).withTemplate(null, null, null).withVoxelSize(8),
				tmp.resolve("sim"), Progress.NONE);
		try (ModelFeatures fx = new ModelFeatures(p, FeatureSettings.defaults().withUnpackRoot(tmp.resolve("cache")))) {
			final FeatureVector v = fx.compute(s.get(0).baseline(), s.get(0).followup());
			assertEquals(4 + 8 + 4 + TrainingAtlas.CLASS_NAMES.size() + 1, v.size());
		}
	}

	/**
	 * Two runs with {@code threads=1} and the same seed train bit-identical networks: the same loss
	 * curve and held-out figures in metrics.csv (all but the timings) and the same features of one
	 * subject from the exported SavedModels (their saved_model.pb bytes differ between runs, outside
	 * the weights). With {@code threads=0} (all cores) two such runs
	 * of this tiny network were also identical on the 2-core machine of this session (oneDNN on, loss
	 * of all 30 steps compared); kernels that split sums by thread count need not be on other
	 * machines, so only {@code threads=1} is asserted.
	 */
	@Test
	void singleThreadRerunsAreBitIdentical() throws Exception {
		final Path a = tmp.resolve("a"), b = tmp.resolve("b");
		train("unet", a, 30, 1);
		train("unet", b, 30, 1);
		assertEquals(withoutTimes(a), withoutTimes(b));
		assertEquals("threads: 1", Files.readAllLines(a.resolve("training_settings.txt")).stream().filter(l -> l.startsWith("threads:")).findFirst()
				.orElseThrow());
		final List<TrainingSubject> s = TrainingSubject.simulate(new TrainingSettings("unet", 9, 1, 1, 1, 1, 8, 4, 2, new int[] { 16, 16, 16 }, 1e-3, 5, 5, 0.5)
				.simulation(false), tmp.resolve("sim"), Progress.NONE);
		assertArrayEquals(features(a, s.get(0)), features(b, s.get(0)));
	}

	/** The package's features of one subject (the exported network's outputs on its scans). */
	private double[] features(final Path pkg, final TrainingSubject s) throws Exception {
		try (ModelFeatures fx = new ModelFeatures(ModelPackage.open(pkg, tmp.resolve("cache")), FeatureSettings.defaults().withUnpackRoot(tmp.resolve("cache")))) {
			final FeatureVector v = fx.compute(s.baseline(), s.followup());
			final double[] d = new double[v.size()];
			for (int i = 0; i < d.length; i++)
				d[i] = v.get(i);
			return d;
		}
	}

	/** metrics.csv's lines but the timings. */
	private static List<String> withoutTimes(final Path pkg) throws Exception {
		return Files.readAllLines(pkg.resolve("metrics.csv")).stream().filter(l -> !l.contains("_seconds,")).toList();
	}

	@Test
	void badSettingsNameTheKeyAndWriteNothing() {
		final Path out = tmp.resolve("bad.zip");
		final Map<String, Object> in = new HashMap<>(Map.of("network", "unet", "output", out.toFile(), "input_size", "15,16,16", "levels", 2));
		final CommandFailure f = assertThrows(CommandFailure.class, () -> new CommandRunner(context).run(TrainBuiltinNetworkCommand.class, in));
		assertTrue(f.getMessage().contains("input_size must be sizes up to 256 divisible by 2"), f.getMessage());
		in.put("input_size", "16,16,16");
		in.put("network", "segmenter");
		assertTrue(assertThrows(CommandFailure.class, () -> new CommandRunner(context).run(TrainBuiltinNetworkCommand.class, in)).getMessage()
				.contains("network must be unet or registration"));
		in.put("network", "unet");
		in.put("roi_views", 1.5);
		assertTrue(assertThrows(CommandFailure.class, () -> new CommandRunner(context).run(TrainBuiltinNetworkCommand.class, in)).getMessage()
				.contains("roi_views must be between 0 and 1, got 1.5"));
		in.put("roi_views", 0.5);
		in.put("threads", -1);
		final String threads = assertThrows(CommandFailure.class, () -> new CommandRunner(context).run(TrainBuiltinNetworkCommand.class, in)).getMessage();
		assertTrue(threads.contains("threads") && threads.contains("-1"), threads);
		assertFalse(Files.exists(out));
	}
}
