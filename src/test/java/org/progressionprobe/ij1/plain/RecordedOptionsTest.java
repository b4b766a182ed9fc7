package org.progressionprobe.ij1.plain;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.LinkedHashMap;
import java.util.Map;

import org.junit.jupiter.api.Test;
import org.progressionprobe.align.AlignPairCommand;
import org.progressionprobe.demo.RunDemoCommand;
import org.progressionprobe.launcher.CommandRunner;
import org.progressionprobe.sim.SimulateCohortCommand;
import org.scijava.Context;
import org.scijava.command.CommandInfo;
import org.scijava.module.ModuleItem;

class RecordedOptionsTest {

	/** Every field of a dialog left at its default, as the dialog returns them. */
	static Map<String, String> defaults(final CommandInfo info) {
		final Map<String, String> m = new LinkedHashMap<>();
		for (final ModuleItem<?> item : CommandDialog.fields(info))
			m.put(item.getName(), RecordedOptions.defaultText(item));
		return m;
	}

	@Test
	void recordsRequiredAndChangedKeysOnly() {
		try (Context context = new Context()) {
			final CommandInfo info = new CommandRunner(context).find(AlignPairCommand.class.getName());
			final Map<String, String> values = defaults(info);
			values.put("fixed", "/data/b.nii.gz");
			values.put("moving", "/data/f.nii.gz");
			values.put("output_dir", "/data/out put");
			values.put("transform_type", "rigid");
			values.put("iterations", "200"); // the default, typed again
			values.put("seed", "1.0"); // the default as a dialog's number
			assertEquals("", values.get("fixed_mask"));
			final Map<String, String> recorded = RecordedOptions.toRecord(info, values);
			assertEquals("{fixed=/data/b.nii.gz, moving=/data/f.nii.gz, output_dir=/data/out put, transform_type=rigid}", recorded.toString());
			assertEquals("run(\"Align Pair\", \"fixed=/data/b.nii.gz moving=/data/f.nii.gz output_dir=[/data/out put] transform_type=rigid\");\n",
					RecordedOptions.macroLine("Align Pair", recorded));
			// an empty optional path read from a macro is unset, not the working folder
			assertEquals(Map.of("fixed", "/a"), RecordedOptions.withoutUnset(info, Map.of("fixed", "/a", "fixed_mask", "")));
		}
	}

	@Test
	void emptyTextAndBooleansRoundTrip() {
		try (Context context = new Context()) {
			final CommandRunner runner = new CommandRunner(context);
			final CommandInfo demo = runner.find(RunDemoCommand.class.getName());
			final Map<String, String> values = defaults(demo);
			values.put("output_dir", "C:\\demo \"1\"");
			values.put("models", "");
			final Map<String, String> recorded = RecordedOptions.toRecord(demo, values);
			assertEquals("{output_dir=C:\\demo \"1\", models=}", recorded.toString(), "no networks is a change from the default");
			assertEquals("run(\"Run Demo\", \"output_dir=[C:\\\\demo \\\"1\\\"] models=[]\");\n", RecordedOptions.macroLine("Run Demo", recorded));
			assertEquals(Map.of("models", ""), RecordedOptions.withoutUnset(demo, Map.of("models", "")), "empty text stays empty text");

			final CommandInfo sim = runner.find(SimulateCohortCommand.class.getName());
			final Map<String, String> s = defaults(sim);
			s.put("output_dir", "/o");
			s.put("write_labels", "false");
			s.put("write_displacement", "true");
			final Map<String, String> r = RecordedOptions.toRecord(sim, s);
			assertEquals("run(\"Simulate Cohort\", \"output_dir=/o write_labels=false write_displacement\");\n", RecordedOptions.macroLine("Simulate Cohort", r));
			assertEquals(Map.of("output_dir", "/o", "write_labels", "false", "write_displacement", "true"),
					MacroOptions.parse("output_dir=/o write_labels=false write_displacement"));
		}
	}
}
