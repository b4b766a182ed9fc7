package org.progressionprobe.report;

/** HTML and XML escaping. */
final class Html {

	private Html() {}

	static String escape(final String s) {
		return s.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;").replace("\"", "&quot;");
	}
}
