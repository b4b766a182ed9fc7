package org.progressionprobe.io;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.progressionprobe.launcher.Launcher;
import org.progressionprobe.testing.SharedData;

/** The IO commands from the command line (bin/progression-probe), run in-process. */
class IOLauncherTest {

	@TempDir
	Path tmp;

	private final ByteArrayOutputStream out = new ByteArrayOutputStream();
	private final ByteArrayOutputStream err = new ByteArrayOutputStream();

	private int launch(final String... args) {
		out.reset();
		err.reset();
		return new Launcher(new PrintStream(out, true, StandardCharsets.UTF_8), new PrintStream(err, true, StandardCharsets.UTF_8)).run(args);
	}

	private String out() {
		return out.toString(StandardCharsets.UTF_8);
	}

	private String err() {
		return err.toString(StandardCharsets.UTF_8);
	}

	@Test
	void volumeInfoOfADicomFolderAndAMetaImage() throws Exception {
		final Path dir = Files.createDirectory(tmp.resolve("dicom"));
		Files.copy(SharedData.require("data/formats/0.dcm"), dir.resolve("0.dcm"));
		Files.copy(SharedData.require("data/formats/1.dcm"), dir.resolve("1.dcm"));
		assertEquals(0, launch("--run", "Volume Info", "input=\"" + dir + "\""), err());
		assertTrue(out().contains("size: 256 x 256 x 2") && out().contains("orientation: LPS"), out());
		final Path mhd = SharedData.require("data/registration2d/BrainProtonDensitySliceShifted13x17yDirectionPlus30.mhd");
		assertEquals(0, launch("--run", "Volume Info", "input=\"" + mhd + "\""), err());
		assertTrue(out().contains("-0.866025") && out().contains("0.500000"), out());
	}

	@Test
	void openVolumePrintsTheImage() {
		final Path f = SharedData.require("data/formats/example4d.nii.gz");
		assertEquals(0, launch("--run", "Open Volume", "input=\"" + f + "\",index=1"), err());
		assertTrue(out().contains("image = ") && out().contains("128x96x1x24x1"), out());
	}

	@Test
	void convertVolumeWritesTheOutput() throws Exception {
		final Path f = SharedData.require("data/registration2d/RatLungSlice1.mha");
		final Path o = tmp.resolve("lung.nii.gz");
		assertEquals(0, launch("--run", "Convert Volume", "input=\"" + f + "\",output=\"" + o + "\""), err());
		assertTrue(out().contains("size: 128 x 128 x 1"), out());
		assertArrayEquals(VolumeIO.read(f).data(), VolumeIO.read(o).data());
		assertEquals(1, launch("--run", "Convert Volume", "input=\"" + f + "\",output=\"" + tmp.resolve("lung.bmp") + "\""));
		assertTrue(err().contains("lung.bmp") && err().contains("cannot write"), err());
	}

	@Test
	void saveVolumeNeedsAnImageFromFiji() {
		assertEquals(2, launch("--run", "Save Volume", "output=\"" + tmp.resolve("x.nii.gz") + "\""));
		assertTrue(err().contains("missing parameter 'image'"), err());
		assertEquals(0, launch("--help", "Save Volume"));
		assertTrue(out().contains("image (required): ImagePlus") && out().contains("output (required): path"), out());
	}

	@Test
	void unsupportedFormatIsAClearFailure() throws Exception {
		final Path f = tmp.resolve("scan.xyz");
		Files.writeString(f, "?");
		assertEquals(1, launch("--run", "Open Volume", "input=\"" + f + "\""));
		assertTrue(err().contains("scan.xyz") && err().contains("unsupported format"), err());
	}
}
