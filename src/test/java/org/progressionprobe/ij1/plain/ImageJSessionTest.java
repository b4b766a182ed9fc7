package org.progressionprobe.ij1.plain;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.regex.Pattern;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.progressionprobe.ij1.TestVolumes;
import org.progressionprobe.io.VolumeInfoCommand;

import ij.Macro;

/**
 * Plain ImageJ without a window, as in a {@code -batch} macro: a command's summary and a failure are
 * printed once (ImageJ's Log goes to the console then), the failure in one line, its stack trace only
 * in debug mode.
 */
class ImageJSessionTest {

	@Test
	void aSummaryIsPrintedOnce(@TempDir final Path tmp) throws Exception {
		final Path scan = TestVolumes.write(tmp.resolve("scan.nii.gz"));
		final String console = runInMacro(VolumeInfoCommand.class.getName(), "input=[" + scan + "]");
		assertEquals(1, count(console, "size: 4 x 5 x 6"), console);
		assertTrue(console.contains("Volume Info: info:\nfile: "), console);
	}

	@Test
	void aFailureIsOneLineAndItsStackTraceOnlyInDebugMode(@TempDir final Path tmp) throws Exception {
		final Path missing = tmp.resolve("missing.nii.gz");
		final String console = runInMacro(VolumeInfoCommand.class.getName(), "input=[" + missing + "]");
		assertEquals(1, count(console, missing.toString()), console);
		assertEquals(1, console.strip().lines().count(), console);
		assertTrue(console.contains("Progression Probe: Volume Info failed: " + missing + ": file not found"), console);
		assertFalse(console.contains("\tat "), console);

		System.setProperty(ImageJSession.DEBUG, "true");
		try {
			final String debug = runInMacro(VolumeInfoCommand.class.getName(), "input=[" + missing + "]");
			assertEquals(1, count(debug, "\tat org.progressionprobe.io.VolumeInfoCommand.run"), "one stack trace\n" + debug);
			assertTrue(debug.contains("ERROR Volume Info: " + missing), "the command's own error line in debug mode\n" + debug);
		} finally {
			System.clearProperty(ImageJSession.DEBUG);
		}
	}

	/** Runs the plugin as ImageJ does for a macro's {@code run(...)} and returns what reached stdout and stderr. */
	private static String runInMacro(final String commandClass, final String options) throws Exception {
		ImageJSession.context(); // created before capturing, as on a second run
		final PrintStream out = System.out, err = System.err;
		final ByteArrayOutputStream buffer = new ByteArrayOutputStream();
		final PrintStream both = new PrintStream(buffer, true, StandardCharsets.UTF_8);
		System.setOut(both);
		System.setErr(both);
		try {
			final Thread t = new Thread(() -> {
				Macro.setOptions(Thread.currentThread(), options);
				new CommandPlugIn().run(commandClass);
			}, "Run$_test");
			t.start();
			t.join();
		} finally {
			System.setOut(out);
			System.setErr(err);
		}
		return buffer.toString(StandardCharsets.UTF_8);
	}

	private static int count(final String text, final String part) {
		return (int) Pattern.compile(Pattern.quote(part)).matcher(text).results().count();
	}
}
