package org.progressionprobe.volume;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.Map;

import org.junit.jupiter.api.Test;

/** The grid of atlas space and the atlas carried onto it (labels by majority). */
class AtlasResolutionTest {

	private static final Grid ATLAS_1MM = new Grid(new int[] { 180, 216, 180 }, Geometry.scaling(new double[] { 1, 1, 1 }, new double[] { -90, -108, -90 }));

	private static Volume scan(final double... voxel) {
		return Volume.zeros(8, 8, 8, Geometry.scaling(voxel, new double[] { 0, 0, 0 }));
	}

	@Test
	void scansVoxelSizeByDefaultNeverFinerThanTheAtlas() {
		final Grid g = AtlasResolution.SCANS.grid(ATLAS_1MM, scan(2, 2, 2));
		assertArrayEquals(new int[] { 90, 108, 90 }, g.size());
		assertArrayEquals(new double[] { 2, 2, 2 }, g.voxelSize(), 1e-12);
		// the field of view stays: the first 2 mm voxel covers the first two 1 mm voxels
		final double[] p = { 0, 0, 0 };
		g.voxelToWorld().apply(p, p);
		assertArrayEquals(new double[] { -89.5, -107.5, -89.5 }, p, 1e-12);
		// anisotropic scans: their finest edge; finer scans than the atlas: the atlas itself
		assertArrayEquals(new int[] { 120, 144, 120 }, AtlasResolution.SCANS.grid(ATLAS_1MM, scan(1.5, 1.5, 4)).size());
		assertSame(ATLAS_1MM, AtlasResolution.SCANS.grid(ATLAS_1MM, scan(0.5, 0.5, 0.5)));
		assertSame(ATLAS_1MM, AtlasResolution.ATLAS.grid(ATLAS_1MM, scan(3, 3, 3)));
		assertArrayEquals(new int[] { 60, 72, 60 }, AtlasResolution.parse("3").grid(ATLAS_1MM, scan(2, 2, 2)).size());
	}

	@Test
	void parameterText() {
		assertEquals(AtlasResolution.SCANS, AtlasResolution.parse(""));
		assertEquals(AtlasResolution.ATLAS, AtlasResolution.parse("atlas"));
		assertEquals(1.5, AtlasResolution.parse(" 1.5 ").voxelMm());
		for (final AtlasResolution r : new AtlasResolution[] { AtlasResolution.SCANS, AtlasResolution.ATLAS, new AtlasResolution(2.5) })
			assertEquals(r, AtlasResolution.parse(r.key()));
		assertThrows(IllegalArgumentException.class, () -> AtlasResolution.parse("-1"));
		assertThrows(IllegalArgumentException.class, () -> AtlasResolution.parse("fine"));
	}

	@Test
	void labelsTakeTheMajorityOfTheVoxelsTheyCover() {
		final AffineTransform3D v2w = Geometry.scaling(new double[] { 1, 1, 1 }, new double[] { 0, 0, 0 });
		final Volume labels = Volume.zeros(4, 4, 4, v2w);
		// the first 2x2x2 block: 5 voxels of label 3, 3 of label 0; the centre's nearest voxel (1,1,1) is 0
		labels.set(0, 0, 0, 3);
		labels.set(1, 0, 0, 3);
		labels.set(0, 1, 0, 3);
		labels.set(0, 0, 1, 3);
		labels.set(1, 1, 0, 3);
		// the last block: a tie of 4 and 4 between labels 7 and 5, the centre's nearest voxel is 7
		for (int z = 2; z < 4; z++)
			for (int y = 2; y < 4; y++)
				for (int x = 2; x < 4; x++)
					labels.set(x, y, z, x == 3 && y == 3 || x == 2 && y == 3 ? 7 : 5);
		final Atlas atlas = new Atlas(labels.copy(), labels, Map.of(3, "A", 5, "B", 7, "C"));
		final Grid coarse = Grid.of(labels).coarsened(new double[] { 2, 2, 2 });
		final Atlas onCoarse = atlas.onGrid(coarse);
		assertEquals(coarse, Grid.of(onCoarse.labels()));
		assertEquals(3f, onCoarse.labels().get(0, 0, 0), "5 of 8 against the nearest voxel's 0");
		assertEquals(7f, onCoarse.labels().get(1, 1, 1), "a tie goes to the nearest voxel's label");
		assertEquals(0f, onCoarse.labels().get(1, 0, 0));
		assertSame(atlas, atlas.onGrid(Grid.of(labels)));
	}
}
