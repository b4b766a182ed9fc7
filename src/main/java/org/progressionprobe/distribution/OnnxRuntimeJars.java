package org.progressionprobe.distribution;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.jar.JarEntry;
import java.util.jar.JarFile;
import java.util.jar.JarOutputStream;

import org.progressionprobe.io.AtomicOutput;

/**
 * Repacks ONNX Runtime's Maven jar, which bundles the native libraries of five platforms and their
 * debug symbols (139 MB), into a jar of the Java classes and one jar per platform holding only that
 * platform's libraries ({@code onnxruntime-<version>-linux-x86_64.jar}, ...), so that a Fiji user
 * downloads only their own. ONNX Runtime finds its libraries as class-path resources
 * ({@code ai/onnxruntime/native/<os-arch>/}), so the split jars work side by side on one class path.
 * Left out: debug symbols ({@code .pdb}, {@code .dSYM}) and the original jar's signed SBOM
 * ({@code _manifest/}, which no longer describes the repacked files).
 */
public final class OnnxRuntimeJars {

	static final String NATIVE = "ai/onnxruntime/native/";

	/**
	 * ONNX Runtime's native folder names and the classifiers the site names their jars by, in the form
	 * Fiji's updater recognises when it strips versions from file names
	 * ({@code (natives-)?(linux|macosx|windows|...)-(x86_64|arm64|...)}, as JavaCPP names them): with
	 * ONNX Runtime's own {@code osx-x64}, the updater would keep the version in the name and never see a
	 * new release as an update of the old jar.
	 */
	static final Map<String, String> CLASSIFIERS = Map.of("linux-x64", "linux-x86_64", "linux-aarch64", "linux-arm64", "osx-x64",
			"macosx-x86_64", "osx-aarch64", "macosx-arm64", "win-x64", "windows-x86_64");

	private OnnxRuntimeJars() {}

	/** True for the CPU build of ONNX Runtime's Java jar (the one with every platform's natives). */
	public static boolean isBundle(final ResolvedArtifact a) {
		return a.groupId().equals("com.microsoft.onnxruntime") && a.artifactId().equals("onnxruntime") && a.classifier().isEmpty();
	}

	/** The dependencies with ONNX Runtime's bundle replaced by its split jars, written into {@code dir}. */
	public static List<ResolvedArtifact> replaceBundle(final List<ResolvedArtifact> dependencies, final Path dir) throws IOException {
		final List<ResolvedArtifact> out = new ArrayList<>();
		for (final ResolvedArtifact a : dependencies)
			if (isBundle(a))
				out.addAll(split(a, dir));
			else
				out.add(a);
		return out;
	}

	/**
	 * Writes the classes jar and one natives jar per platform into {@code dir} (kept if already newer
	 * than the bundle) and returns them as artifacts, the classes first.
	 */
	public static List<ResolvedArtifact> split(final ResolvedArtifact bundle, final Path dir) throws IOException {
		final String base = bundle.artifactId() + "-" + bundle.version();
		try (JarFile jar = new JarFile(bundle.file().toFile())) {
			final Map<String, List<JarEntry>> parts = new LinkedHashMap<>();
			parts.put("", new ArrayList<>());
			for (final JarEntry e : Collections.list(jar.entries())) {
				final String n = e.getName();
				if (n.startsWith("_manifest/") || n.contains(".dSYM/") || n.endsWith(".dSYM/") || n.endsWith(".pdb"))
					continue;
				if (n.startsWith(NATIVE) && n.length() > NATIVE.length()) {
					final String platformDir = n.substring(NATIVE.length()).split("/", 2)[0];
					final String classifier = CLASSIFIERS.get(platformDir);
					if (classifier == null)
						throw new IOException(bundle.file() + ": native folder " + NATIVE + platformDir + " is for a platform this build does not know");
					parts.computeIfAbsent(classifier, k -> new ArrayList<>()).add(e);
				} else if (!n.equals("META-INF/MANIFEST.MF"))
					parts.get("").add(e);
			}
			final List<ResolvedArtifact> out = new ArrayList<>();
			for (final Map.Entry<String, List<JarEntry>> p : parts.entrySet()) {
				final String classifier = p.getKey();
				final Path target = dir.resolve(base + (classifier.isEmpty() ? "" : "-" + classifier) + ".jar");
				if (!Files.isRegularFile(target) || Files.getLastModifiedTime(target).compareTo(Files.getLastModifiedTime(bundle.file())) < 0)
					AtomicOutput.produce(target, file -> write(jar, p.getValue(), classifier, file));
				out.add(new ResolvedArtifact(bundle.groupId(), bundle.artifactId(), bundle.version(), classifier, target));
			}
			return out;
		}
	}

	private static void write(final JarFile source, final List<JarEntry> entries, final String classifier, final Path file) throws IOException {
		final java.util.jar.Manifest mf = new java.util.jar.Manifest(source.getManifest());
		if (!classifier.isEmpty())
			mf.getMainAttributes().remove(new java.util.jar.Attributes.Name("Automatic-Module-Name"));
		mf.getMainAttributes().putValue("Progression-Probe-Repacked", classifier.isEmpty() ? "Java classes of " + source.getName()
				: "native libraries for " + classifier + " of " + Path.of(source.getName()).getFileName() + ", without debug symbols");
		try (OutputStream raw = Files.newOutputStream(file); JarOutputStream out = new JarOutputStream(raw, mf)) {
			for (final JarEntry e : entries) {
				final JarEntry copy = new JarEntry(e.getName());
				copy.setTime(e.getTime());
				out.putNextEntry(copy);
				try (InputStream in = source.getInputStream(e)) {
					in.transferTo(out);
				}
				out.closeEntry();
			}
		}
	}
}
