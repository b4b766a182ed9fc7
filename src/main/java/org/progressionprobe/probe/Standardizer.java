package org.progressionprobe.probe;

/**
 * Z-scoring of feature columns: subtract the mean, divide by the standard deviation (population,
 * as scikit-learn's StandardScaler). Fitted on training rows only, inside each fold, so that test
 * rows never inform the scaling. A column without spread keeps scale 1.
 *
 * @param mean per column
 * @param scale per column, positive
 */
public record Standardizer(double[] mean, double[] scale) {

	public Standardizer {
		if (mean.length != scale.length)
			throw new IllegalArgumentException(mean.length + " means for " + scale.length + " scales");
		for (final double s : scale)
			if (!(s > 0) || !Double.isFinite(s))
				throw new IllegalArgumentException("Scales must be positive and finite, got " + s);
		mean = mean.clone();
		scale = scale.clone();
	}

	/** Fits means and standard deviations to the given rows. */
	public static Standardizer fit(final double[][] x) {
		if (x.length == 0)
			throw new IllegalArgumentException("Cannot fit a standardizer to no rows");
		final int m = x[0].length;
		final double[] mean = new double[m];
		final double[] scale = new double[m];
		for (final double[] row : x)
			for (int j = 0; j < m; j++)
				mean[j] += row[j];
		for (int j = 0; j < m; j++)
			mean[j] /= x.length;
		for (final double[] row : x)
			for (int j = 0; j < m; j++) {
				final double d = row[j] - mean[j];
				scale[j] += d * d;
			}
		for (int j = 0; j < m; j++) {
			final double sd = Math.sqrt(scale[j] / x.length);
			scale[j] = sd > 1e-12 * Math.abs(mean[j]) && sd > Double.MIN_NORMAL ? sd : 1;
		}
		return new Standardizer(mean, scale);
	}

	/** The z-scored rows (a new array). */
	public double[][] apply(final double[][] x) {
		final double[][] z = new double[x.length][];
		for (int i = 0; i < x.length; i++) {
			if (x[i].length != mean.length)
				throw new IllegalArgumentException("Row " + i + " has " + x[i].length + " values, the standardizer " + mean.length);
			z[i] = new double[mean.length];
			for (int j = 0; j < mean.length; j++)
				z[i][j] = (x[i][j] - mean[j]) / scale[j];
		}
		return z;
	}

	@Override
	public double[] mean() {
		return mean.clone();
	}

	@Override
	public double[] scale() {
		return scale.clone();
	}

	public int size() {
		return mean.length;
	}
}
