package org.progressionprobe.io;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import java.nio.file.Files;
import java.nio.file.Path;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.progressionprobe.testing.SharedData;
import org.progressionprobe.volume.Volume;

import com.google.gson.JsonArray;
import com.google.gson.JsonObject;
import com.google.gson.JsonParser;

class NiftiSmokeTest {

	@Test
	void readsColin27LikeNibabel(@TempDir final Path tmp) throws Exception {
		final Path ch2 = SharedData.require("data/template/ch2.nii.gz");
		final JsonObject expected = JsonParser.parseString(Files.readString(SharedData.require("data/EXPECTED.json"))).getAsJsonObject()
				.getAsJsonObject("template/ch2.nii.gz");
		final Volume v = VolumeIO.read(ch2);
		final JsonArray shape = expected.getAsJsonArray("shape");
		assertArrayEquals(new int[] { shape.get(0).getAsInt(), shape.get(1).getAsInt(), shape.get(2).getAsInt() }, v.size());
		double sum = 0;
		for (final float f : v.data())
			sum += f;
		assertEquals(expected.get("sum").getAsDouble(), sum, 0.5);
		final JsonArray affine = expected.getAsJsonArray("affine_ras");
		for (int r = 0; r < 3; r++)
			for (int c = 0; c < 4; c++)
				assertEquals(affine.get(r).getAsJsonArray().get(c).getAsDouble(), v.voxelToWorld().get(r, c), 1e-5, "affine " + r + "," + c);
		final Path out = tmp.resolve("ch2.nii.gz");
		VolumeIO.write(v, out);
		final Volume back = VolumeIO.read(out);
		assertArrayEquals(v.data(), back.data());
		assertEquals(true, v.voxelToWorld().equals(back.voxelToWorld(), 1e-5));
	}
}
