package org.progressionprobe.io;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;

import ij.Prefs;

import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.progressionprobe.testing.SharedData;
import org.progressionprobe.volume.AffineTransform3D;
import org.progressionprobe.volume.Geometry;
import org.progressionprobe.volume.Volume;

/**
 * DICOM uncompressed, checked against the tags and pixels that this test reads itself ({@link DicomFile})
 * from nibabel's two Siemens slices, and against edited copies of them: a folder
 * ordered by position rather than name, rescaling of signed data, an oblique series, and folders that
 * must be refused.
 */
class DicomTest {

	static final int IPP = 0x00200032, IOP = 0x00200037, PIXEL_SPACING = 0x00280030, SPACING_BETWEEN = 0x00180088, SERIES_UID = 0x0020000E,
			PIXEL_REPRESENTATION = 0x00280103, INTERCEPT = 0x00281052, SLOPE = 0x00281053;

	@TempDir
	Path tmp;
	Path slice0, slice1;

	@BeforeEach
	void data() {
		slice0 = SharedData.require("data/formats/0.dcm");
		slice1 = SharedData.require("data/formats/1.dcm");
	}

	/** The voxel-to-world matrix (RAS) that the tags define, computed here independently. */
	static AffineTransform3D fromTags(final DicomFile first, final double[] sliceStep) {
		final double[] o = first.numbers(IOP), ps = first.numbers(PIXEL_SPACING), p = first.numbers(IPP);
		final double[] x = { o[0] * ps[1], o[1] * ps[1], o[2] * ps[1] }, y = { o[3] * ps[0], o[4] * ps[0], o[5] * ps[0] };
		return AffineTransform3D.of(-x[0], -y[0], -sliceStep[0], -p[0], -x[1], -y[1], -sliceStep[1], -p[1], x[2], y[2], sliceStep[2], p[2]);
	}

	static double[] normal(final DicomFile f, final double length) {
		final double[] o = f.numbers(IOP);
		final double[] n = { o[1] * o[5] - o[2] * o[4], o[2] * o[3] - o[0] * o[5], o[0] * o[4] - o[1] * o[3] };
		final double l = Math.sqrt(n[0] * n[0] + n[1] * n[1] + n[2] * n[2]);
		return new double[] { n[0] / l * length, n[1] / l * length, n[2] / l * length };
	}

	private static float[] floats(final short[] p) {
		final float[] f = new float[p.length];
		for (int i = 0; i < p.length; i++)
			f[i] = p[i] & 0xffff;
		return f;
	}

	@Test
	void singleSliceMatchesItsTags() throws Exception {
		final DicomFile tags = new DicomFile(slice0);
		final VolumeFileInfo info = VolumeIO.info(slice0);
		assertArrayEquals(new int[] { 256, 256, 1 }, info.size());
		assertEquals("uint16", info.voxelType());
		final AffineTransform3D want = fromTags(tags, normal(tags, tags.numbers(SPACING_BETWEEN)[0]));
		assertTrue(want.equals(info.voxelToWorld(), 1e-9), Geometry.format(info.voxelToWorld()) + " vs " + Geometry.format(want));
		final Volume v = VolumeIO.read(slice0);
		assertArrayEquals(floats(tags.pixels()), v.data(), "pixels as stored, row by row (x = column)");
		assertTrue(want.equals(v.voxelToWorld(), 0), "read and info agree exactly");
		assertEquals(1.796875, v.voxelSize()[0], 1e-12);
		assertEquals("LPS", v.orientation(), "rows run to the patient's left, columns to posterior, slices up");
	}

	@Test
	void folderIsOrderedByPositionNotByName() throws Exception {
		final Path dir = Files.createDirectory(tmp.resolve("series"));
		final DicomFile a = new DicomFile(slice0), b = new DicomFile(slice1);
		final short[] p1 = b.pixels();
		for (int i = 0; i < p1.length; i++)
			p1[i] += 7; // tell the slices apart
		b.setPixels(p1);
		b.write(dir.resolve("a.dcm")); // the upper slice sorts first by name
		Files.copy(slice0, dir.resolve("b.dcm"));
		Files.writeString(dir.resolve("README.txt"), "not an image");
		final Volume v = VolumeIO.read(dir);
		assertArrayEquals(new int[] { 256, 256, 2 }, v.size());
		final double[] pa = a.numbers(IPP), pb = b.numbers(IPP);
		final AffineTransform3D want = fromTags(a, new double[] { pb[0] - pa[0], pb[1] - pa[1], pb[2] - pa[2] });
		assertTrue(want.equals(v.voxelToWorld(), 1e-9), Geometry.format(v.voxelToWorld()));
		assertEquals(3.0, v.voxelToWorld().get(2, 2), 1e-9, "slice step from the positions: 3 mm in z");
		final float[] first = floats(a.pixels()), second = floats(p1);
		for (int i = 0; i < first.length; i += 97) {
			assertEquals(first[i], v.data()[i], "slice 0 is 0.dcm");
			assertEquals(second[i], v.data()[first.length + i], "slice 1 is the edited 1.dcm");
		}
		final VolumeFileInfo info = VolumeIO.info(dir);
		assertEquals(v.voxelToWorld(), info.voxelToWorld());
		assertTrue(info.format().contains("2 slices"), info.format());
	}

	@Test
	void rescalingOfSignedDataIgnoresImageJsPreferences() throws Exception {
		final DicomFile f = new DicomFile(slice0);
		final short[] p = f.pixels();
		p[0] = (short) -1000;
		p[1] = (short) 32767;
		f.setPixels(p).setUint16(PIXEL_REPRESENTATION, 1).set(SLOPE, "2.5").set(INTERCEPT, "-1024");
		final Path file = tmp.resolve("ct.dcm");
		f.write(file);
		final boolean asFloat = Prefs.openDicomsAsFloat, ignore = Prefs.ignoreRescaleSlope;
		try {
			for (final boolean pref : new boolean[] { false, true }) {
				Prefs.openDicomsAsFloat = pref;
				Prefs.ignoreRescaleSlope = pref;
				final Volume v = VolumeIO.read(file);
				assertEquals(-1000 * 2.5 - 1024, v.data()[0], 0);
				assertEquals(32767 * 2.5 - 1024, v.data()[1], 0);
				assertEquals(p[500] * 2.5 - 1024, v.data()[500], 0);
			}
		} finally {
			Prefs.openDicomsAsFloat = asFloat;
			Prefs.ignoreRescaleSlope = ignore;
		}
		assertEquals("int16", VolumeIO.info(file).voxelType());
	}

	@Test
	void obliqueSeriesKeepsItsDirections() throws Exception {
		final Path dir = Files.createDirectory(tmp.resolve("oblique"));
		final double a = Math.toRadians(20);
		final double[] row = { Math.cos(a), Math.sin(a), 0 }, col = { 0, 0, -1 }; // a tilted coronal plane
		final double[] n = { row[1] * col[2] - row[2] * col[1], row[2] * col[0] - row[0] * col[2], row[0] * col[1] - row[1] * col[0] };
		final double[] origin = { -100, 50, 80 };
		for (int k = 0; k < 4; k++) {
			final DicomFile f = new DicomFile(slice0);
			f.set(IOP, row[0], row[1], row[2], col[0], col[1], col[2]);
			f.set(IPP, origin[0] + 2.5 * k * n[0], origin[1] + 2.5 * k * n[1], origin[2] + 2.5 * k * n[2]);
			f.write(dir.resolve("slice" + (9 - k) + ".dcm")); // names in reverse order of position
		}
		final Volume v = VolumeIO.read(dir);
		assertArrayEquals(new int[] { 256, 256, 4 }, v.size());
		final DicomFile first = new DicomFile(dir.resolve("slice9.dcm"));
		final AffineTransform3D want = fromTags(first, new double[] { 2.5 * n[0], 2.5 * n[1], 2.5 * n[2] });
		assertTrue(want.equals(v.voxelToWorld(), 1e-4), Geometry.format(v.voxelToWorld()) + " vs " + Geometry.format(want));
		assertArrayEquals(new double[] { 1.796875, 1.796875, 2.5 }, v.voxelSize(), 1e-4);
	}

	@Test
	void foldersThatCannotBeOneVolumeAreRefused() throws Exception {
		final Path two = Files.createDirectory(tmp.resolve("two-series"));
		Files.copy(slice0, two.resolve("0.dcm"));
		final DicomFile other = new DicomFile(slice1);
		final String uid = other.string(SERIES_UID);
		other.set(SERIES_UID, uid.substring(0, uid.length() - 1) + "9");
		other.write(two.resolve("1.dcm"));
		VolumeIOException e = assertThrows(VolumeIOException.class, () -> VolumeIO.read(two));
		assertTrue(e.getMessage().contains("2 series") && e.getMessage().contains("two-series"), e.getMessage());

		final Path same = Files.createDirectory(tmp.resolve("same-position"));
		Files.copy(slice0, same.resolve("0.dcm"));
		Files.copy(slice0, same.resolve("0-copy.dcm"));
		e = assertThrows(VolumeIOException.class, () -> VolumeIO.read(same));
		assertTrue(e.getMessage().contains("same position"), e.getMessage());

		final Path gap = Files.createDirectory(tmp.resolve("gap"));
		final double[] p0 = new DicomFile(slice0).numbers(IPP);
		for (final int k : new int[] { 0, 1, 3 }) {
			final DicomFile f = new DicomFile(slice0);
			f.set(IPP, p0[0], p0[1], p0[2] + 3 * k);
			f.write(gap.resolve(k + ".dcm"));
		}
		e = assertThrows(VolumeIOException.class, () -> VolumeIO.read(gap));
		assertTrue(e.getMessage().contains("slice is missing"), e.getMessage());

		final Path none = Files.createDirectory(tmp.resolve("empty"));
		Files.writeString(none.resolve("notes.txt"), "nothing");
		e = assertThrows(VolumeIOException.class, () -> VolumeIO.read(none));
		assertTrue(e.getMessage().contains("no DICOM images"), e.getMessage());
	}

	@Test
	void aDicomFileWithoutExtensionIsRecognised() throws Exception {
		final Path f = tmp.resolve("IM0001");
		Files.copy(slice0, f);
		assertEquals("DICOM", VolumeIO.format(f).name());
		assertEquals(VolumeIO.read(slice0).voxelToWorld(), VolumeIO.read(f).voxelToWorld());
	}
}
