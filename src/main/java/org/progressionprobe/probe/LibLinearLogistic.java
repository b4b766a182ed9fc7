package org.progressionprobe.probe;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import org.tribuo.Example;
import org.tribuo.ImmutableOutputInfo;
import org.tribuo.Model;
import org.tribuo.MutableDataset;
import org.tribuo.Prediction;
import org.tribuo.classification.Label;
import org.tribuo.classification.LabelFactory;
import org.tribuo.classification.liblinear.LibLinearClassificationModel;
import org.tribuo.classification.liblinear.LibLinearClassificationTrainer;
import org.tribuo.classification.liblinear.LinearClassificationType;
import org.tribuo.impl.ArrayExample;
import org.tribuo.provenance.SimpleDataSourceProvenance;

import com.oracle.labs.mlrg.olcut.provenance.Provenance;

import de.bwaldvogel.liblinear.Parameter;

/**
 * Tribuo's LibLinear L2-regularised logistic regression (L2R_LR) on z-scored rows, with balanced
 * class weights (n / (2 n_class), scikit-learn's {@code class_weight="balanced"}) and an
 * intercept that is not penalised (LibLinear's {@code regularize_bias = false}; Tribuo would
 * penalise it like a weight, which pulls the intercept towards 0 and, through it, the weights away
 * from scikit-learn's). The classes are Tribuo labels "0" and "1".
 */
final class LibLinearLogistic {

	static final String POSITIVE = "1";
	static final String NEGATIVE = "0";
	private static final int MAX_ITERATIONS = 1000;
	private static final LabelFactory LABELS = new LabelFactory();

	private LibLinearLogistic() {}

	/** Training rows as a Tribuo dataset with their balanced class weights; train several models on it (e.g. a grid of C). */
	static final class Rows {
		private final MutableDataset<Label> dataset;
		private final Map<Label, Float> weights;

		/**
		 * @param z z-scored rows
		 * @param labels 0/1 per row, both classes present
		 * @param names feature names, one per column
		 * @param description what the rows are (dataset provenance)
		 */
		Rows(final double[][] z, final int[] labels, final List<String> names, final String description) {
			int positives = 0;
			for (final int l : labels)
				positives += l;
			final int negatives = labels.length - positives;
			if (positives == 0 || negatives == 0)
				throw new IllegalArgumentException("Training rows need both classes; got " + positives + " of class 1 and " + negatives + " of class 0");
			final String[] featureNames = names.toArray(new String[0]);
			dataset = new MutableDataset<>(new SimpleDataSourceProvenance(description, LABELS), LABELS);
			for (int i = 0; i < z.length; i++)
				dataset.add(new ArrayExample<>(new Label(labels[i] == 1 ? POSITIVE : NEGATIVE), featureNames, z[i]));
			weights = Map.of(new Label(POSITIVE), (float) (labels.length / (2.0 * positives)), new Label(NEGATIVE),
					(float) (labels.length / (2.0 * negatives)));
		}

		/**
		 * Trains a model on these rows.
		 *
		 * @param c inverse regularisation strength
		 * @param tolerance LibLinear's termination criterion
		 * @param instance extra provenance stored in the model
		 */
		LibLinearClassificationModel train(final double c, final double tolerance, final Map<String, Provenance> instance) {
			final LibLinearClassificationTrainer trainer = new UnpenalisedInterceptTrainer(c, tolerance);
			trainer.setLabelWeights(weights);
			return (LibLinearClassificationModel) trainer.train(dataset, instance);
		}
	}

	/** Trains a model on z-scored rows; see {@link Rows}. */
	static LibLinearClassificationModel train(final double[][] z, final int[] labels, final List<String> names, final double c,
			final double tolerance, final String description, final Map<String, Provenance> instance) {
		return new Rows(z, labels, names, description).train(c, tolerance, instance);
	}

	/** Tribuo's L2R_LR trainer with LibLinear's bias left out of the penalty. */
	static final class UnpenalisedInterceptTrainer extends LibLinearClassificationTrainer {

		UnpenalisedInterceptTrainer(final double c, final double tolerance) {
			super(new LinearClassificationType(LinearClassificationType.LinearType.L2R_LR), c, MAX_ITERATIONS, tolerance);
		}

		@Override
		protected Parameter setupParameters(final ImmutableOutputInfo<Label> info) {
			final Parameter p = super.setupParameters(info).clone();
			p.setRegularizeBias(false);
			p.setMaxIters(MAX_ITERATIONS);
			return p;
		}
	}

	/** The probability of class 1 for each z-scored row. */
	static double[] probabilities(final Model<Label> model, final double[][] z, final List<String> names) {
		final String[] featureNames = names.toArray(new String[0]);
		final List<Example<Label>> examples = new ArrayList<>(z.length);
		for (final double[] row : z)
			examples.add(new ArrayExample<>(LabelFactory.UNKNOWN_LABEL, featureNames, row));
		final List<Prediction<Label>> predictions = model.predict(examples);
		final double[] p = new double[z.length];
		for (int i = 0; i < p.length; i++) {
			final Label score = predictions.get(i).getOutputScores().get(POSITIVE);
			if (score == null)
				throw new IllegalStateException("The model gives no score for class " + POSITIVE + ": " + predictions.get(i).getOutputScores());
			p[i] = score.getScore();
		}
		return p;
	}

	/**
	 * The weights on z-scored features towards class 1, in the order of {@code names}, followed by
	 * the intercept.
	 */
	static double[] weights(final LibLinearClassificationModel model, final List<String> names) {
		final de.bwaldvogel.liblinear.Model inner = model.getInnerModels().get(0);
		final double[] w = inner.getFeatureWeights();
		final int[] labels = inner.getLabels();
		final boolean firstIsPositive = model.getOutputIDInfo().getOutput(labels[0]).getLabel().equals(POSITIVE);
		final double sign = firstIsPositive ? 1 : -1;
		final double[] out = new double[names.size() + 1];
		for (int j = 0; j < names.size(); j++) {
			final int id = model.getFeatureIDMap().getID(names.get(j));
			if (id < 0)
				throw new IllegalStateException("The model has no feature " + names.get(j));
			out[j] = sign * w[id];
		}
		out[names.size()] = sign * w[inner.getNrFeature()];
		return out;
	}
}
