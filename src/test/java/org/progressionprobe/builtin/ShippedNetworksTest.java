package org.progressionprobe.builtin;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.progressionprobe.command.Progress;
import org.progressionprobe.features.model.ModelPackage;
import org.progressionprobe.testing.SharedData;
import org.tensorflow.Result;
import org.tensorflow.SavedModelBundle;
import org.tensorflow.ndarray.NdArrays;
import org.tensorflow.ndarray.Shape;
import org.tensorflow.ndarray.buffer.DataBuffers;
import org.tensorflow.types.TFloat32;

/**
 * The shipped networks on subjects neither their training nor their reported held-out figures
 * saw (a seed of their own, with the settings the package records: simulated from Colin27 and AAL,
 * found in {@code ../shared/data/template}, skipped when absent): what they learnt carries over to
 * new heads, and the registration network's volume change reads a cohort's atrophy. A short training
 * run in a test cannot show that for the registration network, which needs thousands of steps.
 */
class ShippedNetworksTest {

	/** Seed of the fresh subjects: its held-out stream is neither the training's nor its held-out's. */
	private static final long FRESH_SEED = 991;

	@TempDir
	Path tmp;

	/**
	 * The registration network is a specialist of the study's crop (nine in ten of its training
	 * views are ROI crops): there its volume change follows the truth voxel by voxel (0.84 when
	 * measured on these subjects), and its global affine field (the affine part of a motion head's
	 * field, trained on the target's affine part) has learnt the head motion: end-point error 1.52 mm
	 * against 5.08 mm for no displacement (70% below; 69% on its own held-out subjects; the network
	 * before came within 8%); on whole views 5.08 against 6.25 mm (19% below). In crops already
	 * aligned it invents about a millimetre of motion (1.07 mm against 0.26 mm), which the assertion
	 * bounds to half of the crop's 2.5 mm input voxel; the volume change, from the local field
	 * alone, does not see it.
	 */
	@Test
	void registrationFindsVolumeChangeAndTheMotionInNewCrops() throws Exception {
		final Map<String, Double> m = evaluate("builtin-registration");
		assertTrue(m.get("roi_volume_change_r") > 0.6, "volume change in ROI crops follows the truth: " + m);
		assertTrue(m.get("roi_aligned_volume_change_r") > 0.6, "volume change in aligned ROI crops follows the truth: " + m);
		assertTrue(m.get("roi_epe_mm") < 0.5 * m.get("roi_epe_zero_displacement_mm"), "the motion learnt: end-point error in ROI crops: " + m);
		assertTrue(m.get("epe_mm") < 0.9 * m.get("epe_zero_displacement_mm"), "some motion learnt: end-point error in whole views: " + m);
		assertTrue(m.get("roi_aligned_epe_mm") < 1.25, "less than half an input voxel of the crop of motion invented in aligned crops: " + m);
	}

	/**
	 * What a probe needs from it: on a cohort simulated as a user would (Simulate Cohort from Colin27 +
	 * AAL at 3 mm, progressors losing 10% of hippocampus and amygdala, stable subjects 1%, heads moved
	 * between the visits; the AAL atlas's own labels and fill, not the training's classes), each
	 * pair prepared as Run Study's pair-aligned crop, the network's volume change averaged in the
	 * hippocampi follows the true change (r 0.51 when measured, AUC 0.83; the one before it, with a
	 * global field linear in its features, 0.41 and 0.74; the one before that, without a global field,
	 * 0.50 and 0.81; an earlier one, which predicted every
	 * hippocampus's usual shrinkage, 0.00 and 0.52; VolumeChangeReadout prints the same on any cohort).
	 */
	@Test
	void registrationReadsHippocampalAtrophyInACohort() throws Exception {
		final Path zip = shipped("builtin-registration");
		final Path template = SharedData.require("data/template/ch2bet.nii.gz"), atlas = SharedData.require("data/template/aal.nii.gz"),
				names = SharedData.require("data/template/aal.nii.txt");
		final org.progressionprobe.sim.SimulationSettings s = new org.progressionprobe.sim.SimulationSettings(READ_SUBJECTS, 23, 0.5, 10, 1,
				List.of("Hippocampus.*", "Amygdala.*"), org.progressionprobe.sim.SimulationSettings.DEFAULT_FILL_LABELS, 5, 5, 0.03, 0.1, 3, 3, template, atlas,
				names, true, false, false);
		new org.progressionprobe.sim.CohortSimulator(s, Progress.NONE).run(tmp.resolve("cohort"));
		final org.progressionprobe.bench.VolumeChangeReadout.Result r = org.progressionprobe.bench.VolumeChangeReadout.read(tmp.resolve("cohort"),
				zip.toString(), org.progressionprobe.align.PairPreparation.Alignment.PAIR, true, List.of("Hippocampus.*"), READ_SUBJECTS, (id, x) -> {});
		System.out.printf("builtin-registration reads hippocampal change in %d pair-aligned crops: r %.2f, AUC %.2f, mean %.3f progressors / %.3f stable%n",
				r.n, r.correlation(), r.auc(), r.meanPredicted(1), r.meanPredicted(0));
		assertTrue(r.correlation() > 0.25, "predicted follows true hippocampal change: r " + r.correlation());
		assertTrue(r.auc() > 0.65, "progressors shrink more: AUC " + r.auc());
	}

	/** Subjects of the cohort the registration network's reading is checked on. */
	private static final int READ_SUBJECTS = 24;

	/**
	 * Real-anatomy subjects (Colin27 + AAL, as the package was trained): in the study's crop the
	 * hippocampi and amygdalae at 0.77-0.83 when measured, the crop's mean 0.81; whole views 0.58.
	 */
	@Test
	void unetSegmentsTheDeepStructuresOfNewScans() throws Exception {
		final Map<String, Double> m = evaluate("builtin-unet");
		assertTrue(m.get("roi_dice_mean") > 0.7, "mean Dice in ROI crops: " + m);
		for (final String label : List.of("Hippocampus_L", "Hippocampus_R", "Amygdala_L", "Amygdala_R"))
			assertTrue(m.get("roi_dice_" + label) > 0.65, label + " Dice in ROI crops: " + m);
		assertTrue(m.get("dice_mean") > 0.45, "mean Dice on whole views: " + m);
	}

	/** The shipped package {@code name} copied out of the plugin into the test's folder. */
	private Path shipped(final String name) throws java.io.IOException {
		final Path zip = tmp.resolve(name + ".zip");
		try (InputStream in = ShippedNetworksTest.class.getResourceAsStream("/org/progressionprobe/builtin/" + name + ".zip")) {
			Files.copy(in, zip);
		}
		return zip;
	}

	/** The package's held-out figures on three fresh subjects, from its exported outputs. */
	private Map<String, Double> evaluate(final String name) throws Exception {
		final ModelPackage p = ModelPackage.open(shipped(name), tmp.resolve("cache"));
		final TrainingSettings s = onThisMachine(TrainingSettings.read(p.folder().resolve("training_settings.txt"))).withSeed(FRESH_SEED).withHeldOut(3);
		assertEquals(name, "builtin-" + s.network());
		final BuiltinTask task = NetworkTrainer.task(s);
		final List<BuiltinTask.Sample> samples = new ArrayList<>();
		final List<float[]> heads = new ArrayList<>();
		try (SavedModelBundle model = SavedModelBundle.load(p.folder().resolve("saved_model").toString(), SavedModelBundle.DEFAULT_TAG)) {
			for (final TrainingSubject subject : TrainingSubject.simulate(s, true, tmp.resolve("subjects"), Progress.NONE))
				for (final BuiltinTask.Sample sample : task.evaluationSamples(subject)) {
					samples.add(sample);
					heads.add(head(model, task, sample, s.inputSize()));
				}
		}
		final LinkedHashMap<String, Double> m = task.evaluate(heads, samples);
		System.out.println(name + " on three fresh subjects: " + m);
		assertTrue(m.size() > 4, m.toString());
		return m;
	}

	/**
	 * A package's settings with its template files found in {@code ../shared/data/template} by name
	 * (the test skips when they are absent there, fails in CI); the phantom's settings unchanged.
	 */
	static TrainingSettings onThisMachine(final TrainingSettings s) {
		if (s.phantom())
			return s;
		return s.withTemplate(SharedData.require("data/template/" + s.template().getFileName()), SharedData.require("data/template/" + s.atlas().getFileName()),
				SharedData.require("data/template/" + s.atlasNames().getFileName()));
	}

	/** What the task evaluates (channels last) from the exported outputs: logits, or the displacement (voxels) unscaled and the volume change. */
	private static float[] head(final SavedModelBundle model, final BuiltinTask task, final BuiltinTask.Sample sample, final int[] zyx) {
		final int voxels = zyx[0] * zyx[1] * zyx[2], cin = sample.input().length;
		final float[] in = new float[voxels * cin];
		NetworkTrainer.interleave(sample.input(), in, 0);
		try (TFloat32 x = TFloat32.tensorOf(Shape.of(1, zyx[0], zyx[1], zyx[2], cin), DataBuffers.of(in, true, false));
				Result r = model.function("serving_default").call(Map.of(task.inputName(), x))) {
			if (task instanceof TaskUNet)
				return values(r, "logits");
			final float[] u = values(r, "displacement"), change = values(r, "volume_change");
			final float[] h = new float[4 * voxels];
			for (int i = 0; i < voxels; i++) {
				for (int k = 0; k < 3; k++)
					h[i * 4 + k] = u[i * 3 + k] / RegistrationNet.SCALE_VOXELS;
				h[i * 4 + 3] = change[i];
			}
			return h;
		}
	}

	private static float[] values(final Result r, final String output) {
		final TFloat32 t = (TFloat32) r.get(output).orElseThrow(() -> new AssertionError("no output " + output + " in " + r.keySet()));
		final float[] v = new float[Math.toIntExact(t.shape().size())];
		t.copyTo(NdArrays.wrap(t.shape(), DataBuffers.of(v, false, false)));
		return v;
	}
}
