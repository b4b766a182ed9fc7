package org.progressionprobe.sim;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.CancellationException;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.Stream;

import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.progressionprobe.command.Progress;
import org.progressionprobe.io.AtlasFiles;
import org.progressionprobe.io.DisplacementFieldFiles;
import org.progressionprobe.io.VolumeIO;
import org.progressionprobe.table.Cohort;
import org.progressionprobe.table.FeatureTable;
import org.progressionprobe.volume.AffineTransform3D;
import org.progressionprobe.volume.Atlas;
import org.progressionprobe.volume.DisplacementField;
import org.progressionprobe.volume.Grid;
import org.progressionprobe.volume.Resampler;
import org.progressionprobe.volume.Volume;

class CohortSimulatorTest {

	private static final List<String> ATROPHY = List.of("Hippocampus_L", "Hippocampus_R", "Amygdala_L", "Amygdala_R");

	/** A 2 mm cohort with displacement fields, shared by the truth tests. */
	@TempDir
	static Path shared;
	private static FeatureTable truth;

	@BeforeAll
	static void simulateTwoMillimetreCohort() throws IOException {
		final SimulationSettings s = SimulationSettings.defaults().withSubjects(4, 11).withAtrophy(0.5, 12, 1).withOutputs(true, true, true);
		new CohortSimulator(s, Progress.NONE).run(shared);
		truth = FeatureTable.read(shared.resolve("truth.csv"));
	}

	private static SimulationSettings small(final int subjects, final long seed) {
		return SimulationSettings.defaults().withSubjects(subjects, seed).withVoxelSize(4).withOutputs(true, true, false);
	}

	private static Map<String, byte[]> contents(final Path dir) throws IOException {
		final Map<String, byte[]> out = new TreeMap<>();
		try (Stream<Path> files = Files.list(dir)) {
			for (final Path f : files.toList())
				out.put(f.getFileName().toString(), Files.readAllBytes(f));
		}
		return out;
	}

	private static void assertSameFiles(final Map<String, byte[]> expected, final Map<String, byte[]> actual) {
		assertEquals(expected.keySet(), actual.keySet());
		for (final String name : expected.keySet())
			assertArrayEquals(expected.get(name), actual.get(name), name + " differs");
	}

	@Test
	void writesScansLabelsTruthAndAtlasThatReadBack() throws IOException {
		final Cohort cohort = Cohort.readLabelled(shared.resolve("cohort.csv"));
		assertEquals(4, cohort.size());
		assertEquals(2, cohort.pairs().stream().filter(p -> p.label() == 1).count(), "half the subjects progress");
		assertEquals(shared.resolve("sub-001_baseline_labels.nii.gz").toAbsolutePath().normalize(), cohort.pairs().get(0).baselineLabels());
		final Volume baseline = VolumeIO.read(cohort.pairs().get(0).baseline());
		assertEquals(List.of(90, 108, 90), List.of(baseline.nx(), baseline.ny(), baseline.nz()));
		assertEquals("RAS", baseline.orientation());
		assertEquals("int16", VolumeIO.info(cohort.pairs().get(0).followup()).voxelType());
		final Atlas atlas = AtlasFiles.read(shared.resolve("atlas_template.nii.gz"), shared.resolve("atlas_labels.nii.gz"),
				shared.resolve("atlas_labels.txt"));
		assertEquals(PhantomAtlas.NAMES, atlas.names());
		assertTrue(baseline.sameGrid(atlas.template()));
		assertEquals(4, truth.rowCount());
		assertEquals(cohort.pairs().stream().map(p -> p.label().toString()).toList(), truth.texts("label"));
	}

	@Test
	void trueVolumeChangesAgreeWithAnIndependentMeasurement() throws IOException {
		final Atlas atlas = AtlasFiles.read(shared.resolve("atlas_template.nii.gz"), shared.resolve("atlas_labels.nii.gz"),
				shared.resolve("atlas_labels.txt"));
		for (int row = 0; row < truth.rowCount(); row++) {
			final String id = truth.text(row, "subject");
			final DisplacementField anatomy = DisplacementFieldFiles.read(shared.resolve(id + "_anatomy.nii.gz"));
			final DisplacementField atrophy = DisplacementFieldFiles.read(shared.resolve(id + "_displacement.nii.gz"));
			final boolean progressor = truth.text(row, "label").equals("1");
			for (final String name : ATROPHY) {
				final int value = atlas.labelsMatching(List.of(name)).get(0);
				// the label's partial-volume membership, pulled through the anatomy (baseline) or the atrophy then the anatomy (follow-up)
				final double before = membershipVolume(atlas.labels(), value, anatomy, null);
				final double after = membershipVolume(atlas.labels(), value, anatomy, atrophy);
				final double measured = 100 * (after - before) / before;
				final double recorded = truth.number(row, "volume_change_percent_" + name);
				final double target = truth.number(row, "target_change_percent_" + name);
				assertEquals(recorded, measured, 0.1, id + " " + name + ": independent measurement vs truth.csv");
				assertEquals(before, truth.number(row, "baseline_volume_mm3_" + name), 0.01 * before, id + " " + name + " baseline volume");
				assertEquals(target, recorded, 0.6, id + " " + name + ": the deformation reaches the target loss");
				if (progressor)
					assertTrue(recorded <= -5.5 && recorded >= -18.5, id + " " + name + " progressor loss " + recorded);
				else
					assertTrue(recorded <= 0 && recorded >= -1.8, id + " " + name + " stable loss " + recorded);
			}
			// the lost volume goes to the ventricles (temporal horns), barely to other tissue
			final double horns = truth.number(row, "volume_change_percent_Ventricle_L") + truth.number(row, "volume_change_percent_Ventricle_R");
			assertTrue(horns > (progressor ? 4 : 0), id + " ventricles grow: " + horns);
			for (final String other : List.of("Thalamus_L", "Caudate_R", "Cortex_L", "Scalp"))
				assertEquals(0, truth.number(row, "volume_change_percent_" + other), 0.1, id + " " + other + " is untouched");
		}
	}

	/**
	 * Volume of a label's membership (its indicator interpolated trilinearly in the atlas) over the
	 * anatomy's grid, pulled through {@code first} (if any) and then the anatomy: a plain midpoint
	 * sum over 4^3 points per voxel near the label.
	 */
	private static double membershipVolume(final Volume atlasLabels, final int label, final DisplacementField anatomy,
			final DisplacementField first) {
		final Volume indicator = atlasLabels.zerosLike();
		final float[] a = atlasLabels.data(), ind = indicator.data();
		// the label's voxel box in the atlas; the subjects share the atlas grid and move it by less than 7 voxels
		final int[] lo = { Integer.MAX_VALUE, Integer.MAX_VALUE, Integer.MAX_VALUE }, hi = { -1, -1, -1 };
		for (int k = 0; k < atlasLabels.nz(); k++)
			for (int j = 0; j < atlasLabels.ny(); j++)
				for (int i = 0; i < atlasLabels.nx(); i++)
					if ((int) atlasLabels.get(i, j, k) == label) {
						ind[atlasLabels.index(i, j, k)] = 1;
						final int[] q = { i, j, k };
						for (int d = 0; d < 3; d++) {
							lo[d] = Math.min(lo[d], q[d] - 7);
							hi[d] = Math.max(hi[d], q[d] + 8);
						}
					}
		final Grid g = anatomy.grid();
		final int[] n = g.size();
		final AffineTransform3D v2w = g.voxelToWorld(), toAtlas = atlasLabels.worldToVoxel();
		final int s = 4;
		double sum = 0;
		final double[] p = new double[3];
		for (int k = Math.max(0, lo[2]); k < Math.min(n[2], hi[2]); k++)
			for (int j = Math.max(0, lo[1]); j < Math.min(n[1], hi[1]); j++)
				for (int i = Math.max(0, lo[0]); i < Math.min(n[0], hi[0]); i++)
					for (int c = 0; c < s * s * s; c++) {
						p[0] = i + (c % s + 0.5) / s - 0.5;
						p[1] = j + (c / s % s + 0.5) / s - 0.5;
						p[2] = k + (c / (s * s) + 0.5) / s - 0.5;
						v2w.apply(p, p);
						if (first != null)
							first.apply(p, p);
						anatomy.apply(p, p);
						toAtlas.apply(p, p);
						final double x = Math.max(0, Math.min(p[0], atlasLabels.nx() - 1)), y = Math.max(0, Math.min(p[1], atlasLabels.ny() - 1)),
								z = Math.max(0, Math.min(p[2], atlasLabels.nz() - 1));
						sum += Resampler.linear(ind, atlasLabels.nx(), atlasLabels.ny(), atlasLabels.nz(), x, y, z, 0);
					}
		return sum * 8 / (s * s * s);
	}

	@Test
	void recordedMotionMapsTheBaselineOntoTheFollowUp() throws IOException {
		final Cohort cohort = Cohort.readLabelled(shared.resolve("cohort.csv"));
		for (int row = 0; row < truth.rowCount(); row++) {
			final Volume baseline = VolumeIO.read(cohort.pairs().get(row).baseline());
			final Volume followup = VolumeIO.read(cohort.pairs().get(row).followup());
			final RigidMotion m = new RigidMotion(
					new double[] { truth.number(row, "rotation_x_deg"), truth.number(row, "rotation_y_deg"), truth.number(row, "rotation_z_deg") },
					new double[] { truth.number(row, "shift_x_mm"), truth.number(row, "shift_y_mm"), truth.number(row, "shift_z_mm") });
			final AffineTransform3D motion = m.transform();
			// the follow-up sampled where the motion puts each baseline point matches the baseline
			final double aligned = ncc(baseline, Resampler.linear().resample(followup, Grid.of(baseline), motion));
			final double unaligned = ncc(baseline, followup);
			final double wrongWay = ncc(baseline, Resampler.linear().resample(followup, Grid.of(baseline), motion.inverse()));
			assertTrue(aligned > 0.93, "aligned NCC " + aligned + " (noise and the two bias fields keep it below 1)");
			assertTrue(aligned > unaligned + 0.02 && aligned > wrongWay + 0.02, "NCC aligned " + aligned + ", unaligned " + unaligned + ", inverse " + wrongWay);
			// and the head's centre of mass moves as the motion says
			final double[] cb = headCentroid(baseline), cf = headCentroid(followup), moved = new double[3];
			motion.apply(cb, moved);
			assertArrayEquals(moved, cf, 0.2, "centre of mass: follow-up vs motion applied to baseline");
			assertTrue(Math.abs(cf[0] - cb[0]) + Math.abs(cf[1] - cb[1]) + Math.abs(cf[2] - cb[2]) > 0.5, "the head moved");
		}
	}

	private static double ncc(final Volume a, final Volume b) {
		final float[] x = a.data(), y = b.data();
		double sx = 0, sy = 0, sxx = 0, syy = 0, sxy = 0;
		final int n = x.length;
		for (int i = 0; i < n; i++) {
			sx += x[i];
			sy += y[i];
			sxx += x[i] * (double) x[i];
			syy += y[i] * (double) y[i];
			sxy += x[i] * (double) y[i];
		}
		final double cov = sxy - sx * sy / n, vx = sxx - sx * sx / n, vy = syy - sy * sy / n;
		return cov / Math.sqrt(vx * vy);
	}

	/**
	 * World centre of mass of the head: every voxel not reachable from the volume's border through
	 * voxels darker than 20 (air), so dark skull and CSF count and the bias field does not matter.
	 */
	private static double[] headCentroid(final Volume v) {
		final int nx = v.nx(), ny = v.ny(), nz = v.nz();
		final boolean[] outside = new boolean[v.voxelCount()];
		final java.util.ArrayDeque<Integer> queue = new java.util.ArrayDeque<>();
		for (int k = 0; k < nz; k++)
			for (int j = 0; j < ny; j++)
				for (int i = 0; i < nx; i++)
					if (i == 0 || j == 0 || k == 0 || i == nx - 1 || j == ny - 1 || k == nz - 1) {
						final int o = v.index(i, j, k);
						if (v.data()[o] < 20 && !outside[o]) {
							outside[o] = true;
							queue.add(o);
						}
					}
		while (!queue.isEmpty()) {
			final int o = queue.poll();
			final int i = o % nx, j = o / nx % ny, k = o / (nx * ny);
			final int[][] nb = { { i - 1, j, k }, { i + 1, j, k }, { i, j - 1, k }, { i, j + 1, k }, { i, j, k - 1 }, { i, j, k + 1 } };
			for (final int[] q : nb)
				if (q[0] >= 0 && q[1] >= 0 && q[2] >= 0 && q[0] < nx && q[1] < ny && q[2] < nz) {
					final int b = v.index(q[0], q[1], q[2]);
					if (!outside[b] && v.data()[b] < 20) {
						outside[b] = true;
						queue.add(b);
					}
				}
		}
		final double[] c = new double[3], p = new double[3];
		double w = 0;
		final AffineTransform3D m = v.voxelToWorld();
		for (int k = 0; k < nz; k++)
			for (int j = 0; j < ny; j++)
				for (int i = 0; i < nx; i++) {
					if (outside[v.index(i, j, k)])
						continue;
					p[0] = i;
					p[1] = j;
					p[2] = k;
					m.apply(p, p);
					for (int d = 0; d < 3; d++)
						c[d] += p[d];
					w++;
				}
		for (int d = 0; d < 3; d++)
			c[d] /= w;
		return c;
	}

	@Test
	void sameSeedGivesIdenticalFilesWhateverTheThreadsDifferentSeedDiffers(@TempDir final Path dir) throws IOException {
		new CohortSimulator(small(3, 5), Progress.NONE, 2).run(dir.resolve("a"));
		new CohortSimulator(small(3, 5), Progress.NONE, 1).run(dir.resolve("b"));
		new CohortSimulator(small(3, 6), Progress.NONE, 2).run(dir.resolve("c"));
		final Map<String, byte[]> a = contents(dir.resolve("a")), c = contents(dir.resolve("c"));
		assertSameFiles(a, contents(dir.resolve("b")));
		for (final String scan : List.of("sub-001_baseline.nii.gz", "sub-002_followup.nii.gz", "sub-003_displacement.nii.gz"))
			assertFalse(java.util.Arrays.equals(a.get(scan), c.get(scan)), scan + " should change with the seed");
		assertArrayEquals(a.get("atlas_template.nii.gz"), c.get("atlas_template.nii.gz"), "the atlas does not depend on the seed");
	}

	@Test
	void resumeRewritesOnlyWhatIsMissing(@TempDir final Path dir) throws IOException, InterruptedException {
		final SimulationSettings s = small(3, 7);
		new CohortSimulator(s, Progress.NONE).run(dir);
		final Map<String, byte[]> before = contents(dir);
		final Map<String, FileTime> times = new TreeMap<>();
		for (final String f : before.keySet())
			times.put(f, Files.getLastModifiedTime(dir.resolve(f)));
		Thread.sleep(1100);
		Files.delete(dir.resolve("sub-002_followup.nii.gz"));
		// a temporary file a killed run left behind, and a file of the user's
		final Path stale = dir.resolve(".sub-002_followup.nii.gz.18c2f-2147483646.part"), mine = dir.resolve("notes.txt");
		Files.writeString(stale, "half a scan");
		Files.writeString(mine, "keep me");
		final CohortSimulator.Result r = new CohortSimulator(s, Progress.NONE).run(dir);
		assertEquals(1, r.simulated());
		assertEquals(2, r.resumed());
		assertFalse(Files.exists(stale), "stale temporary files of dead runs are removed");
		Files.delete(mine);
		assertSameFiles(before, contents(dir));
		for (final String f : before.keySet())
			if (f.startsWith("sub-001") || f.startsWith("sub-003") || f.startsWith("atlas") || f.startsWith("sub-002_baseline"))
				assertEquals(times.get(f), Files.getLastModifiedTime(dir.resolve(f)), f + " was rewritten");
	}

	@Test
	void aStoppedRunResumesToTheSameFiles(@TempDir final Path dir) throws IOException {
		final SimulationSettings s = small(4, 8);
		new CohortSimulator(s, Progress.NONE).run(dir.resolve("clean"));
		final AtomicInteger reports = new AtomicInteger();
		final Progress stopAfterTwo = new Progress() {
			@Override
			public void report(final String step, final long done, final long total) {
				reports.incrementAndGet();
			}

			@Override
			public boolean isCancelled() {
				return reports.get() > 2; // the first report is 0 of 4
			}
		};
		assertThrows(CancellationException.class, () -> new CohortSimulator(s, stopAfterTwo, 1).run(dir.resolve("stopped")));
		assertFalse(Files.exists(dir.resolve("stopped").resolve("cohort.csv")), "no cohort file before every subject is done");
		final CohortSimulator.Result r = new CohortSimulator(s, Progress.NONE).run(dir.resolve("stopped"));
		assertTrue(r.resumed() >= 1 && r.simulated() >= 1, r.summary());
		assertSameFiles(contents(dir.resolve("clean")), contents(dir.resolve("stopped")));
	}

	@Test
	void refusesAFolderSimulatedWithOtherSettings(@TempDir final Path dir) throws IOException {
		new CohortSimulator(small(2, 1), Progress.NONE).run(dir);
		final IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
				() -> new CohortSimulator(small(2, 2), Progress.NONE).run(dir));
		assertTrue(e.getMessage().contains("seed 1 -> 2") && e.getMessage().contains(dir.toString()), e.getMessage());
	}

	/**
	 * Independent atrophy (the registration network's training subjects): each structure's target
	 * loss is drawn on its own between 0 and 1.5 x atrophy_percent, whatever the subject's class, so
	 * stable subjects lose far more than their ageing range and a structure's loss says nothing of its
	 * neighbour's; the deformation follows each draw (at 4 mm only roughly reaching it); the identity records the setting.
	 */
	@Test
	void independentAtrophyDrawsEachStructuresLossOnItsOwn(@TempDir final Path dir) throws IOException {
		final SimulationSettings s = small(8, 3).withIndependentAtrophy();
		assertEquals("true", s.identity().get("independent_atrophy"));
		assertFalse(small(8, 3).identity().containsKey("independent_atrophy"));
		final FeatureTable truth = FeatureTable.read(new CohortSimulator(s, Progress.NONE).run(dir).truth());
		double stableMost = 0;
		final List<Double> targets = new java.util.ArrayList<>(), recorded = new java.util.ArrayList<>();
		final double[] left = new double[truth.rowCount()], right = new double[truth.rowCount()];
		for (int row = 0; row < truth.rowCount(); row++) {
			for (final String name : List.of("Hippocampus_L", "Hippocampus_R")) {
				final double target = -truth.number(row, "target_change_percent_" + name);
				assertTrue(target >= 0 && target <= 15, name + " target loss " + target);
				targets.add(-target);
				recorded.add(truth.number(row, "volume_change_percent_" + name));
				if (truth.text(row, "label").equals("0"))
					stableMost = Math.max(stableMost, target);
			}
			left[row] = truth.number(row, "target_change_percent_Hippocampus_L");
			right[row] = truth.number(row, "target_change_percent_Hippocampus_R");
		}
		assertTrue(stableMost > 3, "a stable subject loses more than its class's 0.5-1.5%: " + stableMost);
		assertTrue(org.progressionprobe.stats.Correlation.pearson(targets.stream().mapToDouble(Double::doubleValue).toArray(),
				recorded.stream().mapToDouble(Double::doubleValue).toArray()) > 0.95, "the deformation follows each draw: " + targets + " " + recorded);
		assertTrue(Math.abs(org.progressionprobe.stats.Correlation.pearson(left, right)) < 0.8, "left and right drawn apart");
	}

	@Test
	void badSettingsNameTheKey() {
		final IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
				() -> SimulationSettings.defaults().withAtrophy(1.5, 10, 1));
		assertTrue(e.getMessage().startsWith("progressor_fraction"), e.getMessage());
		final IllegalArgumentException l = assertThrows(IllegalArgumentException.class, () -> new CohortSimulator(
				new SimulationSettings(2, 1, 0.5, 10, 1, List.of("Putamen_X"), List.of(), 3, 3, 0.03, 0.1, 3, 4, null, null, null, false, false, false),
				Progress.NONE).run(Path.of("unused")));
		assertTrue(l.getMessage().contains("atrophy_labels") && l.getMessage().contains("Hippocampus_L"), l.getMessage());
	}
}
