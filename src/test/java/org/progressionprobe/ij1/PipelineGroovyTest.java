package org.progressionprobe.ij1;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.StringReader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
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
		TestVolumes.write(cohortDir.resolve("b.nii.gz"));
		TestVolumes.write(cohortDir.resolve("f.nii.gz"));
		Files.writeString(cohortDir.resolve("cohort.csv"), "subject,baseline,followup,label\ns1,b.nii.gz,f.nii.gz,1\ns2,f.nii.gz,b.nii.gz,0\n");
		try (Context context = new Context()) {
			final ScriptInfo info = new ScriptInfo(context, "pipeline.groovy", new StringReader(script));
			final List<String> inputs = new java.util.ArrayList<>();
			for (final ModuleItem<?> item : info.inputs())
				inputs.add(item.getName() + ":" + item.getType().getSimpleName());
			assertEquals(List.of("cohort:File", "output:File", "folds:Integer", "command:CommandService", "log:LogService"), inputs);

			final Binding binding = new Binding();
			binding.setVariable("cohort", cohortDir.resolve("cohort.csv").toFile());
			binding.setVariable("output", tmp.resolve("out").toFile());
			binding.setVariable("folds", 5);
			binding.setVariable("command", context.getService(CommandService.class));
			binding.setVariable("log", context.getService(LogService.class));
			// SciJava hands the script engine the body with the #@ lines blanked out
			new GroovyShell(binding).evaluate(script.replaceAll("(?m)^#@.*$", ""), "pipeline.groovy");
		}
		assertEquals("subject,baseline_size,followup_size\ns1,4x5x6,4x5x6\ns2,4x5x6,4x5x6\n", Files.readString(tmp.resolve("out/inputs.csv")));
		assertTrue(Files.exists(tmp.resolve("out")));
	}
}
