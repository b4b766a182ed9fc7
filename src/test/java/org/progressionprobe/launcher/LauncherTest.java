package org.progressionprobe.launcher;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;

import org.junit.jupiter.api.Test;
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
}
