package org.progressionprobe.distribution;

import java.util.Set;

/**
 * Jars a plain Fiji installation already has (in its {@code jars/} folder), which the update site
 * must not ship again: a second copy would either shadow Fiji's version or put two versions of the
 * same classes on the class path. The list is deliberately conservative: it names only components
 * that are part of every Fiji (the ImageJ2/SciJava/ImgLib2 core, ImageJ 1, SCIFIO and Bio-Formats, and
 * the general libraries they pull in). A dependency not listed here is shipped; if Fiji turns out to
 * have it too, add it here (group:artifact) after checking a current Fiji's {@code jars/} folder.
 */
public final class FijiShipped {

	private FijiShipped() {}

	/** group:artifact of jars every Fiji ships. */
	public static final Set<String> ARTIFACTS = Set.of(
			// ImageJ 1 and ImageJ2
			"net.imagej:ij", "net.imagej:imagej", "net.imagej:imagej-common", "net.imagej:imagej-ops", "net.imagej:imagej-legacy",
			"net.imagej:imagej-updater", "net.imagej:imagej-ui-swing", "net.imagej:imagej-scripting", "net.imagej:imagej-deprecated",
			"net.imagej:imagej-mesh", "net.imagej:imagej-tensorflow",
			// SciJava
			"org.scijava:scijava-common", "org.scijava:parsington", "org.scijava:scijava-table", "org.scijava:scijava-search",
			"org.scijava:scijava-ui-swing", "org.scijava:scijava-ui-awt", "org.scijava:scijava-plot", "org.scijava:scijava-io-http",
			"org.scijava:scijava-optional", "org.scijava:scijava-listeners", "org.scijava:script-editor", "org.scijava:native-lib-loader",
			"org.scijava:scripting-groovy", "org.scijava:scripting-jython", "org.scijava:scripting-javascript",
			// ImgLib2
			"net.imglib2:imglib2", "net.imglib2:imglib2-algorithm", "net.imglib2:imglib2-algorithm-gpl", "net.imglib2:imglib2-algorithm-fft",
			"net.imglib2:imglib2-cache", "net.imglib2:imglib2-ij", "net.imglib2:imglib2-realtransform", "net.imglib2:imglib2-roi",
			// SCIFIO (with its JPEG 2000 reader, jai-imageio-jpeg2000, since scifio 0.47) and Bio-Formats
			"io.scif:scifio", "com.github.jai-imageio:jai-imageio-core", "com.github.jai-imageio:jai-imageio-jpeg2000", "ome:formats-api", "ome:formats-bsd", "ome:formats-gpl", "ome:bio-formats_plugins", "org.openmicroscopy:ome-common",
			"org.openmicroscopy:ome-xml", "org.openmicroscopy:ome-codecs",
			// general libraries of the core
			"com.google.guava:guava", "com.google.guava:failureaccess", "com.google.code.gson:gson", "commons-io:commons-io",
			"org.apache.commons:commons-lang3", "org.apache.commons:commons-math3", "org.apache.commons:commons-compress",
			"net.java.dev.jna:jna", "net.java.dev.jna:jna-platform", "org.slf4j:slf4j-api", "gov.nist.math:jama",
			"org.jfree:jfreechart", "org.jfree:jcommon", "org.javassist:javassist", "net.sf.trove4j:trove4j", "org.joml:joml",
			"com.miglayout:miglayout-core", "com.miglayout:miglayout-swing", "org.apache.groovy:groovy");

	/** True if every Fiji already has this jar. */
	public static boolean ships(final ResolvedArtifact a) {
		return ARTIFACTS.contains(a.groupId() + ":" + a.artifactId());
	}
}
