package org.progressionprobe.io;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Random;
import java.util.zip.Deflater;
import java.util.zip.GZIPOutputStream;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.progressionprobe.testing.SharedData;
import org.progressionprobe.volume.AffineTransform3D;
import org.progressionprobe.volume.Geometry;
import org.progressionprobe.volume.Volume;

class MetaImageTest {

	@TempDir
	Path tmp;

	/** An oblique, anisotropic grid with values that test bit-exactness. */
	static Volume obliqueVolume() {
		final double a = Math.toRadians(17), b = Math.toRadians(-8);
		final double[] s = { 0.7, 1.3, 2.9 };
		final double[][] r = { { Math.cos(a), -Math.sin(a) * Math.cos(b), Math.sin(a) * Math.sin(b) },
				{ Math.sin(a), Math.cos(a) * Math.cos(b), -Math.cos(a) * Math.sin(b) }, { 0, Math.sin(b), Math.cos(b) } };
		final AffineTransform3D m = AffineTransform3D.of(r[0][0] * s[0], r[0][1] * s[1], r[0][2] * s[2], -91.123456789012345, r[1][0] * s[0],
				r[1][1] * s[1], r[1][2] * s[2], 12.5e-7, r[2][0] * s[0], r[2][1] * s[1], r[2][2] * s[2], 1e5 / 3);
		final Volume v = Volume.zeros(7, 5, 4, m);
		final Random rnd = new Random(42);
		final float[] d = v.data();
		for (int i = 0; i < d.length; i++)
			d[i] = (float) (rnd.nextGaussian() * 1000);
		d[0] = Float.NaN;
		d[1] = -0.0f;
		d[2] = Float.MIN_VALUE;
		d[3] = Float.MAX_VALUE;
		d[4] = Float.NEGATIVE_INFINITY;
		return v;
	}

	@Test
	void writeThenReadIsExactInEveryLayout() throws Exception {
		final Volume v = obliqueVolume();
		for (final String name : new String[] { "a.mha", "b.mhd", "c.mha", "d.mhd" }) {
			final boolean compress = name.startsWith("c") || name.startsWith("d");
			final Path f = tmp.resolve(name);
			new MetaImageWriter(compress).write(v, f);
			final Volume back = VolumeIO.read(f);
			assertArrayEquals(v.size(), back.size(), name);
			assertArrayEquals(v.data(), back.data(), name + ": voxels bit-identical");
			final double[] want = v.voxelToWorld().getRowPackedCopy(), got = back.voxelToWorld().getRowPackedCopy();
			for (int i = 0; i < 12; i++)
				assertEquals(want[i], got[i], 4 * Math.ulp(Math.max(1, Math.abs(want[i]))), name + ": matrix entry " + i);
		}
		assertTrue(Files.exists(tmp.resolve("b.raw")));
		assertTrue(Files.exists(tmp.resolve("d.zraw")));
		assertTrue(Files.size(tmp.resolve("d.zraw")) < Files.size(tmp.resolve("b.raw")) * 1.1);
		final String header = Files.readString(tmp.resolve("d.mhd"));
		assertTrue(header.contains("CompressedData = True") && header.contains("ElementDataFile = d.zraw")
				&& header.contains("CompressedDataSize = " + Files.size(tmp.resolve("d.zraw"))), header);
		try (var list = Files.list(tmp)) {
			assertTrue(list.noneMatch(p -> p.getFileName().toString().endsWith(".part")), "no temporary files left");
		}
	}

	@Test
	void axisAlignedGeometryRoundTripsBitExactly() throws Exception {
		final Volume v = Volume.zeros(3, 4, 5, AffineTransform3D.of(-0.9375, 0, 0, 120.3, 0, 0.9375, 0, -130.7, 0, 0, 1.2, -60.1));
		final Path f = tmp.resolve("x.mha");
		VolumeIO.write(v, f);
		assertEquals(v.voxelToWorld(), VolumeIO.read(f).voxelToWorld());
		final String text = new String(Files.readAllBytes(f), StandardCharsets.ISO_8859_1);
		assertTrue(text.contains("TransformMatrix = 1 0 0 0 -1 0 0 0 1\n"), text);
		assertTrue(text.contains("Offset = -120.3 130.7 -60.1\n"), text);
		assertTrue(text.contains("ElementSpacing = 0.9375 0.9375 1.2\n"), text);
		assertTrue(text.contains("AnatomicalOrientation = RPI\n"), "LAS in nibabel terms is RPI in ITK terms: " + text);
	}

	@Test
	void readsEveryElementTypeInBothByteOrders() throws Exception {
		final Object[][] types = { { "MET_UCHAR", 1, new double[] { 0, 255, 7 } }, { "MET_CHAR", 1, new double[] { -128, 127, -1 } },
				{ "MET_SHORT", 2, new double[] { -32768, 32767, -2 } }, { "MET_USHORT", 2, new double[] { 0, 65535, 300 } },
				{ "MET_INT", 4, new double[] { -2147483648.0, 2147483647.0, -5 } }, { "MET_UINT", 4, new double[] { 0, 4294967295.0, 9 } },
				{ "MET_LONG", 4, new double[] { -70000, 70000, 1 } }, { "MET_ULONG", 4, new double[] { 0, 4000000000.0, 2 } },
				{ "MET_LONG_LONG", 8, new double[] { -1e15, 1e15, -3 } }, { "MET_ULONG_LONG", 8, new double[] { 0, 1.8e19, 4 } },
				{ "MET_FLOAT", 4, new double[] { -1.5f, 3.25e30f, 1e-30f } }, { "MET_DOUBLE", 8, new double[] { -1.5, 1e300, 1e-300 } } };
		for (final Object[] t : types) {
			for (final ByteOrder order : new ByteOrder[] { ByteOrder.LITTLE_ENDIAN, ByteOrder.BIG_ENDIAN }) {
				for (final String key : new String[] { "BinaryDataByteOrderMSB", "ElementByteOrderMSB" }) {
					final String type = (String) t[0];
					final int bytes = (Integer) t[1];
					final double[] values = (double[]) t[2];
					final ByteBuffer b = ByteBuffer.allocate(values.length * bytes).order(order);
					for (final double v : values)
						put(b, type, v);
					final Path f = tmp.resolve(type + order + key + ".mha");
					final String header = "ObjectType = Image\nNDims = 3\n" + key + " = " + (order == ByteOrder.BIG_ENDIAN ? "True" : "False")
							+ "\nDimSize = 3 1 1\nElementType = " + type + "\nElementDataFile = LOCAL\n";
					Files.write(f, concat(header.getBytes(StandardCharsets.ISO_8859_1), b.array()));
					final Volume v = VolumeIO.read(f);
					for (int i = 0; i < values.length; i++)
						assertEquals((float) values[i], v.data()[i], type + " " + order + " " + key + " value " + i);
					assertTrue(VolumeIO.info(f).voxelType().startsWith(type));
				}
			}
		}
	}

	private static void put(final ByteBuffer b, final String type, final double v) {
		switch (type) {
		case "MET_UCHAR":
		case "MET_CHAR":
			b.put((byte) (long) v);
			break;
		case "MET_SHORT":
		case "MET_USHORT":
			b.putShort((short) (long) v);
			break;
		case "MET_INT":
		case "MET_UINT":
		case "MET_LONG":
		case "MET_ULONG":
			b.putInt((int) (long) v);
			break;
		case "MET_LONG_LONG":
			b.putLong((long) v);
			break;
		case "MET_ULONG_LONG":
			b.putLong(new java.math.BigDecimal(v).toBigInteger().longValue());
			break;
		case "MET_FLOAT":
			b.putFloat((float) v);
			break;
		default:
			b.putDouble(v);
		}
	}

	@Test
	void twoDimensionalImageBecomesOneSliceWithUnitZSpacing() throws Exception {
		final Path f = tmp.resolve("slice.mha");
		final String header = "ObjectType = Image\nNDims = 2\nBinaryData = True\nBinaryDataByteOrderMSB = False\nCompressedData = False\n"
				+ "TransformMatrix = 0 1 -1 0\nOffset = 10 -20\nElementSpacing = 0.5 2\nDimSize = 2 3\nElementType = MET_UCHAR\nElementDataFile = LOCAL\n";
		Files.write(f, concat(header.getBytes(StandardCharsets.ISO_8859_1), new byte[] { 1, 2, 3, 4, 5, 6 }));
		final Volume v = VolumeIO.read(f);
		assertArrayEquals(new int[] { 2, 3, 1 }, v.size());
		assertEquals(4f, v.get(1, 1, 0));
		// LPS: column 0 = (0, 1) * 0.5, column 1 = (-1, 0) * 2, z = (0, 0, 1); RAS flips x and y
		assertEquals(AffineTransform3D.of(0, 2, 0, -10, -0.5, 0, 0, 20, 0, 0, 1, 0), v.voxelToWorld());
	}

	@Test
	void compressedZrawReadsLikeTheRawFile() throws Exception {
		final Path dir = SharedData.require("data/registration2d");
		final Path raw = dir.resolve("BrainProtonDensitySliceBorder20.mhd");
		final Path hdr = tmp.resolve("z.mhd");
		Files.copy(dir.resolve("BrainProtonDensitySliceBorder20.zraw"), tmp.resolve("BrainProtonDensitySliceBorder20.zraw"));
		Files.writeString(hdr, Files.readString(raw).replace("CompressedData = False", "CompressedData = True")
				.replace("ElementDataFile = BrainProtonDensitySliceBorder20.raw", "ElementDataFile = " + tmp.resolve("BrainProtonDensitySliceBorder20.zraw")));
		final Volume a = VolumeIO.read(raw), b = VolumeIO.read(hdr);
		assertArrayEquals(a.data(), b.data());
		assertEquals(a.voxelToWorld(), b.voxelToWorld());
		assertTrue(VolumeIO.info(hdr).format().contains("compressed"));
	}

	@Test
	void inlineCompressedDataInZlibAndGzip() throws Exception {
		final byte[] raw = new byte[2 * 3 * 4 * 2];
		final ByteBuffer b = ByteBuffer.wrap(raw).order(ByteOrder.LITTLE_ENDIAN);
		for (int i = 0; i < 24; i++)
			b.putShort((short) (i * 100 - 1000));
		final Deflater d = new Deflater();
		d.setInput(raw);
		d.finish();
		final byte[] z = new byte[1000];
		final byte[] zlib = java.util.Arrays.copyOf(z, d.deflate(z));
		d.end();
		final ByteArrayOutputStream gz = new ByteArrayOutputStream();
		try (GZIPOutputStream out = new GZIPOutputStream(gz)) {
			out.write(raw);
		}
		for (final byte[] data : new byte[][] { zlib, gz.toByteArray() }) {
			final Path f = tmp.resolve("c" + data.length + ".mha");
			final String header = "ObjectType = Image\r\nNDims = 3\r\nCompressedData = True\r\nCompressedDataSize = " + data.length
					+ "\r\nDimSize = 2 3 4\r\nElementType = MET_SHORT\r\nElementDataFile = LOCAL\r\n";
			Files.write(f, concat(header.getBytes(StandardCharsets.ISO_8859_1), data));
			final Volume v = VolumeIO.read(f);
			for (int i = 0; i < 24; i++)
				assertEquals(i * 100 - 1000, v.data()[i], 0);
		}
	}

	@Test
	void fourDimensionalAndVectorImagesGiveVolumesByIndex() throws Exception {
		final ByteBuffer b = ByteBuffer.allocate(2 * 2 * 1 * 3 * 4).order(ByteOrder.LITTLE_ENDIAN);
		for (int i = 0; i < 12; i++)
			b.putFloat(i);
		final Path t4 = tmp.resolve("t.mha");
		Files.write(t4, concat(("NDims = 4\nDimSize = 2 2 1 3\nElementType = MET_FLOAT\nElementDataFile = LOCAL\n").getBytes(StandardCharsets.ISO_8859_1),
				b.array()));
		assertEquals(3, VolumeIO.info(t4).volumes());
		assertArrayEquals(new float[] { 8, 9, 10, 11 }, VolumeIO.read(t4, 2).data());
		final Path vec = tmp.resolve("v.mha");
		Files.write(vec, concat(("NDims = 2\nDimSize = 2 2\nElementNumberOfChannels = 3\nElementType = MET_FLOAT\nElementDataFile = LOCAL\n")
				.getBytes(StandardCharsets.ISO_8859_1), b.array()));
		assertEquals(3, VolumeIO.info(vec).volumes());
		assertArrayEquals(new float[] { 1, 4, 7, 10 }, VolumeIO.read(vec, 1).data(), "component 1 of each voxel");
	}

	@Test
	void rgbChannelsGiveLuminance() throws Exception {
		final Path f = tmp.resolve("rgb.mha");
		Files.write(f, concat("NDims = 2\nDimSize = 2 1\nElementNumberOfChannels = 3\nElementType = MET_UCHAR_ARRAY\nElementDataFile = LOCAL\n"
				.getBytes(StandardCharsets.ISO_8859_1), new byte[] { 10, 10, 10, (byte) 255, 0, 0 }));
		assertEquals(1, VolumeIO.info(f).volumes());
		assertArrayEquals(new float[] { 10, (float) (0.299 * 255) }, VolumeIO.read(f).data());
	}

	@Test
	void listPatternHeaderSizeAndAsciiData() throws Exception {
		Files.write(tmp.resolve("s1.raw"), new byte[] { 1, 2 });
		Files.write(tmp.resolve("s2.raw"), new byte[] { 3, 4 });
		final Path list = tmp.resolve("list.mhd");
		Files.writeString(list, "NDims = 3\nDimSize = 2 1 2\nElementType = MET_UCHAR\nElementDataFile = LIST\ns1.raw\ns2.raw\n");
		assertArrayEquals(new float[] { 1, 2, 3, 4 }, VolumeIO.read(list).data());
		final Path pattern = tmp.resolve("pattern.mhd");
		Files.writeString(pattern, "NDims = 3\nDimSize = 2 1 2\nElementType = MET_UCHAR\nElementDataFile = s%d.raw 2 1 -1\n");
		assertArrayEquals(new float[] { 3, 4, 1, 2 }, VolumeIO.read(pattern).data());
		Files.write(tmp.resolve("h.raw"), new byte[] { 9, 9, 9, 5, 6 });
		final Path skip = tmp.resolve("skip.mhd");
		Files.writeString(skip, "NDims = 2\nDimSize = 2 1\nHeaderSize = 3\nElementType = MET_UCHAR\nElementDataFile = h.raw\n");
		assertArrayEquals(new float[] { 5, 6 }, VolumeIO.read(skip).data());
		Files.writeString(skip, "NDims = 2\nDimSize = 2 1\nHeaderSize = -1\nElementType = MET_UCHAR\nElementDataFile = h.raw\n");
		assertArrayEquals(new float[] { 5, 6 }, VolumeIO.read(skip).data(), "HeaderSize -1: data at the end");
		final Path ascii = tmp.resolve("ascii.mha");
		Files.writeString(ascii, "NDims = 2\nDimSize = 3 1\nBinaryData = False\nElementType = MET_FLOAT\nElementDataFile = LOCAL\n1.5 -2\n  3e2\n");
		assertArrayEquals(new float[] { 1.5f, -2, 300 }, VolumeIO.read(ascii).data());
	}

	@Test
	void labelsAreWrittenCompactly() throws Exception {
		final Volume labels = Volume.zeros(4, 4, 4, new AffineTransform3D());
		labels.data()[5] = 37;
		final Path f = tmp.resolve("labels.mha");
		VolumeIO.writeLabels(labels, f);
		assertTrue(Files.readString(f, StandardCharsets.ISO_8859_1).contains("ElementType = MET_UCHAR"));
		assertArrayEquals(labels.data(), VolumeIO.read(f).data());
		labels.data()[6] = -3;
		VolumeIO.writeLabels(labels, f);
		assertTrue(Files.readString(f, StandardCharsets.ISO_8859_1).contains("ElementType = MET_SHORT"));
		assertArrayEquals(labels.data(), VolumeIO.read(f).data());
	}

	@Test
	void niftiAndMetaImageAgreeOnTheSameVolume() throws Exception {
		final Volume v = VolumeIO.read(SharedData.require("data/formats/example4d.nii.gz"), 1);
		final Path mha = tmp.resolve("e.mha");
		VolumeIO.write(v, mha);
		final Volume back = VolumeIO.read(mha);
		assertArrayEquals(v.data(), back.data());
		assertTrue(v.voxelToWorld().equals(back.voxelToWorld(), 1e-12), Geometry.format(back.voxelToWorld()));
		assertEquals("LAS", back.orientation());
	}

	static byte[] concat(final byte[] a, final byte[] b) {
		final byte[] out = java.util.Arrays.copyOf(a, a.length + b.length);
		System.arraycopy(b, 0, out, a.length, b.length);
		return out;
	}
}
