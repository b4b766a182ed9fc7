package org.progressionprobe.align;

import java.util.stream.IntStream;

import org.progressionprobe.align.RegistrationSettings.Metric;

/**
 * Evaluates a similarity metric and its analytic gradient for one pyramid level: fixed samples
 * against the moving image, through a 3x4 map {@code M} from sample positions (frame mm) to moving
 * voxel indices. The moving image is sampled trilinearly and its gradient is the exact gradient of
 * that interpolant. Samples that map outside the moving image or its mask do not count; when fewer
 * than the required fraction count, the cost is +infinity (an optimiser step there is rejected).
 * <p>
 * The cost is minimised: {@code -NCC}, or {@code -MI} for Mattes mutual information (cubic B-spline
 * Parzen window on the moving intensity, zero-order on the fixed, as in ITK and elastix). The
 * gradient is returned with respect to the 12 entries of M (row-major), so any transform model
 * can chain it. Samples are processed in fixed chunks on all cores and the partial sums are added
 * in chunk order: results are the same whatever the number of threads.
 */
final class MetricEvaluator {

	private static final int CHUNK = 4096;
	private static final double EDGE = 1e-6;

	private final SampleSet s;
	private final float[] mv;
	private final byte[] mmask;
	private final int nx, ny, nz, sy, sz;
	private final Metric metric;
	private final double minOverlap;
	private final int chunks;
	private final double fShift, mShift;

	// Mattes MI
	private final int bins;
	private final int[] fixedBin;
	private final double movingMin, movingBinWidth;
	private float[] mNorm, gx, gy, gz;

	private double lastOverlap;
	private double lastSimilarity;

	MetricEvaluator(final SampleSet samples, final PyramidLevel moving, final Metric metric, final int bins, final double minOverlap) {
		this.s = samples;
		this.mv = moving.image().data();
		this.mmask = moving.mask();
		this.nx = moving.image().nx();
		this.ny = moving.image().ny();
		this.nz = moving.image().nz();
		this.sy = nx;
		this.sz = nz > 1 ? nx * ny : 0;
		this.metric = metric;
		this.minOverlap = minOverlap;
		this.chunks = (s.n + CHUNK - 1) / CHUNK;
		this.fShift = 0.5 * ((double) s.min + s.max);
		double lo = Double.POSITIVE_INFINITY, hi = Double.NEGATIVE_INFINITY;
		for (int i = 0; i < mv.length; i++)
			if (mmask == null || mmask[i] != 0) {
				lo = Math.min(lo, mv[i]);
				hi = Math.max(hi, mv[i]);
			}
		this.mShift = 0.5 * (lo + hi);
		this.bins = bins;
		if (metric == Metric.MI) {
			fixedBin = new int[s.n];
			final double fw = (s.max - s.min) / (double) bins;
			for (int i = 0; i < s.n; i++)
				fixedBin[i] = fw > 0 ? Math.min(bins - 1, (int) ((s.value[i] - s.min) / fw)) : 0;
			// moving: 2 bins of padding on each side for the cubic window (ITK's convention)
			movingMin = lo;
			movingBinWidth = hi > lo ? (hi - lo) / (bins - 4) : 1;
			mNorm = new float[s.n];
			gx = new float[s.n];
			gy = new float[s.n];
			gz = new float[s.n];
		} else {
			fixedBin = null;
			movingMin = 0;
			movingBinWidth = 1;
		}
	}

	/** Fraction of samples that counted at the last evaluation. */
	double overlap() {
		return lastOverlap;
	}

	/** NCC or MI (nats) at the last evaluation (not negated). */
	double similarity() {
		return lastSimilarity;
	}

	/**
	 * The cost at map {@code m} (12 values, row-major 3x4: frame mm to moving voxel index) and, if
	 * {@code grad} is not null, its gradient with respect to those 12 values.
	 */
	double evaluate(final double[] m, final double[] grad) {
		return metric == Metric.NCC ? ncc(m, grad) : mattes(m, grad);
	}

	// accumulator layout for NCC: 0 n, 1 sf, 2 sm, 3 sff, 4 smm, 5 sfm, 6.. g(x)[u,1], 18.. f g(x)[u,1], 30.. m g(x)[u,1]
	private double ncc(final double[] m, final double[] grad) {
		final double[][] part = new double[chunks][42];
		IntStream.range(0, chunks).parallel().forEach(c -> nccChunk(m, c, part[c], grad != null));
		final double[] a = new double[42];
		for (final double[] p : part)
			for (int k = 0; k < 42; k++)
				a[k] += p[k];
		final double n = a[0];
		lastOverlap = n / s.n;
		if (lastOverlap < minOverlap || n < 2)
			return Double.POSITIVE_INFINITY;
		final double fbar = a[1] / n, mbar = a[2] / n;
		final double sff = a[3] - n * fbar * fbar, smm = a[4] - n * mbar * mbar, sfm = a[5] - n * fbar * mbar;
		if (!(sff > 0) || !(smm > 0)) {
			lastSimilarity = 0;
			return Double.POSITIVE_INFINITY;
		}
		final double root = Math.sqrt(sff * smm);
		final double ncc = sfm / root;
		lastSimilarity = ncc;
		if (grad != null)
			for (int k = 0; k < 12; k++) {
				final double dSfm = a[18 + k] - fbar * a[6 + k];
				final double halfDSmm = a[30 + k] - mbar * a[6 + k];
				grad[k] = -(dSfm / root - ncc * halfDSmm / smm);
			}
		return -ncc;
	}

	private void nccChunk(final double[] m, final int c, final double[] acc, final boolean withGradient) {
		final int from = c * CHUNK, to = Math.min(s.n, from + CHUNK);
		final float[] ux = s.ux, uy = s.uy, uz = s.uz, fv = s.value;
		final double m00 = m[0], m01 = m[1], m02 = m[2], m03 = m[3], m10 = m[4], m11 = m[5], m12 = m[6], m13 = m[7], m20 = m[8], m21 = m[9],
				m22 = m[10], m23 = m[11];
		final double[] out = new double[4];
		for (int i = from; i < to; i++) {
			final double u = ux[i], v = uy[i], w = uz[i];
			final double x = m00 * u + m01 * v + m02 * w + m03;
			final double y = m10 * u + m11 * v + m12 * w + m13;
			final double z = m20 * u + m21 * v + m22 * w + m23;
			if (!sample(x, y, z, out))
				continue;
			final double f = fv[i] - fShift, mm = out[0] - mShift;
			acc[0]++;
			acc[1] += f;
			acc[2] += mm;
			acc[3] += f * f;
			acc[4] += mm * mm;
			acc[5] += f * mm;
			if (!withGradient)
				continue;
			accumulate(acc, 6, out[1], out[2], out[3], u, v, w);
			accumulate(acc, 18, f * out[1], f * out[2], f * out[3], u, v, w);
			accumulate(acc, 30, mm * out[1], mm * out[2], mm * out[3], u, v, w);
		}
	}

	private double mattes(final double[] m, final double[] grad) {
		final int b = bins;
		final double[][] hist = new double[chunks][];
		IntStream.range(0, chunks).parallel().forEach(c -> hist[c] = histogramChunk(m, c));
		final double[] h = new double[b * b];
		double n = 0;
		for (final double[] p : hist) {
			for (int k = 0; k < b * b; k++)
				h[k] += p[k];
			n += p[b * b];
		}
		lastOverlap = n / s.n;
		if (lastOverlap < minOverlap || n < 2)
			return Double.POSITIVE_INFINITY;
		final double[] pf = new double[b], pm = new double[b];
		for (int i = 0; i < b; i++)
			for (int k = 0; k < b; k++) {
				final double p = h[i * b + k] / n;
				h[i * b + k] = p;
				pf[i] += p;
				pm[k] += p;
			}
		double mi = 0;
		final double[] logRatio = new double[b * b];
		for (int i = 0; i < b; i++)
			for (int k = 0; k < b; k++) {
				final double p = h[i * b + k];
				if (p > 1e-16 && pf[i] > 0 && pm[k] > 0) {
					final double l = Math.log(p / (pf[i] * pm[k]));
					mi += p * l;
					logRatio[i * b + k] = l;
				}
			}
		lastSimilarity = mi;
		if (grad != null) {
			final double scale = -1.0 / (n * movingBinWidth); // cost = -MI
			final double[][] part = new double[chunks][12];
			IntStream.range(0, chunks).parallel().forEach(c -> mattesGradientChunk(c, logRatio, scale, part[c]));
			java.util.Arrays.fill(grad, 0);
			for (final double[] p : part)
				for (int k = 0; k < 12; k++)
					grad[k] += p[k];
		}
		return -mi;
	}

	/** Joint histogram of one chunk (last entry: number of valid samples); caches each sample's moving value and gradient. */
	private double[] histogramChunk(final double[] m, final int c) {
		final int b = bins;
		final double[] h = new double[b * b + 1];
		final int from = c * CHUNK, to = Math.min(s.n, from + CHUNK);
		final float[] ux = s.ux, uy = s.uy, uz = s.uz;
		final double[] out = new double[4];
		// the largest normalised value whose cubic window (k0 - 1 .. k0 + 2) stays inside the row, as a float:
		// the value is cached as a float for the gradient, and b - 2 - 1e-9 rounds up to b - 2 there
		final float top = Math.nextDown((float) (b - 2));
		for (int i = from; i < to; i++) {
			final double u = ux[i], v = uy[i], w = uz[i];
			final double x = m[0] * u + m[1] * v + m[2] * w + m[3];
			final double y = m[4] * u + m[5] * v + m[6] * w + m[7];
			final double z = m[8] * u + m[9] * v + m[10] * w + m[11];
			if (!sample(x, y, z, out)) {
				mNorm[i] = Float.NaN;
				continue;
			}
			final float t = Math.min(top, (float) Math.max(2, (out[0] - movingMin) / movingBinWidth + 2));
			mNorm[i] = t;
			gx[i] = (float) out[1];
			gy[i] = (float) out[2];
			gz[i] = (float) out[3];
			final int k0 = (int) t;
			final double d = t - k0, e = 1 - d;
			final int row = fixedBin[i] * b + k0;
			h[row - 1] += e * e * e / 6;
			h[row] += 2.0 / 3 - d * d + 0.5 * d * d * d;
			h[row + 1] += 2.0 / 3 - e * e + 0.5 * e * e * e;
			h[row + 2] += d * d * d / 6;
			h[b * b]++;
		}
		return h;
	}

	private void mattesGradientChunk(final int c, final double[] logRatio, final double scale, final double[] acc) {
		final int b = bins;
		final int from = c * CHUNK, to = Math.min(s.n, from + CHUNK);
		for (int i = from; i < to; i++) {
			final float t = mNorm[i];
			if (Float.isNaN(t))
				continue;
			final int k0 = (int) t;
			final double d = t - k0, e = 1 - d;
			final int row = fixedBin[i] * b + k0;
			// derivatives of the four cubic B-spline weights with respect to the normalised moving value
			final double wd = logRatio[row - 1] * (-0.5 * e * e) + logRatio[row] * (-2 * d + 1.5 * d * d)
					+ logRatio[row + 1] * (2 * e - 1.5 * e * e) + logRatio[row + 2] * (0.5 * d * d);
			final double wgt = scale * wd;
			if (wgt == 0)
				continue;
			accumulate(acc, 0, wgt * gx[i], wgt * gy[i], wgt * gz[i], s.ux[i], s.uy[i], s.uz[i]);
		}
	}

	/** acc[at..at+12) += g (x) [u, v, w, 1]. */
	private static void accumulate(final double[] acc, final int at, final double g0, final double g1, final double g2, final double u,
			final double v, final double w) {
		acc[at] += g0 * u;
		acc[at + 1] += g0 * v;
		acc[at + 2] += g0 * w;
		acc[at + 3] += g0;
		acc[at + 4] += g1 * u;
		acc[at + 5] += g1 * v;
		acc[at + 6] += g1 * w;
		acc[at + 7] += g1;
		acc[at + 8] += g2 * u;
		acc[at + 9] += g2 * v;
		acc[at + 10] += g2 * w;
		acc[at + 11] += g2;
	}

	/**
	 * Trilinear value and gradient (per voxel) of the moving image at a voxel position; false if the
	 * position is outside the image (beyond 1e-6 voxel) or outside the moving mask.
	 */
	private boolean sample(final double x, final double y, final double z, final double[] out) {
		if (x < -EDGE || y < -EDGE || z < -EDGE || x > nx - 1 + EDGE || y > ny - 1 + EDGE || z > nz - 1 + EDGE)
			return false;
		if (mmask != null) {
			final int rx = (int) (x + 0.5), ry = (int) (y + 0.5), rz = (int) (z + 0.5);
			if (mmask[(Math.min(rz, nz - 1) * ny + Math.min(ry, ny - 1)) * nx + Math.min(rx, nx - 1)] == 0)
				return false;
		}
		int ix = (int) x, iy = (int) y, iz = (int) z;
		if (ix > nx - 2)
			ix = Math.max(0, nx - 2);
		if (iy > ny - 2)
			iy = Math.max(0, ny - 2);
		if (iz > nz - 2)
			iz = Math.max(0, nz - 2);
		final double fx = nx > 1 ? Math.max(0, x - ix) : 0, fy = ny > 1 ? Math.max(0, y - iy) : 0, fz = nz > 1 ? Math.max(0, z - iz) : 0;
		final int dx = nx > 1 ? 1 : 0, dy = ny > 1 ? sy : 0, dz = sz;
		final int i = (iz * ny + iy) * nx + ix;
		final float[] a = mv;
		final double c000 = a[i], c100 = a[i + dx], c010 = a[i + dy], c110 = a[i + dy + dx];
		final double c001 = a[i + dz], c101 = a[i + dz + dx], c011 = a[i + dz + dy], c111 = a[i + dz + dy + dx];
		final double gx0 = c100 - c000, gx1 = c110 - c010, gx2 = c101 - c001, gx3 = c111 - c011;
		final double x00 = c000 + fx * gx0, x10 = c010 + fx * gx1, x01 = c001 + fx * gx2, x11 = c011 + fx * gx3;
		final double y0 = x00 + fy * (x10 - x00), y1 = x01 + fy * (x11 - x01);
		out[0] = y0 + fz * (y1 - y0);
		out[1] = ((1 - fy) * gx0 + fy * gx1) * (1 - fz) + ((1 - fy) * gx2 + fy * gx3) * fz;
		out[2] = (x10 - x00) * (1 - fz) + (x11 - x01) * fz;
		out[3] = y1 - y0;
		return true;
	}
}
