package org.progressionprobe.distribution;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class UpdateSiteTest {

	@Test
	void parsesMavensDependencyList() {
		final ResolvedArtifact plain = ResolvedArtifact.parse(
				"   org.scijava:scijava-common:jar:2.100.1:compile:/r/org/scijava/scijava-common/2.100.1/scijava-common-2.100.1.jar -- module org.scijava [auto]");
		assertEquals(new ResolvedArtifact("org.scijava", "scijava-common", "2.100.1", "", Path.of("/r/org/scijava/scijava-common/2.100.1/scijava-common-2.100.1.jar")), plain);
		final ResolvedArtifact nat = ResolvedArtifact.parse("   ai.djl.pytorch:pytorch-native-cpu:jar:linux-x86_64:2.7.1:runtime:/r/pytorch-native-cpu-2.7.1-linux-x86_64.jar");
		assertEquals("linux-x86_64", nat.classifier());
		assertEquals("2.7.1", nat.version());
		assertEquals("ai.djl.pytorch:pytorch-native-cpu:linux-x86_64:2.7.1", nat.coordinates());
		assertNull(ResolvedArtifact.parse("The following files have been resolved:"));
		assertNull(ResolvedArtifact.parse(""));
		assertEquals("C:\\m2\\a-1.jar", ResolvedArtifact.parse("g:a:jar:1:compile:C:\\m2\\a-1.jar").file().toString());
		// Maven without -B colours its output, also in the list file
		assertEquals(Path.of("/r/snakeyaml-2.5.jar"),
				ResolvedArtifact.parse("   org.yaml:snakeyaml:jar:2.5:runtime:/r/snakeyaml-2.5.jar\u001B[36m -- module org.yaml.snakeyaml\u001B[m").file());
	}

	@Test
	void mapsNativeClassifiersToFijiPlatforms() {
		assertEquals("linux64", UpdateSite.platform("linux-x86_64"));
		assertEquals("linux-arm64", UpdateSite.platform("linux-aarch64"));
		assertEquals("macos64", UpdateSite.platform("osx-x86_64"));
		assertEquals("macos-arm64", UpdateSite.platform("osx-aarch64"));
		assertEquals("win64", UpdateSite.platform("win-x86_64"));
		assertEquals("win64", UpdateSite.platform("windows-x86_64"));
		assertNull(UpdateSite.platform(""));
		assertNull(UpdateSite.platform("tests"));
	}

	@Test
	void laysOutOnlyWhatFijiLacks(@TempDir final Path tmp) throws Exception {
		final Path plugin = FijiChecksumTest.jar(tmp.resolve("progression-probe-0.1.0.jar"), "x", "k=v\n");
		final List<ResolvedArtifact> deps = new ArrayList<>();
		for (final String[] c : new String[][] { { "org.scijava", "scijava-common", "2.100.1", "" }, { "net.imglib2", "imglib2", "8.0.0", "" },
				{ "net.imagej", "ij", "1.54p", "" }, { "ai.djl", "api", "0.35.1", "" }, { "com.microsoft.onnxruntime", "onnxruntime", "1.22.0", "linux-x86_64" },
				{ "com.microsoft.onnxruntime", "onnxruntime", "1.22.0", "osx-aarch64" }, { "ai.djl.pytorch", "pytorch-native-cu124", "2.5.1", "linux-x86_64" },
				{ "com.microsoft.onnxruntime", "onnxruntime_gpu", "1.22.0", "" }, { "org.tensorflow", "tensorflow-core-native", "1.1.0", "linux-x86_64-gpu" } }) {
			final String name = c[1] + "-" + c[2] + (c[3].isEmpty() ? "" : "-" + c[3]) + ".jar";
			deps.add(new ResolvedArtifact(c[0], c[1], c[2], c[3], FijiChecksumTest.jar(tmp.resolve(name), "x", name + "=1\n")));
		}
		final UpdateSite.Plan plan = UpdateSite.plan(plugin, deps);
		final List<String> paths = plan.files().stream().map(UpdateSite.Entry::path).toList();
		assertEquals(List.of("jars/progression-probe-0.1.0.jar", "jars/api-0.35.1.jar", "jars/linux64/onnxruntime-1.22.0-linux-x86_64.jar",
				"jars/macos-arm64/onnxruntime-1.22.0-osx-aarch64.jar"), paths);
		assertEquals(6, plan.skipped().size(), "3 shipped by Fiji, 3 GPU");
		assertTrue(plan.skipped().stream().filter(s -> s.reason().startsWith("GPU")).count() == 3, plan.skipped().toString());

		final Path site = tmp.resolve("site");
		// as a run that failed after linking a file leaves it: marked generated, no db.xml.gz yet
		Files.createDirectories(site.resolve("jars"));
		Files.createFile(site.resolve(".generated"));
		Files.createFile(site.resolve("jars/stale.jar-20261122000000"));
		UpdateSite.write(plan, site, "20261123120000", "test site", null);
		assertFalse(Files.exists(site.resolve(".generated")), "no marker in a finished site");
		assertFalse(Files.exists(site.resolve("jars/stale.jar-20261122000000")));
		assertTrue(Files.isRegularFile(site.resolve("jars/progression-probe-0.1.0.jar-20261123120000")));
		assertTrue(Files.isRegularFile(site.resolve("jars/linux64/onnxruntime-1.22.0-linux-x86_64.jar-20261123120000")));
		final Map<String, UpdateSite.Record> db = UpdateSite.readDb(site.resolve("db.xml.gz"));
		assertEquals(4, db.size());
		final UpdateSite.Record main = db.get("jars/progression-probe.jar");
		assertEquals(FijiChecksum.ofJar(plugin), main.current().checksum());
		assertEquals(Files.size(plugin), main.size());
		assertEquals(20261123120000L, main.current().timestamp());
		assertEquals("linux64", db.get("jars/linux64/onnxruntime-linux-x86_64.jar").platform());
		final String xml = new String(new java.util.zip.GZIPInputStream(Files.newInputStream(site.resolve("db.xml.gz"))).readAllBytes());
		assertTrue(xml.contains("<dependency filename=\"jars/api-0.35.1.jar\" timestamp=\"20261123120000\"/>"), xml);
		assertFalse(xml.contains("scijava-common") || xml.contains("imglib2") || xml.contains("\"jars/ij-"), "Fiji's own jars are not on the site");

		// next release: the old plugin version becomes a previous version, a dropped jar becomes obsolete
		final Path plugin2 = FijiChecksumTest.jar(tmp.resolve("progression-probe-0.2.0.jar"), "x", "k=changed\n");
		final Path site2 = tmp.resolve("site2");
		UpdateSite.write(UpdateSite.plan(plugin2, deps.subList(0, 4)), site2, "20270101000000", "test site", site.resolve("db.xml.gz"));
		final Map<String, UpdateSite.Record> db2 = UpdateSite.readDb(site2.resolve("db.xml.gz"));
		final UpdateSite.Record main2 = db2.get("jars/progression-probe.jar");
		assertEquals("jars/progression-probe-0.2.0.jar", main2.path());
		assertEquals(main.current().checksum(), main2.previous().get(0).checksum());
		assertEquals("jars/progression-probe-0.1.0.jar", main2.previous().get(0).filename());
		assertEquals(20270101000000L, main2.previous().get(0).timestampObsolete());
		assertEquals(20261123120000L, db2.get("jars/api.jar").current().timestamp(), "an unchanged jar keeps its timestamp (no new upload)");
		assertNull(db2.get("jars/linux64/onnxruntime-linux-x86_64.jar").current(), "dropped jar: obsolete");
		assertEquals(1, db2.get("jars/linux64/onnxruntime-linux-x86_64.jar").previous().size());
	}

	@Test
	void enginesAStudyMayNotNeedGoOnOptionalSites(@TempDir final Path tmp) throws Exception {
		final Path plugin = FijiChecksumTest.jar(tmp.resolve("progression-probe-0.2.0-SNAPSHOT.jar"), "x", "k=v\n");
		final List<ResolvedArtifact> deps = new ArrayList<>();
		for (final String[] c : new String[][] { { "ai.djl", "api", "0.35.1", "" }, { "com.microsoft.onnxruntime", "onnxruntime", "1.22.0", "" },
				{ "com.microsoft.onnxruntime", "onnxruntime", "1.22.0", "win-x86_64" }, { "org.tensorflow", "tensorflow-core-api", "1.1.0", "" },
				{ "org.tensorflow", "tensorflow-core-native", "1.1.0", "linux-x86_64" }, { "org.bytedeco", "javacpp", "1.5.10", "" },
				{ "ai.djl.pytorch", "pytorch-engine", "0.35.1", "" }, { "ai.djl.pytorch", "pytorch-native-cpu", "2.7.1", "linux-x86_64" } }) {
			final String name = c[1] + "-" + c[2] + (c[3].isEmpty() ? "" : "-" + c[3]) + ".jar";
			deps.add(new ResolvedArtifact(c[0], c[1], c[2], c[3], FijiChecksumTest.jar(tmp.resolve(name), "x", name + "=1\n")));
		}
		final UpdateSite.Plan core = UpdateSite.plan(plugin, Distribution.pluginName(plugin, "0.2.0"), deps);
		assertEquals(List.of("jars/progression-probe-0.2.0.jar", "jars/api-0.35.1.jar", "jars/onnxruntime-1.22.0.jar", "jars/win64/onnxruntime-1.22.0-win-x86_64.jar"),
				core.files().stream().map(UpdateSite.Entry::path).toList(), "the released name, ONNX Runtime, no TensorFlow or PyTorch");
		assertEquals(5, core.skipped().stream().filter(s -> s.reason().startsWith("on the optional site")).count(), core.skipped().toString());
		assertEquals(List.of("jars/tensorflow-core-api-1.1.0.jar", "jars/linux64/tensorflow-core-native-1.1.0-linux-x86_64.jar", "jars/javacpp-1.5.10.jar"),
				UpdateSite.plan(UpdateSite.OptionalSite.TENSORFLOW, deps).files().stream().map(UpdateSite.Entry::path).toList());
		final UpdateSite.Plan pytorch = UpdateSite.plan(UpdateSite.OptionalSite.PYTORCH, deps);
		assertEquals(List.of("jars/pytorch-engine-0.35.1.jar", "jars/linux64/pytorch-native-cpu-2.7.1-linux-x86_64.jar"),
				pytorch.files().stream().map(UpdateSite.Entry::path).toList());
		assertTrue(pytorch.skipped().isEmpty(), "an optional site lists only its own engine: " + pytorch.skipped());

		final Path site = tmp.resolve("site-pytorch");
		UpdateSite.write(pytorch, site, "20261206120000", "PyTorch", null);
		final Map<String, UpdateSite.Record> db = UpdateSite.readDb(site.resolve("db.xml.gz"));
		assertEquals("linux64", db.get("jars/linux64/pytorch-native-cpu-linux-x86_64.jar").platform());
		final String xml = new String(new java.util.zip.GZIPInputStream(Files.newInputStream(site.resolve("db.xml.gz"))).readAllBytes());
		assertFalse(xml.contains("<dependency"), "no plugin on an optional site, so no dependencies: " + xml);
		assertEquals("progression-probe-0.1.0.jar", Distribution.pluginName(Path.of("target/progression-probe-0.1.0-SNAPSHOT.jar"), "0.1.0"));
	}

	@Test
	void plainImageJFolderHasTheMenuJarOnTopAndNoImageJ(@TempDir final Path tmp) throws Exception {
		final Path ij1 = FijiChecksumTest.jar(tmp.resolve("progression-probe-0.1.0-ij1.jar"), "x", "k=v\n");
		final Path plugin = FijiChecksumTest.jar(tmp.resolve("progression-probe-0.1.0.jar"), "x", "k=v\n");
		final Path ij = FijiChecksumTest.jar(tmp.resolve("ij-1.54p.jar"), "x", "k=v\n");
		final Path sc = FijiChecksumTest.jar(tmp.resolve("scijava-common-2.100.1.jar"), "x", "k=v\n");
		final Path dir = tmp.resolve("plugins");
		ImageJ1Plugins.write(ij1, plugin, List.of(new ResolvedArtifact("net.imagej", "ij", "1.54p", "", ij),
				new ResolvedArtifact("org.scijava", "scijava-common", "2.100.1", "", sc)), dir);
		assertTrue(Files.isRegularFile(dir.resolve("progression_probe-0.1.0-ij1.jar")), "ImageJ 1 needs an underscore in a plugin jar's name");
		assertTrue(Files.isRegularFile(dir.resolve("jars/progression-probe-0.1.0.jar")));
		assertTrue(Files.isRegularFile(dir.resolve("jars/scijava-common-2.100.1.jar")));
		assertFalse(Files.exists(dir.resolve("jars/ij-1.54p.jar")));
	}
}
