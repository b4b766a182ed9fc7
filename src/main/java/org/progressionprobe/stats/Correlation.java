package org.progressionprobe.stats;

import java.util.Collection;
import java.util.List;

/** Pearson's correlation, of paired values or pooled within groups. */
public final class Correlation {

	private Correlation() {}

	/** Pearson's r of paired values; NaN when either side does not vary. */
	public static double pearson(final double[] x, final double[] y) {
		if (x.length != y.length)
			throw new IllegalArgumentException("Pearson's r needs as many x as y values, got " + x.length + " and " + y.length);
		final List<double[]> pairs = new java.util.ArrayList<>();
		for (int i = 0; i < x.length; i++)
			pairs.add(new double[] { x[i], y[i] });
		return withinGroups(List.of(pairs));
	}

	/**
	 * Pearson's r of the (x, y) pairs of all groups, each group's pairs centred on the group's own
	 * means (groups of one pair add nothing); NaN when nothing varies. A y that follows each group's
	 * own x scores 1, whatever each group's offset; one constant within every group scores NaN.
	 */
	public static double withinGroups(final Collection<List<double[]>> groups) {
		double xx = 0, yy = 0, xy = 0;
		for (final List<double[]> g : groups) {
			if (g.size() < 2)
				continue;
			double mx = 0, my = 0;
			for (final double[] v : g) {
				mx += v[0] / g.size();
				my += v[1] / g.size();
			}
			for (final double[] v : g) {
				xx += (v[0] - mx) * (v[0] - mx);
				yy += (v[1] - my) * (v[1] - my);
				xy += (v[0] - mx) * (v[1] - my);
			}
		}
		return xx > 0 && yy > 0 ? xy / Math.sqrt(xx * yy) : Double.NaN;
	}
}
