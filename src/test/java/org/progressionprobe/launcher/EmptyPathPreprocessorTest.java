package org.progressionprobe.launcher;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.progressionprobe.align.CropToRoiCommand;
import org.progressionprobe.io.VolumeIO;
import org.progressionprobe.io.VolumeInfoCommand;
import org.progressionprobe.probe.TrainProbeCommand;
import org.progressionprobe.volume.AffineTransform3D;
import org.progressionprobe.volume.Volume;
import org.scijava.Cancelable;
import org.scijava.Context;
import org.scijava.command.CommandService;
import org.scijava.module.Module;

/**
 * Commands run as Fiji's {@code --headless --run} runs them (CommandService with text values that
 * SciJava's ConvertService turns into a File), not through the launcher: an empty required path is
 * refused naming the key, an empty optional one is unset.
 */
class EmptyPathPreprocessorTest {

	private static Context context;

	@BeforeAll
	static void start() {
		context = new Context();
	}

	@AfterAll
	static void stop() {
		context.dispose();
	}

	private static Module run(final Class<? extends org.scijava.command.Command> c, final Map<String, Object> inputs) throws Exception {
		return context.service(CommandService.class).run(c, true, inputs).get();
	}

	@Test
	void anEmptyRequiredPathCancelsTheCommandNamingTheKey(@TempDir final Path dir) throws Exception {
		final Module info = run(VolumeInfoCommand.class, Map.of("input", ""));
		assertTrue(((Cancelable) info).isCanceled(), "Volume Info ran on an empty path");
		assertEquals("Volume Info: 'input' is empty: give a path", ((Cancelable) info).getCancelReason());

		final Path features = dir.resolve("features.csv");
		Files.writeString(features, "subject,label,f1\ns1,0,0.1\ns2,1,0.9\ns3,0,0.2\ns4,1,0.8\n");
		final List<String> before = listing(Path.of(""));
		final Module train = run(TrainProbeCommand.class, Map.of("features", features.toString(), "output_dir", ""));
		assertTrue(((Cancelable) train).isCanceled(), "Train Probe ran with an empty output folder");
		assertTrue(((Cancelable) train).getCancelReason().contains("'output_dir' is empty"), ((Cancelable) train).getCancelReason());
		assertEquals(before, listing(Path.of("")), "the working folder changed");
	}

	@Test
	void anEmptyOptionalPathIsUnset(@TempDir final Path dir) throws Exception {
		final Path scan = dir.resolve("scan.nii.gz"), crop = dir.resolve("crop.nii.gz");
		VolumeIO.write(Volume.zeros(10, 10, 10, AffineTransform3D.of(2, 0, 0, -10, 0, 2, 0, -10, 0, 0, 2, -10)), scan);
		final Module m = run(CropToRoiCommand.class, Map.of("input", scan.toString(), "output", crop.toString(), "labels", "", "label_names", "",
				"box_min_mm", "-4,-4,-4", "box_max_mm", "4,4,4"));
		assertFalse(((Cancelable) m).isCanceled(), ((Cancelable) m).getCancelReason());
		assertEquals(null, m.getInput("labels"));
		assertEquals(5, VolumeIO.read(crop).nx());
	}

	private static List<String> listing(final Path folder) throws Exception {
		final List<String> names = new ArrayList<>();
		try (Stream<Path> s = Files.list(folder.toAbsolutePath())) {
			s.forEach(p -> names.add(p.getFileName().toString()));
		}
		names.sort(null);
		return names;
	}
}
