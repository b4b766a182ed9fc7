package org.progressionprobe.ij1.plain;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import org.junit.jupiter.api.Test;
import org.progressionprobe.launcher.CommandRunner;
import org.scijava.Context;
import org.scijava.command.CommandInfo;

class PluginsConfigTest {

	@Test
	void everySuiteCommandGetsAMenuLine() {
		try (Context context = new Context()) {
			final List<CommandInfo> commands = new CommandRunner(context).suiteCommands();
			assertTrue(commands.size() >= 2, "Volume Info and the test command at least");
			final String text = PluginsConfig.text(commands);
			for (final CommandInfo info : commands)
				assertTrue(text.matches("(?s).*\nPlugins>Progression Probe(>[^,]+)?, \"" + java.util.regex.Pattern.quote(info.getTitle())
						+ "\", org.progressionprobe.ij1.plain.CommandPlugIn\\(\"" + java.util.regex.Pattern.quote(info.getClassName()) + "\"\\)\n.*"),
						info.getTitle() + " has no line in\n" + text);
			assertEquals(commands.size(), text.lines().filter(l -> !l.startsWith("#")).count());
			// workflow order: submenus by weight, not by title
			final List<String> order = List.of("Volumes, \"Open Volume\"", "Alignment, \"Align Pair\"", "Features, \"Change Features\"",
					"Probe, \"Train Probe\"", "Study, \"Run Study\"", "Progression Probe, \"Run Demo\"", "Progression Probe, \"Engine Info\"",
					"Progression Probe, \"Progression Probe Help\"");
			for (int i = 1; i < order.size(); i++)
				assertTrue(text.indexOf(order.get(i - 1)) >= 0 && text.indexOf(order.get(i - 1)) < text.indexOf(order.get(i)), order.get(i) + "\n" + text);
		}
	}

	/** A class left behind by a move once gave two "Run Study" lines, and ImageJ stopped at start-up behind a modal error. */
	@Test
	void twoCommandsWithOneTitleAreRefusedNamingBoth() {
		try (Context context = new Context()) {
			final CommandInfo runStudy = new CommandRunner(context).suiteCommands().stream().filter(c -> c.getTitle().equals("Run Study")).findFirst()
					.orElseThrow();
			final CommandInfo stale = new CommandInfo("org.progressionprobe.study.RunStudyCommand");
			stale.setMenuPath(runStudy.getMenuPath());
			final IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> PluginsConfig.lines(List.of(runStudy, stale)));
			assertTrue(e.getMessage().contains("'Run Study': org.progressionprobe.report.RunStudyCommand and org.progressionprobe.study.RunStudyCommand"),
					e.getMessage());
		}
	}

	@Test
	void theBuiltConfigCoversEveryCommandOfTheMainCode() throws Exception {
		final Path built = Path.of("target", "classes", "plugins.config");
		assumeTrue(Files.exists(built), "Skipped: target/classes/plugins.config is written at process-classes (run through Maven)");
		final String text = Files.readString(built);
		try (Context context = new Context()) {
			int main = 0;
			for (final CommandInfo info : new CommandRunner(context).suiteCommands()) {
				final Class<?> c = info.loadClass();
				final boolean inMain = c.getProtectionDomain().getCodeSource().getLocation().getPath().endsWith("/classes/");
				if (inMain) {
					main++;
					assertTrue(text.contains(PluginsConfig.line(info)), info.getTitle() + " is missing from " + built);
				} else
					assertFalse(text.contains(info.getClassName()), "test command leaked into " + built);
			}
			assertTrue(main >= 1);
			assertEquals(main, text.lines().filter(l -> !l.startsWith("#")).count(), "one line per main command");
		}
	}
}
