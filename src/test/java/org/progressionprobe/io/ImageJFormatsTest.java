package org.progressionprobe.io;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.awt.image.BufferedImage;
import java.awt.image.IndexColorModel;
import java.nio.file.Path;

import javax.imageio.ImageIO;

import ij.ImagePlus;
import ij.ImageStack;
import ij.io.FileSaver;
import ij.measure.Calibration;
import ij.process.ShortProcessor;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.progressionprobe.testing.SharedData;
import org.progressionprobe.volume.AffineTransform3D;
import org.progressionprobe.volume.Geometry;
import org.progressionprobe.volume.Volume;

/** Volumes to and from ImagePlus, TIFF stacks, and 2D PNG/JPEG, headless. */
class ImageJFormatsTest {

	@TempDir
	Path tmp;

	private static double[] world(final Volume v, final double x, final double y, final double z) {
		final double[] w = new double[3];
		v.voxelToWorld().apply(new double[] { x, y, z }, w);
		return w;
	}

	@Test
	void volumeToImagePlusAndBackIsExactEvenWhenOblique() {
		final Volume v = MetaImageTest.obliqueVolume();
		final ImagePlus imp = ImagePlusVolumes.toImagePlus(v, "oblique");
		assertEquals(7, imp.getWidth());
		assertEquals(5, imp.getHeight());
		assertEquals(4, imp.getNSlices());
		final Calibration cal = imp.getCalibration();
		assertEquals("mm", cal.getUnit());
		assertArrayEquals(v.voxelSize(), new double[] { cal.pixelWidth, cal.pixelHeight, cal.pixelDepth }, 1e-12);
		final Volume back = ImagePlusVolumes.toVolume(imp);
		assertArrayEquals(v.data(), back.data());
		assertEquals(v.voxelToWorld(), back.voxelToWorld(), "the stored matrix comes back bit for bit");
	}

	@Test
	void croppingAndScalingInImageJKeepTheWorldPositions() {
		final Volume v = MetaImageTest.obliqueVolume();
		final ImagePlus imp = ImagePlusVolumes.toImagePlus(v, "oblique");
		imp.setRoi(2, 1, 4, 3);
		final ImagePlus crop = imp.crop("stack");
		assertEquals(4, crop.getWidth());
		// ImageJ's Image>Crop command moves the origin with the crop (Duplicator.crop, used here, leaves that to its caller)
		crop.getCalibration().xOrigin -= 2;
		crop.getCalibration().yOrigin -= 1;
		final Volume c = ImagePlusVolumes.toVolume(crop);
		assertArrayEquals(world(v, 3, 2, 1), world(c, 1, 1, 1), 1e-9, "voxel (3,2,1) of the original is (1,1,1) of the crop");
		assertEquals(v.get(3, 2, 1), c.get(1, 1, 1));
		// ImageJ's Scale doubles the pixel size and halves the origin; the orientation is kept
		final Calibration cal = imp.getCalibration();
		cal.pixelWidth *= 2;
		cal.xOrigin /= 2;
		final Volume s = ImagePlusVolumes.toVolume(imp);
		assertArrayEquals(world(v, 4, 2, 1), world(s, 2, 2, 1), 1e-9);
	}

	@Test
	void plainImagePlusUsesItsCalibrationWithItksAxes() {
		final ImageStack stack = new ImageStack(4, 3);
		for (int z = 0; z < 2; z++) {
			final short[] p = new short[12];
			for (int i = 0; i < 12; i++)
				p[i] = (short) (1000 * z + i);
			stack.addSlice(new ShortProcessor(4, 3, p, null));
		}
		final ImagePlus imp = new ImagePlus("plain", stack);
		final Calibration cal = imp.getCalibration();
		cal.pixelWidth = 0.5;
		cal.pixelHeight = 0.25;
		cal.pixelDepth = 2;
		cal.setUnit("\u00b5m");
		cal.xOrigin = 10;
		cal.yOrigin = 20;
		cal.zOrigin = 3;
		final Volume v = ImagePlusVolumes.toVolume(imp);
		// LPS position (i - origin) * size in mm; RAS flips x and y
		assertTrue(AffineTransform3D.of(-0.0005, 0, 0, 0.005, 0, -0.00025, 0, 0.005, 0, 0, 0.002, -0.006).equals(v.voxelToWorld(), 1e-15),
				Geometry.format(v.voxelToWorld()));
		assertEquals(1011, v.get(3, 2, 1));
	}

	@Test
	void tiffSavedByImageJKeepsVoxelsAndMatrix() throws Exception {
		final Volume v = MetaImageTest.obliqueVolume();
		final Path tif = tmp.resolve("v.tif");
		assertTrue(new FileSaver(ImagePlusVolumes.toImagePlus(v, "v")).saveAsTiffStack(tif.toString()));
		final VolumeFileInfo info = VolumeIO.info(tif);
		assertArrayEquals(new int[] { 7, 5, 4 }, info.size());
		assertEquals("float32", info.voxelType());
		assertEquals("stored voxel-to-world matrix", info.geometrySource());
		final Volume back = VolumeIO.read(tif);
		assertArrayEquals(v.data(), back.data());
		assertEquals(v.voxelToWorld(), back.voxelToWorld());
		assertEquals(info.voxelToWorld(), back.voxelToWorld());
	}

	@Test
	void tiffWithOnlyACalibration() throws Exception {
		final ImageStack stack = new ImageStack(5, 4);
		for (int z = 0; z < 3; z++) {
			final short[] p = new short[20];
			for (int i = 0; i < 20; i++)
				p[i] = (short) (60000 - 100 * z - i);
			stack.addSlice(new ShortProcessor(5, 4, p, null));
		}
		final ImagePlus imp = new ImagePlus("cal", stack);
		final Calibration cal = imp.getCalibration();
		cal.pixelWidth = 0.8;
		cal.pixelHeight = 0.8;
		cal.pixelDepth = 1.5;
		cal.setUnit("mm");
		cal.xOrigin = 2;
		final Path tif = tmp.resolve("cal.tiff");
		assertTrue(new FileSaver(imp).saveAsTiffStack(tif.toString()));
		final Volume v = VolumeIO.read(tif);
		assertArrayEquals(new int[] { 5, 4, 3 }, v.size());
		assertEquals(60000 - 200 - 19, v.get(4, 3, 2));
		assertEquals(AffineTransform3D.of(-0.8, 0, 0, 1.6, 0, -0.8, 0, 0, 0, 0, 1.5, 0), v.voxelToWorld());
		assertEquals("uint16", VolumeIO.info(tif).voxelType());
	}

	@Test
	void hyperstackChannelsAndFramesAreVolumes() throws Exception {
		final int c = 2, z = 3, t = 2;
		final ImageStack stack = new ImageStack(2, 2);
		for (int i = 0; i < c * z * t; i++)
			stack.addSlice(new ShortProcessor(2, 2, new short[] { (short) i, (short) i, (short) i, (short) i }, null));
		final ImagePlus imp = new ImagePlus("hyper", stack);
		imp.setDimensions(c, z, t);
		imp.setOpenAsHyperStack(true);
		final Path tif = tmp.resolve("h.tif");
		assertTrue(new FileSaver(imp).saveAsTiffStack(tif.toString()));
		assertEquals(4, VolumeIO.info(tif).volumes());
		assertEquals(3, VolumeIO.info(tif).size()[2]);
		// volume 3 = frame 1, channel 1; its slice k is stack plane (t*z + k)*c + ch
		final Volume v = VolumeIO.read(tif, 3);
		for (int k = 0; k < z; k++)
			assertEquals((1 * z + k) * c + 1, v.get(0, 0, k));
	}

	@Test
	void indexedColourRgbAndSixteenBitPng() throws Exception {
		final byte[] r = new byte[256], g = new byte[256], b = new byte[256];
		for (int i = 0; i < 256; i++) {
			r[i] = (byte) i;
			g[i] = (byte) (255 - i);
			b[i] = 0;
		}
		final BufferedImage indexed = new BufferedImage(3, 2, BufferedImage.TYPE_BYTE_INDEXED, new IndexColorModel(8, 256, r, g, b));
		indexed.getRaster().setSample(1, 0, 0, 200);
		final Path png = tmp.resolve("indexed.png");
		ImageIO.write(indexed, "png", png.toFile());
		final Volume v = VolumeIO.read(png);
		assertArrayEquals(new int[] { 3, 2, 1 }, v.size());
		assertEquals(0.299 * 200 + 0.587 * 55, v.get(1, 0, 0), 1e-4, "the palette colour's luminance");
		assertEquals(0.587 * 255, v.get(0, 0, 0), 1e-4);
		assertEquals(AffineTransform3D.of(-1, 0, 0, 0, 0, -1, 0, 0, 0, 0, 1, 0), v.voxelToWorld());

		final BufferedImage rgb = new BufferedImage(2, 1, BufferedImage.TYPE_INT_RGB);
		rgb.setRGB(0, 0, 0x102030);
		rgb.setRGB(1, 0, 0x808080);
		final Path rgbPng = tmp.resolve("rgb.png");
		ImageIO.write(rgb, "png", rgbPng.toFile());
		final Volume c = VolumeIO.read(rgbPng);
		assertEquals(0.299 * 16 + 0.587 * 32 + 0.114 * 48, c.get(0, 0, 0), 1e-4);
		assertEquals(128, c.get(1, 0, 0));

		final BufferedImage wide = new BufferedImage(2, 2, BufferedImage.TYPE_USHORT_GRAY);
		wide.getRaster().setSample(1, 1, 0, 65000);
		final Path p16 = tmp.resolve("wide.png");
		ImageIO.write(wide, "png", p16.toFile());
		assertEquals(65000, VolumeIO.read(p16).get(1, 1, 0));
		assertEquals("uint16", VolumeIO.info(p16).voxelType());
	}

	@Test
	void jpegIsReadAsGreyValues() throws Exception {
		final BufferedImage grey = new BufferedImage(16, 16, BufferedImage.TYPE_BYTE_GRAY);
		for (int y = 0; y < 16; y++)
			for (int x = 0; x < 16; x++)
				grey.getRaster().setSample(x, y, 0, 100);
		final Path jpg = tmp.resolve("flat.jpg");
		ImageIO.write(grey, "jpeg", jpg.toFile());
		final Volume v = VolumeIO.read(jpg);
		assertArrayEquals(new int[] { 16, 16, 1 }, v.size());
		for (final float f : v.data())
			assertEquals(100, f, 2, "a flat grey JPEG stays flat up to compression error");
	}

	@Test
	void pngDotsPerInchAreIgnoredAsItkDoes() throws Exception {
		// this file records 72 dpi; ITK (and we) use spacing 1
		final Path png = SharedData.require("data/registration2d/BrainProtonDensitySliceShifted13x17y.png");
		assertArrayEquals(new double[] { 1, 1, 1 }, VolumeIO.info(png).voxelSize(), 0);
		final Volume fromPng = VolumeIO.read(png);
		assertEquals(AffineTransform3D.of(-1, 0, 0, 0, 0, -1, 0, 0, 0, 0, 1, 0), fromPng.voxelToWorld());
	}
}
