package org.progressionprobe.stats;

/** The standard normal distribution's tail, for two-sided p-values of z statistics. */
public final class Normal {

	/** The 97.5% quantile: half-width of a 95% interval in standard errors. */
	public static final double Z95 = 1.959963984540054;

	private Normal() {}

	/** P(|Z| >= |z|) for standard normal Z. */
	public static double twoSidedP(final double z) {
		return Double.isNaN(z) ? Double.NaN : erfc(Math.abs(z) / Math.sqrt(2));
	}

	/** The complementary error function (W. J. Cody's rational approximations, relative error below 1e-15). */
	static double erfc(final double x) {
		if (x < 0)
			return 2 - erfc(-x);
		if (x < 0.46875)
			return 1 - erfSmall(x);
		if (x < 4)
			return Math.exp(-x * x) * ratio(x, P_MID, Q_MID);
		final double z = 1 / (x * x);
		final double r = z * ratio(z, P_TAIL, Q_TAIL);
		return Math.exp(-x * x) / x * (1 / Math.sqrt(Math.PI) - r);
	}

	private static double erfSmall(final double x) {
		return x * ratio(x * x, P_SMALL, Q_SMALL);
	}

	private static double ratio(final double x, final double[] p, final double[] q) {
		double num = p[p.length - 1], den = 1;
		for (int i = p.length - 2; i >= 0; i--)
			num = num * x + p[i];
		for (int i = q.length - 1; i >= 0; i--)
			den = den * x + q[i];
		return num / den;
	}

	// Cody (1969), coefficients as in netlib's calerf; polynomials in ascending order, denominators monic
	private static final double[] P_SMALL = { 3.209377589138469472562e03, 3.774852376853020208137e02, 1.138641541510501556495e02,
			3.161123743870565596947e00, 1.857777061846031526730e-01 };
	private static final double[] Q_SMALL = { 2.844236833439170622273e03, 1.282616526077372275645e03, 2.440246379344441733056e02,
			2.360129095234412093499e01 };
	private static final double[] P_MID = { 1.23033935479799725272e03, 2.05107837782607146532e03, 1.71204761263407058314e03,
			8.81952221241769090411e02, 2.98635138197400131132e02, 6.61191906371416294775e01, 8.88314979438837594118e00,
			5.64188496988670089180e-01, 2.15311535474403846343e-08 };
	private static final double[] Q_MID = { 1.23033935480374942043e03, 3.43936767414372163696e03, 4.36261909014324715820e03,
			3.29079923573345962678e03, 1.62138957456669018874e03, 5.37181101862009857509e02, 1.17693950891312499305e02,
			1.57449261107098347253e01 };
	private static final double[] P_TAIL = { 6.58749161529837803157e-04, 1.60837851487422766278e-02, 1.25781726111229246204e-01,
			3.60344899949804439429e-01, 3.05326634961232344035e-01, 1.63153871373020978498e-02 };
	private static final double[] Q_TAIL = { 2.33520497626869185443e-03, 6.05183413124413191178e-02, 5.27905102951428412248e-01,
			1.87295284992346725209e00, 2.56852019228982242072e00 };
}
