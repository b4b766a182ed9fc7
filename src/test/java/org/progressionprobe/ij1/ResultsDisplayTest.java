package org.progressionprobe.ij1;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.util.Map;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.progressionprobe.io.ImagePlusVolumes;
import org.progressionprobe.io.VolumeIO;
import org.progressionprobe.launcher.CommandRunner;
import org.progressionprobe.volume.Volume;
import org.scijava.Context;

import ij.CompositeImage;
import ij.ImagePlus;

/** The display layer's parts that need no screen, and the Help command headless. */
class ResultsDisplayTest {

	@Test
	void nothingIsShownHeadless() {
		assertFalse(ResultsDisplay.available(), "the tests run with java.awt.headless=true");
	}

	@Test
	void overlayIsATwoChannelCompositeOnTheSecondVolumesGeometry(@TempDir final Path tmp) throws Exception {
		final Volume a = VolumeIO.read(TestVolumes.write(tmp.resolve("a.nii.gz")));
		final Volume b = a.withData(a.data().clone());
		b.data()[7] = 1000;
		final ImagePlus both = ResultsDisplay.overlay(a, b, "fixed", "aligned", "fit");
		assertTrue(both instanceof CompositeImage);
		assertEquals(2, both.getNChannels());
		assertEquals(6, both.getNSlices());
		assertEquals(2.0, both.getCalibration().pixelDepth);
		both.setPosition(2, 1, 1);
		assertEquals(1000f, both.getProcessor().getf(7));
		both.setPosition(1, 1, 1);
		assertEquals(a.data()[7], both.getProcessor().getf(7));
		assertEquals(ImagePlusVolumes.toImagePlus(b, "b").getProp(ImagePlusVolumes.MATRIX_PROPERTY), both.getProp(ImagePlusVolumes.MATRIX_PROPERTY));
		// different grids: the second volume alone
		final Volume small = Volume.zeros(2, 2, 2, a.voxelToWorld());
		assertEquals(1, ResultsDisplay.overlay(a, small, "fixed", "aligned", "fit").getNChannels());
	}

	@Test
	void helpCommandGivesTheReadmeAddressHeadless() {
		try (Context context = new Context()) {
			final Map<String, Object> out = new CommandRunner(context).run("Progression Probe Help", "");
			assertEquals(HelpCommand.README, out.get("url"));
		}
	}
}
