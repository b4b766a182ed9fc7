package org.progressionprobe.distribution;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.ZonedDateTime;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Build step run at {@code package} time: lays out the Fiji update site ({@link UpdateSite}) and the
 * plain ImageJ 1 plugins folder ({@link ImageJ1Plugins}) from the built jars and Maven's resolved
 * runtime dependencies, and writes a summary (files, sizes, what was left out and why).
 *
 * <pre>
 * Distribution --plugin-jar=target/x.jar --ij1-jar=target/imagej1/x-ij1.jar --dependencies=target/runtime-dependencies.txt
 *              --update-site=target/update-site --imagej1-plugins=target/imagej1-plugins --summary=target/update-site.txt
 *              [--timestamp=yyyyMMddHHmmss] [--previous-db=old/db.xml.gz]
 * </pre>
 */
public final class Distribution {

	private Distribution() {}

	public static void main(final String[] args) throws IOException {
		final Map<String, String> a = new LinkedHashMap<>();
		for (final String arg : args) {
			final int eq = arg.indexOf('=');
			if (!arg.startsWith("--") || eq < 0)
				throw new IllegalArgumentException("Expected --option=value, got " + arg);
			a.put(arg.substring(2, eq), arg.substring(eq + 1).strip());
		}
		final Path pluginJar = Path.of(required(a, "plugin-jar"));
		final List<ResolvedArtifact> deps = ResolvedArtifact.readList(Path.of(required(a, "dependencies")));
		final String timestamp = a.getOrDefault("timestamp", "");
		final String ts = timestamp.isBlank() ? UpdateSite.timestamp(ZonedDateTime.now()) : timestamp;
		final StringBuilder summary = new StringBuilder();
		if (a.containsKey("update-site")) {
			final UpdateSite.Plan plan = UpdateSite.plan(pluginJar, deps);
			final Path site = Path.of(a.get("update-site"));
			final String previous = a.getOrDefault("previous-db", "");
			UpdateSite.write(plan, site, ts, a.getOrDefault("description",
					"Predict disease progression from a baseline and a follow-up 3D scan: alignment, change and model features, linear probes."),
					previous.isBlank() ? null : Path.of(previous));
			summary.append("Fiji update site: ").append(site).append(" (timestamp ").append(ts).append(")\n");
			for (final UpdateSite.Entry e : plan.files())
				summary.append(String.format("  %-70s %,14d bytes%s%n", e.path(), Files.size(e.source()),
						e.platform() == null ? "" : "  [" + e.platform() + "]"));
			summary.append(String.format("  download, every platform: %,d bytes; linux64: %,d bytes%n", plan.downloadBytes(null),
					plan.downloadBytes("linux64")));
			for (final UpdateSite.Skipped s : plan.skipped())
				summary.append("  not shipped: ").append(s.artifact().coordinates()).append(" (").append(s.reason()).append(")\n");
		}
		if (a.containsKey("imagej1-plugins")) {
			final Path dir = Path.of(a.get("imagej1-plugins"));
			final List<Path> jars = ImageJ1Plugins.write(Path.of(required(a, "ij1-jar")), pluginJar, deps, dir);
			summary.append("ImageJ 1 plugins folder: ").append(dir).append(" (").append(jars.size()).append(" jars)\n");
		}
		System.out.print(summary);
		if (a.containsKey("summary"))
			Files.writeString(Path.of(a.get("summary")), summary, StandardCharsets.UTF_8);
	}

	private static String required(final Map<String, String> a, final String key) {
		final String v = a.get(key);
		if (v == null || v.isBlank())
			throw new IllegalArgumentException("Distribution: missing --" + key);
		return v;
	}
}
