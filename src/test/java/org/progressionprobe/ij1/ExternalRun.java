package org.progressionprobe.ij1;

import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.File;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;

/** Runs an external program (ImageJ under Xvfb, a shell script) with a time limit, output captured. */
public record ExternalRun(int status, String output) {

	/** Runs {@code command} in {@code dir}; kills it and its children after {@code seconds}. */
	public static ExternalRun run(final List<String> command, final Path dir, final Path log, final long seconds, final String... env)
			throws IOException, InterruptedException {
		final ProcessBuilder pb = new ProcessBuilder(command).directory(dir.toFile()).redirectErrorStream(true).redirectOutput(log.toFile());
		for (int i = 0; i + 1 < env.length; i += 2)
			pb.environment().put(env[i], env[i + 1]);
		final Process p = pb.start();
		if (!p.waitFor(seconds, TimeUnit.SECONDS)) {
			p.descendants().forEach(ProcessHandle::destroyForcibly);
			p.destroyForcibly();
			p.waitFor(10, TimeUnit.SECONDS);
			throw new AssertionError(String.join(" ", command) + " did not finish in " + seconds + " s (a dialog waiting under Xvfb?); output:\n"
					+ Files.readString(log, StandardCharsets.UTF_8));
		}
		return new ExternalRun(p.exitValue(), Files.readString(log, StandardCharsets.UTF_8));
	}

	/** The path of a program on the PATH; skips the calling test if there is none. */
	public static String require(final String program, final String hint) {
		for (final String d : System.getenv().getOrDefault("PATH", "").split(File.pathSeparator))
			if (Files.isExecutable(Path.of(d, program)))
				return Path.of(d, program).toString();
		assumeTrue(false, "Skipped: " + program + " is not installed (" + hint + ")");
		return null;
	}

	/** A file the Maven build writes at package time; skips the calling test if it is absent. */
	public static Path built(final String relative) {
		final Path p = Path.of(relative).toAbsolutePath();
		assumeTrue(Files.exists(p), "Skipped: " + relative + " is written by 'mvn package' (run the integration tests with 'mvn verify')");
		return p;
	}
}
