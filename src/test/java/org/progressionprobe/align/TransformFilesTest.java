package org.progressionprobe.align;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.File;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.progressionprobe.io.VolumeIO;
import org.progressionprobe.io.VolumeIOException;
import org.progressionprobe.volume.AffineTransform3D;
import org.progressionprobe.volume.Grid;
import org.progressionprobe.volume.Resampler;
import org.progressionprobe.volume.Resampler.Interpolation;
import org.progressionprobe.volume.Volume;

/** ITK and elastix transform files: exact round trips, other tools' transform types, and transformix resampling as we do. */
class TransformFilesTest {

	@TempDir
	Path dir;

	/** A non-trivial transform: rotation, scaling, shear, translation, centre off the origin. */
	static CentredAffine sample() {
		return new CentredAffine(new double[] { 0.97, -0.21, 0.05, 0.2, 0.95, -0.11, -0.04, 0.12, 1.03 }, new double[] { 3.25, -7.5, 1 / 3.0 },
				new double[] { -12.1, 30.7, 15.3 });
	}

	/** An oblique, anisotropic grid (rotated about z and x), so direction cosines and their order matter. */
	static Grid obliqueGrid(final int[] size) {
		final double a = Math.toRadians(20), b = Math.toRadians(-12);
		final AffineTransform3D rz = AffineTransform3D.of(Math.cos(a), -Math.sin(a), 0, 0, Math.sin(a), Math.cos(a), 0, 0, 0, 0, 1, 0);
		final AffineTransform3D rx = AffineTransform3D.of(1, 0, 0, 0, 0, Math.cos(b), -Math.sin(b), 0, 0, Math.sin(b), Math.cos(b), 0);
		final AffineTransform3D m = rz.concatenate(rx).concatenate(AffineTransform3D.of(1.5, 0, 0, 0, 0, 1.2, 0, 0, 0, 0, 2.5, 0));
		m.translate(-40, -35, -30);
		return new Grid(size, m);
	}

	@Test
	void itkFileWrittenAndReadBackIsIdentical() throws IOException {
		final CentredAffine t = sample();
		final Path f = dir.resolve("t.tfm");
		TransformFiles.writeItk(f, t, 3);
		assertEquals(t, TransformFiles.readItk(f));
		assertEquals(t, TransformFiles.read(f));
		final String text = Files.readString(f);
		assertTrue(text.startsWith("#Insight Transform File V1.0"), text);
		assertTrue(text.contains("Transform: AffineTransform_double_3_3"), text);
		// LPS: x and y change sign on both sides, so A[0][2] (x from z) flips, A[0][1] (x from y) does not
		final String params = text.lines().filter(l -> l.startsWith("Parameters:")).findFirst().orElseThrow();
		final String[] p = params.substring(11).trim().split(" ");
		assertEquals(t.matrix()[1], Double.parseDouble(p[1]));
		assertEquals(-t.matrix()[2], Double.parseDouble(p[2]));
		assertEquals(-t.translation()[0], Double.parseDouble(p[9]));
		assertEquals(t.translation()[2], Double.parseDouble(p[11]));
	}

	@Test
	void twoDFilesHoldOnlyInPlaneParameters() throws IOException {
		final double c = Math.cos(0.3), s = Math.sin(0.3);
		final CentredAffine t = new CentredAffine(new double[] { c, -s, 0, s, c, 0, 0, 0, 1 }, new double[] { 4, -2, 0 }, new double[] { 110, 128, 0 });
		final Path f = dir.resolve("t2.tfm");
		TransformFiles.writeItk(f, t, 2);
		assertTrue(Files.readString(f).contains("AffineTransform_double_2_2"));
		assertEquals(t, TransformFiles.readItk(f));
		final Grid g = new Grid(new int[] { 221, 257, 1 }, Itk2D.LPS_IDENTITY_AS_RAS);
		final Path e = dir.resolve("TransformParameters.0.txt");
		TransformFiles.writeElastix(e, t, g, Interpolation.LINEAR, 2);
		final TransformFiles.ElastixTransform back = TransformFiles.readElastix(e);
		assertEquals(t, back.transform());
		assertEquals(g, back.grid());
		assertThrows(VolumeIOException.class, () -> TransformFiles.writeItk(dir.resolve("bad.tfm"), sample(), 2), "a 3D transform is not 2D");
	}

	@Test
	void elastixFileWrittenAndReadBackIsIdenticalWithItsGrid() throws IOException {
		final CentredAffine t = sample();
		final Grid g = obliqueGrid(new int[] { 40, 50, 30 });
		final Path f = dir.resolve("TransformParameters.0.txt");
		TransformFiles.writeElastix(f, t, g, Interpolation.CUBIC, 3);
		final TransformFiles.ElastixTransform back = TransformFiles.readElastix(f);
		assertEquals(t, back.transform());
		assertArrayEquals(g.size(), back.grid().size());
		assertTrue(g.voxelToWorld().equals(back.grid().voxelToWorld(), 1e-12), back.grid().toString());
		final String text = Files.readString(f);
		assertTrue(text.contains("(Transform \"AffineTransform\")") && text.contains("(FinalBSplineInterpolationOrder 3)"), text);
	}

	@Test
	void readsOtherItkTransformTypes() throws IOException {
		// Euler3D (ITK default Rz Rx Ry) 90 degrees about z: LPS (1,0,0) -> (0,1,0), i.e. RAS (-1,0,0) -> (0,-1,0)
		final Path f = dir.resolve("euler.tfm");
		Files.writeString(f, "#Insight Transform File V1.0\n#Transform 0\nTransform: Euler3DTransform_double_3_3\n"
				+ "Parameters: 0 0 1.5707963267948966 1 2 3\nFixedParameters: 0 0 0 0\n");
		final AffineTransform3D e = TransformFiles.readItk(f).toAffine();
		final double[] out = new double[3];
		e.apply(new double[] { -1, 0, 0 }, out);
		assertArrayEquals(new double[] { 0 - 1, -1 - 2, 3 }, out, 1e-12, "rotation then the LPS translation (1,2,3) = RAS (-1,-2,3)");
		// versor rigid: the same rotation as a versor (0, 0, sin 45)
		Files.writeString(f, "#Insight Transform File V1.0\n#Transform 0\nTransform: VersorRigid3DTransform_double_3_3\n"
				+ "Parameters: 0 0 0.7071067811865476 1 2 3\nFixedParameters: 0 0 0\n");
		assertTrue(e.equals(TransformFiles.readItk(f).toAffine(), 1e-12));
		// translation; a composite holding one affine (as ANTs writes)
		Files.writeString(f, "#Insight Transform File V1.0\n#Transform 0\nTransform: TranslationTransform_double_3_3\nParameters: 1 2 3\nFixedParameters:\n");
		assertArrayEquals(new double[] { -1, -2, 3 }, TransformFiles.readItk(f).translation(), 0);
		Files.writeString(f, "#Insight Transform File V1.0\n#Transform 0\nTransform: CompositeTransform_double_3_3\n#Transform 1\n"
				+ "Transform: AffineTransform_float_3_3\nParameters: 1 0 0 0 1 0 0 0 1 5 0 0\nFixedParameters: 0 0 0\n");
		assertArrayEquals(new double[] { -5, 0, 0 }, TransformFiles.readItk(f).translation(), 0);
		Files.writeString(f, "#Insight Transform File V1.0\n#Transform 0\nTransform: BSplineTransform_double_3_3\nParameters: 1\nFixedParameters: 0\n");
		final VolumeIOException x = assertThrows(VolumeIOException.class, () -> TransformFiles.readItk(f));
		assertTrue(x.getMessage().contains("unsupported transform type") && x.getMessage().contains(f.toString()), x.getMessage());
	}

	@Test
	void elastixChainsOfInitialTransformsCompose() throws IOException {
		final Grid g = obliqueGrid(new int[] { 10, 10, 10 });
		final CentredAffine first = sample();
		final Path f0 = dir.resolve("TransformParameters.0.txt");
		TransformFiles.writeElastix(f0, first, g, Interpolation.LINEAR, 3);
		final CentredAffine shift = new CentredAffine(new double[] { 1, 0, 0, 0, 1, 0, 0, 0, 1 }, new double[] { 0, 0, 5 }, new double[3]);
		final Path f1 = dir.resolve("TransformParameters.1.txt");
		TransformFiles.writeElastix(f1, shift, g, Interpolation.LINEAR, 3);
		Files.writeString(f1, Files.readString(f1).replace("\"NoInitialTransform\"", "\"" + f0.getFileName() + "\""));
		final AffineTransform3D chained = TransformFiles.readElastix(f1).transform().toAffine();
		assertTrue(shift.toAffine().concatenate(first.toAffine()).equals(chained, 1e-12), "T1(T0(x))");
		// the absolute path elastix records is read when it lies in the folder
		Files.writeString(f1, Files.readString(f1).replace("\"" + f0.getFileName() + "\"", "\"" + f0.toAbsolutePath() + "\""));
		assertTrue(chained.equals(TransformFiles.readElastix(f1).transform().toAffine(), 0));
	}

	@Test
	void anInitialTransformOutsideTheFolderIsRefused() throws IOException {
		final Grid g = obliqueGrid(new int[] { 10, 10, 10 });
		final Path outside = dir.resolve("outside.txt");
		TransformFiles.writeElastix(outside, sample(), g, Interpolation.LINEAR, 3);
		final Path f = Files.createDirectories(dir.resolve("chain")).resolve("TransformParameters.1.txt");
		TransformFiles.writeElastix(f, sample(), g, Interpolation.LINEAR, 3);
		final String text = Files.readString(f);
		for (final String named : new String[] { "../outside.txt", outside.toAbsolutePath().toString() }) {
			Files.writeString(f, text.replace("\"NoInitialTransform\"", "\"" + named + "\""));
			final VolumeIOException e = assertThrows(VolumeIOException.class, () -> TransformFiles.readElastix(f));
			assertTrue(e.getMessage().contains(f.toString()) && e.getMessage().contains("'" + named + "'") && e.getMessage().contains("lies outside"),
					e.getMessage());
		}
		Files.writeString(f, text.replace("\"NoInitialTransform\"", "\"gone.txt\""));
		assertTrue(assertThrows(VolumeIOException.class, () -> TransformFiles.readElastix(f)).getMessage().contains("'gone.txt' (InitialTransformParametersFileName) does not exist"));
	}

	@Test
	void transformixResamplesWithOurFileAsWeDo() throws Exception {
		assumeTrue(onPath("transformix"), "Skipped: transformix (Debian package elastix) is not installed: apt-get install -y elastix");
		// moving: a smooth pattern on an oblique anisotropic grid; fixed grid: another oblique grid
		final Grid mg = obliqueGrid(new int[] { 48, 44, 30 });
		final Volume moving = Volume.zeros(48, 44, 30, mg.voxelToWorld());
		for (int z = 0; z < 30; z++)
			for (int y = 0; y < 44; y++)
				for (int x = 0; x < 48; x++)
					moving.set(x, y, z, (float) (100 + 50 * Math.sin(x / 4.0) * Math.cos(y / 5.0) + 3 * z + (x * y % 7)));
		final double c = Math.cos(0.2), s = Math.sin(0.2);
		final Grid fg = new Grid(new int[] { 40, 36, 26 }, AffineTransform3D.of(1.3 * c, 0, 2.2 * s, -30, 0, -1.1, 0, 25, -1.3 * s, 0, 2.2 * c, -20));
		final CentredAffine t = new CentredAffine(new double[] { 0.98, -0.1, 0.03, 0.09, 1.02, -0.05, -0.02, 0.06, 0.97 },
				new double[] { 2.5, -1.5, 3 }, new double[] { 5, 3, -2 });
		final Path movingFile = dir.resolve("moving.nii.gz");
		VolumeIO.write(moving, movingFile);
		for (final Interpolation interpolation : new Interpolation[] { Interpolation.LINEAR, Interpolation.CUBIC, Interpolation.NEAREST }) {
			final Path out = Files.createDirectories(dir.resolve("tx-" + interpolation));
			final Path tp = out.resolve("TransformParameters.0.txt");
			TransformFiles.writeElastix(tp, t, fg, interpolation, 3);
			final Process p = new ProcessBuilder("transformix", "-in", movingFile.toString(), "-out", out.toString(), "-tp", tp.toString())
					.redirectErrorStream(true).redirectOutput(out.resolve("stdout.txt").toFile()).start();
			assertTrue(p.waitFor(120, TimeUnit.SECONDS) && p.exitValue() == 0, Files.readString(out.resolve("stdout.txt")));
			final Volume theirs = VolumeIO.read(out.resolve("result.nii.gz"));
			final Volume ours = new Resampler(interpolation, 0f).resample(VolumeIO.read(movingFile), fg, t.toAffine());
			assertArrayEquals(fg.size(), theirs.size());
			assertTrue(fg.voxelToWorld().equals(theirs.voxelToWorld(), 1e-4), "transformix's output grid " + Grid.of(theirs));
			// compare where our sample point lies inside the moving image (ITK also extrapolates half a voxel at the border)
			final AffineTransform3D toMovingIndex = moving.worldToVoxel().concatenate(t.toAffine()).concatenate(fg.voxelToWorld());
			int n = 0, differ = 0;
			double max = 0;
			final double[] q = new double[3];
			for (int z = 0; z < 26; z++)
				for (int y = 0; y < 36; y++)
					for (int x = 0; x < 40; x++) {
						toMovingIndex.apply(new double[] { x, y, z }, q);
						if (q[0] < 0.5 || q[1] < 0.5 || q[2] < 0.5 || q[0] > 46.5 || q[1] > 42.5 || q[2] > 28.5)
							continue;
						n++;
						final double d = Math.abs(ours.get(x, y, z) - theirs.get(x, y, z));
						max = Math.max(max, d);
						if (d > 1e-3)
							differ++;
					}
			assertTrue(n > 5000, "voxels compared: " + n);
			if (interpolation == Interpolation.NEAREST)
				assertTrue(differ <= n / 1000, interpolation + ": " + differ + " of " + n + " differ (ties at half voxels may round apart)");
			else
				assertTrue(max < 1e-3, interpolation + ": largest difference " + max + " on values around 100");
		}
	}

	private static boolean onPath(final String program) {
		for (final String d : System.getenv().getOrDefault("PATH", "").split(File.pathSeparator))
			if (Files.isExecutable(Path.of(d, program)))
				return true;
		return false;
	}

}
