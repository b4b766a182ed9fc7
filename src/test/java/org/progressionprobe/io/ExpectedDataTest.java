package org.progressionprobe.io;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.Reader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

import com.google.gson.JsonArray;
import com.google.gson.JsonElement;
import com.google.gson.JsonObject;
import com.google.gson.JsonParser;

import ij.ImagePlus;
import ij.io.Opener;
import ij.process.ColorProcessor;

import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.TestFactory;
import org.progressionprobe.testing.SharedData;
import org.progressionprobe.volume.AffineTransform3D;
import org.progressionprobe.volume.Geometry;
import org.progressionprobe.volume.Volume;

/**
 * Every file in ../shared/data/EXPECTED.json, read through {@link VolumeIO}, must look as nibabel,
 * numpy and PIL saw it: shape (4D files by volume count), voxel size, voxel-to-world matrix (1e-4),
 * sum, mean, min, max (1e-4 relative) and the value at index 0.
 * <p>
 * Where EXPECTED.json has no matrix (MetaImage, PNG), the expected matrix is built here from the
 * header lines it records (TransformMatrix columns, ElementSpacing, Offset; LPS flipped to RAS) or,
 * for PNG, from ITK's convention (spacing 1, origin 0, axes along LPS). BrainT1Slice.png is stored as
 * RGB with three equal channels; PIL's statistics cover the three channels ([3, 181, 217]), ours the
 * luminance, which equals each channel: the test checks the channels are equal and compares
 * sum / 3 and the per-channel mean, min, max.
 */
class ExpectedDataTest {

	@TestFactory
	Stream<DynamicTest> everyFileMatchesTheIndependentReaders() throws Exception {
		final Path json = SharedData.require("data/EXPECTED.json");
		final JsonObject all;
		try (Reader r = Files.newBufferedReader(json)) {
			all = JsonParser.parseReader(r).getAsJsonObject();
		}
		assertTrue(all.size() >= 19, "EXPECTED.json lists " + all.size() + " files");
		final List<DynamicTest> tests = new ArrayList<>();
		for (final Map.Entry<String, JsonElement> e : all.entrySet())
			tests.add(DynamicTest.dynamicTest(e.getKey(), () -> check(json.getParent().resolve(e.getKey()), e.getValue().getAsJsonObject())));
		return tests.stream();
	}

	private static void check(final Path file, final JsonObject exp) throws Exception {
		final int[] shape = ints(exp.getAsJsonArray("shape"));
		final boolean rgb = shape.length == 3 && shape[0] == 3 && file.toString().endsWith(".png");
		final int[] grid = rgb ? new int[] { shape[1], shape[2], 1 }
				: new int[] { shape[0], shape[1], shape.length > 2 ? shape[2] : 1 };
		final int volumes = shape.length > 3 ? shape[3] : 1;

		final VolumeFileInfo info = VolumeIO.info(file);
		assertArrayEquals(grid, info.size(), file + ": grid");
		assertEquals(volumes, info.volumes(), file + ": volumes");

		double sum = 0, min = Double.POSITIVE_INFINITY, max = Double.NEGATIVE_INFINITY;
		long n = 0;
		Volume first = null;
		for (int t = 0; t < volumes; t++) {
			final Volume v = VolumeIO.read(file, t);
			assertArrayEquals(grid, v.size(), file + ": volume " + t + " size");
			assertTrue(v.voxelToWorld().equals(info.voxelToWorld(), 0), file + ": read and info give the same matrix");
			if (first == null)
				first = v;
			for (final float f : v.data()) {
				sum += f;
				min = Math.min(min, f);
				max = Math.max(max, f);
			}
			n += v.voxelCount();
		}
		final double channels = rgb ? 3 : 1;
		if (rgb)
			assertChannelsEqual(file);
		close(exp.get("sum").getAsDouble() / channels, sum, file + ": sum");
		close(exp.get("mean").getAsDouble(), sum / n, file + ": mean");
		close(exp.get("min").getAsDouble(), min, file + ": min");
		close(exp.get("max").getAsDouble(), max, file + ": max");
		if (exp.has("value_at_index_000"))
			close(exp.get("value_at_index_000").getAsDouble(), first.get(0, 0, 0), file + ": value at index 0");

		final AffineTransform3D expected = expectedMatrix(file, exp);
		for (int r = 0; r < 3; r++)
			for (int c = 0; c < 4; c++)
				assertEquals(expected.get(r, c), info.voxelToWorld().get(r, c), 1e-4,
						file + ": matrix[" + r + "][" + c + "]: expected " + Geometry.format(expected) + ", read " + Geometry.format(info.voxelToWorld()));
		if (exp.has("voxel_size")) {
			final double[] vs = info.voxelSize();
			final JsonArray ev = exp.getAsJsonArray("voxel_size");
			for (int i = 0; i < 3; i++)
				close(ev.get(i).getAsDouble(), vs[i], file + ": voxel size " + i);
		}
		if (exp.has("orientation"))
			assertEquals(exp.get("orientation").getAsString(), info.orientation(), file + ": orientation");
		if (exp.has("dtype"))
			assertEquals(numpyType(exp.get("dtype").getAsString()), info.voxelType(), file + ": voxel type");
	}

	/** nibabel's affine, or the matrix the MetaImage header lines define, or ITK's for a PNG. */
	private static AffineTransform3D expectedMatrix(final Path file, final JsonObject exp) {
		if (exp.has("affine_ras")) {
			final JsonArray a = exp.getAsJsonArray("affine_ras");
			final double[] v = new double[12];
			for (int r = 0; r < 3; r++)
				for (int c = 0; c < 4; c++)
					v[4 * r + c] = a.get(r).getAsJsonArray().get(c).getAsDouble();
			return AffineTransform3D.of(v);
		}
		if (exp.has("header")) {
			final JsonObject h = exp.getAsJsonObject("header");
			final int nd = Integer.parseInt(h.get("NDims").getAsString());
			final double[] tm = h.has("TransformMatrix") ? doubles(h.get("TransformMatrix").getAsString()) : null;
			final double[] sp = h.has("ElementSpacing") ? doubles(h.get("ElementSpacing").getAsString()) : new double[] { 1, 1, 1 };
			final double[] off = h.has("Offset") ? doubles(h.get("Offset").getAsString()) : new double[3];
			final double[][] lps = new double[3][4];
			lps[2][2] = 1; // a 2D image's third axis: spacing 1, perpendicular
			for (int c = 0; c < nd; c++) {
				for (int r = 0; r < nd; r++)
					lps[r][c] = (tm == null ? (r == c ? 1 : 0) : tm[c * nd + r]) * sp[c];
				lps[c][3] = off[c];
			}
			return AffineTransform3D.of(-lps[0][0], -lps[0][1], -lps[0][2], -lps[0][3], -lps[1][0], -lps[1][1], -lps[1][2], -lps[1][3], lps[2][0],
					lps[2][1], lps[2][2], lps[2][3]);
		}
		assertTrue(file.toString().endsWith(".png"), file + ": no geometry in EXPECTED.json");
		return AffineTransform3D.of(-1, 0, 0, 0, 0, -1, 0, 0, 0, 0, 1, 0);
	}

	private static void assertChannelsEqual(final Path file) {
		final ImagePlus imp = Opener.openUsingImageIO(file.toString());
		assertTrue(imp.getProcessor() instanceof ColorProcessor, file + " is RGB");
		final int[] p = (int[]) imp.getProcessor().getPixels();
		for (final int v : p) {
			final int r = (v >> 16) & 0xff, g = (v >> 8) & 0xff, b = v & 0xff;
			if (r != g || g != b)
				throw new AssertionError(file + ": channels differ (" + r + ", " + g + ", " + b + "); luminance is not each channel");
		}
	}

	private static String numpyType(final String dtype) {
		final String t = dtype.replace(">", "").replace("<", "").replace("|", "");
		switch (t) {
		case "i2":
			return "int16";
		case "u1":
			return "uint8";
		case "f4":
			return "float32";
		default:
			return t;
		}
	}

	private static void close(final double expected, final double actual, final String what) {
		assertEquals(expected, actual, 1e-4 * Math.max(1, Math.abs(expected)), what);
	}

	private static int[] ints(final JsonArray a) {
		final int[] out = new int[a.size()];
		for (int i = 0; i < out.length; i++)
			out[i] = a.get(i).getAsInt();
		return out;
	}

	private static double[] doubles(final String s) {
		final String[] parts = s.strip().split("\\s+");
		final double[] out = new double[parts.length];
		for (int i = 0; i < parts.length; i++)
			out[i] = Double.parseDouble(parts[i]);
		return out;
	}
}
