package org.progressionprobe.builtin;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A package's {@code training_settings.txt} reads back as the settings that wrote it. */
class TrainingSettingsTest {

	@TempDir
	Path tmp;

	@Test
	void settingsFileReadsBackAsTheSettingsThatWroteIt() throws IOException {
		final TrainingSettings s = new TrainingSettings("registration", 7, 300, 2, 12, 3, 4, 6, 3, new int[] { 16, 24, 32 }, 5e-4, 4, 6, 0.25);
		final StringBuilder text = new StringBuilder("# comment: ignored\n");
		for (final Map.Entry<String, String> e : s.describe().entrySet())
			text.append(e.getKey()).append(": ").append(e.getValue()).append('\n');
		text.append("simulation.seed: 12345\n");
		final Path f = Files.writeString(tmp.resolve("training_settings.txt"), text);
		final TrainingSettings r = TrainingSettings.read(f);
		assertEquals(s.describe(), r.describe());
		assertEquals(s.simulation(false).identity(), r.simulation(false).identity());
		assertEquals(99, r.withSeed(99).seed());
		assertEquals(5, r.withHeldOut(5).heldOut());
		assertEquals(0, r.threads());
		final Path single = Files.writeString(tmp.resolve("single.txt"), text.toString().replace("threads: 0", "threads: 1"));
		assertEquals(1, TrainingSettings.read(single).threads());
		final Path before = Files.writeString(tmp.resolve("before_threads.txt"), text.toString().replace("threads: 0\n", ""));
		assertEquals(0, TrainingSettings.read(before).threads(), "a package written before the option trained on all cores");
		final Path constant = Files.writeString(tmp.resolve("before_curriculum.txt"), text.toString().replaceAll("(volume_weight|motion_first): .*\n", ""));
		assertEquals(10, TrainingSettings.read(constant).volumeWeight(), "a package written before the options weighed the volume change 10");
		assertEquals(0, TrainingSettings.read(constant).motionFirst());
		final Path joint = Files.writeString(tmp.resolve("before_split.txt"), text.toString().replace("global_motion: false", "global_motion: true").replaceAll("split_motion: .*\n", ""));
		assertTrue(TrainingSettings.read(joint).globalMotion());
		assertFalse(TrainingSettings.read(joint).splitMotion(), "a package written before the option held the sum of both fields to the whole target");
		final IllegalArgumentException negative = assertThrows(IllegalArgumentException.class, () -> s.withThreads(-1));
		assertEquals("threads must be between 0 (all cores) and 1024, got -1", negative.getMessage());
	}

	@Test
	void aMissingOrBadKeyIsAnErrorNamingTheFileAndTheKey() throws IOException {
		final Path f = Files.writeString(tmp.resolve("training_settings.txt"), "network: unet\nseed: 1\n");
		final IOException missing = assertThrows(IOException.class, () -> TrainingSettings.read(f));
		assertTrue(missing.getMessage().contains(f.toString()) && missing.getMessage().contains("no steps"), missing.getMessage());
		final StringBuilder text = new StringBuilder();
		new TrainingSettings("unet", 7, 300, 2, 12, 3, 4, 6, 3, new int[] { 16, 24, 32 }, 5e-4, 4, 6, 0.25).describe()
				.forEach((k, v) -> text.append(k).append(": ").append(k.equals("input_size") ? "32,x,32" : v).append('\n'));
		final Path bad = Files.writeString(tmp.resolve("bad_settings.txt"), text);
		final IOException size = assertThrows(IOException.class, () -> TrainingSettings.read(bad));
		assertTrue(size.getMessage().contains(bad.toString()) && size.getMessage().contains("input_size") && size.getMessage().contains("'x'"), size.getMessage());
	}
}
