package org.progressionprobe.ij1;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import java.util.stream.Stream;

import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.progressionprobe.ij1.plain.MacroOptions;
import org.progressionprobe.launcher.CommandRunner;
import org.progressionprobe.testing.BallCohort;
import org.scijava.Context;
import org.scijava.command.CommandInfo;

/**
 * ImageJ 1 as its users meet it, under Xvfb at 1366x768: commands run from their menu entries through
 * their dialogs ({@link DialogDriver} fills them by key and presses OK), with the macro Recorder on.
 * The recorded macro has one line per run, each key once, only required or changed keys, nothing for a
 * cancelled dialog; replayed in {@code -batch} it writes the same files. Results appear on screen (a
 * study's on a tiny cohort, {@link BallCohort}), and
 * every command's dialog fits the screen. Skipped without xvfb-run ({@code apt-get install xvfb xauth}).
 */
class ImageJDialogsIT {

	@TempDir
	static Path work;
	static Path plugins;
	static String xvfbRun;

	@BeforeAll
	static void pluginsFolder() throws Exception {
		xvfbRun = ExternalRun.require("xvfb-run", "apt-get install -y xvfb xauth");
		plugins = install(ExternalRun.built("target/imagej1-plugins"), work.resolve("imagej"));
	}

	/** The built plain-ImageJ plugins folder, copied to {@code dir}/plugins; returns {@code dir}. */
	static Path install(final Path built, final Path dir) throws Exception {
		Files.createDirectories(dir.resolve("plugins/jars"));
		try (Stream<Path> files = Files.walk(built)) {
			for (final Path f : files.filter(p -> p.toString().endsWith(".jar")).toList())
				Files.copy(f, dir.resolve("plugins").resolve(built.relativize(f).toString()));
		}
		return dir;
	}

	/** Runs {@link DialogDriver} on a script under Xvfb at 1366x768; its output folder is {@code out}. */
	static ExternalRun drive(final Path imagej, final String script, final Path out, final Path cwd) throws Exception {
		final Path driver = cwd.resolve("driver");
		final String cls = DialogDriver.class.getName().replace('.', '/') + ".class";
		Files.createDirectories(driver.resolve(cls).getParent());
		Files.copy(Path.of("target/test-classes", cls), driver.resolve(cls), java.nio.file.StandardCopyOption.REPLACE_EXISTING);
		final Path file = Files.writeString(cwd.resolve("driver-" + out.getFileName() + ".txt"), script, StandardCharsets.UTF_8);
		final Path ij = Path.of(ij.ImageJ.class.getProtectionDomain().getCodeSource().getLocation().toURI());
		final List<String> cmd = List.of(xvfbRun, "-a", "-s", "-screen 0 1366x768x24", Path.of(System.getProperty("java.home"), "bin", "java").toString(),
				"-Xmx2g", "-Dai.djl.offline=true", "-Dplugins.dir=" + imagej, "-cp", ij + java.io.File.pathSeparator + driver, DialogDriver.class.getName(),
				file.toString(), out.toString());
		return ExternalRun.run(cmd, cwd, cwd.resolve("driver-" + out.getFileName() + ".log"), 900);
	}

	static String step(final String... parts) {
		return String.join("\t", parts) + "\n";
	}

	@Test
	void recordedMacroReplaysInBatchToTheSameFiles() throws Exception {
		final Path rec = work.resolve("rec"), replay = work.resolve("replay");
		final String sim = rec + "/sim";
		final String script = step("run", "Simulate Cohort", "output_dir=" + sim, "subjects=8", "voxel_size_mm=6")
				+ step("run", "Align Pair", "fixed=" + sim + "/sub-001_baseline.nii.gz", "moving=" + sim + "/sub-001_followup.nii.gz",
						"output_dir=" + rec + "/align one", "transform_type=rigid", "seed=2")
				+ step("run", "Cohort Features", "cohort=" + sim + "/cohort.csv", "output=" + rec + "/change.csv", "alignment=pair", "threads=1",
						"parallel_pairs=2")
				+ step("run", "Run Study", "cohort=" + sim + "/cohort.csv", "output_dir=" + rec + "/study", "alignments=none", "roi=off", "folds=3", "bootstrap=50",
						"threads=1", "parallel_pairs=2", "repeats=2", "permutations=5", "nested=false")
				+ step("run", "Study Report", "study_dir=" + rec + "/study")
				+ step("cancel", "Run Study")
				+ step("run", "Train Probe", "features=" + rec + "/change.csv", "output_dir=" + rec + "/probe", "folds=3", "bootstrap=50")
				+ step("run", "Apply Probe", "probe=" + rec + "/probe/probe.tribuo", "features=" + rec + "/change.csv", "output=" + rec + "/predictions.csv")
				+ step("windows");
		final Path out = work.resolve("driven");
		final ExternalRun r = drive(plugins, script, out, work);
		assertEquals(0, r.status(), r.output());
		final String recorded = Files.readString(out.resolve("recorded.ijm"));
		final List<String> lines = recorded.lines().filter(l -> !l.isBlank()).toList();
		assertEquals(7, lines.size(), "one line per run, none for the cancelled Run Study:\n" + recorded);
		assertTrue(lines.get(3).contains(" alignments=none "), "the checkboxes of a list-valued key: " + lines.get(3));
		final Pattern run = Pattern.compile("run\\(\"([^\"]+)\", \"(.*)\"\\);");
		for (final String line : lines) {
			final Matcher m = run.matcher(line);
			assertTrue(m.matches(), line);
			MacroOptions.parse(m.group(2)); // throws on a key given twice
		}
		assertEquals("run(\"Align Pair\", \"fixed=" + sim + "/sub-001_baseline.nii.gz moving=" + sim + "/sub-001_followup.nii.gz output_dir=[" + rec
				+ "/align one] transform_type=rigid seed=2\");", lines.get(1), "required keys and changed ones only; empty masks left out");
		assertTrue(lines.get(2).endsWith(" alignment=pair threads=1 parallel_pairs=2\");"), "Cohort Features' advanced settings: " + lines.get(2));
		assertEquals(1, lines.stream().filter(l -> l.startsWith("run(\"Run Study\"")).count(), recorded);
		for (final String key : List.of(" threads=1 parallel_pairs=2 folds=3 ", " bootstrap=50 ", " repeats=2 permutations=5 nested=false\");"))
			assertTrue(lines.get(3).contains(key), "Run Study's advanced settings: " + key + " in " + lines.get(3));
		assertEquals("run(\"Study Report\", \"study_dir=" + rec + "/study\");", lines.get(4));
		assertTrue(r.output().contains("WINDOWS"), r.output());
		final String windows = r.output().substring(r.output().indexOf("WINDOWS"));
		for (final String shown : List.of("Align Pair: fixed (magenta) and aligned (green)", "aligned.nii.gz", "roc.png", "Probe weights (weights.csv)",
				"Apply Probe (predictions.csv)", "Cohort Features (change.csv)"))
			assertTrue(windows.contains(shown), "not on screen: " + shown + "\n" + windows);

		final Path macro = Files.writeString(work.resolve("replay.ijm"), recorded.replace(rec.toString(), replay.toString()));
		final ExternalRun b = ImageJMacroIT.batch(xvfbRun, plugins, macro, work);
		assertEquals(0, b.status(), b.output());
		final Set<String> a = files(rec), c = files(replay);
		assertEquals(a, c, "the replay writes the same files");
		for (final String f : a)
			if (!f.endsWith(".tribuo") && !f.endsWith(".png"))
				assertTrue(Arrays.equals(normalised(rec.resolve(f), rec, replay), normalised(replay.resolve(f), rec, replay)), f + " differs");
	}

	@Test
	void studyEvaluationAndDemoResultsAreShown() throws Exception {
		final Path dir = work.resolve("shown"), study = dir.resolve("study"), demo = dir.resolve("demo");
		final Path cohort = BallCohort.write(Files.createDirectories(dir.resolve("balls")), 12, 7);
		final StringBuilder predictions = new StringBuilder("subject,label,probability\n");
		for (int i = 0; i < 10; i++)
			predictions.append("s").append(i).append(',').append(i % 2).append(',').append(0.1 + 0.06 * i + 0.2 * (i % 2)).append('\n');
		final Path csv = Files.writeString(dir.resolve("predictions.csv"), predictions);
		final String script = step("run", "Run Study", "cohort=" + cohort, "output_dir=" + study, "alignments=none", "roi=off", "extractors=change",
				"folds=3", "bootstrap=50") + step("windows") + step("close")
				+ step("run", "Study Report", "study_dir=" + study) + step("windows") + step("close")
				+ step("run", "Evaluate Predictions", "predictions=" + csv, "output_dir=" + dir.resolve("evaluation"), "bootstrap=50") + step("windows")
				+ step("close") + step("run", "Run Demo", "output_dir=" + demo, "subjects=10", "voxel_size_mm=6", "models=") + step("windows");
		final ExternalRun r = drive(plugins, script, work.resolve("shown-driven"), work);
		assertEquals(0, r.status(), r.output());
		final List<String> shown = List.of(r.output().split("\nSTEP ")).stream().filter(s -> s.startsWith("windows")).toList();
		assertEquals(4, shown.size(), r.output());
		final String[] studies = { study.toString(), study.toString(), null, demo.resolve("study").toString() };
		final int[] opened = { 1, 2, 0, 3 };
		for (int i : new int[] { 0, 1, 3 }) {
			final String w = shown.get(i);
			for (final String window : List.of("Comparison (comparison.csv)", "comparison.png", "heatmap.png"))
				assertTrue(w.contains(window), "not on screen: " + window + "\n" + w);
			assertTrue(w.contains(studies[i] + "/report.html"), w);
			assertEquals(opened[i], Pattern.compile("Progression Probe: open(ed in the web browser: | )\\S*/report\\.html").matcher(w).results().count(),
					"the Log says that report.html is opened (or where it is, without a browser)\n" + w);
		}
		for (final String window : List.of("Evaluation (metrics.csv)", "roc.png"))
			assertTrue(shown.get(2).contains(window), "not on screen: " + window + "\n" + shown.get(2));
	}

	@Test
	void everyDialogFitsA1366x768Screen() throws Exception {
		final List<String> titles = new ArrayList<>();
		try (Context context = new Context()) {
			for (final CommandInfo info : new CommandRunner(context).suiteCommands())
				if (java.util.stream.StreamSupport.stream(info.inputs().spliterator(), false).anyMatch(CommandRunner::isUserInput) && info.getClassName().startsWith("org.progressionprobe")
						&& !info.getClassName().equals(ScaledSumTestCommand.class.getName()))
					titles.add(info.getTitle());
		}
		final Path scan = TestVolumes.write(Files.createDirectories(work.resolve("scans")).resolve("scan.nii.gz"));
		// an open image stands in for a scan file: its title, which names no file in the working folder
		final StringBuilder script = new StringBuilder(step("run", "Open Volume", "input=" + scan)).append(step("run", "Volume Info", "input=scan.nii.gz"));
		for (final String t : titles)
			script.append(step("measure", t));
		script.append(step("run", "Engine Info")).append(step("windows"));
		final Path out = work.resolve("measured");
		final ExternalRun r = drive(plugins, script.toString(), out, work);
		assertEquals(0, r.status(), r.output());
		final List<String> heights = r.output().lines().filter(l -> l.startsWith("HEIGHT\t")).toList();
		assertTrue(heights.size() >= titles.size(), r.output());
		for (final String t : titles)
			assertTrue(heights.stream().anyMatch(h -> h.startsWith("HEIGHT\t" + t + "\tmain\t")), t + " has no dialog\n" + r.output());
		for (final String h : heights)
			assertTrue(Integer.parseInt(h.split("\t")[3]) <= 700, "taller than 700 px: " + h);
		final String windows = r.output().substring(r.output().indexOf("WINDOWS"));
		assertTrue(windows.contains("scan.nii.gz"), "Open Volume shows the image\n" + windows);
		assertTrue(windows.contains("Engine Info"), "Engine Info shows its report\n" + windows);
		assertTrue(windows.contains("Volume Info: info:\nfile: ") && windows.contains("size: 4 x 5 x 6"), "Volume Info read the open image\n" + windows);
		assertTrue(windows.contains("voxel size (mm): 2.00000 x 2.00000 x 2.00000"), "with its calibration\n" + windows);
	}

	static Set<String> files(final Path dir) throws Exception {
		try (Stream<Path> s = Files.walk(dir)) {
			return s.filter(Files::isRegularFile).map(p -> dir.relativize(p).toString()).collect(Collectors.toCollection(TreeSet::new));
		}
	}

	/** A file's bytes; text files with the run's own folder replaced and without lines of timings and timestamps. */
	static byte[] normalised(final Path f, final Path rec, final Path replay) throws Exception {
		final String name = f.getFileName().toString();
		if (name.endsWith(".gz") || name.endsWith(".png") || name.endsWith(".raw"))
			return Files.readAllBytes(f);
		return Files.readString(f).replace(replay.toString(), rec.toString()).lines()
				.filter(l -> !l.matches("(?i).*(seconds|elapsed|_s\"?[:=,]|date|time|trained_at).*"))
				.collect(Collectors.joining("\n")).getBytes(StandardCharsets.UTF_8);
	}
}
