package org.progressionprobe.features.change;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;
import org.progressionprobe.command.Progress;
import org.progressionprobe.volume.AffineTransform3D;
import org.progressionprobe.volume.Volume;

class DemonsRegistrationTest {

	@Test
	void measuresAContractionOnAnObliqueAnisotropicGrid() {
		// voxels 1.2 x 1.5 x 2.0 mm, rotated 30 degrees about z: the Jacobian must be taken in world mm
		final double c = Math.cos(Math.toRadians(30)), s = Math.sin(Math.toRadians(30));
		final double[] sp = { 1.2, 1.5, 2.0 };
		final int nx = 58, ny = 48, nz = 36;
		final AffineTransform3D m = AffineTransform3D.of(c * sp[0], -s * sp[1], 0, 0, s * sp[0], c * sp[1], 0, 0, 0, 0, sp[2], 0);
		final double[] centre = new double[3];
		m.apply(new double[] { (nx - 1) / 2.0, (ny - 1) / 2.0, (nz - 1) / 2.0 }, centre);
		m.set(-centre[0], 0, 3);
		m.set(-centre[1], 1, 3);
		m.set(-centre[2], 2, 3);
		final SyntheticChange sc = SyntheticChange.standard(0.8);
		final Volume b = sc.fill(nx, ny, nz, m, true), f = sc.fill(nx, ny, nz, m, false);
		final DemonsRegistration.Result r = new DemonsRegistration(DemonsRegistration.Settings.defaults(), Progress.NONE).register(b, f);
		final Volume j = r.forward().jacobianDeterminant();
		final Volume labels = sc.labelsOn(b);
		double sum = 0;
		int n = 0;
		for (int i = 0; i < j.data().length; i++)
			if (labels.data()[i] == 1) {
				sum += j.data()[i];
				n++;
			}
		assertEquals(0.8, sum / n, 0.03 * 0.8, "mean Jacobian over the contracted ball");
		assertTrue(r.finalMse() < 0.1 * r.initialMse(), r.finalMse() + " vs " + r.initialMse());
	}

	@Test
	void recoversATranslationAndItsInverse() {
		final SyntheticChange sc = SyntheticChange.standard(1.0);
		final AffineTransform3D g = SyntheticChange.grid(40, 1.6);
		final Volume b = sc.fill(40, 40, 40, g, true);
		// follow-up: the anatomy moved by +1.5 mm in x, so baseline point x is found at x + 1.5 in the follow-up
		final AffineTransform3D shifted = g.copy();
		shifted.set(g.get(0, 3) - 1.5, 0, 3);
		final Volume f = Volume.wrap(sc.fill(40, 40, 40, shifted, true).data(), 40, 40, 40, g);
		final DemonsRegistration.Result r = new DemonsRegistration(DemonsRegistration.Settings.defaults(), Progress.NONE).register(b, f);
		// in the middle of the head (away from the border, where the field decays), u = (1.5, 0, 0)
		assertEquals(1.5, r.forward().x().get(20, 20, 20), 0.1);
		assertEquals(0, r.forward().y().get(20, 20, 20), 0.1);
		assertEquals(-1.5, r.inverse().x().get(20, 20, 20), 0.1);
		final Volume ic = r.forward().andThen(r.inverse()).magnitude();
		assertTrue(ic.get(20, 20, 20) < 0.01, "inverse consistency " + ic.get(20, 20, 20));
	}

	@Test
	void smallImagesUseFewerLevels() {
		final org.progressionprobe.volume.Grid small = new org.progressionprobe.volume.Grid(new int[] { 40, 40, 20 }, new AffineTransform3D());
		assertEquals(2, DemonsRegistration.usableLevels(small, 4));
		assertEquals(1, DemonsRegistration.usableLevels(new org.progressionprobe.volume.Grid(new int[] { 40, 40, 1 }, new AffineTransform3D()), 1));
	}

	@Test
	void settingsAreChecked() {
		final IllegalArgumentException e = org.junit.jupiter.api.Assertions.assertThrows(IllegalArgumentException.class,
				() -> new DemonsRegistration.Settings(3, new int[] { 10, 10 }, 1, 1, 1, 0));
		assertTrue(e.getMessage().contains("one iteration count per level"), e.getMessage());
	}
}
