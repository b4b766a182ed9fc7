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
		for (final UpdateSite.OptionalSite o : UpdateSite.OptionalSite.values())
			checkFiles(ExternalRun.built("target/update-site-" + o.id()));
		checkFiles(site);
	}

	/** Every record's file is there, with the recorded size and checksum; nothing Fiji ships, no ImageJ 1 bridge, no GPU engine. */
	private static void checkFiles(final Path site) throws Exception {
		final Map<String, UpdateSite.Record> db = UpdateSite.readDb(site.resolve("db.xml.gz"));
		long total = 0;
		for (final Map.Entry<String, UpdateSite.Record> e : db.entrySet()) {
			final UpdateSite.Record r = e.getValue();
			assertFalse(e.getKey().matches(".*-\\d+(\\.\\d+)+.*"), "Fiji's updater sees the version in " + r.path() + " as part of its name: " + e.getKey());
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
		System.out.println(site.getFileName() + " download: " + total + " bytes in " + db.size() + " files");
	}

	/** At most this many bytes for a Linux user of the core site. */
	static final long CORE_LINUX64_BYTES = 60_000_000;

	@Test
	void coreSiteIsLightAndEnginesAStudyMayNotNeedAreOptional() throws Exception {
		final Path site = ExternalRun.built("target/update-site");
		final Map<String, UpdateSite.Record> core = UpdateSite.readDb(site.resolve("db.xml.gz"));
		long linux64 = 0;
		for (final UpdateSite.Record r : core.values()) {
			if (r.platform() == null || r.platform().equals("linux64"))
				linux64 += r.size();
			for (final String engine : List.of("tensorflow", "javacpp", "ndarray", "pytorch"))
				assertFalse(r.path().contains(engine), "an optional engine on the core site: " + r.path());
			for (final String unused : List.of("jline", "jansi"))
				assertFalse(r.path().contains(unused), "unused at run time: " + r.path());
		}
		System.out.println("core update site, linux64 download: " + linux64 + " bytes");
		assertTrue(linux64 <= CORE_LINUX64_BYTES, "core site for linux64: " + linux64 + " bytes");
		final String plugin = core.get("jars/progression-probe.jar").path();
		assertTrue(plugin.matches("jars/progression-probe-\\d+\\.\\d+\\.\\d+\\.jar"), "a release version: " + plugin);
		assertTrue(core.containsKey("jars/onnxruntime.jar"), "ONNX Runtime's classes: " + core.keySet());
		for (final String[] p : new String[][] { { "linux64", "linux-x86_64" }, { "linux-arm64", "linux-arm64" }, { "macos64", "macosx-x86_64" },
				{ "macos-arm64", "macosx-arm64" }, { "win64", "windows-x86_64" } }) {
			final UpdateSite.Record r = core.get("jars/" + p[0] + "/onnxruntime-" + p[1] + ".jar");
			assertTrue(r != null, "ONNX Runtime natives for " + p[0] + " in jars/" + p[0] + "/: " + core.keySet());
			assertEquals(p[0], r.platform(), r.path());
			assertTrue(r.size() < 15_000_000, r.path() + ": " + r.size() + " bytes (no debug symbols)");
		}
		final Map<String, UpdateSite.Record> tf = UpdateSite.readDb(ExternalRun.built("target/update-site-tensorflow").resolve("db.xml.gz"));
		assertTrue(tf.containsKey("jars/tensorflow-core-api.jar") && tf.containsKey("jars/linux64/tensorflow-core-native-linux-x86_64.jar"), tf.keySet().toString());
		assertEquals("linux64", tf.get("jars/linux64/tensorflow-core-native-linux-x86_64.jar").platform());
		final Map<String, UpdateSite.Record> pt = UpdateSite.readDb(ExternalRun.built("target/update-site-pytorch").resolve("db.xml.gz"));
		assertTrue(pt.containsKey("jars/pytorch-engine.jar") && pt.containsKey("jars/linux64/pytorch-native-cpu-linux-x86_64.jar"), pt.keySet().toString());
		for (final Map<String, UpdateSite.Record> optional : List.of(tf, pt))
			for (final String name : optional.keySet())
				assertFalse(core.containsKey(name) || name.contains("progression-probe") || name.contains("onnxruntime"), "only its engine: " + name);
		final String summary = Files.readString(ExternalRun.built("target/update-site.txt"));
		assertTrue(summary.contains("update-site-tensorflow") && summary.contains("update-site-pytorch") && summary.contains("linux64: "), summary);
		try (var lib = Files.list(ExternalRun.built("target/lib"))) {
			assertTrue(lib.noneMatch(j -> j.getFileName().toString().matches("(jline|jansi).*")), "jline and jansi are not on the runtime class path");
		}
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
