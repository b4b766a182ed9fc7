package org.progressionprobe.features.change;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;
import org.progressionprobe.stats.Percentile;
import org.progressionprobe.table.FeatureVector;
import org.progressionprobe.volume.AffineTransform3D;
import org.progressionprobe.volume.Volume;

class RegionPoolingTest {

	@Test
	void percentilesInterpolateBetweenOrderStatisticsAsNumpy() {
		final double[] v = { 1, 2, 3, 4, 10 };
		// numpy.percentile([1,2,3,4,10], [0, 5, 50, 95, 100]) = [1, 1.2, 3, 8.8, 10]
		assertEquals(1, Percentile.of(v, 0), 1e-12);
		assertEquals(1.2, Percentile.of(v, 5), 1e-12);
		assertEquals(3, Percentile.of(v, 50), 1e-12);
		assertEquals(8.8, Percentile.of(v, 95), 1e-12);
		assertEquals(10, Percentile.of(v, 100), 1e-12);
		assertEquals("p2_5", RegionPooling.percentileName(2.5));
		assertEquals("Frontal_Sup_Orb_L", RegionPooling.columnName("Frontal Sup-Orb L"));
	}

	@Test
	void cellsSplitTheForegroundBoundingBoxEvenly() {
		// foreground: x in [2, 7] of a 10 x 1 x 1 line; 2 cells along x: [2, 4] and [5, 7]
		final boolean[] fg = new boolean[10];
		for (int x = 2; x <= 7; x++)
			fg[x] = true;
		final List<RegionPooling.Region> r = RegionPooling.regions(fg, null, Map.of(), new int[] { 2, 1, 1 }, new int[] { 10, 1, 1 });
		assertEquals(List.of("foreground", "cell_0_0_0", "cell_1_0_0"), r.stream().map(RegionPooling.Region::name).toList());
		assertEquals(List.of(2, 3, 4), java.util.Arrays.stream(r.get(1).voxels()).boxed().toList());
		final float[] values = new float[10];
		for (int i = 0; i < 10; i++)
			values[i] = i;
		final FeatureVector.Builder b = new FeatureVector.Builder();
		RegionPooling.pool(b, "logjac", values, r.get(2), new double[] { 50 });
		final FeatureVector f = b.build();
		assertEquals(List.of("logjac_mean_cell_1_0_0", "logjac_p50_cell_1_0_0"), f.names());
		assertEquals(6, f.get(0), 1e-12);
	}

	@Test
	void labelRegionsFollowTheNamesInLabelOrder() {
		final Volume labels = Volume.wrap(new float[] { 0, 5, 5, 3, 0, 3 }, 6, 1, 1, new AffineTransform3D());
		final boolean[] fg = { true, true, true, true, true, true };
		final List<RegionPooling.Region> r = RegionPooling.regions(fg, labels, Map.of(5, "Five", 3, "Three"), new int[] { 3, 3, 3 }, labels.size());
		assertEquals(List.of("foreground", "Three", "Five"), r.stream().map(RegionPooling.Region::name).toList());
		assertEquals(List.of(3, 5), java.util.Arrays.stream(r.get(1).voxels()).boxed().toList());
	}

	@Test
	void labelsAreCheckedAgainstTheForegroundAndTheNames() {
		// a 10 x 1 x 1 line, foreground x in [2, 7] but for a dark x = 5; label 1 at x = 3, label 2 at x = 9 (outside
		// the head), label 3 at x = 5 (below the foreground threshold, yet inside the head: no warning)
		final boolean[] fg = new boolean[10];
		for (int x = 2; x <= 7; x++)
			fg[x] = x != 5;
		final Volume labels = Volume.zeros(10, 1, 1, new AffineTransform3D());
		labels.set(3, 0, 0, 1);
		labels.set(9, 0, 0, 2);
		labels.set(5, 0, 0, 3);
		assertEquals(List.of("L: 'Air' (value 2) lies outside the head: none of its 1 voxels is within the baseline's foreground (its bounding box),"
				+ " its columns measure background only", "L: 'Gone' (value 5) is not in the label image: its feature columns are NaN"),
				RegionPooling.checkLabels("L", fg, labels, Map.of(1, "In", 2, "Air", 3, "Dark", 5, "Gone")));
		assertEquals(List.of(), RegionPooling.checkLabels("L", fg, labels, Map.of(1, "In")));
		final String none = assertThrows(IllegalArgumentException.class, () -> RegionPooling.checkLabels("L", fg, labels, Map.of(7, "X", 8, "Y")))
				.getMessage();
		assertEquals("L: none of the 2 named labels occurs in the label image (values in the names: [7, 8]; values in the image: [1, 2, 3])", none);
		final String outside = assertThrows(IllegalArgumentException.class, () -> RegionPooling.checkLabels("L", fg, labels, Map.of(2, "Air")))
				.getMessage();
		assertTrue(outside.startsWith("L: the labels lie outside the head"), outside);
		final String zero = assertThrows(IllegalArgumentException.class,
				() -> RegionPooling.checkLabels("L", fg, labels.zerosLike(), Map.of())).getMessage();
		assertEquals("L: the label image is all 0: it has no labelled voxel", zero);
	}
}
