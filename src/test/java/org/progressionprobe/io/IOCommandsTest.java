package org.progressionprobe.io;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.File;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;

import ij.ImagePlus;
import ij.io.FileSaver;

import net.imglib2.RandomAccessibleInterval;
import net.imglib2.img.array.ArrayImgs;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.progressionprobe.command.CommandFailure;
import org.progressionprobe.launcher.CommandRunner;
import org.progressionprobe.testing.SharedData;
import org.progressionprobe.volume.Volume;
import org.scijava.Context;
import org.scijava.io.AbstractIOPlugin;
import org.scijava.io.IOPlugin;
import org.scijava.io.location.FileLocation;
import org.scijava.io.location.Location;
import org.scijava.plugin.Plugin;

/** The IO commands run headless through CommandRunner, as Fiji's --run and macros call them. */
class IOCommandsTest {

	static Context context;
	static CommandRunner runner;

	@TempDir
	Path tmp;

	@BeforeAll
	static void start() {
		context = new Context();
		runner = new CommandRunner(context);
	}

	@AfterAll
	static void stop() {
		context.dispose();
	}

	/** Stands in for SCIFIO in Fiji: an IOService reader for a format VolumeIO does not know. */
	@Plugin(type = IOPlugin.class)
	public static class FakeFormat extends AbstractIOPlugin<RandomAccessibleInterval<?>> {
		@SuppressWarnings({ "unchecked", "rawtypes" })
		@Override
		public Class<RandomAccessibleInterval<?>> getDataType() {
			return (Class) RandomAccessibleInterval.class;
		}

		@Override
		public boolean supportsOpen(final Location source) {
			return source instanceof FileLocation && ((FileLocation) source).getName().endsWith(".fakeimg");
		}

		@Override
		public RandomAccessibleInterval<?> open(final Location source) {
			final short[] v = new short[4 * 3 * 2];
			for (int i = 0; i < v.length; i++)
				v[i] = (short) (i * 10);
			return ArrayImgs.unsignedShorts(v, 4, 3, 2);
		}
	}

	@Test
	void volumeInfoForEveryKindOfInput() throws Exception {
		final Path dicomDir = Files.createDirectory(tmp.resolve("dicom"));
		Files.copy(SharedData.require("data/formats/0.dcm"), dicomDir.resolve("0.dcm"));
		Files.copy(SharedData.require("data/formats/1.dcm"), dicomDir.resolve("1.dcm"));
		final Path tif = tmp.resolve("v.tif");
		new FileSaver(ImagePlusVolumes.toImagePlus(MetaImageTest.obliqueVolume(), "v")).saveAsTiffStack(tif.toString());
		final Object[][] cases = { { SharedData.require("data/template/ch2.nii.gz"), "size: 181 x 217 x 181", "orientation: RAS" },
				{ SharedData.require("data/formats/functional.nii"), "size: 17 x 21 x 3 x 20 volumes", "NIfTI-1" },
				{ SharedData.require("data/registration2d/BrainProtonDensitySliceShifted13x17yDirectionPlus30.mhd"), "size: 221 x 257 x 1",
						"MetaImage (compressed) 2D" },
				{ SharedData.require("data/registration2d/BrainT1Slice.png"), "size: 181 x 217 x 1", "PNG" },
				{ dicomDir, "size: 256 x 256 x 2", "DICOM folder, 2 slices" }, { SharedData.require("data/formats/0.dcm"), "size: 256 x 256 x 1", "uint16" },
				{ tif, "size: 7 x 5 x 4", "stored voxel-to-world matrix" } };
		for (final Object[] c : cases) {
			final String info = (String) runner.run(VolumeInfoCommand.class, Map.of("input", ((Path) c[0]).toFile())).get("info");
			for (int i = 1; i < c.length; i++)
				assertTrue(info.contains((String) c[i]), c[0] + " should say '" + c[i] + "':\n" + info);
		}
	}

	@Test
	void openVolumeGivesAnImagePlusThatKeepsTheGeometry() throws Exception {
		final Path f = SharedData.require("data/formats/example4d.nii.gz");
		final Map<String, Object> out = runner.run(OpenVolumeCommand.class, Map.of("input", f.toFile(), "index", 1));
		final ImagePlus image = (ImagePlus) out.get("image");
		assertEquals(128, image.getWidth());
		assertEquals(96, image.getHeight());
		assertEquals(24, image.getNSlices());
		assertEquals(32, image.getBitDepth());
		assertEquals("mm", image.getCalibration().getUnit());
		assertEquals(2.2, image.getCalibration().pixelDepth, 1e-5);
		assertEquals("example4d.nii.gz [1]", image.getTitle());
		final Volume expected = VolumeIO.read(f, 1), got = ImagePlusVolumes.toVolume(image);
		assertArrayEquals(expected.data(), got.data());
		assertEquals(expected.voxelToWorld(), got.voxelToWorld());
		final CommandFailure e = assertThrows(CommandFailure.class, () -> runner.run(OpenVolumeCommand.class, Map.of("input", f.toFile(), "index", 2)));
		assertTrue(e.getMessage().contains("volume index 2 is outside 0..1"), e.getMessage());
	}

	@Test
	void saveVolumeWritesTheImageWithItsGeometry() throws Exception {
		final Volume v = MetaImageTest.obliqueVolume();
		for (final String name : new String[] { "saved.nii.gz", "saved.mha" }) {
			final Path out = tmp.resolve(name);
			final Map<String, Object> o = runner.run(SaveVolumeCommand.class, Map.of("image", ImagePlusVolumes.toImagePlus(v, "v"), "output", out.toFile()));
			assertTrue(((String) o.get("info")).contains("size: 7 x 5 x 4"));
			final Volume back = VolumeIO.read(out);
			assertArrayEquals(v.data(), back.data());
			// NIfTI-1 keeps the matrix in float32: about 7 digits of the 33333 mm offset
			assertTrue(v.voxelToWorld().equals(back.voxelToWorld(), name.endsWith(".mha") ? 1e-11 : 33333 * 1e-7));
		}
		final CommandFailure e = assertThrows(CommandFailure.class, () -> runner.run(SaveVolumeCommand.class,
				Map.of("image", ImagePlusVolumes.toImagePlus(v, "v"), "output", tmp.resolve("saved.png").toFile())));
		assertTrue(e.getMessage().contains("saved.png") && e.getMessage().contains(".nii.gz"), e.getMessage());
	}

	@Test
	void convertVolumeBetweenFormats() throws Exception {
		final Path dicom = Files.createDirectory(tmp.resolve("series"));
		Files.copy(SharedData.require("data/formats/0.dcm"), dicom.resolve("0.dcm"));
		Files.copy(SharedData.require("data/formats/1.dcm"), dicom.resolve("1.dcm"));
		final Path nii = tmp.resolve("series.nii.gz");
		runner.run(ConvertVolumeCommand.class, Map.of("input", dicom.toFile(), "output", nii.toFile()));
		final Volume a = VolumeIO.read(dicom), b = VolumeIO.read(nii);
		assertArrayEquals(a.data(), b.data());
		assertTrue(a.voxelToWorld().equals(b.voxelToWorld(), 1e-4));

		final Path f = SharedData.require("data/formats/functional.nii");
		final Path mhd = tmp.resolve("f7.mhd");
		final String info = (String) runner.run(ConvertVolumeCommand.class, Map.of("input", f.toFile(), "output", mhd.toFile(), "index", 7, "compress", true))
				.get("info");
		assertTrue(info.contains("MetaImage (compressed)"), info);
		assertTrue(Files.exists(tmp.resolve("f7.zraw")));
		assertArrayEquals(VolumeIO.read(f, 7).data(), VolumeIO.read(mhd).data());

		final CommandFailure e = assertThrows(CommandFailure.class,
				() -> runner.run(ConvertVolumeCommand.class, Map.of("input", f.toFile(), "output", tmp.resolve("f.jpg").toFile())));
		assertTrue(e.getMessage().contains("f.jpg") && e.getMessage().contains("cannot write"), e.getMessage());
		assertFalse(Files.exists(tmp.resolve("f.jpg")));
	}

	@Test
	void volumeInfoSaysThatAFileIsTruncated() throws Exception {
		final Path f = tmp.resolve("cut.nii");
		VolumeIO.write(Volume.zeros(20, 20, 20, new org.progressionprobe.volume.AffineTransform3D()), f);
		final byte[] b = Files.readAllBytes(f);
		Files.write(f, java.util.Arrays.copyOf(b, b.length - 100));
		final String info = (String) runner.run(VolumeInfoCommand.class, Map.of("input", f.toFile())).get("info");
		assertTrue(info.contains("warning: truncated: cut.nii should hold " + b.length + " bytes but has " + (b.length - 100)), info);
	}

	@Test
	void convertVolumeRefusesAHeaderThatNamesAFileElsewhere() throws Exception {
		final Path secret = tmp.resolve("secret.raw");
		Files.write(secret, new byte[] { 9, 9, 9, 9, 9, 9, 9, 9 });
		final Path header = Files.createDirectories(tmp.resolve("scans")).resolve("crafted.mhd");
		Files.writeString(header, "NDims = 3\nDimSize = 2 2 2\nElementType = MET_UCHAR\nElementDataFile = ../secret.raw\n");
		final Path out = tmp.resolve("copied.nii.gz");
		final CommandFailure e = assertThrows(CommandFailure.class,
				() -> runner.run(ConvertVolumeCommand.class, Map.of("input", header.toFile(), "output", out.toFile())));
		assertTrue(e.getMessage().contains("crafted.mhd") && e.getMessage().contains("'../secret.raw'")
				&& e.getMessage().contains("outside the header's folder"), e.getMessage());
		assertFalse(Files.exists(out), "nothing copied");
	}

	@Test
	void unknownFormatsGoToSciJavasIOServiceOrFailClearly() throws Exception {
		final Path fake = tmp.resolve("scan.fakeimg");
		Files.writeString(fake, "read by the stand-in for SCIFIO");
		final ImagePlus image = (ImagePlus) runner.run(OpenVolumeCommand.class, Map.of("input", fake.toFile())).get("image");
		assertEquals(4, image.getWidth());
		assertEquals(2, image.getNSlices());
		assertEquals(230f, ImagePlusVolumes.toVolume(image).get(3, 2, 1));
		final String info = (String) runner.run(VolumeInfoCommand.class, Map.of("input", fake.toFile())).get("info");
		assertTrue(info.contains("IOService") && info.contains("size: 4 x 3 x 2"), info);

		final Path unknown = tmp.resolve("scan.xyz");
		Files.writeString(unknown, "nobody reads this");
		for (final Class<? extends org.scijava.command.Command> c : java.util.List.of(VolumeInfoCommand.class, OpenVolumeCommand.class)) {
			final CommandFailure e = assertThrows(CommandFailure.class, () -> runner.run(c, Map.of("input", unknown.toFile())));
			assertTrue(e.getMessage().contains("scan.xyz") && e.getMessage().contains("unsupported format"), e.getMessage());
		}
		final CommandFailure e = assertThrows(CommandFailure.class,
				() -> runner.run(ConvertVolumeCommand.class, Map.of("input", unknown.toFile(), "output", new File(tmp.toFile(), "x.nii.gz"))));
		assertTrue(e.getMessage().contains("unsupported format"), e.getMessage());
		assertFalse(Files.exists(tmp.resolve("x.nii.gz")));
	}
}
