package org.progressionprobe.distribution;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.OutputStreamWriter;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.ZoneOffset;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.regex.Pattern;
import java.util.zip.GZIPInputStream;
import java.util.zip.GZIPOutputStream;

import javax.xml.parsers.DocumentBuilderFactory;

import org.scijava.util.FileUtils;
import org.w3c.dom.Document;
import org.w3c.dom.Element;
import org.w3c.dom.NodeList;

/**
 * Lays out a Fiji update site as Fiji's updater reads it: {@code db.xml.gz} (one record per file with
 * its checksum, timestamp and size) and each file stored as {@code <path>-<timestamp>}, e.g.
 * {@code jars/progression-probe-0.1.0.jar-20261123120000}. The site holds the plugin jar and only
 * the third-party jars Fiji lacks ({@link FijiShipped}); native jars go to {@code jars/<platform>/}
 * with a platform tag; GPU engines are left out (they belong on a separate, optional site). Engines a
 * study may not need ({@link OptionalSite}: TensorFlow, PyTorch) go on optional sites of their own, laid
 * out the same way, that users enable next to the core site.
 */
public final class UpdateSite {

	/** Fiji's timestamp format. */
	public static final DateTimeFormatter TIMESTAMP = DateTimeFormatter.ofPattern("yyyyMMddHHmmss", Locale.ROOT);

	private static final Pattern GPU = Pattern.compile(".*(gpu|cuda|cu\\d{2,3}|cudnn|tensorrt|rocm).*");

	/** A file of the site: its path on the site (without timestamp), source and platform (null = all). */
	public record Entry(String path, Path source, String platform, String coordinates) {
		public boolean isNative() {
			return platform != null;
		}
	}

	/** A runtime dependency that is not shipped, and why. */
	public record Skipped(ResolvedArtifact artifact, String reason) {}

	/**
	 * The optional sites: an engine's jars (Java and native) that the core site leaves out. The core
	 * runs the built-in networks and ONNX models on ONNX Runtime; TensorFlow SavedModels, training
	 * the built-in networks and TorchScript models need the engine's site.
	 */
	public enum OptionalSite {
		TENSORFLOW("tensorflow", "TensorFlow", "TensorFlow Java and its native library: TensorFlow SavedModels and training the built-in networks",
				"org.tensorflow", "org.bytedeco"),
		PYTORCH("pytorch", "PyTorch", "PyTorch through DJL and its native library: TorchScript models", "ai.djl.pytorch");

		private final String id;
		private final String title;
		private final String description;
		private final List<String> groups;

		OptionalSite(final String id, final String title, final String description, final String... groups) {
			this.id = id;
			this.title = title;
			this.description = description;
			this.groups = List.of(groups);
		}

		/** Short name, the suffix of the site's folder ({@code update-site-<id>}). */
		public String id() {
			return id;
		}

		/** The site's name as users see it ("Progression Probe TensorFlow"). */
		public String siteName() {
			return "Progression Probe " + title;
		}

		/** What the site holds, for its db.xml.gz. */
		public String description() {
			return description;
		}

		/** True if the artifact belongs on this site. */
		public boolean holds(final ResolvedArtifact a) {
			return groups.contains(a.groupId());
		}

		/** The optional site an artifact belongs on, or null (the core site). */
		public static OptionalSite of(final ResolvedArtifact a) {
			for (final OptionalSite o : values())
				if (o.holds(a))
					return o;
			return null;
		}
	}

	/** What goes on the site. */
	public record Plan(List<Entry> files, List<Skipped> skipped) {
		/** Sum of the sizes of the files a user on {@code platform} downloads (null: every file). */
		public long downloadBytes(final String platform) throws IOException {
			long sum = 0;
			for (final Entry e : files)
				if (platform == null || e.platform() == null || e.platform().equals(platform))
					sum += Files.size(e.source());
			return sum;
		}
	}

	private UpdateSite() {}

	/** Decides which files go on the core site, the plugin jar under its own file name. */
	public static Plan plan(final Path pluginJar, final List<ResolvedArtifact> dependencies) {
		return plan(pluginJar, pluginJar.getFileName().toString(), dependencies);
	}

	/**
	 * Decides which files go on the core site: the plugin jar as {@code jars/<pluginName>} and the
	 * dependencies that are neither Fiji's, GPU engines, nor on an {@link OptionalSite} site.
	 */
	public static Plan plan(final Path pluginJar, final String pluginName, final List<ResolvedArtifact> dependencies) {
		final List<Entry> files = new ArrayList<>();
		files.add(new Entry("jars/" + pluginName, pluginJar, null, "plugin"));
		return plan(files, dependencies, null);
	}

	/** Decides which files go on an optional engine site: that engine's jars only. */
	public static Plan plan(final OptionalSite site, final List<ResolvedArtifact> dependencies) {
		return plan(new ArrayList<>(), dependencies, site);
	}

	private static Plan plan(final List<Entry> files, final List<ResolvedArtifact> dependencies, final OptionalSite site) {
		final List<Skipped> skipped = new ArrayList<>();
		for (final ResolvedArtifact a : dependencies) {
			final OptionalSite belongs = OptionalSite.of(a);
			if (belongs != site) {
				if (site == null)
					skipped.add(new Skipped(a, isGpu(a) ? GPU_REASON : "on the optional site '" + belongs.siteName() + "'"));
				continue;
			}
			if (FijiShipped.ships(a)) {
				skipped.add(new Skipped(a, "Fiji ships it"));
				continue;
			}
			if (isGpu(a)) {
				skipped.add(new Skipped(a, GPU_REASON));
				continue;
			}
			final String platform = platform(a.classifier());
			if (platform == null && looksNative(a.classifier())) {
				skipped.add(new Skipped(a, "native code for a platform Fiji does not know (" + a.classifier() + ")"));
				continue;
			}
			files.add(new Entry("jars/" + (platform == null ? "" : platform + "/") + a.fileName(), a.file(), platform, a.coordinates()));
		}
		return new Plan(files, skipped);
	}

	private static final String GPU_REASON = "GPU engine: belongs on the optional GPU site";

	/** True for GPU builds of an engine (CUDA, ROCm, "-gpu" classifiers and artifacts). */
	public static boolean isGpu(final ResolvedArtifact a) {
		return GPU.matcher((a.artifactId() + " " + a.classifier()).toLowerCase(Locale.ROOT)).matches();
	}

	/** Fiji's platform name for a Maven native classifier (linux-x86_64 -> linux64), or null. */
	public static String platform(final String classifier) {
		final String c = classifier.toLowerCase(Locale.ROOT).replace("natives-", "");
		final String os = c.startsWith("linux") ? "linux" : c.startsWith("osx") || c.startsWith("macos") || c.startsWith("darwin") ? "macos"
				: c.startsWith("win") ? "win" : null;
		if (os == null)
			return null;
		final boolean arm = c.contains("aarch64") || c.contains("arm64");
		final boolean x64 = c.contains("x86_64") || c.contains("x86-64") || c.contains("amd64") || c.contains("x64");
		if (arm)
			return os + "-arm64";
		if (x64 || c.equals(os) || c.equals("windows") || c.equals("macosx") || c.equals("osx"))
			return os + "64";
		return null;
	}

	private static boolean looksNative(final String classifier) {
		return classifier.matches("(?i).*(linux|osx|macos|darwin|win|natives).*");
	}

	/**
	 * Writes the site into {@code dir} (emptied first): every file as {@code path-timestamp} and
	 * {@code db.xml.gz}. Records of a previous {@code db.xml.gz} (may be null) are carried over as
	 * previous versions, so that installations of an older release see an update instead of a
	 * locally modified file, and files no longer shipped are marked obsolete.
	 */
	public static List<Record> write(final Plan plan, final Path dir, final String timestamp, final String description, final Path previousDb)
			throws IOException {
		clean(dir);
		// marks the folder as generated until db.xml.gz is written, so that a failed run can be redone
		Files.createFile(dir.resolve(".generated"));
		final Map<String, Record> previous = previousDb == null ? Map.of() : readDb(previousDb);
		final List<Record> records = new ArrayList<>();
		final Map<String, Record> byBase = new LinkedHashMap<>();
		for (final Entry e : plan.files()) {
			final String checksum = FijiChecksum.of(e.path(), e.source());
			final Record old = previous.get(FileUtils.stripFilenameVersion(e.path()));
			String ts = timestamp;
			final List<Version> prev = new ArrayList<>();
			if (old != null) {
				if (old.current != null && old.current.checksum.equals(checksum) && old.path.equals(e.path()))
					ts = String.valueOf(old.current.timestamp);
				else if (old.current != null)
					prev.add(old.current.obsoletedAt(Long.parseLong(timestamp)));
				prev.addAll(old.previous);
			}
			final Record r = new Record(e.path(), e.platform(), new Version(checksum, Long.parseLong(ts), 0, e.path()), Files.size(e.source()), prev);
			records.add(r);
			byBase.put(FileUtils.stripFilenameVersion(e.path()), r);
			final Path target = dir.resolve(e.path() + "-" + ts);
			Files.createDirectories(target.getParent());
			link(e.source(), target);
		}
		for (final Map.Entry<String, Record> old : previous.entrySet()) {
			if (byBase.containsKey(old.getKey()))
				continue;
			final Record o = old.getValue();
			final List<Version> prev = new ArrayList<>();
			if (o.current != null)
				prev.add(o.current.obsoletedAt(Long.parseLong(timestamp)));
			prev.addAll(o.previous);
			records.add(new Record(o.path, o.platform, null, 0, prev));
		}
		writeDb(records, dir.resolve("db.xml.gz"), description, !plan.files().isEmpty() && plan.files().get(0).coordinates().equals("plugin"));
		Files.delete(dir.resolve(".generated"));
		return records;
	}

	/** One file record of db.xml.gz. */
	public record Record(String path, String platform, Version current, long size, List<Version> previous) {}

	/** A version of a file: checksum, timestamp, and when it became obsolete (0: current). */
	public record Version(String checksum, long timestamp, long timestampObsolete, String filename) {
		Version obsoletedAt(final long when) {
			return new Version(checksum, timestamp, timestampObsolete == 0 ? when : timestampObsolete, filename);
		}
	}

	/** Fiji's timestamp for an instant, in UTC. */
	public static String timestamp(final ZonedDateTime t) {
		return TIMESTAMP.format(t.withZoneSameInstant(ZoneOffset.UTC));
	}

	/**
	 * Writes db.xml.gz; the first record carries the site's description and, if it is the plugin
	 * ({@code withPlugin}), a dependency on each platform-independent jar of the site.
	 */
	private static void writeDb(final List<Record> records, final Path file, final String description, final boolean withPlugin) throws IOException {
		final Path tmp = file.resolveSibling(file.getFileName() + ".part");
		final List<String> plainJars = new ArrayList<>();
		for (final Record r : records)
			if (withPlugin && r.current != null && r.platform == null && !r.path.equals(records.get(0).path))
				plainJars.add(r.path);
		try (OutputStream out = new GZIPOutputStream(Files.newOutputStream(tmp));
				Writer w = new OutputStreamWriter(out, StandardCharsets.UTF_8)) {
			w.write("<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n");
			w.write(DTD);
			w.write("<pluginRecords>\n");
			for (int i = 0; i < records.size(); i++) {
				final Record r = records.get(i);
				w.write("    <plugin filename=\"" + xml(r.path) + "\">\n");
				if (r.platform != null)
					w.write("        <platform>" + xml(r.platform) + "</platform>\n");
				if (r.current != null) {
					w.write("        <version checksum=\"" + r.current.checksum + "\" filesize=\"" + r.size + "\" timestamp=\"" + r.current.timestamp + "\">\n");
					if (i == 0) {
						w.write("            <description>" + xml(description) + "</description>\n");
						for (final String dep : plainJars) {
							final Record d = records.stream().filter(x -> x.path.equals(dep)).findFirst().orElseThrow();
							w.write("            <dependency filename=\"" + xml(dep) + "\" timestamp=\"" + d.current.timestamp + "\"/>\n");
						}
						w.write("            <author>Progression Probe developers</author>\n");
					}
					w.write("        </version>\n");
				}
				for (final Version v : r.previous)
					w.write("        <previous-version checksum=\"" + v.checksum + "\" filename=\"" + xml(v.filename) + "\" timestamp=\"" + v.timestamp
							+ "\" timestamp-obsolete=\"" + v.timestampObsolete + "\"/>\n");
				w.write("    </plugin>\n");
			}
			w.write("</pluginRecords>\n");
		}
		Files.move(tmp, file, java.nio.file.StandardCopyOption.REPLACE_EXISTING);
	}

	/** Reads the file records of a db.xml.gz (or plain db.xml), keyed by path without version. */
	public static Map<String, Record> readDb(final Path db) throws IOException {
		final Document doc;
		try (InputStream raw = Files.newInputStream(db); InputStream in = db.toString().endsWith(".gz") ? new GZIPInputStream(raw) : raw) {
			final DocumentBuilderFactory f = DocumentBuilderFactory.newInstance();
			f.setValidating(false);
			f.setFeature("http://apache.org/xml/features/nonvalidating/load-external-dtd", false);
			doc = f.newDocumentBuilder().parse(in);
		} catch (final IOException e) {
			throw e;
		} catch (final Exception e) {
			throw new IOException(db + ": not a readable db.xml.gz (" + e.getMessage() + ")", e);
		}
		final Map<String, Record> out = new LinkedHashMap<>();
		final NodeList plugins = doc.getElementsByTagName("plugin");
		for (int i = 0; i < plugins.getLength(); i++) {
			final Element p = (Element) plugins.item(i);
			final String path = p.getAttribute("filename");
			final NodeList platforms = p.getElementsByTagName("platform");
			final String platform = platforms.getLength() > 0 ? platforms.item(0).getTextContent().strip() : null;
			Version current = null;
			long size = 0;
			final NodeList versions = p.getElementsByTagName("version");
			if (versions.getLength() > 0) {
				final Element v = (Element) versions.item(0);
				current = new Version(v.getAttribute("checksum"), Long.parseLong(v.getAttribute("timestamp")), 0, path);
				size = Long.parseLong(v.getAttribute("filesize"));
			}
			final List<Version> previous = new ArrayList<>();
			final NodeList prev = p.getElementsByTagName("previous-version");
			for (int j = 0; j < prev.getLength(); j++) {
				final Element v = (Element) prev.item(j);
				final String obsolete = v.getAttribute("timestamp-obsolete");
				previous.add(new Version(v.getAttribute("checksum"), Long.parseLong(v.getAttribute("timestamp")),
						obsolete.isEmpty() ? 0 : Long.parseLong(obsolete), v.hasAttribute("filename") ? v.getAttribute("filename") : path));
			}
			out.put(FileUtils.stripFilenameVersion(path), new Record(path, platform, current, size, previous));
		}
		return out;
	}

	private static String xml(final String s) {
		return s.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;").replace("\"", "&quot;");
	}

	/** Hard-links {@code source} as {@code target} (same file system), else copies it. */
	static void link(final Path source, final Path target) throws IOException {
		Files.deleteIfExists(target);
		try {
			Files.createLink(target, source);
		} catch (final IOException | UnsupportedOperationException e) {
			Files.copy(source, target);
		}
	}

	/** Empties a generated folder; refuses folders that do not look generated. */
	static void clean(final Path dir) throws IOException {
		if (Files.isDirectory(dir)) {
			try (var s = Files.list(dir)) {
				final List<Path> content = s.toList();
				final boolean generated = content.isEmpty() || Files.exists(dir.resolve("db.xml.gz")) || Files.exists(dir.resolve(".generated"));
				if (!generated)
					throw new IOException(dir + ": not a generated folder (no db.xml.gz); refusing to empty it");
			}
			try (var walk = Files.walk(dir)) {
				for (final Path p : walk.sorted(java.util.Comparator.reverseOrder()).toList())
					if (!p.equals(dir))
						Files.delete(p);
			}
		}
		Files.createDirectories(dir);
	}

	/** The document type of db.xml.gz, as the updater validates it. */
	private static final String DTD = """
			<!DOCTYPE pluginRecords [
			<!ELEMENT pluginRecords ((update-site | disabled-update-site)*, plugin*)>
			<!ELEMENT update-site EMPTY>
			<!ELEMENT disabled-update-site EMPTY>
			<!ELEMENT plugin (platform*, category*, version?, previous-version*)>
			<!ELEMENT version (description?, dependency*, link*, author*)>
			<!ELEMENT previous-version EMPTY>
			<!ELEMENT description (#PCDATA)>
			<!ELEMENT dependency EMPTY>
			<!ELEMENT link (#PCDATA)>
			<!ELEMENT author (#PCDATA)>
			<!ELEMENT platform (#PCDATA)>
			<!ELEMENT category (#PCDATA)>
			<!ATTLIST update-site name CDATA #REQUIRED>
			<!ATTLIST update-site url CDATA #REQUIRED>
			<!ATTLIST update-site ssh-host CDATA #IMPLIED>
			<!ATTLIST update-site upload-directory CDATA #IMPLIED>
			<!ATTLIST update-site description CDATA #IMPLIED>
			<!ATTLIST update-site maintainer CDATA #IMPLIED>
			<!ATTLIST update-site timestamp CDATA #REQUIRED>
			<!ATTLIST disabled-update-site name CDATA #REQUIRED>
			<!ATTLIST disabled-update-site url CDATA #REQUIRED>
			<!ATTLIST disabled-update-site ssh-host CDATA #IMPLIED>
			<!ATTLIST disabled-update-site upload-directory CDATA #IMPLIED>
			<!ATTLIST disabled-update-site description CDATA #IMPLIED>
			<!ATTLIST disabled-update-site maintainer CDATA #IMPLIED>
			<!ATTLIST disabled-update-site timestamp CDATA #REQUIRED>
			<!ATTLIST plugin update-site CDATA #IMPLIED>
			<!ATTLIST plugin filename CDATA #REQUIRED>
			<!ATTLIST plugin executable CDATA #IMPLIED>
			<!ATTLIST dependency filename CDATA #REQUIRED>
			<!ATTLIST dependency timestamp CDATA #IMPLIED>
			<!ATTLIST dependency overrides CDATA #IMPLIED>
			<!ATTLIST version timestamp CDATA #REQUIRED>
			<!ATTLIST version checksum CDATA #REQUIRED>
			<!ATTLIST version filesize CDATA #REQUIRED>
			<!ATTLIST previous-version filename CDATA #IMPLIED>
			<!ATTLIST previous-version timestamp CDATA #REQUIRED>
			<!ATTLIST previous-version timestamp-obsolete CDATA #IMPLIED>
			<!ATTLIST previous-version checksum CDATA #REQUIRED>]>
			""";
}
