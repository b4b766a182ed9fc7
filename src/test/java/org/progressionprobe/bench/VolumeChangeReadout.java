package org.progressionprobe.bench;

import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;

import org.progressionprobe.align.AtlasSource;
import org.progressionprobe.align.PairPreparation;
import org.progressionprobe.command.Progress;
import org.progressionprobe.features.model.FeatureSettings;
import org.progressionprobe.features.model.ModelCache;
import org.progressionprobe.features.model.ModelFeatures;
import org.progressionprobe.features.model.ModelPackage;
import org.progressionprobe.io.VolumeIO;
import org.progressionprobe.probe.Metric;
import org.progressionprobe.sim.CohortSimulator;
import org.progressionprobe.stats.Correlation;
import org.progressionprobe.table.FeatureTable;
import org.progressionprobe.volume.Atlas;
import org.progressionprobe.volume.ScanPair;
import org.progressionprobe.volume.Volume;

/**
 * Does a registration network read a subject's atrophy? On a simulated cohort, each pair prepared as
 * Run Study prepares it (alignment none / pair / atlas, crop to the hippocampi and amygdalae or not),
 * the network's {@code volume_change} output averaged inside the baseline's structures of interest
 * ({@code roi} pooling with their mask), against the simulator's true volume change there. Prints a
 * line per subject and: the correlation of predicted and true change across subjects, the AUC of the
 * predicted shrinkage for progressors, and both classes' mean prediction. A network that only knows
 * where volume usually changes predicts the same for every subject (correlation and AUC at chance),
 * however well its voxel figures look; Run Study's pooled features can then carry no progression.
 *
 * <pre>
 * scripts/bench/java.sh VolumeChangeReadout COHORT_DIR [MODEL=builtin-registration] [ALIGNMENT=pair] [CROP=on] [STRUCTURES=Hippocampus.*] [SUBJECTS=all]
 * </pre>
 *
 * COHORT_DIR is Simulate Cohort's output on a real template (its atlas files and {@code *_truth.csv}).
 */
public final class VolumeChangeReadout {

	private VolumeChangeReadout() {}

	public static void main(final String[] args) throws Exception {
		final Path cohort = Path.of(args[0]);
		final String model = args.length > 1 ? args[1] : "builtin-registration";
		final PairPreparation.Alignment alignment = PairPreparation.Alignment.valueOf((args.length > 2 ? args[2] : "pair").toUpperCase(Locale.ROOT));
		final boolean crop = !(args.length > 3 && args[3].equals("off"));
		final List<String> structures = List.of((args.length > 4 ? args[4] : "Hippocampus.*").split(","));
		final int subjects = args.length > 5 ? Integer.parseInt(args[5]) : Integer.MAX_VALUE;
		System.out.println("subject,label,true_log_volume_change,predicted_volume_change");
		final Result r = read(cohort, model, alignment, crop, structures, subjects, (subject, result) -> System.out.printf(Locale.ROOT, "%s,%d,%.4f,%.4f%n",
				subject, result.label[result.n - 1], result.truth[result.n - 1], result.predicted[result.n - 1]));
		System.out.printf(Locale.ROOT, "%s, %s%s, %s, %d subjects: r(true, predicted) %.2f, AUC of predicted shrinkage %.2f, mean predicted %.3f progressors / %.3f stable%n",
				model, alignment.key(), crop ? "-roi" : "", String.join(",", structures), r.n, r.correlation(), r.auc(), r.meanPredicted(1), r.meanPredicted(0));
	}

	/** Each subject's class, true and predicted log volume change of the structures (the first {@code n} entries). */
	public static final class Result {
		public final int[] label;
		public final double[] truth, predicted;
		public int n;

		Result(final int size) {
			label = new int[size];
			truth = new double[size];
			predicted = new double[size];
		}

		/** Pearson's r of true and predicted change. */
		public double correlation() {
			return Correlation.pearson(Arrays.copyOf(truth, n), Arrays.copyOf(predicted, n));
		}

		/** AUC of the predicted shrinkage for the progressors. */
		public double auc() {
			final double[] shrink = new double[n];
			for (int i = 0; i < n; i++)
				shrink[i] = -predicted[i];
			return Metric.auc(Arrays.copyOf(label, n), shrink);
		}

		/** Mean predicted change of one class. */
		public double meanPredicted(final int cls) {
			double sum = 0;
			int count = 0;
			for (int i = 0; i < n; i++)
				if (label[i] == cls) {
					sum += predicted[i];
					count++;
				}
			return sum / count;
		}
	}

	/**
	 * Reads the network's volume change of the structures in each of the cohort's first {@code subjects}
	 * pairs, prepared as Run Study prepares them; {@code each} sees the result after every subject.
	 */
	public static Result read(final Path cohort, final String model, final PairPreparation.Alignment alignment, final boolean crop,
			final List<String> structures, final int subjects, final java.util.function.BiConsumer<String, Result> each) throws Exception {
		final Atlas atlas = AtlasSource.simulated(cohort).load();
		PairPreparation.Settings s = PairPreparation.Settings.of(alignment);
		if (crop)
			s = s.withRoi(List.of("Hippocampus.*", "Amygdala.*"), 10);
		final PairPreparation preparation = new PairPreparation(s, atlas, Progress.NONE);
		final List<Integer> inside = Atlas.labelsMatching(atlas.names(), structures);
		final FeatureTable pairs = FeatureTable.read(cohort.resolve(CohortSimulator.COHORT));
		final Result r = new Result(Math.min(pairs.rowCount(), subjects));
		final FeatureSettings fs = FeatureSettings.parse("volume_change", "roi", FeatureSettings.DEFAULT_GRID, null, null, null, ModelCache.models());
		try (ModelFeatures features = new ModelFeatures(ModelPackage.open(Path.of(model), fs.unpackRoot()), fs)) {
			for (int i = 0; i < r.label.length; i++) {
				final String subject = pairs.text(i, "subject");
				r.label[i] = (int) pairs.number(i, "label");
				r.truth[i] = trueLogChange(cohort.resolve(subject + "_truth.csv"), atlas, inside);
				final ScanPair p = preparation.prepare(subject, VolumeIO.read(cohort.resolve(subject + "_baseline.nii.gz")),
						VolumeIO.read(cohort.resolve(subject + "_followup.nii.gz")));
				final Volume labels = p.labels() != null ? p.labels() : VolumeIO.read(cohort.resolve(subject + "_baseline_labels.nii.gz"));
				final float[] m = labels.data().clone();
				for (int k = 0; k < m.length; k++)
					m[k] = inside.contains((int) m[k]) ? 1 : 0;
				r.predicted[i] = features.compute(p.baseline(), p.followup(), labels.withData(m)).get(0);
				r.n = i + 1;
				each.accept(subject, r);
			}
		}
		return r;
	}

	/** The true log volume change of the structures, from the simulator's per-region percentages weighted by baseline volume. */
	private static double trueLogChange(final Path truthFile, final Atlas atlas, final List<Integer> structures) throws Exception {
		final FeatureTable t = FeatureTable.read(truthFile);
		double before = 0, after = 0;
		for (final int v : structures) {
			final String name = atlas.names().get(v);
			final double volume = t.number(0, "baseline_volume_mm3_" + name);
			before += volume;
			after += volume * (1 + t.number(0, "volume_change_percent_" + name) / 100);
		}
		return Math.log(after / before);
	}
}
