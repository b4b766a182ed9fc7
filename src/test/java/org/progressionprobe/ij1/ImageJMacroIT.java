package org.progressionprobe.ij1;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.jar.JarEntry;
import java.util.jar.JarOutputStream;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.progressionprobe.ij1.plain.PluginsConfig;
import org.progressionprobe.launcher.CommandRunner;
import org.progressionprobe.table.FeatureTable;
import org.progressionprobe.testing.BallCohort;
import org.scijava.Context;

/**
 * ImageJ 1 itself ({@code java -jar ij.jar -batch}) runs macros that call the suite's commands by
 * title through the {@code -ij1} bridge, under Xvfb (ImageJ 1 needs a display to build the menus
 * that hold plugin commands). Skipped without xvfb-run ({@code apt-get install xvfb xauth}).
 */
class ImageJMacroIT {

	/** A macro step: a command title, its options ({scan}, {work} are replaced) and expected text in its outputs. */
	record Step(String title, String options, Map<String, String> expected) {}

	/** The macro pipeline under test; a new command is one more line. */
	static final List<Step> STEPS = List.of(
			new Step("Volume Info", "input=[{scan}]", Map.of("info", "size: 4 x 5 x 6")),
			new Step("Test Scaled Sum", "input=[{scan}] factor=2.5 note=[two words] absolute output=[{work}/out dir/sum.txt]",
					Map.of("sum", String.valueOf(2.5 * TestVolumes.ABS_SUM), "written", "/out dir/sum.txt")),
			new Step("Simulate Cohort", "output_dir=[{work}/sim] subjects=10 voxel_size_mm=6", Map.of("summary", "10 subjects (5 progressors, 5 stable)")),
			new Step("Align Pair", "fixed=[{work}/sim/sub-001_baseline.nii.gz] moving=[{work}/sim/sub-001_followup.nii.gz] output_dir=[{work}/align]"
					+ " transform_type=rigid metric=ncc", Map.of("converged", "true")),
			new Step("Cohort Features", "cohort=[{work}/sim/cohort.csv] output=[{work}/change.csv] alignment=pair",
					Map.of("summary", "10 computed, 0 reused")),
			new Step("Train Probe", "features=[{work}/change.csv] output_dir=[{work}/probe] folds=3 bootstrap=50", Map.of("summary", "AUC")),
			new Step("Apply Probe", "probe=[{work}/probe/probe.tribuo] features=[{work}/change.csv] output=[{work}/predictions.csv]",
					Map.of("summary", "10 rows")));

	@TempDir
	static Path work;
	static Path plugins;
	static Path scan;
	static String xvfbRun;

	@BeforeAll
	static void pluginsFolder() throws Exception {
		xvfbRun = ExternalRun.require("xvfb-run", "apt-get install -y xvfb xauth");
		final Path built = ExternalRun.built("target/imagej1-plugins");
		plugins = work.resolve("imagej");
		final Path dir = Files.createDirectories(plugins.resolve("plugins/jars"));
		try (var files = Files.walk(built)) {
			for (final Path f : files.filter(p -> p.toString().endsWith(".jar")).toList())
				Files.copy(f, plugins.resolve("plugins").resolve(built.relativize(f).toString()));
		}
		testCommandJar(plugins.resolve("plugins/progression_probe_tests.jar"));
		assertTrue(Files.isDirectory(dir));
		scan = TestVolumes.write(work.resolve("scans/scan one.nii.gz"));
	}

	/** The test-only command as ImageJ sees a plugin jar: class, SciJava index entry, plugins.config line. */
	static void testCommandJar(final Path jar) throws Exception {
		final String index = Files.readString(Path.of("target/test-classes/META-INF/json/org.scijava.plugin.Plugin"));
		final Matcher m = Pattern.compile("\\{\"class\":\"" + Pattern.quote(ScaledSumTestCommand.class.getName()) + "\".*?\\}\\}").matcher(index);
		assertTrue(m.find(), index);
		final String line;
		try (Context context = new Context()) {
			line = PluginsConfig.line(new CommandRunner(context).find(ScaledSumTestCommand.class.getName()));
		}
		try (OutputStream out = Files.newOutputStream(jar); JarOutputStream j = new JarOutputStream(out)) {
			j.putNextEntry(new JarEntry("plugins.config"));
			j.write((line + "\n").getBytes(StandardCharsets.UTF_8));
			j.putNextEntry(new JarEntry("META-INF/json/org.scijava.plugin.Plugin"));
			j.write(m.group().getBytes(StandardCharsets.UTF_8));
			final String cls = ScaledSumTestCommand.class.getName().replace('.', '/') + ".class";
			j.putNextEntry(new JarEntry(cls));
			j.write(Files.readAllBytes(Path.of("target/test-classes", cls)));
		}
	}

	static ExternalRun imagej(final Path macro, final String argument) throws Exception {
		return batch(xvfbRun, plugins, macro, work, argument);
	}

	/** {@code java -jar ij.jar -batch macro [argument]} under Xvfb with this ImageJ folder (its plugins/), run in {@code cwd}. */
	static ExternalRun batch(final String xvfbRun, final Path imagej, final Path macro, final Path cwd, final String... argument) throws Exception {
		final Path ij = Path.of(ij.ImageJ.class.getProtectionDomain().getCodeSource().getLocation().toURI());
		// ImageJ's own exit status, reported from inside xvfb-run (whose status also reflects its cleanup)
		final List<String> cmd = new ArrayList<>(List.of(xvfbRun, "-a", "sh", "-c", "\"$@\"; echo \"[imagej exit status $?]\"", "sh",
				Path.of(System.getProperty("java.home"), "bin", "java").toString(), "-Xmx1g", "-Dplugins.dir=" + imagej, "-jar", ij.toString(),
				"-batch", macro.toString()));
		for (final String a : argument)
			if (a != null)
				cmd.add(a);
		final ExternalRun r = ExternalRun.run(cmd, cwd, cwd.resolve(macro.getFileName() + ".log"), 180);
		final Matcher m = Pattern.compile("\\[imagej exit status (\\d+)]").matcher(r.output());
		assertTrue(m.find(), "ImageJ did not finish:\n" + r.output());
		return new ExternalRun(Integer.parseInt(m.group(1)), r.output());
	}

	static String fill(final String s) {
		return s.replace("{scan}", scan.toString()).replace("{work}", work.toString());
	}

	@Test
	void macroRunsEveryStepAndReadsItsOutputs() throws Exception {
		final Path results = Files.createDirectories(work.resolve("results"));
		final StringBuilder macro = new StringBuilder();
		for (int i = 0; i < STEPS.size(); i++) {
			final Step s = STEPS.get(i);
			macro.append("run(\"").append(s.title()).append("\", \"").append(fill(s.options())).append("\");\n");
			for (final String key : s.expected().keySet())
				macro.append("File.saveString(call(\"org.progressionprobe.ij1.MacroBridge.output\", \"").append(s.title()).append("\", \"")
						.append(key).append("\"), \"").append(results).append("/").append(i).append("-").append(key).append(".txt\");\n");
		}
		final Path file = Files.writeString(work.resolve("steps.ijm"), macro);
		final ExternalRun r = imagej(file, null);
		assertEquals(0, r.status(), r.output());
		for (int i = 0; i < STEPS.size(); i++)
			for (final Map.Entry<String, String> e : STEPS.get(i).expected().entrySet()) {
				final Path out = results.resolve(i + "-" + e.getKey() + ".txt");
				assertTrue(Files.exists(out), STEPS.get(i).title() + " -> " + e.getKey() + " not written\n" + macro + r.output());
				final String value = Files.readString(out);
				assertTrue(value.contains(e.getValue()), STEPS.get(i).title() + " -> " + e.getKey() + " = " + value + ", expected " + e.getValue());
			}
		assertEquals("sum=" + 2.5 * TestVolumes.ABS_SUM + " note=two words", Files.readString(work.resolve("out dir/sum.txt")).strip());
		assertTrue(r.output().contains("Test Scaled Sum: sum = " + 2.5 * TestVolumes.ABS_SUM), "outputs go to the Log:\n" + r.output());
	}

	@Test
	void aFailingCommandStopsTheBatchMacroNamingTheFile() throws Exception {
		final Path missing = work.resolve("no such dir/absent scan.nii.gz");
		final Path macro = Files.writeString(work.resolve("fails.ijm"),
				"print(\"BEFORE\");\nrun(\"Volume Info\", \"input=[" + missing + "]\");\nprint(\"AFTER\");\n");
		final ExternalRun r = imagej(macro, null);
		assertEquals(1, r.status(), r.output());
		assertTrue(r.output().contains("Volume Info failed: " + missing + ": file not found"), r.output());
		assertTrue(r.output().contains("BEFORE"), r.output());
		assertFalse(r.output().contains("AFTER"), "the macro must stop at the failing command:\n" + r.output());
	}

	@Test
	void wrongKeysAreNamed() throws Exception {
		final Path macro = Files.writeString(work.resolve("keys.ijm"), "run(\"Test Scaled Sum\", \"input=[" + scan + "] factr=2\");\nprint(\"AFTER\");\n");
		final ExternalRun r = imagej(macro, null);
		assertEquals(1, r.status(), r.output());
		assertTrue(r.output().contains("Test Scaled Sum: unknown parameter 'factr'"), r.output());
		assertFalse(r.output().contains("AFTER"), r.output());
	}

	@Test
	void examplePipelineMacroRunsOnACohort() throws Exception {
		final Path cohort = BallCohort.write(Files.createDirectories(work.resolve("cohort one")), 12, 9);
		final Path out = work.resolve("pipeline out");
		final ExternalRun r = imagej(Path.of("scripts/examples/pipeline.ijm").toAbsolutePath(), "cohort=[" + cohort + "] output=[" + out + "] folds=2");
		assertEquals(0, r.status(), r.output());
		final List<String> inputs = Files.readAllLines(out.resolve("inputs.csv"));
		assertEquals(13, inputs.size());
		assertEquals("s11,28x28x28,28x28x28", inputs.get(12));
		assertTrue(Files.exists(out.resolve("aligned/s3/aligned.nii.gz")), "Align Pair ran");
		assertEquals(12, FeatureTable.read(out.resolve("features.csv")).rowCount(), "Change Features gave a row per subject");
		assertEquals(12, FeatureTable.read(out.resolve("predictions.csv")).rowCount(), "Train Probe and Apply Probe ran");
		assertTrue(r.output().contains("pipeline done: " + out), r.output());
	}
}
