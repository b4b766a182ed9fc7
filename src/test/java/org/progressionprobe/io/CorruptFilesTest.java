package org.progressionprobe.io;

import static org.junit.jupiter.api.Assertions.fail;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Random;

import ij.io.FileSaver;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.progressionprobe.testing.SharedData;
import org.progressionprobe.volume.AffineTransform3D;
import org.progressionprobe.volume.Volume;

/**
 * Randomly damaged copies of good files (bytes changed in the header, files cut short), with a fixed
 * seed: reading either succeeds or fails with a {@link VolumeIOException}; nothing else escapes.
 */
class CorruptFilesTest {

	@TempDir
	Path tmp;

	private static void readOrFailCleanly(final Path file, final String what) {
		for (final boolean header : new boolean[] { true, false }) {
			try {
				if (header)
					VolumeIO.info(file);
				else
					VolumeIO.read(file);
			} catch (final VolumeIOException e) {
				if (!e.getMessage().contains(file.getFileName().toString()))
					fail(what + ": the message does not name the file: " + e.getMessage());
			} catch (final Throwable e) {
				throw new AssertionError(what + ": " + (header ? "info" : "read") + " threw " + e, e);
			}
		}
	}

	private void damage(final Path good, final String name, final int headerBytes, final int trials, final long seed) throws Exception {
		final byte[] bytes = Files.readAllBytes(good);
		final Random rnd = new Random(seed);
		final Path f = tmp.resolve(name);
		for (int t = 0; t < trials; t++) {
			final byte[] b;
			if (t % 3 == 0)
				b = Arrays.copyOf(bytes, rnd.nextInt(bytes.length));
			else {
				b = bytes.clone();
				for (int k = 0; k < 1 + rnd.nextInt(4); k++)
					b[rnd.nextInt(Math.min(headerBytes, b.length))] = (byte) rnd.nextInt(256);
			}
			Files.write(f, b);
			readOrFailCleanly(f, name + " trial " + t + " (seed " + seed + ")");
		}
	}

	private static Volume small() {
		final Volume v = Volume.zeros(12, 10, 8, AffineTransform3D.of(1.5, 0, 0, -9, 0, 1.5, 0, -7, 0, 0, 2, -8));
		final Random rnd = new Random(5);
		for (int i = 0; i < v.data().length; i++)
			v.data()[i] = rnd.nextInt(300);
		return v;
	}

	@Test
	void damagedNiftiAndMetaImageReadOrFailNamingTheFile() throws Exception {
		final Volume v = small();
		final Path nii = tmp.resolve("good.nii"), gz = tmp.resolve("good.nii.gz"), mha = tmp.resolve("good.mha"), zmha = tmp.resolve("goodz.mha");
		VolumeIO.write(v, nii);
		VolumeIO.write(v, gz);
		VolumeIO.writeLabels(v, mha);
		new MetaImageWriter(true).write(v, zmha);
		damage(nii, "bad.nii", 352, 90, 11);
		damage(gz, "bad.nii.gz", Integer.MAX_VALUE, 40, 12);
		damage(mha, "bad.mha", 300, 90, 13);
		damage(zmha, "badz.mha", Integer.MAX_VALUE, 40, 14);
		final Path mhd = tmp.resolve("pair.mhd");
		VolumeIO.write(v, mhd);
		final Path raw = tmp.resolve("pair.raw");
		final byte[] data = Files.readAllBytes(raw);
		final byte[] header = Files.readAllBytes(mhd);
		final Random rnd = new Random(15);
		for (int t = 0; t < 60; t++) {
			final byte[] h = header.clone();
			h[rnd.nextInt(h.length)] = (byte) (32 + rnd.nextInt(95));
			Files.write(mhd, h);
			Files.write(raw, t % 2 == 0 ? data : Arrays.copyOf(data, rnd.nextInt(data.length)));
			readOrFailCleanly(mhd, "pair.mhd trial " + t);
		}
	}

	@Test
	void damagedImageJFormatsReadOrFailNamingTheFile() throws Exception {
		final Path tif = tmp.resolve("good.tif");
		new FileSaver(ImagePlusVolumes.toImagePlus(small(), "s")).saveAsTiffStack(tif.toString());
		damage(tif, "bad.tif", 64, 15, 21);
		damage(SharedData.require("data/registration2d/BrainProtonDensitySlice.png"), "bad.png", 64, 15, 23);
		damage(SharedData.require("data/formats/0.dcm"), "bad.dcm", 1000, 15, 24);
	}

	@Test
	void damagedDicomInEachTransferSyntaxReadsOrFailsNamingTheFile() throws Exception {
		for (final String name : new String[] { "rle/0.dcm", "deflated/0.dcm", "jpeg-p14-sv7.dcm", "j2k/0.dcm", "enhanced-jpeg.dcm", "enhanced.dcm",
				"big-endian.dcm" })
			damage(DicomTransferSyntaxTest.data(name), name.replace('/', '-'), Integer.MAX_VALUE, 60, 21);
	}
}
