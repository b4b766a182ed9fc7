package org.progressionprobe.ij1;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.StringReader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.progressionprobe.testing.BallCohort;
import org.scijava.Context;
import org.scijava.command.CommandService;
import org.scijava.log.LogService;
import org.scijava.module.ModuleItem;
import org.scijava.script.ScriptInfo;

import groovy.lang.Binding;
import groovy.lang.GroovyShell;

/**
 * scripts/examples/pipeline.groovy as Fiji's script editor runs it: SciJava reads the {@code #@}
 * parameters, Groovy (the version Fiji ships) runs the body with them bound.
 */
class PipelineGroovyTest {

	@Test
	void scriptParametersParseAndTheBodyRuns(@TempDir final Path tmp) throws Exception {
		final String script = Files.readString(Path.of("scripts/examples/pipeline.groovy"));
		final Path cohortDir = Files.createDirectories(tmp.resolve("cohort dir"));
		BallCohort.write(cohortDir, 12, 3);
		try (Context context = new Context()) {
			final ScriptInfo info = new ScriptInfo(context, "pipeline.groovy", new StringReader(script));
			final List<String> parameters = new java.util.ArrayList<>();
			for (final ModuleItem<?> item : info.inputs())
				parameters.add(item.getName() + ":" + item.getType().getSimpleName());
			assertEquals(List.of("cohort:File", "output:File", "folds:Integer", "command:CommandService", "log:LogService"), parameters);

			final Binding binding = new Binding();
			binding.setVariable("cohort", cohortDir.resolve("cohort.csv").toFile());
			binding.setVariable("output", tmp.resolve("out").toFile());
			binding.setVariable("folds", 2);
			binding.setVariable("command", context.getService(CommandService.class));
			binding.setVariable("log", context.getService(LogService.class));
			// SciJava hands the script engine the body with the #@ lines blanked out
			new GroovyShell(binding).evaluate(script.replaceAll("(?m)^#@.*$", ""), "pipeline.groovy");
		}
		final List<String> inputs = Files.readAllLines(tmp.resolve("out/inputs.csv"));
		assertEquals(13, inputs.size());
		assertEquals("s11,28x28x28,28x28x28", inputs.get(12));
		assertTrue(Files.exists(tmp.resolve("out/aligned/s1/aligned.nii.gz")), "Align Pair ran");
		assertEquals(13, Files.readAllLines(tmp.resolve("out/features.csv")).size(), "Change Features gave a header and 12 rows");
		assertTrue(Files.exists(tmp.resolve("out/probe/probe.tribuo")), "Train Probe ran");
		assertEquals(13, Files.readAllLines(tmp.resolve("out/predictions.csv")).stream().filter(l -> !l.startsWith("#")).count(),
				"Apply Probe wrote a header and 12 predictions");
	}
}
