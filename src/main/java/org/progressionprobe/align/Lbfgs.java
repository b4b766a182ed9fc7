package org.progressionprobe.align;

import java.util.ArrayDeque;
import java.util.Deque;
import java.util.Iterator;

import org.progressionprobe.command.Progress;

/**
 * Limited-memory BFGS minimisation with a backtracking (Armijo) line search, for the few scaled
 * parameters of an affine registration. Each step is capped so no parameter moves by more than
 * {@code maxStep}; the first step (and any restart) is steepest descent of length
 * {@code initialStep}. Convergence: a step that moves every parameter by less than
 * {@code tolerance} (in the scaled units, i.e. mm), or a steepest-descent line search that cannot
 * decrease the cost any further (the minimum at the metric's resolution). Otherwise the iteration
 * limit ends the search and the outcome says it did not converge.
 */
final class Lbfgs {

	/** A cost and its gradient; may return +infinity for a point that must not be taken. */
	@FunctionalInterface
	interface Cost {
		double value(double[] x, double[] gradient);
	}

	/** How a minimisation ended. */
	record Outcome(double[] x, double value, int iterations, boolean converged, String reason) {}

	private static final int MEMORY = 7;
	private static final double ARMIJO = 1e-4;

	private final int maxIterations;
	private final double tolerance, maxStep, initialStep;
	private final Progress progress;

	Lbfgs(final int maxIterations, final double tolerance, final double maxStep, final double initialStep, final Progress progress) {
		this.maxIterations = maxIterations;
		this.tolerance = tolerance;
		this.maxStep = maxStep;
		this.initialStep = initialStep;
		this.progress = progress;
	}

	/**
	 * Minimises from {@code x0}.
	 *
	 * @param step name of the step for progress reports
	 */
	Outcome minimise(final Cost cost, final double[] x0, final String step) {
		final int n = x0.length;
		double[] x = x0.clone();
		double[] g = new double[n];
		double fx = cost.value(x, g);
		if (!Double.isFinite(fx))
			throw new IllegalStateException("The starting point has no finite cost");
		final Deque<double[][]> memory = new ArrayDeque<>();
		final double[] xn = new double[n], gn = new double[n];
		for (int it = 1; it <= maxIterations; it++) {
			progress.checkCancelled();
			progress.report(step, it, maxIterations);
			double[] d = direction(g, memory);
			double gd = dot(g, d);
			if (memory.isEmpty() || !(gd < 0)) {
				memory.clear();
				d = steepest(g);
				gd = dot(g, d);
			}
			if (!(gd < 0))
				return new Outcome(x, fx, it - 1, true, "zero gradient");
			final double dmax = maxAbs(d);
			double alpha = Math.min(1, maxStep / dmax);
			boolean accepted = false;
			double fn = Double.NaN;
			while (alpha * dmax >= tolerance * 1e-2) {
				for (int i = 0; i < n; i++)
					xn[i] = x[i] + alpha * d[i];
				fn = cost.value(xn, gn);
				if (fn <= fx + ARMIJO * alpha * gd) {
					accepted = true;
					break;
				}
				// quadratic interpolation of the cost along d, kept within [0.1, 0.5] of the last step
				final double q = Double.isFinite(fn) ? -gd * alpha * alpha / (2 * (fn - fx - gd * alpha)) : 0.1 * alpha;
				alpha = Math.max(0.1 * alpha, Math.min(0.5 * alpha, q));
			}
			if (!accepted) {
				if (!memory.isEmpty()) {
					memory.clear();
					it--;
					continue;
				}
				return new Outcome(x, fx, it - 1, true, "no further decrease");
			}
			final double[] s = new double[n], y = new double[n];
			double sy = 0, ss = 0, yy = 0, stepMax = 0;
			for (int i = 0; i < n; i++) {
				s[i] = xn[i] - x[i];
				y[i] = gn[i] - g[i];
				sy += s[i] * y[i];
				ss += s[i] * s[i];
				yy += y[i] * y[i];
				stepMax = Math.max(stepMax, Math.abs(s[i]));
			}
			if (sy > 1e-12 * Math.sqrt(ss * yy)) {
				memory.addLast(new double[][] { s, y, { 1 / sy } });
				if (memory.size() > MEMORY)
					memory.removeFirst();
			}
			x = xn.clone();
			g = gn.clone();
			fx = fn;
			if (stepMax < tolerance)
				return new Outcome(x, fx, it, true, "step below tolerance");
		}
		return new Outcome(x, fx, maxIterations, false, "iteration limit");
	}

	private double[] steepest(final double[] g) {
		final double m = maxAbs(g);
		final double[] d = new double[g.length];
		if (m > 0)
			for (int i = 0; i < g.length; i++)
				d[i] = -g[i] * initialStep / m;
		return d;
	}

	/** -H g by the two-loop recursion. */
	private static double[] direction(final double[] g, final Deque<double[][]> memory) {
		final int n = g.length;
		final double[] q = new double[n];
		for (int i = 0; i < n; i++)
			q[i] = -g[i];
		if (memory.isEmpty())
			return q;
		final double[] alpha = new double[memory.size()];
		int k = memory.size() - 1;
		for (final Iterator<double[][]> it = memory.descendingIterator(); it.hasNext(); k--) {
			final double[][] e = it.next();
			alpha[k] = e[2][0] * dot(e[0], q);
			for (int i = 0; i < n; i++)
				q[i] -= alpha[k] * e[1][i];
		}
		final double[][] last = memory.peekLast();
		final double gamma = 1 / (last[2][0] * dot(last[1], last[1]));
		for (int i = 0; i < n; i++)
			q[i] *= gamma;
		k = 0;
		for (final double[][] e : memory) {
			final double beta = e[2][0] * dot(e[1], q);
			for (int i = 0; i < n; i++)
				q[i] += (alpha[k] - beta) * e[0][i];
			k++;
		}
		return q;
	}

	private static double dot(final double[] a, final double[] b) {
		double s = 0;
		for (int i = 0; i < a.length; i++)
			s += a[i] * b[i];
		return s;
	}

	private static double maxAbs(final double[] a) {
		double m = 0;
		for (final double v : a)
			m = Math.max(m, Math.abs(v));
		return m;
	}
}
