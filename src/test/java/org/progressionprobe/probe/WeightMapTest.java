package org.progressionprobe.probe;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.awt.image.BufferedImage;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import javax.imageio.ImageIO;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.progressionprobe.io.AtlasFiles;
import org.progressionprobe.testing.SharedData;
import org.progressionprobe.volume.AffineTransform3D;
import org.progressionprobe.volume.Atlas;
import org.progressionprobe.volume.Grid;
import org.progressionprobe.io.VolumeIO;
import org.progressionprobe.volume.Volume;

class WeightMapTest {

	@TempDir
	Path dir;

	@Test
	void columnNamesParseIntoFamiliesRegionsAndCells() {
		final List<String> names = List.of("Hippocampus_L", "Frontal_Sup_L", "Frontal_Sup_Orb_L", "L");
		final RegionColumn r = RegionColumn.parse("logjac_mean_Hippocampus_L", names).orElseThrow();
		assertEquals("logjac_mean", r.family());
		assertEquals("Hippocampus_L", r.region());
		assertEquals("Frontal_Sup_Orb_L", RegionColumn.parse("disp_p90_frontal_sup_orb_l", names).orElseThrow().region());
		assertEquals("disp_p90", RegionColumn.parse("disp_p90_frontal_sup_orb_l", names).orElseThrow().family());
		assertEquals("", RegionColumn.parse("Hippocampus_L", names).orElseThrow().family());
		final RegionColumn c = RegionColumn.parse("logjac_std_cell_1_2_0", names).orElseThrow();
		assertTrue(c.isCell());
		assertEquals("logjac_std", c.family());
		assertEquals(List.of(1, 2, 0), List.of(c.cell()[0], c.cell()[1], c.cell()[2]));
		assertEquals("", RegionColumn.parse("cell_0_0_1", names).orElseThrow().family());
		assertFalse(RegionColumn.parse("supercell_1_2_3", names).isPresent());
		assertFalse(RegionColumn.parse("age", names).isPresent());
		assertFalse(RegionColumn.parse("enc2_gap_c07", names).isPresent());
	}

	@Test
	void cellWeightsFillTheirBlocksOfTheReferenceGrid() {
		final Map<String, Double> w = new LinkedHashMap<>();
		w.put("logjac_mean_cell_0_0_0", 1.0);
		w.put("logjac_mean_cell_1_2_1", -2.0);
		w.put("age", 5.0);
		final Grid grid = new Grid(new int[] { 10, 9, 4 }, AffineTransform3D.of(1, 0, 0, 0, 0, 1, 0, 0, 0, 0, 1, 0));
		final List<WeightMap> maps = WeightMap.cells(w, grid, new int[] { 2, 3, 2 });
		assertEquals(1, maps.size());
		final Volume v = maps.get(0).weights();
		assertEquals(1f, v.get(0, 0, 0));
		assertEquals(1f, v.get(4, 2, 1));
		assertEquals(0f, v.get(5, 2, 1));
		assertEquals(-2f, v.get(5, 6, 2));
		assertEquals(-2f, v.get(9, 8, 3));
		assertEquals(0f, v.get(4, 8, 3));
		assertEquals("weightmap_logjac_mean_cells", maps.get(0).fileStem());
		// grid size inferred from the largest indices: 2 x 3 x 2 again
		assertEquals(-2f, WeightMap.cells(w, grid, null).get(0).weights().get(5, 6, 2));
	}

	@Test
	void regionWeightsLandOnTheAalRegionsAndDrawHeadless() throws Exception {
		final Atlas atlas = AtlasFiles.read(SharedData.require("data/template/ch2.nii.gz"), SharedData.require("data/template/aal.nii.gz"),
				SharedData.require("data/template/aal.nii.txt"));
		assertTrue(java.awt.GraphicsEnvironment.isHeadless());
		final Map<String, Double> w = new LinkedHashMap<>();
		w.put("logjac_mean_Hippocampus_L", 0.8);
		w.put("logjac_mean_Hippocampus_R", -0.5);
		w.put("logjac_std_Amygdala_L", 0.3);
		w.put("age", 1.0);
		final List<WeightMap> maps = WeightMap.regions(w, atlas.labels(), atlas.names());
		assertEquals(List.of("logjac_mean", "logjac_std"), maps.stream().map(WeightMap::family).toList());
		final float[] labels = atlas.labels().data();
		final float[] mean = maps.get(0).weights().data();
		int hippoL = 0, wrong = 0;
		for (int i = 0; i < labels.length; i++) {
			final float expected = labels[i] == 37 ? 0.8f : labels[i] == 38 ? -0.5f : 0f;
			if (mean[i] != expected)
				wrong++;
			if (labels[i] == 37)
				hippoL++;
		}
		assertEquals(0, wrong, "voxels whose weight is not their region's");
		assertTrue(hippoL > 1000, "hippocampus voxels " + hippoL);
		final Path png = dir.resolve("map.png");
		ProbeImages.writePng(ProbeImages.weightOverlay(maps.get(0), atlas.template(), "logjac_mean: 2 regions"), png);
		final BufferedImage img = ImageIO.read(png.toFile());
		int red = 0, blue = 0;
		for (int y = 0; y < img.getHeight(); y++)
			for (int x = 0; x < img.getWidth(); x++) {
				final int rgb = img.getRGB(x, y);
				final int r = rgb >> 16 & 255, g = rgb >> 8 & 255, b = rgb & 255;
				if (r > 150 && g < 100 && b < 100)
					red++;
				if (b > 150 && r < 100 && g < 150)
					blue++;
			}
		assertTrue(red > 100, "red (positive) pixels " + red);
		assertTrue(blue > 100, "blue (negative) pixels " + blue);
		VolumeIO.write(maps.get(0).weights(), dir.resolve("map.nii.gz"));
		assertTrue(VolumeIO.read(dir.resolve("map.nii.gz")).sameGrid(atlas.labels()));
	}
}
