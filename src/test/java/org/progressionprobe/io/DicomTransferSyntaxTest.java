package org.progressionprobe.io;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.net.URISyntaxException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.progressionprobe.launcher.Launcher;
import org.progressionprobe.volume.AffineTransform3D;
import org.progressionprobe.volume.Geometry;
import org.progressionprobe.volume.Volume;

/**
 * DICOM as scanners and archives write it, on small files written by pydicom, GDCM and DCMTK
 * (scripts/make-dicom-test-files.sh): every lossless transfer syntax decodes to the uncompressed
 * original's voxels exactly, with its geometry; enhanced and classic multi-frame files become one
 * volume; RT Dose is scaled; syntaxes that stay unsupported are named.
 */
class DicomTransferSyntaxTest {

	static final int N = 16 * 16;

	@TempDir
	Path tmp;

	static Path data(final String name) {
		try {
			return Path.of(DicomTransferSyntaxTest.class.getResource("dicom/" + name).toURI());
		} catch (final URISyntaxException e) {
			throw new IllegalStateException(e);
		}
	}

	/** The stored values of an uncompressed explicit-little-endian file, read here from its last bytes (the pixel data ends the file). */
	static long[] stored(final Path file, final int count, final int bytes) throws Exception {
		final byte[] all = Files.readAllBytes(file);
		final ByteBuffer b = ByteBuffer.wrap(all, all.length - count * bytes, count * bytes).order(ByteOrder.LITTLE_ENDIAN);
		final long[] out = new long[count];
		for (int i = 0; i < count; i++)
			out[i] = bytes == 2 ? b.getShort() : b.getInt() & 0xffffffffL;
		return out;
	}

	/** The generator's geometry (RAS): rows along (cos 10°, sin 10°, 0) at 0.7 mm, columns along -z at 0.8 mm, slices 2.5 mm apart. */
	static AffineTransform3D seriesGeometry() {
		final double[] r = { 0.9848077530, 0.1736481777, 0 }, c = { 0, 0, -1 }, n = { -0.1736481777, 0.9848077530, 0 }, o = { -12.5, 30, 44 };
		return Geometry.flipWorldSide(AffineTransform3D.of(r[0] * 0.7, c[0] * 0.8, n[0] * 2.5, o[0], r[1] * 0.7, c[1] * 0.8, n[1] * 2.5, o[1], r[2] * 0.7,
				c[2] * 0.8, n[2] * 2.5, o[2]));
	}

	@Test
	void theUncompressedSeriesIsWhatPydicomWrote() throws Exception {
		final Volume v = VolumeIO.read(data("native"));
		assertArrayEquals(new int[] { 16, 16, 3 }, v.size());
		for (int k = 0; k < 3; k++) {
			final long[] s = stored(data("native/" + k + ".dcm"), N, 2);
			for (int i = 0; i < N; i++)
				assertEquals(s[i] * 1.5 - 10, v.data()[k * N + i], 0, "slice " + k + " voxel " + i);
		}
		assertTrue(Arrays.stream(stored(data("native/1.dcm"), N, 2)).anyMatch(x -> x == -32768), "the data hold the most negative int16");
		assertTrue(seriesGeometry().equals(v.voxelToWorld(), 1e-6), Geometry.format(v.voxelToWorld()));
	}

	@ParameterizedTest
	@ValueSource(strings = { "rle", "deflated", "jpeg-sv1", "j2k" })
	void compressedSeriesEqualTheOriginal(final String folder) throws Exception {
		final Volume want = VolumeIO.read(data("native")), got = VolumeIO.read(data(folder));
		assertArrayEquals(want.size(), got.size());
		assertArrayEquals(want.data(), got.data(), folder);
		assertEquals(want.voxelToWorld(), got.voxelToWorld());
		final VolumeFileInfo info = VolumeIO.info(data(folder));
		assertEquals("int16", info.voxelType());
		assertTrue(info.format().contains("3 slices"), info.format());
	}

	@ParameterizedTest
	@ValueSource(strings = { "implicit.dcm", "big-endian.dcm", "jpeg-p14-sv1.dcm", "jpeg-p14-sv2.dcm", "jpeg-p14-sv3.dcm", "jpeg-p14-sv4.dcm",
			"jpeg-p14-sv5.dcm", "jpeg-p14-sv6.dcm", "jpeg-p14-sv7.dcm", "j2k-91.dcm" })
	void slicesInEachSyntaxEqualTheOriginal(final String name) throws Exception {
		final Volume want = VolumeIO.read(data("native/1.dcm")), got = VolumeIO.read(data(name));
		assertArrayEquals(want.data(), got.data(), name);
		assertEquals(want.voxelToWorld(), got.voxelToWorld());
	}

	@Test
	void floatPixelData() throws Exception {
		final Volume f = VolumeIO.read(data("float.dcm"));
		final long[] s = stored(data("native/1.dcm"), N, 2);
		for (int i = 0; i < N; i++)
			assertEquals(s[i] * 0.25f * 1.5f - 10, f.data()[i], 0, "voxel " + i);
		assertEquals("float32", VolumeIO.info(data("float.dcm")).voxelType());
	}

	@Test
	void jpegPointTransformShiftsTheValuesBack() throws Exception {
		assertArrayEquals(VolumeIO.read(data("even.dcm")).data(), VolumeIO.read(data("jpeg-p14-sv7-pt1.dcm")).data());
	}

	@ParameterizedTest
	@ValueSource(strings = { "enhanced.dcm", "enhanced-rle.dcm", "enhanced-jpeg.dcm", "enhanced-j2k.dcm" })
	void enhancedMultiFrameIsOneVolumeInPositionOrder(final String name) throws Exception {
		final Volume want = VolumeIO.read(data("native")), got = VolumeIO.read(data(name));
		assertArrayEquals(want.size(), got.size());
		assertArrayEquals(want.data(), got.data(), "frames stored in reverse order come out sorted by position, rescaled by the shared groups");
		assertTrue(want.voxelToWorld().equals(got.voxelToWorld(), 1e-9), Geometry.format(got.voxelToWorld()));
		final VolumeFileInfo info = VolumeIO.info(data(name));
		assertTrue(info.format().contains("3 frames"), info.format());
		assertEquals(want.voxelToWorld(), info.voxelToWorld());
	}

	@Test
	void framesOfSeveralFragmentsWithoutOffsetTable() throws Exception {
		final Volume want = VolumeIO.read(data("enhanced-40.dcm")), got = VolumeIO.read(data("enhanced-40-fragments.dcm"));
		assertArrayEquals(new int[] { 40, 40, 2 }, got.size());
		assertArrayEquals(want.data(), got.data());
	}

	@Test
	void enhancedFileWithOneFrame() throws Exception {
		final Volume one = VolumeIO.read(data("enhanced-1frame.dcm")), series = VolumeIO.read(data("native"));
		assertArrayEquals(new int[] { 16, 16, 1 }, one.size());
		assertArrayEquals(Arrays.copyOfRange(series.data(), N, 2 * N), one.data());
		final AffineTransform3D m = one.voxelToWorld(), s = series.voxelToWorld();
		for (int r = 0; r < 3; r++) {
			for (int c = 0; c < 3; c++)
				assertEquals(s.get(r, c), m.get(r, c), 1e-6, "slice thickness 2.5 mm from Pixel Measures along the normal");
			assertEquals(s.get(r, 3) + s.get(r, 2), m.get(r, 3), 1e-6, "origin at the middle slice's position");
		}
	}

	@Test
	void rtDoseIsScaledByDoseGridScaling() throws Exception {
		final Volume v = VolumeIO.read(data("rtdose.dcm"));
		assertArrayEquals(new int[] { 16, 16, 3 }, v.size());
		final long[] s = stored(data("rtdose.dcm"), 3 * N, 4);
		double max = 0;
		for (int i = 0; i < s.length; i++) {
			assertEquals((float) (s[i] * 1.5e-6), v.data()[i], 0, "voxel " + i);
			max = Math.max(max, v.data()[i]);
		}
		assertTrue(max > 50 && max < 200, "doses in Gy, not 10^6 too large: " + max);
		final AffineTransform3D want = AffineTransform3D.of(-2.5, 0, 0, 20, 0, -2, 0, 15, 0, 0, 3, 7.5);
		assertTrue(want.equals(v.voxelToWorld(), 1e-9), "frames 3 mm apart from GridFrameOffsetVector: " + Geometry.format(v.voxelToWorld()));
		assertEquals("uint32", VolumeIO.info(data("rtdose.dcm")).voxelType());
	}

	@Test
	void unsupportedSyntaxIsNamed() {
		for (final Path p : new Path[] { data("jpegls/0.dcm"), data("jpegls") }) {
			final VolumeIOException e = assertThrows(VolumeIOException.class, () -> VolumeIO.read(p));
			assertTrue(e.getMessage().contains("0.dcm") && e.getMessage()
					.contains("JPEG-LS Lossless, 1.2.840.10008.1.2.4.80, is not supported; convert with dcm2niix or gdcmconv"), e.getMessage());
			assertThrows(VolumeIOException.class, () -> VolumeIO.info(p));
		}
	}

	@Test
	void noPixelDataIsSaidOnlyWhenTrue() throws Exception {
		final byte[] all = Files.readAllBytes(data("native/0.dcm"));
		final Path cut = tmp.resolve("header-only.dcm");
		Files.write(cut, Arrays.copyOf(all, all.length - 2 * N - 12)); // without the pixel data element (tag, VR, reserved, length: 12 bytes)
		VolumeIOException e = assertThrows(VolumeIOException.class, () -> VolumeIO.read(cut));
		assertTrue(e.getMessage().contains("header-only.dcm") && e.getMessage().contains("holds no pixel data"), e.getMessage());
		final Path truncated = tmp.resolve("truncated-rle.dcm");
		final byte[] rle = Files.readAllBytes(data("rle/0.dcm"));
		Files.write(truncated, Arrays.copyOf(rle, rle.length - 40));
		e = assertThrows(VolumeIOException.class, () -> VolumeIO.read(truncated));
		assertTrue(e.getMessage().contains("truncated") && !e.getMessage().contains("no pixel data"), e.getMessage());
	}

	@Test
	void volumeInfoAndConvertVolumeFromTheLauncher() throws Exception {
		final ByteArrayOutputStream out = new ByteArrayOutputStream(), err = new ByteArrayOutputStream();
		final Launcher launcher = new Launcher(new PrintStream(out, true, StandardCharsets.UTF_8), new PrintStream(err, true, StandardCharsets.UTF_8));
		final Path j2k = data("enhanced-j2k.dcm");
		assertEquals(0, launcher.run(new String[] { "--run", "Volume Info", "input=\"" + j2k + "\"" }), err.toString(StandardCharsets.UTF_8));
		final String info = out.toString(StandardCharsets.UTF_8);
		assertTrue(info.contains("size: 16 x 16 x 3") && info.contains("3 frames") && info.contains("JPEG 2000"), info);
		final Path nii = tmp.resolve("enhanced.nii.gz");
		assertEquals(0, launcher.run(new String[] { "--run", "Convert Volume", "input=\"" + data("rle") + "\",output=\"" + nii + "\"" }),
				err.toString(StandardCharsets.UTF_8));
		final Volume converted = VolumeIO.read(nii), want = VolumeIO.read(data("native"));
		assertArrayEquals(want.data(), converted.data());
		assertTrue(want.voxelToWorld().equals(converted.voxelToWorld(), 1e-5), Geometry.format(converted.voxelToWorld()));
		assertFalse(Files.list(tmp).anyMatch(p -> p.getFileName().toString().contains(".tmp")), "no temporary file left");
	}
}
