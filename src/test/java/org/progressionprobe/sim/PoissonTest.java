package org.progressionprobe.sim;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

class PoissonTest {

	@Test
	void solvesLaplaceEqualsRhoWithNoFluxWalls() {
		final int[] n = { 14, 11, 9 };
		final double[] h = { 2, 2, 3 };
		final double[] rho = new double[n[0] * n[1] * n[2]];
		rho[(4 * n[1] + 5) * n[0] + 4] = -1; // a sink
		rho[(5 * n[1] + 3) * n[0] + 10] = 0.6; // and sources
		rho[(2 * n[1] + 8) * n[0] + 9] = 0.4;
		final double[] phi = Poisson.solveNeumann(rho, n, h);
		final double[] minusLaplace = new double[rho.length];
		Poisson.apply(phi, minusLaplace, n, h);
		double mean = 0, worst = 0;
		for (int i = 0; i < rho.length; i++) {
			worst = Math.max(worst, Math.abs(-minusLaplace[i] - rho[i]));
			mean += phi[i];
		}
		assertTrue(worst < 1e-6, "residual " + worst);
		assertEquals(0, mean / rho.length, 1e-12);
		// the potential peaks at the sink: the flow v = grad(phi) runs into it
		final int sink = (4 * n[1] + 5) * n[0] + 4;
		for (final double p : phi)
			assertTrue(p <= phi[sink]);
	}
}
