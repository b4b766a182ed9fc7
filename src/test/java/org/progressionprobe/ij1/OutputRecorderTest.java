package org.progressionprobe.ij1;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.progressionprobe.io.VolumeInfoCommand;
import org.progressionprobe.launcher.CommandRunner;
import org.scijava.Context;
import org.scijava.command.CommandService;
import org.scijava.log.LogLevel;
import org.scijava.log.LogMessage;
import org.scijava.log.LogService;

/** The Fiji road (module postprocessing) and the error logging every command shares. */
class OutputRecorderTest {

	private Context context;

	@BeforeEach
	void start() {
		context = new Context();
		MacroBridge.clear();
	}

	@AfterEach
	void stop() {
		context.close();
	}

	@Test
	void fijiRunsRecordOutputsForMacros(@TempDir final Path tmp) throws Exception {
		final Path scan = TestVolumes.write(tmp.resolve("scan one.nii.gz"));
		final Path out = tmp.resolve("sum.txt");
		// as Fiji runs a command from the menu or a macro: with pre- and postprocessing
		context.getService(CommandService.class).run(ScaledSumTestCommand.class, true, "input", scan.toFile(), "factor", 2.0, "note", "a b",
				"absolute", true, "output", out.toFile()).get();
		assertEquals(String.valueOf(2 * TestVolumes.ABS_SUM), MacroBridge.output("sum"));
		assertEquals(out.toAbsolutePath().toString(), MacroBridge.output("Test Scaled Sum", "written"));
		assertEquals("sum=" + 2 * TestVolumes.ABS_SUM + " note=a b", Files.readString(out).strip());
		context.getService(CommandService.class).run(VolumeInfoCommand.class, true, "input", scan.toFile()).get();
		assertTrue(MacroBridge.output("info").contains("size: 4 x 5 x 6"), MacroBridge.output("info"));
		assertTrue(MacroBridge.output("Volume Info", "info").contains("voxel size (mm): 2.00000 x 2.00000 x 2.00000"));
		assertEquals("", MacroBridge.output("sum"), "the last run (Volume Info) has no 'sum'");
		assertEquals(String.valueOf(2 * TestVolumes.ABS_SUM), MacroBridge.output("test scaled sum", "sum"), "titles match case-insensitively");
		assertEquals("Volume Info", MacroBridge.lastCommand());
	}

	@Test
	void failingCommandsLogAnErrorNamingTheFile(@TempDir final Path tmp) {
		final List<LogMessage> messages = new ArrayList<>();
		context.getService(LogService.class).addLogListener(messages::add);
		final CommandRunner runner = new CommandRunner(context);
		final String missing = tmp.resolve("absent scan.nii.gz").toString();
		assertThrows(RuntimeException.class, () -> runner.run(VolumeInfoCommand.class, Map.of("input", missing)));
		assertThrows(RuntimeException.class,
				() -> runner.run(ScaledSumTestCommand.class, Map.of("input", missing, "output", tmp.resolve("x.txt").toString())));
		final List<String> errors = messages.stream().filter(m -> m.level() == LogLevel.ERROR).map(LogMessage::text).toList();
		assertTrue(errors.stream().anyMatch(t -> t.startsWith("Volume Info: ") && t.contains(missing) && t.contains("file not found")), errors.toString());
		assertTrue(errors.stream().anyMatch(t -> t.startsWith("Test Scaled Sum: ") && t.contains(missing)), errors.toString());
		assertTrue(Files.notExists(tmp.resolve("x.txt")), "no output after a failure");
	}
}
