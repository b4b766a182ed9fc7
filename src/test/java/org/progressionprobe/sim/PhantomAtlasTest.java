package org.progressionprobe.sim;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;

import org.junit.jupiter.api.Test;
import org.progressionprobe.volume.Atlas;
import org.progressionprobe.volume.Volume;

class PhantomAtlasTest {

	private static final Atlas PHANTOM = PhantomAtlas.create();

	private static int label(final String name) {
		return PHANTOM.labelsMatching(List.of(name)).get(0);
	}

	/** World centroid (mm) and voxel count of a label. */
	private static double[] centroid(final Atlas a, final int label) {
		final Volume l = a.labels();
		final double[] c = new double[4], p = new double[3];
		for (int k = 0; k < l.nz(); k++)
			for (int j = 0; j < l.ny(); j++)
				for (int i = 0; i < l.nx(); i++)
					if ((int) l.get(i, j, k) == label) {
						p[0] = i;
						p[1] = j;
						p[2] = k;
						l.voxelToWorld().apply(p, p);
						for (int d = 0; d < 3; d++)
							c[d] += p[d];
						c[3]++;
					}
		for (int d = 0; d < 3; d++)
			c[d] /= c[3];
		return c;
	}

	@Test
	void gridIsTwoMillimetreRasCentredOnTheOrigin() {
		final Volume t = PHANTOM.template();
		assertArrayEquals(new int[] { 90, 108, 90 }, t.size());
		assertArrayEquals(new double[] { 2, 2, 2 }, t.voxelSize(), 1e-12);
		assertEquals("RAS", t.orientation());
		final double[] centre = { 44.5, 53.5, 44.5 };
		t.voxelToWorld().apply(centre, centre);
		assertArrayEquals(new double[] { 0, 0, 0 }, centre, 1e-9);
		assertTrue(PHANTOM.labels().sameGrid(t));
		final Atlas coarse = PhantomAtlas.create(4);
		assertArrayEquals(new int[] { 45, 54, 45 }, coarse.template().size());
		assertThrows(IllegalArgumentException.class, () -> PhantomAtlas.create(0.1));
	}

	@Test
	void labelsAreNamedPairedAndWhereTheAnatomyPutsThem() {
		assertEquals(19, PHANTOM.names().size());
		for (final String s : List.of("Hippocampus", "Amygdala", "Caudate", "Putamen", "Thalamus", "Ventricle", "Cortex", "WhiteMatter")) {
			final double[] left = centroid(PHANTOM, label(s + "_L")), right = centroid(PHANTOM, label(s + "_R"));
			assertTrue(left[0] < 0 && right[0] > 0, s + ": left is x < 0 (RAS)");
			assertEquals(left[3], right[3], 0, s + ": the phantom is symmetric");
			assertEquals(-left[0], right[0], 1e-9, s + ": mirrored centroids");
			assertTrue(left[3] > 50, s + " has " + left[3] + " voxels");
		}
		final double[] hippocampus = centroid(PHANTOM, label("Hippocampus_L"));
		assertArrayEquals(new double[] { -27, -22, -15 }, new double[] { hippocampus[0], hippocampus[1], hippocampus[2] }, 2.5);
		// every label value present in the image has a name, and every name is present
		final java.util.Set<Integer> present = new java.util.TreeSet<>();
		for (final float v : PHANTOM.labels().data())
			if (v != 0)
				present.add((int) v);
		assertEquals(PHANTOM.names().keySet(), present);
	}

	@Test
	void intensitiesAreT1LikeWithPartialVolumeAtBoundaries() {
		final Volume t = PHANTOM.template(), l = PHANTOM.labels();
		int wm = 0, wmAt100 = 0, mixed = 0, head = 0, ventricleVoxels = 0;
		double ventricleSum = 0;
		final int ventricle = label("Ventricle_L"), whiteMatter = label("WhiteMatter_L");
		for (int i = 0; i < t.voxelCount(); i++) {
			final float v = t.data()[i];
			final int lab = (int) l.data()[i];
			if (lab == whiteMatter) {
				wm++;
				if (v == 100f)
					wmAt100++;
			}
			if (lab == ventricle) {
				ventricleSum += v;
				ventricleVoxels++;
			}
			if (lab != 0)
				head++;
			if (v != 0 && v != 100 && v != 60 && v != 25 && v != 15 && v != 70 && v != 75 && v != 72 && v != 82 && v != 65 && v != 63)
				mixed++;
		}
		assertTrue(wmAt100 > 0.7 * wm, "white matter is 100 away from its boundary");
		assertTrue(ventricleSum / ventricleVoxels < 40, "ventricles are dark: mean " + ventricleSum / ventricleVoxels);
		assertTrue(mixed > 0.15 * head, "partial-volume voxels at boundaries: " + mixed + " of " + head);
		assertEquals(PhantomAtlas.WHITE_MATTER, SubjectSimulator.whiteMatterIntensity(PHANTOM), 1e-9);
	}

	@Test
	void deterministicAndFast() {
		final long start = System.nanoTime();
		final Atlas again = PhantomAtlas.create(2);
		final double seconds = (System.nanoTime() - start) / 1e9;
		assertArrayEquals(PHANTOM.template().data(), again.template().data());
		assertArrayEquals(PHANTOM.labels().data(), again.labels().data());
		assertTrue(seconds < 5, "the 2 mm phantom took " + seconds + " s (about 0.2-0.4 s of CPU on an idle machine)");
	}

	@Test
	void progressorsAreExactlyTheRequestedShare() {
		for (final int n : new int[] { 1, 7, 40 }) {
			final boolean[] p = Seeds.progressors(n, 0.5, 3);
			int count = 0;
			for (final boolean b : p)
				count += b ? 1 : 0;
			assertEquals(Math.round(0.5 * n), count);
		}
		assertArrayEquals(Seeds.progressors(40, 0.3, 9), Seeds.progressors(40, 0.3, 9));
		assertTrue(Seeds.subject(1, 0) != Seeds.subject(1, 1) && Seeds.subject(1, 0) != Seeds.subject(2, 0));
	}
}
