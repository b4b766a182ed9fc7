package org.progressionprobe.io;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Random;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.progressionprobe.volume.AffineTransform3D;
import org.progressionprobe.volume.Geometry;
import org.progressionprobe.volume.Volume;

/**
 * Broken files fail with a {@link VolumeIOException} that names the file and the problem, never with
 * an IndexOutOfBounds, NullPointer, NegativeArraySize or OutOfMemory error; failed writes leave nothing
 * behind. The bad files are made here from good ones.
 */
class BadFilesTest {

	@TempDir
	Path tmp;

	private Path goodNifti(final String name) throws IOException {
		final Volume v = Volume.zeros(40, 30, 20, AffineTransform3D.of(2, 0, 0, -40, 0, 2, 0, -30, 0, 0, 2, -20));
		final Random rnd = new Random(1);
		for (int i = 0; i < v.data().length; i++)
			v.data()[i] = rnd.nextFloat();
		final Path f = tmp.resolve(name);
		VolumeIO.write(v, f);
		assertEquals(v.voxelCount(), VolumeIO.read(f).voxelCount(), "the good file reads");
		return f;
	}

	/** Both info and read fail (or only read, for problems in the voxel data) with the file and the problem named. */
	private static void assertBad(final Path file, final boolean headerProblem, final String... fragments) {
		final VolumeIOException e = assertThrows(VolumeIOException.class, () -> VolumeIO.read(file), file.toString());
		for (final String f : fragments)
			assertTrue(e.getMessage().contains(f), "'" + e.getMessage() + "' should say '" + f + "'");
		assertTrue(e.getMessage().contains(file.getFileName().toString()), "'" + e.getMessage() + "' should name " + file.getFileName());
		if (headerProblem) {
			final VolumeIOException i = assertThrows(VolumeIOException.class, () -> VolumeIO.info(file), file.toString());
			assertEquals(e.getMessage(), i.getMessage());
		}
	}

	private static void patch(final Path file, final int offset, final ByteBuffer value) throws IOException {
		final byte[] b = Files.readAllBytes(file);
		System.arraycopy(value.array(), 0, b, offset, value.capacity());
		Files.write(file, b);
	}

	private static ByteBuffer le(final int bytes) {
		return ByteBuffer.allocate(bytes).order(ByteOrder.LITTLE_ENDIAN);
	}

	@Test
	void truncatedGzip() throws Exception {
		final Path f = goodNifti("t.nii.gz");
		final byte[] b = Files.readAllBytes(f);
		Files.write(f, Arrays.copyOf(b, b.length / 2));
		assertBad(f, false, "truncated");
		Files.write(f, Arrays.copyOf(b, 6));
		assertBad(f, true, "gzip");
	}

	@Test
	void corruptGzip() throws Exception {
		final Path f = goodNifti("c.nii.gz");
		final byte[] b = Files.readAllBytes(f);
		for (int i = b.length / 3; i < b.length / 3 + 64; i++)
			b[i] ^= 0x5a;
		Files.write(f, b);
		assertBad(f, false, "corrupt");
	}

	@Test
	void headerClaimingMoreDataThanTheFileHas() throws Exception {
		final Path f = goodNifti("more.nii");
		patch(f, 46, le(2).putShort(0, (short) 40));
		assertBad(f, false, "truncated", "header asks for");
		final Path g = goodNifti("huge.nii.gz");
		final byte[] header = ungzip(Files.readAllBytes(g));
		final ByteBuffer h = ByteBuffer.wrap(header).order(ByteOrder.LITTLE_ENDIAN);
		h.putShort(42, (short) 30000).putShort(44, (short) 30000).putShort(46, (short) 2);
		Files.write(g, gzip(header));
		assertBad(g, false, "truncated", "gzip-compressed bytes");
	}

	@Test
	void truncatedTiffAndDicomAreReportedBeforeImageJReadsThem() throws Exception {
		final Path tif = tmp.resolve("cut.tif");
		new ij.io.FileSaver(ImagePlusVolumes.toImagePlus(Volume.zeros(20, 20, 5, new AffineTransform3D()), "z")).saveAsTiffStack(tif.toString());
		final byte[] t = Files.readAllBytes(tif);
		Files.write(tif, Arrays.copyOf(t, t.length / 2));
		assertBad(tif, true, "truncated");
		final Path dcm = tmp.resolve("cut.dcm");
		final byte[] d = Files.readAllBytes(org.progressionprobe.testing.SharedData.require("data/formats/0.dcm"));
		Files.write(dcm, Arrays.copyOf(d, d.length - 1000));
		assertBad(dcm, true, "truncated", "from byte 95318");
	}

	@Test
	void unknownDatatype() throws Exception {
		final Path f = goodNifti("dt.nii");
		patch(f, 70, le(2).putShort(0, (short) 999));
		assertBad(f, true, "unknown NIfTI datatype code 999");
	}

	@Test
	void zeroOrNegativeDimensions() throws Exception {
		final Path f = goodNifti("zero.nii");
		patch(f, 42, le(2).putShort(0, (short) 0));
		assertBad(f, true, "dimension 1 has size 0");
		patch(f, 42, le(2).putShort(0, (short) 40));
		patch(f, 44, le(2).putShort(0, (short) -5));
		assertBad(f, true, "dimension 2 has size -5");
		patch(f, 44, le(2).putShort(0, (short) 30));
		patch(f, 40, le(2).putShort(0, (short) 9));
		assertBad(f, true, "dim[0] = 9");
	}

	@Test
	void voxelOffsetInsideTheHeader() throws Exception {
		final Path f = goodNifti("off.nii");
		patch(f, 108, le(4).putFloat(0, 100f));
		assertBad(f, true, "voxel data offset 100");
	}

	@Test
	void textFileRenamed() throws Exception {
		final Path f = tmp.resolve("notes.nii");
		Files.writeString(f, "These are my notes about the scan, not a scan.\n".repeat(20));
		assertBad(f, true, "not a NIfTI");
		final Path g = tmp.resolve("notes.mha");
		Files.writeString(g, "These are my notes about the scan.\n");
		assertBad(g, true, "not a MetaImage header", "line 1");
		final Path bin = tmp.resolve("junk.mha");
		final byte[] junk = new byte[5000];
		new Random(3).nextBytes(junk);
		Files.write(bin, junk);
		assertBad(bin, true, "not a MetaImage");
		for (final String name : new String[] { "notes.png", "notes.tif", "notes.jpg", "notes.dcm" }) {
			final Path p = tmp.resolve(name);
			Files.writeString(p, "These are my notes about the scan.\n");
			assertThrows(VolumeIOException.class, () -> VolumeIO.read(p), name);
			assertThrows(VolumeIOException.class, () -> VolumeIO.info(p), name);
		}
	}

	@Test
	void emptyFiles() throws Exception {
		for (final String name : new String[] { "e.nii", "e.nii.gz", "e.hdr", "e.mha", "e.mhd", "e.png", "e.tif", "e.dcm" }) {
			final Path f = tmp.resolve(name);
			Files.write(f, new byte[0]);
			assertBad(f, true, "empty file");
		}
	}

	@Test
	void metaImageDataFileMissing() throws Exception {
		final Volume v = Volume.zeros(3, 3, 3, new AffineTransform3D());
		final Path f = tmp.resolve("m.mhd");
		VolumeIO.write(v, f);
		Files.delete(tmp.resolve("m.raw"));
		assertBad(f, true, "m.raw", "is missing");
	}

	@Test
	void infoSaysThatAFileIsTruncated() throws Exception {
		for (final String name : new String[] { "cut.nii", "cut.nii.gz", "cut.mha" }) {
			final Path f = goodNifti("whole-" + name);
			final Path cut = tmp.resolve(name);
			if (name.endsWith(".mha"))
				VolumeIO.write(VolumeIO.read(f), cut);
			else
				Files.copy(f, cut);
			final byte[] b = Files.readAllBytes(cut);
			Files.write(cut, Arrays.copyOf(b, b.length - 1000));
			final VolumeFileInfo info = VolumeIO.info(cut);
			assertEquals(1, info.warnings().size(), info.describe());
			assertTrue(info.describe().contains("warning: truncated") && info.describe().contains(name), info.describe());
			assertBad(cut, false, "truncated");
		}
		assertEquals(java.util.List.of(), VolumeIO.info(goodNifti("whole.nii.gz")).warnings());
	}

	@Test
	void aZeroVoxelSizeWithoutQformOrSformIsReportedAndLogged() throws Exception {
		final Path f = goodNifti("zero.nii");
		patch(f, 252, le(4).putShort((short) 0).putShort((short) 0)); // qform_code, sform_code
		patch(f, 76 + 8, le(4).putFloat(0)); // pixdim[2]
		final VolumeFileInfo info = VolumeIO.info(f);
		assertEquals(java.util.List.of("pixdim[2] (voxel size along y) is 0.0 and there is no qform or sform: taken as 1 mm"), info.warnings());
		final java.util.List<String> logged = new java.util.ArrayList<>();
		final java.util.logging.Logger logger = java.util.logging.Logger.getLogger(NiftiReader.class.getName());
		final java.util.logging.Handler h = new java.util.logging.Handler() {
			@Override
			public void publish(final java.util.logging.LogRecord r) {
				logged.add(r.getLevel() + " " + r.getMessage());
			}

			@Override
			public void flush() {}

			@Override
			public void close() {}
		};
		logger.addHandler(h);
		try {
			assertArrayEquals(new double[] { 2, 1, 2 }, Geometry.voxelSize(VolumeIO.read(f).voxelToWorld()), 1e-9);
		} finally {
			logger.removeHandler(h);
		}
		assertEquals(java.util.List.of("WARNING " + f + ": " + info.warnings().get(0)), logged);
	}

	@Test
	void anOutputFolderThatIsAFileOrAnOutputFileThatIsAFolderIsNamed() throws Exception {
		final Path file = tmp.resolve("notes.txt");
		Files.writeString(file, "not a folder");
		final Volume v = Volume.zeros(3, 3, 3, new AffineTransform3D());
		final VolumeIOException e = assertThrows(VolumeIOException.class, () -> VolumeIO.write(v, file.resolve("out").resolve("v.nii.gz")));
		assertTrue(e.getMessage().contains(file + " is an existing file, not a folder"), e.getMessage());
		final VolumeIOException c = assertThrows(VolumeIOException.class, () -> AtomicOutput.checkFolder(file));
		assertTrue(c.getMessage().startsWith(file + ": ") && c.getMessage().contains("it is an existing file, not a folder"), c.getMessage());
		final Path folder = Files.createDirectories(tmp.resolve("v.nii.gz"));
		Files.writeString(folder.resolve("keep.txt"), "kept");
		final VolumeIOException f = assertThrows(VolumeIOException.class, () -> VolumeIO.write(v, folder));
		assertTrue(f.getMessage().contains("v.nii.gz") && f.getMessage().contains("is an existing folder, not a file"), f.getMessage());
		try (var files = Files.list(tmp)) {
			assertEquals(java.util.Set.of("notes.txt", "v.nii.gz"), files.map(p -> p.getFileName().toString()).collect(java.util.stream.Collectors.toSet()),
					"no temporary file left");
		}
	}

	@Test
	void metaImageDataFilesOutsideTheHeadersFolderAreRefused() throws Exception {
		// a header in a/b/ that names files elsewhere, in every form MetaImage has: one file, LIST, a pattern
		final Path dir = Files.createDirectories(tmp.resolve("a").resolve("b"));
		final Path secret = tmp.resolve("secret.raw");
		Files.write(secret, new byte[] { 1, 2, 3, 4, 5, 6, 7, 8 });
		Files.write(Files.createDirectories(dir.resolve("sub")).resolve("d.raw"), new byte[8]);
		final String head = "NDims = 3\nDimSize = 2 2 2\nElementType = MET_UCHAR\nElementDataFile = ";
		final Path f = dir.resolve("crafted.mhd");
		for (final String data : new String[] { "../../secret.raw", "../../../../../../../../etc/passwd", secret.toString(), "sub/../../../secret.raw",
				"LIST\nsub/d.raw\n../../secret.raw", "../../secret%d.raw 1 1" }) {
			Files.writeString(f, head + data + "\n");
			final String named = data.startsWith("LIST") ? "../../secret.raw" : data.startsWith("../../secret%d") ? "../../secret1.raw" : data;
			assertBad(f, true, "'" + named + "'", "outside the header's folder");
		}
		// a subfolder is allowed
		Files.writeString(f, head + "sub/d.raw\n");
		assertArrayEquals(new float[8], VolumeIO.read(f).data());
	}

	@Test
	void metaImageHeaderProblems() throws Exception {
		final String good = "ObjectType = Image\nNDims = 3\nDimSize = 2 2 2\nElementType = MET_UCHAR\nElementDataFile = d.raw\n";
		Files.write(tmp.resolve("d.raw"), new byte[8]);
		final Path f = tmp.resolve("h.mhd");
		Files.writeString(f, good);
		assertArrayEquals(new float[8], VolumeIO.read(f).data());
		final String[][] cases = { { "DimSize = 2 2 2", "DimSize = 2 two 2", "DimSize '2 two 2'" }, { "DimSize = 2 2 2", "DimSize = 2 0 2", "DimSize" },
				{ "DimSize = 2 2 2", "DimSize = 2 -2 2", "DimSize" }, { "DimSize = 2 2 2", "DimSize = 2 2", "DimSize '2 2' must have 3 numbers" },
				{ "NDims = 3\n", "", "no NDims" }, { "NDims = 3", "NDims = x", "NDims 'x'" }, { "MET_UCHAR", "MET_QUATERNION", "unknown MetaImage ElementType" },
				{ "ElementDataFile = d.raw\n", "", "no ElementDataFile" }, { "DimSize = 2 2 2", "DimSize = 2 2 3", "truncated" },
				{ "ObjectType = Image\n", "ObjectType = Image\nTransformMatrix = 1 0 0 1 0 0 0 0 0\n", "singular" },
				{ "ObjectType = Image\n", "ObjectType = Image\nElementSpacing = 1 0 1\n", "ElementSpacing" },
				{ "ObjectType = Image\n", "ObjectType = Image\nCompressedData = maybe\n", "CompressedData 'maybe'" },
				{ "DimSize = 2 2 2", "DimSize = 100000 100000 100000", "too large" } };
		for (final String[] c : cases) {
			Files.writeString(f, good.replace(c[0], c[1]));
			assertBad(f, !c[2].equals("truncated"), c[2]);
		}
	}

	@Test
	void metaImageCompressedDataProblems() throws Exception {
		final Volume v = Volume.zeros(30, 30, 30, new AffineTransform3D());
		for (int i = 0; i < v.data().length; i++)
			v.data()[i] = i % 251;
		final Path f = tmp.resolve("z.mhd");
		new MetaImageWriter(true).write(v, f);
		final Path z = tmp.resolve("z.zraw");
		final byte[] b = Files.readAllBytes(z);
		Files.write(z, Arrays.copyOf(b, b.length / 2));
		assertBad(f, false, "truncated");
		final byte[] bad = b.clone();
		for (int i = 10; i < 200; i++)
			bad[i] ^= 0x33;
		Files.write(z, bad);
		assertBad(f, false, "corrupt");
		final Path mha = tmp.resolve("z.mha");
		new MetaImageWriter(true).write(v, mha);
		final byte[] m = Files.readAllBytes(mha);
		Files.write(mha, Arrays.copyOf(m, m.length - 300));
		assertBad(mha, false, "truncated");
	}

	@Test
	void missingFileAndUnsupportedFormat() throws Exception {
		assertBad(tmp.resolve("nothing.nii.gz"), true, "file not found");
		final Path f = tmp.resolve("scan.xyz");
		Files.writeString(f, "?");
		final VolumeIOException e = assertThrows(VolumeIO.UnsupportedFormatException.class, () -> VolumeIO.read(f));
		assertTrue(e.getMessage().contains("scan.xyz") && e.getMessage().contains("unsupported format"), e.getMessage());
		final VolumeIOException w = assertThrows(VolumeIO.UnsupportedFormatException.class,
				() -> VolumeIO.write(Volume.zeros(1, 1, 1, new AffineTransform3D()), tmp.resolve("out.png")));
		assertTrue(w.getMessage().contains("out.png"), w.getMessage());
		assertFalse(Files.exists(tmp.resolve("out.png")));
	}

	@Test
	void volumeIndexOutOfRange() throws Exception {
		final Path f = goodNifti("i.nii.gz");
		assertThrows(VolumeIOException.class, () -> VolumeIO.read(f, 1));
		assertThrows(VolumeIOException.class, () -> VolumeIO.read(f, -1));
	}

	@Test
	void aWriterThatFailsMidwayLeavesNoPartialFile() throws Exception {
		final Path target = tmp.resolve("out.nii");
		Files.writeString(target, "previous content");
		final IOException e = assertThrows(IOException.class, () -> AtomicOutput.write(target, out -> {
			out.write(new byte[100_000]);
			throw new IOException("disk full");
		}));
		assertEquals("disk full", e.getMessage());
		assertEquals("previous content", Files.readString(target), "the old file is untouched");
		assertOnlyFiles("out.nii");

		final Path fresh = tmp.resolve("fresh.nii.gz");
		assertThrows(IOException.class, () -> AtomicOutput.write(fresh, out -> {
			out.write(1);
			throw new IOException("killed");
		}));
		assertFalse(Files.exists(fresh));
		assertOnlyFiles("out.nii");
	}

	@Test
	void aHeaderAndDataPairFailingMidwayLeavesNeither() throws Exception {
		final Volume v = Volume.zeros(8, 8, 8, new AffineTransform3D());
		Files.createDirectories(tmp.resolve("pair.raw").resolve("blocker")); // the data file cannot replace a non-empty folder
		assertThrows(IOException.class, () -> VolumeIO.write(v, tmp.resolve("pair.mhd")));
		assertFalse(Files.exists(tmp.resolve("pair.mhd")), "no header pointing at missing data");
		assertOnlyFiles("pair.raw");
	}

	@Test
	void labelValuesThatDoNotFitAreRefusedBeforeWriting() throws Exception {
		final Volume v = Volume.zeros(2, 2, 2, new AffineTransform3D());
		v.data()[3] = 0.5f;
		final VolumeIOException e = assertThrows(VolumeIOException.class, () -> VolumeIO.writeLabels(v, tmp.resolve("l.nii.gz")));
		assertTrue(e.getMessage().contains("0.5"), e.getMessage());
		assertOnlyFiles();
	}

	private void assertOnlyFiles(final String... names) throws IOException {
		try (var list = Files.list(tmp)) {
			assertEquals(Arrays.asList(names), list.map(p -> p.getFileName().toString()).sorted().toList());
		}
	}

	private static byte[] ungzip(final byte[] gz) throws IOException {
		try (var in = new java.util.zip.GZIPInputStream(new java.io.ByteArrayInputStream(gz))) {
			return in.readNBytes(352);
		}
	}

	private static byte[] gzip(final byte[] b) throws IOException {
		final var bytes = new java.io.ByteArrayOutputStream();
		try (var out = new java.util.zip.GZIPOutputStream(bytes)) {
			out.write(b);
			out.write(new byte[1000]);
		}
		return bytes.toByteArray();
	}
}
