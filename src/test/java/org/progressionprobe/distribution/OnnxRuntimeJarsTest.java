package org.progressionprobe.distribution;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.InputStream;
import java.net.URL;
import java.net.URLClassLoader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Collections;
import java.util.List;
import java.util.Set;
import java.util.jar.JarEntry;
import java.util.jar.JarFile;
import java.util.zip.ZipInputStream;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.scijava.util.FileUtils;

import ai.onnxruntime.OrtEnvironment;

/** ONNX Runtime's Maven jar (the one the build resolves) split per platform, and the split jars at work. */
class OnnxRuntimeJarsTest {

	@TempDir
	Path tmp;

	@Test
	void splitsTheBundlePerPlatformAndTheLinuxJarsRunTheBuiltinNetwork() throws Exception {
		final Path bundle = Path.of(OrtEnvironment.class.getProtectionDomain().getCodeSource().getLocation().toURI());
		final ResolvedArtifact a = new ResolvedArtifact("com.microsoft.onnxruntime", "onnxruntime", "1.22.0", "", bundle);
		assertTrue(OnnxRuntimeJars.isBundle(a));
		final List<ResolvedArtifact> split = OnnxRuntimeJars.split(a, tmp);
		assertEquals(List.of("", "linux-arm64", "linux-x86_64", "macosx-arm64", "macosx-x86_64", "windows-x86_64"),
				split.stream().map(ResolvedArtifact::classifier).sorted().toList());
		for (final ResolvedArtifact s : split)
			assertEquals("onnxruntime" + (s.classifier().isEmpty() ? "" : "-" + s.classifier()) + ".jar", FileUtils.stripFilenameVersion(s.fileName()),
					"Fiji's updater strips the version, and only the version, from the name: " + s.fileName());
		assertEquals(split, OnnxRuntimeJars.split(a, tmp), "a second run keeps the jars");
		Path classes = null, linux = null;
		for (final ResolvedArtifact s : split) {
			try (JarFile jar = new JarFile(s.file().toFile())) {
				for (final JarEntry e : Collections.list(jar.entries())) {
					final String n = e.getName();
					assertFalse(n.endsWith(".pdb") || n.contains(".dSYM") || n.startsWith("_manifest/"), "no debug symbols or stale SBOM: " + n);
					if (s.classifier().isEmpty())
						assertFalse(n.startsWith(OnnxRuntimeJars.NATIVE) && n.length() > OnnxRuntimeJars.NATIVE.length() + 1 && !n.endsWith("/"),
								"the classes jar holds no natives: " + n);
					else if (!n.startsWith("META-INF/"))
						assertTrue(OnnxRuntimeJars.CLASSIFIERS.get(n.substring(OnnxRuntimeJars.NATIVE.length()).split("/")[0]).equals(s.classifier()),
								s.file().getFileName() + " holds only its platform: " + n);
				}
				if (s.classifier().isEmpty()) {
					classes = s.file();
					assertNotNull(jar.getEntry("ai/onnxruntime/OrtEnvironment.class"));
				}
				if (s.classifier().equals("linux-x86_64")) {
					linux = s.file();
					assertNotNull(jar.getEntry("ai/onnxruntime/native/linux-x64/libonnxruntime.so"));
				}
			}
			assertEquals(UpdateSite.platform(s.classifier()) == null, s.classifier().isEmpty(), "each natives jar maps to a Fiji platform");
			assertTrue(Files.size(s.file()) < 15_000_000, s.file().getFileName() + ": " + Files.size(s.file()) + " bytes");
		}
		System.out.println("ONNX Runtime " + Files.size(bundle) + " bytes -> classes " + Files.size(classes) + ", linux-x86_64 " + Files.size(linux));

		assumeTrue(System.getProperty("os.name").startsWith("Linux") && Set.of("amd64", "x86_64").contains(System.getProperty("os.arch")),
				"the natives of this machine's platform are checked on linux-x86_64 only");
		final byte[] onnx;
		try (InputStream in = OnnxRuntimeJarsTest.class.getResourceAsStream("/org/progressionprobe/builtin/builtin-unet.zip");
				ZipInputStream z = new ZipInputStream(in)) {
			byte[] found = null;
			for (var e = z.getNextEntry(); e != null; e = z.getNextEntry())
				if (e.getName().equals("model.onnx"))
					found = z.readAllBytes();
			onnx = found;
		}
		assertNotNull(onnx, "builtin-unet carries model.onnx");
		// a class loader of its own, without the bundle: the split jars alone load ONNX Runtime and the network
		try (URLClassLoader loader = new URLClassLoader(new URL[] { classes.toUri().toURL(), linux.toUri().toURL() }, ClassLoader.getPlatformClassLoader())) {
			final Class<?> envClass = Class.forName("ai.onnxruntime.OrtEnvironment", true, loader);
			assertEquals(loader, envClass.getClassLoader());
			final Object env = envClass.getMethod("getEnvironment").invoke(null);
			assertEquals("1.22.0", envClass.getMethod("getVersion").invoke(env));
			final Object session = envClass.getMethod("createSession", byte[].class).invoke(env, onnx);
			final Object outputs = session.getClass().getMethod("getOutputNames").invoke(session);
			assertTrue(((Set<?>) outputs).contains("probabilities"), outputs.toString());
			session.getClass().getMethod("close").invoke(session);
		}
	}
}
