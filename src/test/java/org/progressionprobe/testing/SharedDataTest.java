package org.progressionprobe.testing;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.opentest4j.AssertionFailedError;
import org.opentest4j.TestAbortedException;

class SharedDataTest {

	@TempDir
	Path dir;

	private final String before = System.getProperty("progression.shared");

	@AfterEach
	void restore() {
		if (before == null)
			System.clearProperty("progression.shared");
		else
			System.setProperty("progression.shared", before);
	}

	@Test
	void aMissingSharedFolderSkipsOutsideCiAndFailsInCi() {
		System.setProperty("progression.shared", dir.resolve("absent").toString());
		assertTrue(assertThrows(TestAbortedException.class, () -> SharedData.require("data/x", false)).getMessage().contains("../shared is absent"));
		assertTrue(assertThrows(AssertionFailedError.class, () -> SharedData.require("data/x", true)).getMessage().contains("CI=true"));
	}

	@Test
	void aMissingFileFailsInCiAndAPresentOneIsFound() throws Exception {
		System.setProperty("progression.shared", dir.toString());
		java.nio.file.Files.createDirectories(dir.resolve("data"));
		assertEquals(dir.resolve("data"), SharedData.require("data", true));
		final AssertionFailedError e = assertThrows(AssertionFailedError.class, () -> SharedData.require("data/missing.nii.gz", true));
		assertTrue(e.getMessage().contains("missing.nii.gz"), e.getMessage());
	}
}
