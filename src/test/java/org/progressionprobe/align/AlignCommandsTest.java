package org.progressionprobe.align;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.progressionprobe.command.CommandFailure;
import org.progressionprobe.io.VolumeIO;
import org.progressionprobe.launcher.CommandRunner;
import org.progressionprobe.volume.Grid;
import org.progressionprobe.volume.Volume;
import org.scijava.Context;

/** The align commands run headless through the CommandRunner, as the launcher and Fiji's --run do. */
class AlignCommandsTest {

	static Context context;
	static CommandRunner runner;

	@TempDir
	static Path dir;
	static Path fixed, moving;

	@BeforeAll
	static void setUp() throws Exception {
		context = new Context();
		runner = new CommandRunner(context);
		fixed = dir.resolve("fixed.nii.gz");
		moving = dir.resolve("moving.nii.gz");
		VolumeIO.write(AffineRegistrationTest.phantom(new double[] { 2, 2, 2 }, 0, 0), fixed);
		VolumeIO.write(AffineRegistrationTest.phantom(new double[] { 2, 2, 2 }, 6, 4), moving);
	}

	@AfterAll
	static void tearDown() {
		context.dispose();
	}

	@Test
	void alignPairWritesTheAlignedImageTransformsAndReport() throws Exception {
		final Path out = dir.resolve("pair");
		final Map<String, Object> o = runner.run("Align Pair", "fixed=\"" + fixed + "\",moving=\"" + moving + "\",output_dir=\"" + out
				+ "\",transform_type=\"rigid\",metric=\"ncc\",levels=3,init=\"com\"");
		assertEquals(true, o.get("converged"));
		assertTrue((Double) o.get("similarity") > 0.99, o.toString());
		final Volume aligned = VolumeIO.read(out.resolve("aligned.nii.gz"));
		assertTrue(RoiAndPreparationTest.correlation(VolumeIO.read(fixed), aligned) > 0.99);
		final String json = Files.readString(out.resolve("registration.json"));
		assertTrue(json.contains("\"converged\": true") && json.contains("\"transform_type\": \"rigid\""), json);
		assertEquals("rigid", RegistrationSettings.fromJson(json).transformType().key());
		// the transform in both formats maps a point as the known motion (6 mm in z, 4 degrees, 2 mm in x)
		final double[] p = { 10, -5, 3 }, truth = new double[3];
		AffineRegistrationTest.phantomMotion(6, 4).apply(p, truth);
		for (final String f : new String[] { "transform.tfm", "TransformParameters.0.txt" }) {
			final double[] ours = new double[3];
			TransformFiles.read(out.resolve(f)).toAffine().apply(p, ours);
			assertArrayEquals(truth, ours, 0.2, f);
		}
	}

	@Test
	void applyTransformReproducesTheAlignedImageFromEitherFile() throws Exception {
		final Path out = dir.resolve("apply");
		runner.run(AlignPairCommand.class, Map.of("fixed", fixed.toString(), "moving", moving.toString(), "output_dir", out.toString(), "levels", 2));
		final float[] aligned = VolumeIO.read(out.resolve("aligned.nii.gz")).data();
		runner.run(ApplyTransformCommand.class, Map.of("input", moving.toString(), "reference", fixed.toString(), "transform",
				out.resolve("transform.tfm").toString(), "output", out.resolve("itk.nii.gz").toString()));
		assertArrayEquals(aligned, VolumeIO.read(out.resolve("itk.nii.gz")).data(), "ITK file, linear");
		runner.run(ApplyTransformCommand.class, Map.of("input", moving.toString(), "transform", out.resolve("TransformParameters.0.txt").toString(),
				"output", out.resolve("elastix.nii.gz").toString()));
		final Volume viaElastix = VolumeIO.read(out.resolve("elastix.nii.gz"));
		assertTrue(viaElastix.sameGrid(VolumeIO.read(fixed)), "the elastix file names the fixed grid");
		assertArrayEquals(aligned, viaElastix.data(), 1e-4f, "elastix file, no reference");
		// the inverse brings the aligned image back near the moving one
		runner.run(ApplyTransformCommand.class, Map.of("input", out.resolve("aligned.nii.gz").toString(), "reference", moving.toString(),
				"transform", out.resolve("transform.tfm").toString(), "output", out.resolve("back.nii.gz").toString(), "invert", true,
				"interpolation", "cubic"));
		assertTrue(RoiAndPreparationTest.correlation(VolumeIO.read(moving), VolumeIO.read(out.resolve("back.nii.gz"))) > 0.97);
	}

	@Test
	void alignToAtlasCarriesTheLabelsIntoTheScan() throws Exception {
		final Volume template = VolumeIO.read(fixed);
		final Volume labels = template.zerosLike();
		for (int i = 0; i < labels.data().length; i++)
			labels.data()[i] = template.data()[i] > 60 ? 2 : template.data()[i] > 20 ? 1 : 0;
		final Path labelFile = dir.resolve("atlas_labels.nii.gz"), names = dir.resolve("atlas_names.txt");
		VolumeIO.writeLabels(labels, labelFile);
		Files.writeString(names, "1 Rim 101\n2 Core 102\n");
		final Path out = dir.resolve("atlas");
		runner.run(AlignToAtlasCommand.class, Map.of("input", moving.toString(), "atlas", fixed.toString(), "atlas_labels", labelFile.toString(),
				"atlas_names", names.toString(), "output_dir", out.toString(), "levels", 2, "metric", "mi", "transform_type", "rigid"));
		final Volume carried = VolumeIO.read(out.resolve("labels_in_input.nii.gz"));
		final Volume scan = VolumeIO.read(moving);
		assertTrue(carried.sameGrid(scan));
		int agree = 0, n = 0;
		for (int i = 0; i < carried.data().length; i++) {
			final float expected = scan.data()[i] > 60 ? 2 : scan.data()[i] > 20 ? 1 : 0;
			if (expected != 0 || carried.data()[i] != 0) {
				n++;
				if (expected == carried.data()[i])
					agree++;
			}
		}
		assertTrue(agree > 0.9 * n, agree + " of " + n + " label voxels agree");
		assertEquals("1 Rim 101\n2 Core 102\n", Files.readString(out.resolve("labels_in_input.txt")));
		assertTrue(VolumeIO.read(out.resolve("aligned.nii.gz")).sameGrid(template), "aligned = the scan in atlas space");
	}

	@Test
	void withoutAnAtlasTheBuiltInPhantomAtlasIsUsed() throws Exception {
		final Path out = dir.resolve("to-phantom");
		runner.run(AlignToAtlasCommand.class, Map.of("input", "test-images/phantom_baseline.nii.gz", "output_dir", out.toString()));
		final Volume aligned = VolumeIO.read(out.resolve("aligned.nii.gz"));
		assertArrayEquals(new int[] { 90, 108, 90 }, aligned.size(), "the phantom atlas at 2 mm");
		assertTrue(Files.readString(out.resolve("labels_in_input.txt")).contains("Hippocampus_L"));
	}

	@Test
	void alignToAtlasRegistersAClippedScan() throws Exception {
		// a scan whose intensities saturate (a tenth of the head at the maximum) with the default metric, mutual information
		final Volume scan = VolumeIO.read(Path.of("test-images/phantom_baseline.nii.gz"));
		final float[] sorted = scan.data().clone();
		java.util.Arrays.sort(sorted);
		int head = 0;
		for (final float v : sorted)
			if (v > 0)
				head++;
		final Volume clipped = AffineRegistrationTest.clipped(scan, sorted[sorted.length - head / 10]);
		final Path input = dir.resolve("clipped.nii.gz"), out = dir.resolve("clipped-to-phantom");
		VolumeIO.write(clipped, input);
		final Map<String, Object> o = runner.run(AlignToAtlasCommand.class, Map.of("input", input.toString(), "output_dir", out.toString()));
		assertTrue((Double) o.get("similarity") > 0.3, o.toString());
		final Path unclipped = dir.resolve("unclipped-to-phantom");
		runner.run(AlignToAtlasCommand.class, Map.of("input", "test-images/phantom_baseline.nii.gz", "output_dir", unclipped.toString()));
		final double[] p = { 10, -20, 5 }, a = new double[3], b = new double[3];
		TransformFiles.read(out.resolve("transform.tfm")).toAffine().apply(p, a);
		TransformFiles.read(unclipped.resolve("transform.tfm")).toAffine().apply(p, b);
		assertArrayEquals(b, a, 1.0, "clipping moves the registration by less than a millimetre");
	}

	@Test
	void cropToRoiByLabelNameOrWorldBox() throws Exception {
		final Volume image = VolumeIO.read(fixed);
		final Volume labels = image.zerosLike();
		labels.set(20, 30, 25, 7);
		labels.set(24, 33, 27, 7);
		final Path labelFile = dir.resolve("roi_labels.nii.gz"), names = dir.resolve("roi_names.txt");
		VolumeIO.writeLabels(labels, labelFile);
		Files.writeString(names, "7 Hippocampus_L 4101\n");
		final Path out = dir.resolve("crop.nii.gz");
		runner.run(CropToRoiCommand.class, Map.of("input", fixed.toString(), "output", out.toString(), "labels", labelFile.toString(), "label_names",
				names.toString(), "roi_labels", "Hippocampus_.*", "margin_mm", 4.0));
		final Volume crop = VolumeIO.read(out);
		assertEquals(Grid.of(image).subGrid(new int[] { 18, 28, 23 }, new int[] { 9, 8, 7 }), Grid.of(crop), "box +- 2 voxels of 2 mm");
		assertEquals(image.get(20, 30, 25), crop.get(2, 2, 2));
		runner.run(CropToRoiCommand.class, Map.of("input", fixed.toString(), "output", out.toString(), "labels", labelFile.toString(), "label_names",
				names.toString(), "roi_labels", "Hippocampus_.*"));
		assertEquals(Grid.of(image).subGrid(new int[] { 15, 25, 20 }, new int[] { 15, 14, 13 }), Grid.of(VolumeIO.read(out)),
				"by default the study's margin, 10 mm: 5 voxels");
		// a world box in mm
		runner.run(CropToRoiCommand.class, Map.of("input", fixed.toString(), "output", out.toString(), "box_min_mm", "-10,-10,-10", "box_max_mm",
				"10,10,10"));
		assertArrayEquals(new int[] { 11, 11, 11 }, VolumeIO.read(out).size());
		final CommandFailure e = assertThrows(CommandFailure.class,
				() -> runner.run(CropToRoiCommand.class, Map.of("input", fixed.toString(), "output", out.toString())));
		assertTrue(e.getMessage().contains("Give either a label image"), e.getMessage());
		// bad choices: not a regular expression, labels absent (an all-0 label image), a region outside the image
		final String regex = assertThrows(CommandFailure.class, () -> runner.run(CropToRoiCommand.class, Map.of("input", fixed.toString(), "output",
				out.toString(), "labels", labelFile.toString(), "label_names", names.toString(), "roi_labels", "Hippo("))).getMessage();
		assertTrue(regex.startsWith("roi_labels: 'Hippo(' is not a valid regular expression"), regex);
		final Path zero = dir.resolve("zero_labels.nii.gz");
		VolumeIO.writeLabels(image.zerosLike(), zero);
		final String absent = assertThrows(CommandFailure.class, () -> runner.run(CropToRoiCommand.class, Map.of("input", fixed.toString(), "output",
				out.toString(), "labels", zero.toString(), "roi_labels", "7"))).getMessage();
		assertEquals(zero + ": None of the labels [7] occurs in the label image (the label image is all 0)", absent);
		final Path far = dir.resolve("far_labels.nii.gz");
		VolumeIO.writeLabels(Volume.wrap(labels.data(), labels.nx(), labels.ny(), labels.nz(), labels.voxelToWorld().translate(0, 1000, 0)), far);
		final String outside = assertThrows(CommandFailure.class, () -> runner.run(CropToRoiCommand.class, Map.of("input", fixed.toString(),
				"output", out.toString(), "labels", far.toString(), "roi_labels", "7"))).getMessage();
		assertTrue(outside.startsWith(fixed + ": The region of interest lies outside the image") && outside.contains(far.toString())
				&& outside.contains("the image spans x "), outside);
	}

	@Test
	void badInputIsReportedWithTheFileName() throws Exception {
		final Path missing = dir.resolve("no_such_scan.nii.gz");
		final CommandFailure e = assertThrows(CommandFailure.class, () -> runner.run(AlignPairCommand.class,
				Map.of("fixed", fixed.toString(), "moving", missing.toString(), "output_dir", dir.resolve("bad").toString())));
		assertTrue(e.getMessage().contains(missing.toString()) && e.getMessage().contains("file not found"), e.getMessage());
		assertTrue(!Files.exists(dir.resolve("bad").resolve("aligned.nii.gz")));
		final Path file = dir.resolve("a_file.txt");
		Files.writeString(file, "not a folder");
		final CommandFailure o = assertThrows(CommandFailure.class, () -> runner.run(AlignPairCommand.class,
				Map.of("fixed", fixed.toString(), "moving", moving.toString(), "output_dir", file.toString())));
		assertTrue(o.getMessage().contains(file.toString()) && o.getMessage().contains("is an existing file, not a folder"), o.getMessage());
		final RuntimeException u = assertThrows(RuntimeException.class, () -> runner.run(AlignPairCommand.class,
				Map.of("fixed", fixed.toString(), "moving", moving.toString(), "output_dir", dir.resolve("bad").toString(), "metric", "ssd")));
		assertTrue(u.getMessage().contains("metric"), u.getMessage());
	}
}
