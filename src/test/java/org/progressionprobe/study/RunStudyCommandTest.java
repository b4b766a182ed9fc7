package org.progressionprobe.study;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.progressionprobe.io.VolumeIO;
import org.progressionprobe.launcher.CommandRunner;
import org.progressionprobe.table.Cohort;
import org.progressionprobe.table.CohortPair;
import org.progressionprobe.table.FeatureTable;
import org.progressionprobe.volume.Geometry;
import org.progressionprobe.volume.Volume;
import org.scijava.Context;

class RunStudyCommandTest {

	@TempDir
	static Path dir;
	static Context context;
	static Path cohort;

	/** A cohort of small phantoms: a bright ball that loses 15% of its volume in progressors. */
	@BeforeAll
	static void makeCohort() throws IOException {
		context = new Context();
		final List<CohortPair> pairs = new ArrayList<>();
		final SplittableRandom rnd = new SplittableRandom(7);
		for (int i = 0; i < 16; i++) {
			final int label = i % 2;
			final double r0 = 6 + rnd.nextDouble(), r1 = label == 1 ? r0 * Math.cbrt(0.85) : r0;
			final Path b = dir.resolve("s" + i + "_b.nii.gz"), f = dir.resolve("s" + i + "_f.nii.gz");
			VolumeIO.write(ball(r0, rnd.split()), b);
			VolumeIO.write(ball(r1, rnd.split()), f);
			pairs.add(new CohortPair("s" + i, b, f, label, Map.of()));
		}
		cohort = dir.resolve("cohort.csv");
		Cohort.write(cohort, pairs);
	}

	@AfterAll
	static void closeContext() {
		context.dispose();
	}

	static Volume ball(final double radiusVox, final SplittableRandom rnd) {
		final int n = 28;
		final Volume v = Volume.zeros(n, n, n, Geometry.scaling(new double[] { 2, 2, 2 }, new double[] { -27, -27, -27 }));
		for (int z = 0; z < n; z++)
			for (int y = 0; y < n; y++)
				for (int x = 0; x < n; x++) {
					final double d = Math.sqrt((x - 13.5) * (x - 13.5) + (y - 13.5) * (y - 13.5) + (z - 13.5) * (z - 13.5));
					final double inside = 1 / (1 + Math.exp((d - radiusVox) / 0.7));
					final double shell = 1 / (1 + Math.exp((d - 11) / 0.7));
					v.set(x, y, z, (float) (20 + 60 * shell + 100 * inside + rnd.nextGaussian()));
				}
		return v;
	}

	@Test
	void changeFeaturesSeparateProgressorsAndTheTableIsWritten() {
		final Path out = dir.resolve("study");
		final Map<String, Object> outputs = new CommandRunner(context).run(RunStudyCommand.class,
				Map.of("cohort", cohort.toFile(), "output_dir", out.toFile(), "alignments", "none,pair", "folds", 4, "bootstrap", 200));
		final String table = (String) outputs.get("table");
		assertTrue(table.contains("none_change") && table.contains("pair_change"), table);
		assertTrue(Files.exists(out.resolve(Study.COMPARISON_PNG)), table);
		assertTrue(Files.exists(out.resolve("probes/none_change/roc.png")));
		final FeatureTable comparison = assertDoesNotThrowRead(out.resolve(Study.COMPARISON_CSV));
		assertEquals(2, comparison.rowCount());
		for (int r = 0; r < 2; r++)
			assertTrue(comparison.number(r, "auc") >= 0.85, "AUC of " + comparison.text(r, "setting") + " is " + comparison.number(r, "auc"));
		assertEquals(16, comparison.number(0, "subjects"));
	}

	@Test
	void atlasAlignmentWithoutAnAtlasIsRefusedUpFront() {
		final RuntimeException e = assertThrows(RuntimeException.class, () -> new CommandRunner(context).run(RunStudyCommand.class,
				Map.of("cohort", cohort.toFile(), "output_dir", dir.resolve("x").toFile(), "alignments", "atlas")));
		assertTrue(e.getMessage().contains("alignment=atlas needs an atlas"), e.getMessage());
	}

	private static FeatureTable assertDoesNotThrowRead(final Path p) {
		try {
			return FeatureTable.read(p);
		} catch (final IOException e) {
			throw new AssertionError(e);
		}
	}
}
