package org.progressionprobe.features.change;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.progressionprobe.io.VolumeIO;
import org.progressionprobe.launcher.CommandRunner;
import org.progressionprobe.table.FeatureTable;
import org.progressionprobe.volume.AffineTransform3D;
import org.progressionprobe.volume.Volume;
import org.scijava.Context;

class ChangeFeaturesCommandTest {

	@TempDir
	static Path dir;
	private static Context context;
	private static Path baseline, followup, labels, names;

	@BeforeAll
	static void writeScans() throws Exception {
		context = new Context();
		final SyntheticChange s = SyntheticChange.standard(0.8);
		final AffineTransform3D g = SyntheticChange.grid(44, 1.6);
		final Volume b = s.baselineOn(44, g);
		baseline = dir.resolve("baseline.nii.gz");
		followup = dir.resolve("followup.nii.gz");
		labels = dir.resolve("labels.nii.gz");
		names = dir.resolve("labels.txt");
		VolumeIO.write(b, baseline);
		VolumeIO.write(s.followupOn(44, g), followup);
		VolumeIO.writeLabels(s.labelsOn(b), labels);
		Files.writeString(names, "1 Shrinking 1\n2 Control 2\n");
	}

	@AfterAll
	static void close() {
		context.dispose();
	}

	private Map<String, Object> run(final Map<String, Object> inputs) {
		return new CommandRunner(context).run(ChangeFeaturesCommand.class, inputs);
	}

	@Test
	void writesOneFeatureRowWithProvenanceAndTheMaps() throws Exception {
		final Path out = dir.resolve("features.csv"), maps = dir.resolve("maps");
		final Map<String, Object> in = new HashMap<>();
		in.put("baseline", baseline.toFile());
		in.put("followup", followup.toFile());
		in.put("output", out.toFile());
		in.put("labels", labels.toFile());
		in.put("label_names", names.toFile());
		in.put("maps_dir", maps.toFile());
		in.put("iterations", "40,30,20");
		final Map<String, Object> outputs = run(in);
		assertTrue(outputs.get("qc").toString().contains("inverse_consistency_mean_mm"), outputs.toString());

		final FeatureTable t = FeatureTable.read(out);
		assertEquals(1, t.rowCount());
		assertEquals(3 * 8, t.columns().size());
		assertEquals("40,30,20 (coarse to fine)", t.provenance().get("iterations"));
		assertTrue(Files.readString(out).startsWith("# "), "provenance lines come first");
		assertEquals(Math.log(0.8), t.number(0, "logjac_mean_Shrinking"), 0.05);
		assertEquals(0, t.number(0, "logjac_mean_Control"), 0.02);

		final Volume ux = VolumeIO.read(maps.resolve(ChangeMeasurement.DISPLACEMENT), 0);
		final Volume uz = VolumeIO.read(maps.resolve(ChangeMeasurement.DISPLACEMENT), 2);
		assertTrue(ux.sameGrid(VolumeIO.read(baseline)) && uz.sameGrid(ux));
		assertThrows(java.io.IOException.class, () -> VolumeIO.read(maps.resolve(ChangeMeasurement.DISPLACEMENT), 3), "three components");
		for (final String f : new String[] { ChangeMeasurement.JACOBIAN, ChangeMeasurement.LOG_JACOBIAN, ChangeMeasurement.WARPED, ChangeMeasurement.FOREGROUND })
			assertTrue(Files.isRegularFile(maps.resolve(f)), f);
		final Volume logjac = VolumeIO.read(maps.resolve(ChangeMeasurement.LOG_JACOBIAN));
		final Volume jac = VolumeIO.read(maps.resolve(ChangeMeasurement.JACOBIAN));
		assertEquals(Math.log(jac.get(12, 20, 22)), logjac.get(12, 20, 22), 1e-5);
	}

	@Test
	void withoutLabelsTheCellsAreUsed() throws Exception {
		final Path out = dir.resolve("cells.csv");
		run(Map.of("baseline", baseline.toFile(), "followup", followup.toFile(), "output", out.toFile(), "levels", 2, "iterations", "10",
				"grid_cells", "2,2,2", "percentiles", "10,90"));
		final FeatureTable t = FeatureTable.read(out);
		assertEquals((1 + 8) * 6, t.columns().size());
		assertTrue(t.hasColumn("dispmag_p90_cell_1_1_1") && t.hasColumn("logjac_mean_foreground"), t.columns().toString());
	}

	@Test
	void nonFiniteVoxelsAreAnErrorNamingTheFile() throws Exception {
		final Volume bad = VolumeIO.read(followup);
		bad.set(1, 2, 3, Float.POSITIVE_INFINITY);
		final Path badFile = dir.resolve("bad-followup.nii.gz");
		VolumeIO.write(bad, badFile);
		final Path out = dir.resolve("never.csv");
		final RuntimeException e = assertThrows(RuntimeException.class,
				() -> run(Map.of("baseline", baseline.toFile(), "followup", badFile.toFile(), "output", out.toFile())));
		assertTrue(e.getMessage().contains(badFile.toString()) && e.getMessage().contains("non-finite"), e.getMessage());
		assertFalse(Files.exists(out), "no output on failure");
	}

	@Test
	void labelsOffTheBaselineGridAreAnErrorNamingTheFile() throws Exception {
		final Path small = dir.resolve("small-labels.nii.gz");
		VolumeIO.writeLabels(Volume.zeros(10, 10, 10, new AffineTransform3D()), small);
		final RuntimeException e = assertThrows(RuntimeException.class, () -> run(Map.of("baseline", baseline.toFile(), "followup",
				followup.toFile(), "output", dir.resolve("x.csv").toFile(), "labels", small.toFile())));
		assertTrue(e.getMessage().contains(small.toString()) && e.getMessage().contains("baseline's grid"), e.getMessage());
	}

	@Test
	void badLabelsAndLabelNamesAreErrorsNamingTheFileAndTheProblem() throws Exception {
		final Volume b = VolumeIO.read(baseline);
		final Path zero = dir.resolve("zero-labels.nii.gz"), corner = dir.resolve("corner-labels.nii.gz");
		VolumeIO.writeLabels(b.zerosLike(), zero);
		final Volume c = b.zerosLike();
		c.set(0, 0, 0, 1);
		c.set(1, 0, 0, 2);
		VolumeIO.writeLabels(c, corner);
		final Path other = dir.resolve("other-names.txt"), binary = dir.resolve("binary-names.txt"), twice = dir.resolve("twice.txt"),
				same = dir.resolve("same-name.txt"), missing = dir.resolve("no-such-names.txt");
		Files.writeString(other, "7 Elsewhere 7\n8 Nowhere 8\n");
		Files.write(binary, new byte[] { 0x1f, (byte) 0x8b, 8, 0, 0, 0, 0, 0, (byte) 0xff, 3 });
		Files.writeString(twice, "1 Shrinking\n2 Control\n1 Again\n");
		Files.writeString(same, "1 Shrinking\n2 Shrinking\n");
		final Object[][] cases = { { zero, names, zero, "the label image is all 0" }, { corner, names, corner, "the labels lie outside the head" },
				{ labels, other, labels, "none of the 2 named labels occurs in the label image" },
				{ labels, binary, binary, "holds binary data, not 'value name' text lines" },
				{ labels, missing, missing, "label names file not found" }, { labels, twice, twice, "line 3 names label 1 again" },
				{ labels, same, same, "label names must be unique" } };
		for (final Object[] k : cases) {
			final Path out = dir.resolve("bad-labels.csv");
			final RuntimeException e = assertThrows(RuntimeException.class, () -> run(Map.of("baseline", baseline.toFile(), "followup",
					followup.toFile(), "output", out.toFile(), "labels", ((Path) k[0]).toFile(), "label_names", ((Path) k[1]).toFile())));
			assertTrue(e.getMessage().contains(k[2].toString()) && e.getMessage().contains((String) k[3]), e.getMessage());
			assertFalse(Files.exists(out));
		}
	}

	@Test
	void aFollowUpThatDoesNotOverlapTheBaselineIsNamed() throws Exception {
		final Volume f = VolumeIO.read(followup);
		final Path far = dir.resolve("far-followup.nii.gz");
		VolumeIO.write(Volume.wrap(f.data(), f.nx(), f.ny(), f.nz(), f.voxelToWorld().translate(1000, 0, 0)), far);
		final RuntimeException e = assertThrows(RuntimeException.class,
				() -> run(Map.of("baseline", baseline.toFile(), "followup", far.toFile(), "output", dir.resolve("far.csv").toFile())));
		final String m = e.getMessage();
		assertTrue(m.startsWith(far + " does not overlap the baseline " + baseline + " in world space: the follow-up spans x ")
				&& m.contains(", the baseline x "), m);
	}

	@Test
	void iterationCountsMustMatchTheLevels() {
		final RuntimeException e = assertThrows(RuntimeException.class, () -> run(Map.of("baseline", baseline.toFile(), "followup",
				followup.toFile(), "output", dir.resolve("y.csv").toFile(), "levels", 2, "iterations", "5,5,5")));
		assertTrue(e.getMessage().contains("iterations") && e.getMessage().contains("levels=2"), e.getMessage());
	}

	@Test
	void theCommandsTextGivesTheSettingsItGaveBeforeParsingMovedToTheSettings() throws Exception {
		final Path out = dir.resolve("text.csv");
		run(Map.of("baseline", baseline.toFile(), "followup", followup.toFile(), "output", out.toFile(), "labels", labels.toFile(), "label_names",
				names.toFile(), "prealign", "rigid", "levels", 2, "iterations", "4", "grid_cells", "2;2; 1", "percentiles",
				"10, 90"));
		final ChangeFeatures.Settings expected = new ChangeFeatures.Settings(new DemonsRegistration.Settings(2, new int[] { 4, 4 }, 1, 0.75, 1, 8),
				new int[] { 2, 2, 1 }, new double[] { 10, 90 }, Map.of(1, "Shrinking", 2, "Control"), ChangeFeatures.Prealign.RIGID);
		final Map<String, String> written = FeatureTable.read(out).provenance();
		new ChangeFeatures(expected).provenance().forEach((k, v) -> assertEquals(v, written.get(k), k));
	}

	@Test
	void blankKeysTakeTheSettingsDefaultsAndBadTextNamesTheKeyAndTheValue() {
		final ChangeFeatures.Settings d = ChangeFeatures.Settings.defaults(), parsed = ChangeFeatures.Settings.parse(Map.of());
		assertEquals(new ChangeFeatures(d).provenance(), new ChangeFeatures(parsed).provenance());
		assertEquals(new ChangeFeatures(d.withPrealign(ChangeFeatures.Prealign.NONE)).provenance(),
				new ChangeFeatures(ChangeFeatures.Settings.parse(Map.of("prealign", "none", "iterations", "60;40;20"))).provenance());
		final Map<String, String[]> bad = Map.of("levels", new String[] { "two", "'two'" }, "iterations", new String[] { "60,abc,20", "'abc'" },
				"percentiles", new String[] { "5,fifty", "'fifty'" }, "grid_cells", new String[] { "2,0,2", "[2, 0, 2]" }, "max_step",
				new String[] { "0", "0.0" }, "prealign", new String[] { "elastic", "'elastic'" });
		bad.forEach((key, v) -> {
			final RuntimeException e = assertThrows(RuntimeException.class, () -> ChangeFeatures.Settings.parse(Map.of(key, v[0])), key);
			assertTrue(e.getMessage().contains(key) && e.getMessage().contains(v[1]), e.getMessage());
		});
		assertTrue(assertThrows(IllegalArgumentException.class, () -> ChangeFeatures.Settings.parse(Map.of("layers", "enc1"))).getMessage()
				.contains("'layers'"));
	}
}
