package org.progressionprobe.launcher;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.progressionprobe.testing.SharedData;

class LauncherTest {

	private final ByteArrayOutputStream out = new ByteArrayOutputStream();
	private final ByteArrayOutputStream err = new ByteArrayOutputStream();

	private int launch(final String... args) {
		return new Launcher(new PrintStream(out, true, StandardCharsets.UTF_8), new PrintStream(err, true, StandardCharsets.UTF_8)).run(args);
	}

	@Test
	void helpListsEveryCommandWithItsParameters() {
		assertEquals(0, launch("--help"));
		final String text = out.toString(StandardCharsets.UTF_8);
		assertTrue(text.contains("Volume Info"), text);
		assertTrue(text.contains("    input (required): path"), text);
	}

	@Test
	void runsVolumeInfoByTitleWithFijiSyntax() {
		final String ch2 = SharedData.require("data/template/ch2.nii.gz").toString();
		assertEquals(0, launch("--run", "Volume Info", "input=\"" + ch2 + "\""), err.toString(StandardCharsets.UTF_8));
		final String text = out.toString(StandardCharsets.UTF_8);
		assertTrue(text.contains("size: 181 x 217 x 181"), text);
		assertTrue(text.contains("orientation: RAS"), text);
	}

	@Test
	void failsWithTheFileNameWhenTheInputIsMissing() {
		assertEquals(1, launch("--run", "Volume Info", "input=\"/no/such/scan.nii.gz\""));
		final String e = err.toString(StandardCharsets.UTF_8);
		assertTrue(e.contains("/no/such/scan.nii.gz") && e.contains("file not found"), e);
	}

	@Test
	void usageErrorsExitWithTwo() {
		assertEquals(2, launch("--run", "No Such Command"));
		assertTrue(err.toString(StandardCharsets.UTF_8).contains("No command called 'No Such Command'"));
		err.reset();
		assertEquals(2, launch("--run", "Volume Info", "inptu=\"x\""));
		assertTrue(err.toString(StandardCharsets.UTF_8).contains("unknown parameter 'inptu'"), err.toString(StandardCharsets.UTF_8));
	}

	@Test
	void missingRequiredParameterIsNamed() {
		assertEquals(2, launch("--run", "Volume Info"));
		assertTrue(err.toString(StandardCharsets.UTF_8).contains("missing parameter 'input'"), err.toString(StandardCharsets.UTF_8));
	}

	@Test
	void eachOutputIsPrintedOnceAndAFailureIsOneLineUnlessDebug(@TempDir final Path dir) throws Exception {
		final Path predictions = dir.resolve("p.csv");
		Files.writeString(predictions, "subject,label,probability\ns1,0,0.2\ns2,1,0.8\ns3,1,0.6\ns4,0,0.4\ns5,1,0.3\ns6,0,0.1\n");
		assertEquals(0, launch("--run", "Evaluate Predictions", "predictions=\"" + predictions + "\",output_dir=\"" + dir.resolve("eval") + "\",bootstrap=10"),
				err.toString(StandardCharsets.UTF_8));
		final String text = out.toString(StandardCharsets.UTF_8);
		final String auc = text.substring(text.indexOf("AUC"), text.indexOf("AUC") + 10);
		assertTrue(text.contains("summary = "), text);
		assertEquals(1, text.split(java.util.regex.Pattern.quote(auc), -1).length - 1, "the summary once: " + text);

		err.reset();
		assertEquals(1, launch("--run", "Volume Info", "input=\"/no/such/scan.nii.gz\""));
		assertEquals(1, err.toString(StandardCharsets.UTF_8).lines().count(), err.toString(StandardCharsets.UTF_8));
		err.reset();
		assertEquals(1, launch("--debug", "--run", "Volume Info", "input=\"/no/such/scan.nii.gz\""));
		final String debug = err.toString(StandardCharsets.UTF_8);
		assertTrue(debug.contains("file not found") && debug.contains("\tat org.progressionprobe.io.VolumeIO"), debug);
	}

	@Test
	void aMultiLineMessageBecomesOneLine() {
		assertEquals("cohort.csv: 2 problems in the cohort file: row 1: no label; row 2: label 'x' is not 0 or 1",
				Launcher.oneLine("cohort.csv: 2 problems in the cohort file:\n  - row 1: no label\n  - row 2: label 'x' is not 0 or 1"));
	}

	@Test
	void anEmptyOptionalPathIsUnsetNotTheWorkingFolder(@TempDir final Path dir) throws Exception {
		final Path scan = dir.resolve("scan.nii.gz"), crop = dir.resolve("crop.nii.gz");
		org.progressionprobe.io.VolumeIO.write(org.progressionprobe.volume.Volume.zeros(10, 10, 10,
				org.progressionprobe.volume.AffineTransform3D.of(2, 0, 0, -10, 0, 2, 0, -10, 0, 0, 2, -10)), scan);
		assertEquals(0, launch("--run", "Crop To ROI", "input=\"" + scan + "\",output=\"" + crop + "\",labels=\"\",label_names=\"\",box_min_mm=\"-4,-4,-4\",box_max_mm=\"4,4,4\""),
				err.toString(StandardCharsets.UTF_8));
		assertTrue(Files.exists(crop));
	}
}
