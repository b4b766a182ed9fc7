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
 * Build step run at {@code package} time: lays out the Fiji update sites ({@link UpdateSite}: the
 * core site, and next to it one optional site per {@link UpdateSite.OptionalSite} engine, in
 * {@code <update-site>-<engine>}) and the plain ImageJ 1 plugins folder ({@link ImageJ1Plugins}) from
 * the built jars and Maven's resolved runtime dependencies, ONNX Runtime's all-platform jar split per
 * platform ({@link OnnxRuntimeJars}, into {@code --split-dir}), and writes a summary (files, sizes,
 * what was left out and why). The sites name the plugin jar with the release version
 * ({@code --release-version}, never a SNAPSHOT: Fiji's updater shows the name's version to users).
 *
 * <pre>
 * Distribution --plugin-jar=target/x.jar --ij1-jar=target/imagej1/x-ij1.jar --dependencies=target/runtime-dependencies.txt
 *              --update-site=target/update-site --imagej1-plugins=target/imagej1-plugins --summary=target/update-site.txt
 *              --release-version=0.1.0 --split-dir=target/onnxruntime-split
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
			final String release = required(a, "release-version");
			if (release.toUpperCase(java.util.Locale.ROOT).contains("SNAPSHOT"))
				throw new IllegalArgumentException("Distribution: --release-version=" + release
						+ " is a SNAPSHOT; the update site publishes release versions (set the pom property release.version)");
			final List<ResolvedArtifact> siteDeps = OnnxRuntimeJars.replaceBundle(deps, Path.of(required(a, "split-dir")));
			final Path site = Path.of(a.get("update-site"));
			final String previous = a.getOrDefault("previous-db", "");
			final Path previousDb = previous.isBlank() ? null : Path.of(previous);
			final UpdateSite.Plan core = UpdateSite.plan(pluginJar, pluginName(pluginJar, release), siteDeps);
			UpdateSite.write(core, site, ts, a.getOrDefault("description",
					"Predict disease progression from a baseline and a follow-up 3D scan: alignment, change and model features, linear probes."),
					previousDb);
			summarise(summary, "Fiji update site (core, ONNX Runtime)", site, ts, core);
			for (final UpdateSite.OptionalSite o : UpdateSite.OptionalSite.values()) {
				final UpdateSite.Plan plan = UpdateSite.plan(o, siteDeps);
				final Path dir = site.resolveSibling(site.getFileName() + "-" + o.id());
				UpdateSite.write(plan, dir, ts, o.siteName() + ": " + o.description(), null);
				summarise(summary, "Optional update site '" + o.siteName() + "'", dir, ts, plan);
			}
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

	/** The plugin jar's name on the sites: {@code progression-probe-<release>.jar} for {@code progression-probe-<version>.jar}. */
	static String pluginName(final Path pluginJar, final String release) {
		final String name = pluginJar.getFileName().toString();
		final int dash = name.indexOf('-', "progression-probe".length());
		if (!name.startsWith("progression-probe-") || dash < 0)
			return name;
		return name.substring(0, dash) + "-" + release + ".jar";
	}

	private static void summarise(final StringBuilder summary, final String title, final Path site, final String ts, final UpdateSite.Plan plan)
			throws IOException {
		summary.append(title).append(": ").append(site).append(" (timestamp ").append(ts).append(")\n");
		for (final UpdateSite.Entry e : plan.files())
			summary.append(String.format("  %-70s %,14d bytes%s%n", e.path(), Files.size(e.source()), e.platform() == null ? "" : "  [" + e.platform() + "]"));
		final StringBuilder perPlatform = new StringBuilder();
		for (final String p : PLATFORMS)
			perPlatform.append(String.format("; %s: %,d bytes", p, plan.downloadBytes(p)));
		summary.append(String.format("  download, every platform: %,d bytes%s%n", plan.downloadBytes(null), perPlatform));
		for (final UpdateSite.Skipped s : plan.skipped())
			summary.append("  not shipped: ").append(s.artifact().coordinates()).append(" (").append(s.reason()).append(")\n");
	}

	/** The platforms whose download size the summary gives. */
	static final List<String> PLATFORMS = List.of("linux64", "linux-arm64", "macos64", "macos-arm64", "win64");

	private static String required(final Map<String, String> a, final String key) {
		final String v = a.get(key);
		if (v == null || v.isBlank())
			throw new IllegalArgumentException("Distribution: missing --" + key);
		return v;
	}
}
