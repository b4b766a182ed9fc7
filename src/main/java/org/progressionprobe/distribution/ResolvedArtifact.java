package org.progressionprobe.distribution;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;

/**
 * A runtime dependency as Maven resolved it: coordinates and the jar file. Read from the output of
 * {@code mvn dependency:list -DoutputAbsoluteArtifactFilename=true -DoutputFile=...}, whose lines are
 * {@code group:artifact:type[:classifier]:version:scope:/path/to.jar [-- module name]}.
 */
public record ResolvedArtifact(String groupId, String artifactId, String version, String classifier, Path file) {

	private static final Set<String> SCOPES = Set.of("compile", "runtime", "provided", "system", "test");

	/** The jar's file name as Maven names it: {@code artifact-version[-classifier].jar}. */
	public String fileName() {
		return file.getFileName().toString();
	}

	/** {@code group:artifact[:classifier]:version}. */
	public String coordinates() {
		return groupId + ":" + artifactId + (classifier.isEmpty() ? "" : ":" + classifier) + ":" + version;
	}

	/** Parses a dependency:list output file; lines that are not artifacts (headers, blanks) are skipped. */
	public static List<ResolvedArtifact> readList(final Path listFile) throws IOException {
		final List<ResolvedArtifact> out = new ArrayList<>();
		for (final String raw : Files.readAllLines(listFile, StandardCharsets.UTF_8)) {
			final ResolvedArtifact a = parse(raw);
			if (a != null)
				out.add(a);
		}
		return out;
	}

	private static final java.util.regex.Pattern COLOUR_CODES = java.util.regex.Pattern.compile("\u001B\\[[0-9;]*m");

	/** One line of dependency:list output (terminal colour codes, which Maven writes without -B, ignored), or null if the line names no artifact file. */
	public static ResolvedArtifact parse(final String raw) {
		String line = COLOUR_CODES.matcher(raw).replaceAll("").strip();
		final int module = line.indexOf(" -- module ");
		if (module >= 0)
			line = line.substring(0, module).strip();
		final String[] f = line.split(":", 7);
		if (f.length < 6)
			return null;
		final boolean withClassifier = !SCOPES.contains(f[4]);
		if (withClassifier && (f.length < 7 || !SCOPES.contains(f[5])))
			return null;
		final String version = withClassifier ? f[4] : f[3];
		final String classifier = withClassifier ? f[3] : "";
		final String path = withClassifier ? f[6] : line.split(":", 6)[5];
		if (!"jar".equals(f[2]) || path.isBlank())
			return null;
		return new ResolvedArtifact(f[0], f[1], version, classifier, Path.of(path));
	}
}
