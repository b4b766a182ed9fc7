package org.progressionprobe.align;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.util.concurrent.CancellationException;

import org.junit.jupiter.api.Test;
import org.progressionprobe.align.RegistrationSettings.Metric;
import org.progressionprobe.align.RegistrationSettings.TransformType;
import org.progressionprobe.command.Progress;
import org.progressionprobe.io.VolumeIO;
import org.progressionprobe.testing.SharedData;
import org.progressionprobe.volume.AffineTransform3D;
import org.progressionprobe.volume.Geometry;
import org.progressionprobe.volume.Grid;
import org.progressionprobe.volume.Resampler;
import org.progressionprobe.volume.Volume;

/**
 * Accuracy on known transforms (Colin27 moved by a random affine from shared/bench, ITK's 2D
 * examples), determinism, anisotropic voxels, cancelling, and bad input.
 */
class AffineRegistrationTest {

	/** Generated once per checkout and reused: Colin27 and its copy under a random affine (seed 1). */
	static final Path CASE_DIR = Path.of("target", "test-cases", "affine-seed-1");

	private static RegistrationResult register(final RegistrationSettings s, final Volume fixed, final Volume moving) {
		return new AffineRegistration(s, Progress.NONE).register(fixed, moving);
	}

	@Test
	void nccRecoversAKnownAffineTo5HundredthsOfAMillimetre() throws Exception {
		final AffineCase c = AffineCase.generate(CASE_DIR, 1);
		final RegistrationResult r = register(RegistrationSettings.defaults(), c.fixed(), c.moving());
		final double err = c.meanError(r.affine());
		assertTrue(err <= 0.05, "mean error " + err + " mm over brain voxels");
		assertTrue(r.converged(), r.stages().toString());
		assertTrue(r.similarity() > 0.99, "NCC " + r.similarity());
	}

	@Test
	void mutualInformationRecoversItAcrossANonLinearIntensityMap() throws Exception {
		final AffineCase c = AffineCase.generate(CASE_DIR, 1);
		// the moving image in another "contrast": a square-root intensity map
		final float[] d = c.moving().data().clone();
		float max = 0;
		for (final float v : d)
			max = Math.max(max, v);
		for (int i = 0; i < d.length; i++)
			d[i] = (float) (1000 * Math.sqrt(Math.max(0, d[i]) / max));
		final Volume remapped = c.moving().withData(d);
		final RegistrationResult r = register(RegistrationSettings.defaults().withMetric(Metric.MI), c.fixed(), remapped);
		final double err = c.meanError(r.affine());
		assertTrue(err <= 0.05, "mean error " + err + " mm over brain voxels");
		assertTrue(r.converged(), r.stages().toString());
	}

	@Test
	void itk2dRigidCaseMatchesItksOwnResult() throws Exception {
		final Path dir = SharedData.require("data/registration2d");
		final Volume fixed = Itk2D.raw(dir.resolve("BrainProtonDensitySliceBorder20.raw"), 221, 257);
		final Volume moving = Itk2D.png(dir.resolve("BrainProtonDensitySliceR10X13Y17.png"));
		final RegistrationResult r = register(RegistrationSettings.defaults().withTransformType(TransformType.RIGID), fixed, moving);
		assertTrue(r.twoD());
		assertTrue(r.transform().isInPlane(), "only in-plane parameters move");
		// ITK's pixel (index) space is LPS with unit spacing, origin 0
		final AffineTransform3D lps = r.transform().flipRasLps().toAffine();
		final double angle = Math.toDegrees(Math.atan2(lps.get(1, 0), lps.get(0, 0)));
		assertEquals(10, angle, 0.2, "rotation in degrees");
		// rotation about the image centre (110, 128), then a shift: x = 13 as the file name says
		final double[] centre = { 110, 128, 0 }, moved = new double[3];
		lps.apply(centre, moved);
		assertEquals(13, moved[0] - centre[0], 0.5, "x shift of the image centre");
		// the y shift in the data is 15.9, not 17: ITK's own ImageRegistration6 result (Software Guide:
		// matrix [0.984818 -0.173591; 0.173591 0.984818], offset [36.9843, -1.22896]) gives the same
		final double[][] itk = { { 0.984818, -0.173591, 36.9843 }, { 0.173591, 0.984818, -1.22896 } };
		for (final double[] p : new double[][] { { 0, 0 }, { 220, 0 }, { 0, 256 }, { 220, 256 }, { 110, 128 } }) {
			final double[] ours = new double[3];
			lps.apply(new double[] { p[0], p[1], 0 }, ours);
			for (int k = 0; k < 2; k++)
				assertEquals(itk[k][0] * p[0] + itk[k][1] * p[1] + itk[k][2], ours[k], 0.25, "ITK's published result at " + p[0] + "," + p[1]);
		}
	}

	@Test
	void itk2dShiftedCaseIsExact() throws Exception {
		final Path dir = SharedData.require("data/registration2d");
		final Volume fixed = Itk2D.raw(dir.resolve("BrainProtonDensitySliceBorder20.raw"), 221, 257);
		final Volume moving = Itk2D.png(dir.resolve("BrainProtonDensitySliceShifted13x17y.png"));
		final RegistrationResult r = register(RegistrationSettings.defaults().withTransformType(TransformType.TRANSLATION), fixed, moving);
		final double[] t = r.transform().flipRasLps().translation();
		assertArrayEquals(new double[] { 13, 17, 0 }, t, 0.02, "shift (13, 17) px in ITK's index space");
	}

	@Test
	void itk2dImageWithRotatedDirectionCosines() throws Exception {
		// the shifted slice stored with direction cosines rotated by 30 degrees (MetaImage TransformMatrix
		// 0.866 0.5 -0.5 0.866: ITK's direction columns (0.866, 0.5) and (-0.5, 0.866)), LPS turned into RAS
		final Path dir = SharedData.require("data/registration2d");
		final Volume fixed = Itk2D.raw(dir.resolve("BrainProtonDensitySliceBorder20.raw"), 221, 257);
		final double c = Math.cos(Math.toRadians(30)), s = Math.sin(Math.toRadians(30));
		final Volume moving = Volume.wrap(Itk2D.raw(dir.resolve("BrainProtonDensitySliceShifted13x17yDirectionPlus30.raw"), 221, 257).data(), 221,
				257, 1, AffineTransform3D.of(-c, s, 0, 0, -s, -c, 0, 0, 0, 0, 1, 0));
		final RegistrationResult r = register(RegistrationSettings.defaults().withTransformType(TransformType.RIGID), fixed, moving);
		// fixed pixel p holds what the moving image has at pixel p + (13, 17), which lies at D30 (p + (13, 17)) in LPS
		final AffineTransform3D truth = AffineTransform3D.of(c, -s, 0, 0, s, c, 0, 0, 0, 0, 1, 0)
				.concatenate(AffineTransform3D.of(1, 0, 0, 13, 0, 1, 0, 17, 0, 0, 1, 0));
		assertTrue(truth.equals(r.transform().flipRasLps().toAffine(), 0.02), Geometry.format(r.transform().flipRasLps().toAffine()));
	}

	@Test
	void mutualInformationOnIdenticalImagesStaysAtIdentity() throws Exception {
		// the brightest fixed sample meets the brightest moving voxel: the top histogram bin (was an index past the end)
		final Volume v = VolumeIO.read(Path.of("test-images/phantom_baseline.nii.gz"));
		final RegistrationResult r = register(RegistrationSettings.defaults().withMetric(Metric.MI), v, v);
		assertTrue(r.affine().equals(new AffineTransform3D(), 0.05), Geometry.format(r.affine()));
		assertTrue(r.similarity() > 0, "MI " + r.similarity());
	}

	@Test
	void mutualInformationRegistersClippedScans() {
		// intensities clipped at the scanner's maximum: many voxels of both images at the top bin
		final Volume fixed = clipped(phantom(new double[] { 2, 2, 2 }, 0, 0), 40);
		final Volume moving = clipped(phantom(new double[] { 2, 2, 2 }, 6, 3), 40);
		final RegistrationResult r = register(RegistrationSettings.defaults().withMetric(Metric.MI).withTransformType(TransformType.RIGID)
				.with("levels", "2"), fixed, moving);
		final double[] p = { 10, -5, 3 }, ours = new double[3], truth = new double[3];
		r.affine().apply(p, ours);
		phantomMotion(6, 3).apply(p, truth);
		assertArrayEquals(truth, ours, 0.3, "world point mapped as the known motion");
	}

	/** The volume with its intensities clipped at {@code max}. */
	static Volume clipped(final Volume v, final float max) {
		final float[] d = v.data().clone();
		for (int i = 0; i < d.length; i++)
			d[i] = Math.min(max, d[i]);
		return v.withData(d);
	}

	@Test
	void sameInputsGiveTheSameNumbersWhateverTheThreads() throws Exception {
		final Volume fixed = phantom(new double[] { 2, 2, 2 }, 0, 0);
		final Volume moving = phantom(new double[] { 2, 2, 2 }, 6, 3);
		final RegistrationSettings s = RegistrationSettings.defaults().with("levels", "2");
		final RegistrationResult a = register(s, fixed, moving);
		final RegistrationResult b = register(s, fixed, moving);
		assertEquals(a.transform(), b.transform());
		final RegistrationResult[] single = new RegistrationResult[1];
		final java.util.concurrent.ForkJoinPool pool = new java.util.concurrent.ForkJoinPool(1);
		try {
			single[0] = pool.submit(() -> register(s, fixed, moving)).get();
		} finally {
			pool.shutdown();
		}
		assertEquals(a.transform(), single[0].transform(), "one thread gives the same bits as all cores");
	}

	@Test
	void anisotropicVoxelsRecoverAWorldShiftAndRotation() {
		// the same object sampled with 1 x 1 x 3 mm voxels, moved 4 mm along z and rotated 5 degrees about z
		final Volume fixed = phantom(new double[] { 1, 1, 3 }, 0, 0);
		final Volume moving = phantom(new double[] { 1, 1, 3 }, 4, 5);
		final RegistrationResult r = register(RegistrationSettings.defaults().withTransformType(TransformType.RIGID), fixed, moving);
		final double[] p = { 10, -5, 3 }, ours = new double[3], truth = new double[3];
		r.affine().apply(p, ours);
		phantomMotion(4, 5).apply(p, truth);
		assertArrayEquals(truth, ours, 0.15, "world point mapped as the known motion");
	}

	@Test
	void gridsOfAnyOrientationAndSpacingMeetInTheWorld() {
		// fixed: left-handed (LAS, radiological) 2 mm grid; moving: oblique 1.5 x 1.5 x 2.5 mm grid
		final Grid las = new Grid(new int[] { 64, 64, 64 }, AffineTransform3D.of(-2, 0, 0, 64, 0, 2, 0, -64, 0, 0, 2, -64));
		final double a = Math.toRadians(15);
		final Grid oblique = new Grid(new int[] { 90, 90, 52 },
				AffineTransform3D.of(1.5 * Math.cos(a), -1.5 * Math.sin(a), 0, -55, 1.5 * Math.sin(a), 1.5 * Math.cos(a), 0, -80, 0, 0, 2.5, -64));
		final RegistrationResult r = register(RegistrationSettings.defaults().withTransformType(TransformType.RIGID), phantom(las, 0, 0),
				phantom(oblique, 5, 6));
		assertTrue(Geometry.determinant(r.affine()) > 0, "a proper rotation");
		final double[] p = { 10, -5, 3 }, ours = new double[3], truth = new double[3];
		r.affine().apply(p, ours);
		phantomMotion(5, 6).apply(p, truth);
		assertArrayEquals(truth, ours, 0.15);
	}

	@Test
	void cancellingStopsBetweenIterations() {
		final Volume fixed = phantom(new double[] { 2, 2, 2 }, 0, 0);
		final Volume moving = phantom(new double[] { 2, 2, 2 }, 6, 3);
		final int[] calls = { 0 };
		final Progress cancelAfterFive = new Progress() {
			@Override
			public void report(final String step, final long done, final long total) {
				calls[0]++;
			}

			@Override
			public boolean isCancelled() {
				return calls[0] > 5;
			}
		};
		assertThrows(CancellationException.class,
				() -> new AffineRegistration(RegistrationSettings.defaults(), cancelAfterFive).register(fixed, moving));
	}

	@Test
	void imagesThatDoNotOverlapAreRefused() {
		final Volume fixed = phantom(new double[] { 2, 2, 2 }, 0, 0);
		final Volume far = Volume.wrap(phantom(new double[] { 2, 2, 2 }, 0, 0).data(), fixed.nx(), fixed.ny(), fixed.nz(),
				fixed.voxelToWorld().translate(1000, 0, 0));
		final RegistrationSettings none = RegistrationSettings.defaults().withInit(RegistrationSettings.Init.NONE);
		final IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> register(none, fixed, far));
		assertTrue(e.getMessage().contains("do not overlap") && e.getMessage().contains("the fixed image spans x -64.0..62.0")
				&& e.getMessage().contains("the moving image x 936.0..1062.0"), e.getMessage());
		// with centres of mass the same images register (the offset is found)
		final RegistrationResult r = register(RegistrationSettings.defaults().with("levels", "2"), fixed, far);
		assertEquals(1000, r.affine().get(0, 3), 0.1);
	}

	@Test
	void aConstantImageIsRefused() {
		final Volume fixed = phantom(new double[] { 2, 2, 2 }, 0, 0);
		final Volume constant = fixed.zerosLike();
		java.util.Arrays.fill(constant.data(), 7f);
		final IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> register(RegistrationSettings.defaults(), fixed, constant));
		assertTrue(e.getMessage().contains("moving image is constant"), e.getMessage());
		final IllegalArgumentException f = assertThrows(IllegalArgumentException.class, () -> register(RegistrationSettings.defaults(), constant, fixed));
		assertTrue(f.getMessage().contains("fixed image is constant"), f.getMessage());
	}

	@Test
	void nanVoxelsAreLeftOutAndAllNanIsRefused() {
		final Volume fixed = phantom(new double[] { 2, 2, 2 }, 0, 0);
		final Volume moving = phantom(new double[] { 2, 2, 2 }, 6, 3);
		final RegistrationSettings s = RegistrationSettings.defaults().withTransformType(TransformType.RIGID).with("levels", "2");
		final RegistrationResult clean = register(s, fixed, moving);
		// a slab of NaN in the moving image far from the object: documented fallback, same answer
		final float[] d = moving.data().clone();
		for (int i = 0; i < moving.nx() * moving.ny() * 3; i++)
			d[i] = Float.NaN;
		final RegistrationResult withNan = register(s, fixed, moving.withData(d));
		assertTrue(clean.affine().equals(withNan.affine(), 0.05), clean.affine() + " vs " + withNan.affine());
		assertTrue(Float.isNaN(d[0]), "the caller's image is not modified");
		final float[] all = new float[d.length];
		java.util.Arrays.fill(all, Float.NaN);
		final IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> register(s, fixed, moving.withData(all)));
		assertTrue(e.getMessage().contains("no finite voxel"), e.getMessage());
	}

	@Test
	void anEmptyMaskIsRefusedAndAMaskRestrictsTheSamples() {
		final Volume fixed = phantom(new double[] { 2, 2, 2 }, 0, 0);
		final Volume moving = phantom(new double[] { 2, 2, 2 }, 6, 3);
		final Volume empty = fixed.zerosLike();
		final IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
				() -> new AffineRegistration(RegistrationSettings.defaults(), Progress.NONE).register(fixed, moving, empty, null));
		assertTrue(e.getMessage().contains("fixed mask is empty"), e.getMessage());
		final IllegalArgumentException m = assertThrows(IllegalArgumentException.class,
				() -> new AffineRegistration(RegistrationSettings.defaults(), Progress.NONE).register(fixed, moving, null, empty));
		assertTrue(m.getMessage().contains("moving mask is empty"), m.getMessage());
		// a mask on another grid (2x coarser) is resampled onto the fixed grid
		final Volume coarse = Resampler.nearest().resample(fixed, Grid.of(fixed).coarsened(new double[] { 2, 2, 2 }));
		final float[] md = coarse.data();
		for (int i = 0; i < md.length; i++)
			md[i] = md[i] > 0 ? 1 : 0;
		final RegistrationSettings s = RegistrationSettings.defaults().withTransformType(TransformType.RIGID).with("levels", "2");
		final RegistrationResult r = new AffineRegistration(s, Progress.NONE).register(fixed, moving, coarse, null);
		final double[] p = { 5, 5, 5 }, ours = new double[3], truth = new double[3];
		r.affine().apply(p, ours);
		phantomMotion(6, 3).apply(p, truth);
		assertArrayEquals(truth, ours, 0.2);
	}

	@Test
	void twoDAgainstThreeDIsRefused() {
		final Volume v3 = phantom(new double[] { 2, 2, 2 }, 0, 0);
		final Volume v2 = Volume.zeros(20, 20, 1, new AffineTransform3D());
		final IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> register(RegistrationSettings.defaults(), v2, v3));
		assertTrue(e.getMessage().contains("both must be 2D"), e.getMessage());
	}

	@Test
	void settingsGoToJsonAndBack() {
		final RegistrationSettings s = RegistrationSettings.defaults().withMetric(Metric.MI).with("levels", "3").with("tolerance_mm", "0.01");
		final RegistrationResult r = new RegistrationResult(CentredAffine.identity(new double[3]), 1.5, true, false, java.util.List.of(), s);
		assertEquals(s, RegistrationSettings.fromJson(r.toJson()));
		assertThrows(IllegalArgumentException.class, () -> s.with("no_such_key", "1"));
		assertThrows(IllegalArgumentException.class, () -> s.with("metric", "ssd"));
	}

	/**
	 * A smooth asymmetric object (two ellipsoidal blobs) on a 64 x 64 x n grid with the given voxel
	 * size, moved by {@link #phantomMotion}.
	 */
	static Volume phantom(final double[] voxel, final double shiftZ, final double degZ) {
		final int nz = (int) Math.round(128 / voxel[2]);
		final int n = (int) Math.round(128 / voxel[0]);
		return phantom(new Grid(new int[] { n, n, nz }, Geometry.scaling(voxel, new double[] { -64, -64, -64 })), shiftZ, degZ);
	}

	/** The phantom sampled on any grid. */
	static Volume phantom(final Grid grid, final double shiftZ, final double degZ) {
		final int n = grid.size()[0], nz = grid.size()[2];
		final Volume v = Volume.zeros(n, grid.size()[1], nz, grid.voxelToWorld());
		final AffineTransform3D back = phantomMotion(shiftZ, degZ).inverse();
		final AffineTransform3D v2w = v.voxelToWorld();
		final double[] p = new double[3], w = new double[3], q = new double[3];
		for (int z = 0; z < nz; z++)
			for (int y = 0; y < v.ny(); y++)
				for (int x = 0; x < n; x++) {
					p[0] = x;
					p[1] = y;
					p[2] = z;
					v2w.apply(p, w);
					back.apply(w, q);
					final double a = (q[0] - 8) / 30, b = (q[1] + 4) / 20, c = (q[2] - 2) / 25;
					final double e = (q[0] + 20) / 10, f = (q[1] - 18) / 8, g = (q[2] + 10) / 12;
					v.set(x, y, z, (float) (100 * Math.exp(-2 * (a * a + b * b + c * c)) + 60 * Math.exp(-2 * (e * e + f * f + g * g))));
				}
		return v;
	}

	/** Object motion: rotation about z by {@code degZ} about the origin, then {@code shiftZ} mm along z and 2 mm along x. */
	static AffineTransform3D phantomMotion(final double shiftZ, final double degZ) {
		final double a = Math.toRadians(degZ), c = Math.cos(a), s = Math.sin(a);
		return AffineTransform3D.of(c, -s, 0, shiftZ == 0 && degZ == 0 ? 0 : 2, s, c, 0, 0, 0, 0, 1, shiftZ);
	}
}
