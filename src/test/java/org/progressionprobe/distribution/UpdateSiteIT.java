package org.progressionprobe.distribution;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.jar.JarFile;

import org.junit.jupiter.api.Test;
import org.progressionprobe.ij1.ExternalRun;

/** The update site and the plain ImageJ folder that 'mvn package' laid out. */
class UpdateSiteIT {

	@Test
	void siteHoldsThePluginAndNothingFijiShips() throws Exception {
		final Path site = ExternalRun.built("target/update-site");
		final Map<String, UpdateSite.Record> db = UpdateSite.readDb(site.resolve("db.xml.gz"));
		assertTrue(db.containsKey("jars/progression-probe.jar"), db.keySet().toString());
		long total = 0;
		for (final UpdateSite.Record r : db.values()) {
			final Path file = site.resolve(r.path() + "-" + r.current().timestamp());
			assertTrue(Files.isRegularFile(file), "missing " + file);
			assertEquals(Files.size(file), r.size(), r.path());
			assertEquals(FijiChecksum.of(r.path(), file), r.current().checksum(), r.path());
			assertTrue(String.valueOf(r.current().timestamp()).matches("20\\d{12}"), r.path());
			final String name = r.path().substring(r.path().lastIndexOf('/') + 1);
			for (final String fiji : List.of("scijava-common", "imglib2", "ij-", "parsington"))
				assertFalse(name.startsWith(fiji), "Fiji already ships " + name);
			assertFalse(name.contains("-ij1"), "the plain-ImageJ bridge must not reach Fiji: " + name);
			assertFalse(UpdateSite.isGpu(new ResolvedArtifact("", name, "", "", file)), "GPU engines go on the GPU site: " + name);
			total += r.size();
		}
		try (var files = Files.walk(site)) {
			assertEquals(db.size() + 1, files.filter(Files::isRegularFile).count(), "db.xml.gz and one file per record");
		}
		System.out.println("update site download: " + total + " bytes in " + db.size() + " files");
	}

	@Test
	void plainImageJFolderHasTheBridgeAndItsMenu() throws Exception {
		final Path dir = ExternalRun.built("target/imagej1-plugins");
		try (var files = Files.list(dir)) {
			final List<Path> top = files.filter(p -> p.toString().endsWith(".jar")).toList();
			assertEquals(1, top.size(), top.toString());
			assertTrue(top.get(0).getFileName().toString().contains("_"), "ImageJ 1 reads plugins.config only from jars with '_': " + top);
			try (JarFile jar = new JarFile(top.get(0).toFile())) {
				final String config = new String(jar.getInputStream(jar.getEntry("plugins.config")).readAllBytes());
				assertTrue(config.contains("\"Volume Info\", org.progressionprobe.ij1.plain.CommandPlugIn(\"org.progressionprobe.io.VolumeInfoCommand\")"), config);
				assertTrue(jar.getEntry("org/progressionprobe/ij1/plain/CommandPlugIn.class") != null);
				assertTrue(jar.getEntry("org/progressionprobe/io/VolumeInfoCommand.class") == null, "commands live in the plugin jar");
			}
		}
		assertFalse(Files.exists(dir.resolve("jars/ij-1.54p.jar")), "ImageJ itself is not a plugin");
		try (var jars = Files.list(dir.resolve("jars"))) {
			assertTrue(jars.anyMatch(p -> p.getFileName().toString().startsWith("scijava-common-")));
		}
	}
}
