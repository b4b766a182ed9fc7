package org.progressionprobe.io;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import java.nio.file.Path;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.progressionprobe.testing.SharedData;
import org.progressionprobe.volume.Volume;

class NiftiSmokeTest {

	@Test
	void readsColin27LikeNibabel(@TempDir final Path tmp) throws Exception {
		final Path ch2 = SharedData.require("data/template/ch2.nii.gz");
		final Volume v = VolumeIO.read(ch2);
		assertArrayEquals(new int[] { 181, 217, 181 }, v.size());
		double sum = 0;
		for (final float f : v.data())
			sum += f;
		System.out.println(v + " sum " + sum + " " + v.voxelToWorld());
		final Path out = tmp.resolve("ch2.nii.gz");
		VolumeIO.write(v, out);
		final Volume back = VolumeIO.read(out);
		assertArrayEquals(v.data(), back.data());
		assertEquals(true, v.voxelToWorld().equals(back.voxelToWorld(), 1e-5));
	}
}
