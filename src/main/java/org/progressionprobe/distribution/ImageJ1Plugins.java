package org.progressionprobe.distribution;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

/**
 * Lays out a plugins folder for plain ImageJ 1 (not Fiji): the {@code -ij1} bridge jar at the top,
 * where ImageJ reads its {@code plugins.config} (renamed with an underscore, {@code
 * progression_probe-<version>-ij1.jar}: ImageJ 1 ignores plugin jars without one), and the plugin jar with every runtime dependency but
 * ImageJ itself in {@code jars/}, which ImageJ puts on its plugin class path without scanning for
 * menu entries. Copy the folder's content into ImageJ's {@code plugins/} folder, or start ImageJ with
 * {@code -Dplugins.dir=<parent of this folder>}.
 */
public final class ImageJ1Plugins {

	private ImageJ1Plugins() {}

	/** The name ImageJ 1 needs for a jar with a plugins.config: with an underscore. */
	public static String menuJarName(final String jarName) {
		final String n = jarName.replaceFirst("^progression-probe", "progression_probe");
		return n.contains("_") ? n : n.replaceFirst("\\.jar$", "_.jar");
	}

	/** Writes the folder (emptied first) and returns its jars. */
	public static List<Path> write(final Path ij1Jar, final Path pluginJar, final List<ResolvedArtifact> dependencies, final Path dir)
			throws IOException {
		UpdateSite.clean(dir);
		Files.createFile(dir.resolve(".generated"));
		final Path jars = Files.createDirectories(dir.resolve("jars"));
		UpdateSite.link(ij1Jar, dir.resolve(menuJarName(ij1Jar.getFileName().toString())));
		UpdateSite.link(pluginJar, jars.resolve(pluginJar.getFileName()));
		for (final ResolvedArtifact a : dependencies)
			if (!(a.groupId().equals("net.imagej") && a.artifactId().equals("ij")))
				UpdateSite.link(a.file(), jars.resolve(a.fileName()));
		try (var s = Files.walk(dir)) {
			return s.filter(p -> p.toString().endsWith(".jar")).sorted().toList();
		}
	}
}
