package org.progressionprobe.launcher;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Random;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.Stream;
import java.util.zip.ZipEntry;
import java.util.zip.ZipOutputStream;

import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;
import org.progressionprobe.features.model.TestNets;
import org.progressionprobe.io.VolumeIO;
import org.progressionprobe.volume.AffineTransform3D;
import org.progressionprobe.volume.Volume;

/**
 * Bad input, as users type and bring it, run through the launcher's entry point: each row is a
 * command, its arguments, the exit status (1 failure, 2 usage error) and the words the message must
 * contain (the file or key, and the problem). Every row also checks that the message is one line on
 * stderr and that nothing (no output, no temporary file) is left in the output folder or the working
 * folder. In the arguments, {@code '} stands for {@code "}, {@code {dir}} for the folder of the
 * input files made here and {@code {out}} for an empty output folder of the row's own.
 */
class BadInputCatalogueTest {

	/** One row of the catalogue. */
	record Row(String command, String arguments, int status, List<String> words) {
		@Override
		public String toString() {
			return command + " " + arguments;
		}
	}

	private static Row row(final String command, final String arguments, final int status, final String... words) {
		return new Row(command, arguments, status, List.of(words));
	}

	static Stream<Row> catalogue() {
		return Stream.of(
				// numbers that are not numbers, out of range or below the minimum; lists of numbers; booleans; choices
				row("Convert Volume", "input='{dir}/scan.nii.gz',output='{out}/o.nii.gz',index='abc'", 2, "index", "'abc'"),
				row("Convert Volume", "input='{dir}/scan.nii.gz',output='{out}/o.nii.gz',compress='yes'", 2, "compress", "'yes'"),
				row("Crop To ROI", "input='{dir}/scan.nii.gz',output='{out}/c.nii.gz',margin_mm='ten',box_min_mm='-5,-5,-5',box_max_mm='5,5,5'", 2, "margin_mm", "'ten'"),
				row("Crop To ROI", "input='{dir}/scan.nii.gz',output='{out}/c.nii.gz',box_min_mm='-5,-5,x',box_max_mm='5,5,5'", 2, "box_min_mm", "'x'"),
				row("Crop To ROI", "input='{dir}/scan.nii.gz',output='{out}/c.nii.gz',box_min_mm='-5,-5',box_max_mm='5,5,5'", 2, "box_min_mm", "3 numbers", "'-5,-5'"),
				row("Train Probe", "features='{dir}/features.csv',output_dir='{out}',folds='abc'", 2, "folds", "'abc'"),
				row("Train Probe", "features='{dir}/features.csv',output_dir='{out}',folds=99999999999", 2, "folds", "'99999999999'"),
				row("Train Probe", "features='{dir}/features.csv',output_dir='{out}',folds=2.5", 2, "folds", "'2.5'"),
				row("Train Probe", "features='{dir}/features.csv',output_dir='{out}',folds=1", 2, "folds", "at least 2"),
				row("Train Probe", "features='{dir}/features.csv',output_dir='{out}',c='strong'", 2, "c:", "'strong'"),
				row("Train Probe", "features='{dir}/features.csv',output_dir='{out}',c='-1'", 2, "c:", "positive", "'-1'"),
				row("Train Probe", "features='{dir}/features.csv',output_dir='{out}',grid_cells='4,4'", 2, "grid_cells", "'4,4'"),
				row("Change Features", "baseline='{dir}/scan.nii.gz',followup='{dir}/followup.nii.gz',output='{out}/f.csv',iterations='60,abc,20'", 2, "iterations", "'abc'"),
				row("Change Features", "baseline='{dir}/scan.nii.gz',followup='{dir}/followup.nii.gz',output='{out}/f.csv',percentiles='5,fifty'", 2, "percentiles", "'fifty'"),
				row("Evaluate Predictions", "predictions='{dir}/predictions.csv',output_dir='{out}',threshold='half'", 2, "threshold", "'half'"),
				row("Align Pair", "fixed='{dir}/scan.nii.gz',moving='{dir}/followup.nii.gz',output_dir='{out}',metric='mutual'", 2, "metric must be ncc or mi", "'mutual'"),
				// empty paths and keys given twice
				row("Train Probe", "features='{dir}/features.csv',output_dir=''", 2, "output_dir", "empty"),
				row("Evaluate Predictions", "predictions='{dir}/predictions.csv',output_dir='  '", 2, "output_dir", "empty"),
				row("Volume Info", "input=''", 2, "input", "empty"),
				row("Volume Info", "input='{dir}/scan.nii.gz',input='{dir}/followup.nii.gz'", 2, "'input'", "twice"),
				row("Volume Info", "inptu='{dir}/scan.nii.gz'", 2, "unknown parameter 'inptu'"),
				// CSV inputs: byte order mark, a text cell in a numeric column, conflicting labels, probabilities outside [0, 1]
				row("Train Probe", "features='{dir}/bom_text_cell.csv',output_dir='{out}'", 1, "bom_text_cell.csv", "column f2", "'oops' (row 3, subject s3)"),
				row("Train Probe", "features='{dir}/conflicting.csv',output_dir='{out}'", 1, "conflicting.csv", "subject s1 has conflicting labels"),
				row("Evaluate Predictions", "predictions='{dir}/outside.csv',output_dir='{out}'", 1, "outside.csv", "row 3", "'1.7'", "from 0 to 1"),
				row("Apply Probe", "probe='{dir}/probe/probe.tribuo',features='{dir}/bom_text_cell.csv',output='{out}/p.csv'", 1, "bom_text_cell.csv", "column f2", "'oops'"),
				row("Apply Probe", "probe='{dir}/probe/probe.tribuo',features='{dir}/single.csv',output='{out}/p.csv'", 1, "single.csv", "missing", "f2"),
				// bad files already refused elsewhere, through the launcher
				row("Volume Info", "input='{dir}/missing.nii.gz'", 1, "missing.nii.gz", "file not found"),
				row("Convert Volume", "input='{dir}/truncated.nii.gz',output='{out}/o.nii.gz'", 1, "truncated.nii.gz", "truncated"),
				row("Convert Volume", "input='{dir}/corrupt.nii.gz',output='{out}/o.nii.gz'", 1, "corrupt.nii.gz"),
				row("Cohort Features", "cohort='{dir}/cohort_missing_scan.csv',output='{out}/features.csv'", 1, "cohort_missing_scan.csv", "missing.nii.gz", "not found"),
				row("Cohort Features", "cohort='{dir}/cohort_bom.csv',output='{out}/features.csv'", 1, "cohort_bom.csv", "missing.nii.gz", "not found"),
				row("Train Probe", "features='{dir}/single.csv',output_dir='{out}'", 1, "single.csv", "a single class"),
				row("Change Features", "baseline='{dir}/nan.nii.gz',followup='{dir}/followup.nii.gz',output='{out}/f.csv'", 1, "nan.nii.gz", "non-finite"),
				// files named by other files, output folders that are files
				row("Volume Info", "input='{dir}/mhd/outside.mhd'", 1, "outside.mhd", "ElementDataFile", "outside the header's folder"),
				row("Train Probe", "features='{dir}/features.csv',output_dir='{dir}/features.csv'", 1, "features.csv", "is an existing file, not a folder"),
				// labels and label names
				row("Change Features", "baseline='{dir}/scan.nii.gz',followup='{dir}/followup.nii.gz',output='{out}/f.csv',labels='{dir}/zero_labels.nii.gz'", 1, "zero_labels.nii.gz", "all 0"),
				row("Change Features", "baseline='{dir}/scan.nii.gz',followup='{dir}/followup.nii.gz',output='{out}/f.csv',labels='{dir}/labels.nii.gz',label_names='{dir}/names_none.txt'", 1, "labels.nii.gz", "none of the 2 named labels occurs"),
				row("Change Features", "baseline='{dir}/scan.nii.gz',followup='{dir}/followup.nii.gz',output='{out}/f.csv',labels='{dir}/labels.nii.gz',label_names='{dir}/names_twice.txt'", 1, "names_twice.txt", "line 2 names label 1 again"),
				row("Change Features", "baseline='{dir}/scan.nii.gz',followup='{dir}/followup.nii.gz',output='{out}/f.csv',labels='{dir}/labels.nii.gz',label_names='{dir}/names_binary.txt'", 1, "names_binary.txt", "binary data"),
				row("Change Features", "baseline='{dir}/scan.nii.gz',followup='{dir}/followup.nii.gz',output='{out}/f.csv',labels='{dir}/labels.nii.gz',label_names='{dir}/names_missing.txt'", 1, "names_missing.txt", "label names file not found"),
				row("Crop To ROI", "input='{dir}/scan.nii.gz',output='{out}/c.nii.gz',labels='{dir}/labels.nii.gz',label_names='{dir}/names.txt',roi_labels='Hippo('", 1, "roi_labels", "'Hippo('", "not a valid regular expression"),
				// a follow-up far from its baseline is named as the follow-up
				row("Change Features", "baseline='{dir}/scan.nii.gz',followup='{dir}/far.nii.gz',output='{out}/f.csv'", 1, "far.nii.gz does not overlap the baseline", "scan.nii.gz"),
				row("Model Features", "baseline='{dir}/scan.nii.gz',followup='{dir}/far.nii.gz',model='builtin-registration',output='{out}/f.csv'", 1, "far.nii.gz does not overlap the baseline", "scan.nii.gz"),
				row("Model Features", "baseline='{dir}/nan.nii.gz',followup='{dir}/followup.nii.gz',model='builtin-registration',output='{out}/f.csv'", 1, "nan.nii.gz", "non-finite"),
				// model packages
				row("Model Features", "baseline='{dir}/scan.nii.gz',followup='{dir}/followup.nii.gz',model='{dir}/linked.zip',cache_dir='{dir}/cache',output='{out}/f.csv'", 1, "linked.zip", "'pkg/weights'", "symbolic link"),
				row("Model Features", "baseline='{dir}/scan.nii.gz',followup='{dir}/followup.nii.gz',model='{dir}/unfit',output='{out}/f.csv'", 1, "unfit", "input_size [16, 32, 32] does not fit", "size 32"),
				// DICOM transfer syntaxes not decoded are named with a way out
				row("Volume Info", "input='{dir}/jpegls.dcm'", 1, "jpegls.dcm", "JPEG-LS", "1.2.840.10008.1.2.4.80", "dcm2niix"));
	}

	private static Path dir;
	private static final AtomicInteger rowNumber = new AtomicInteger();

	@BeforeAll
	static void makeInputs(@org.junit.jupiter.api.io.TempDir final Path tmp) throws IOException {
		dir = tmp;
		final Volume scan = blob(1, 0);
		VolumeIO.write(scan, dir.resolve("scan.nii.gz"));
		VolumeIO.write(blob(2, 0), dir.resolve("followup.nii.gz"));
		VolumeIO.write(blob(3, 40), dir.resolve("nan.nii.gz"));
		final byte[] good = Files.readAllBytes(dir.resolve("scan.nii.gz"));
		Files.write(dir.resolve("truncated.nii.gz"), Arrays.copyOf(good, good.length / 2));
		final byte[] noise = new byte[4096];
		new Random(7).nextBytes(noise);
		Files.write(dir.resolve("corrupt.nii.gz"), noise);

		VolumeIO.write(far(blob(2, 0)), dir.resolve("far.nii.gz"));
		VolumeIO.write(scan.zerosLike(), dir.resolve("zero_labels.nii.gz"));
		final Volume labels = scan.zerosLike();
		for (int i = 0; i < labels.voxelCount(); i++)
			labels.data()[i] = scan.data()[i] > 50 ? 1 : 0;
		VolumeIO.write(labels, dir.resolve("labels.nii.gz"));
		Files.writeString(dir.resolve("names.txt"), "1 Hippocampus_L\n");
		Files.writeString(dir.resolve("names_none.txt"), "7 Amygdala_L\n8 Amygdala_R\n");
		Files.writeString(dir.resolve("names_twice.txt"), "1 Hippocampus_L\n1 Hippocampus_R\n");
		Files.write(dir.resolve("names_binary.txt"), new byte[] { 1, 0, (byte) 0xff, (byte) 0xfe, 0, 7, (byte) 0x80, 0 });
		Files.createDirectories(dir.resolve("mhd"));
		Files.write(dir.resolve("outside.raw"), new byte[8]);
		Files.writeString(dir.resolve("mhd/outside.mhd"), "ObjectType = Image\nNDims = 3\nDimSize = 2 2 2\nElementType = MET_UCHAR\nElementDataFile = ../outside.raw\n");
		try (InputStream in = BadInputCatalogueTest.class.getResourceAsStream("/org/progressionprobe/io/dicom/jpegls/0.dcm")) {
			Files.copy(in, dir.resolve("jpegls.dcm"));
		}
		final Path zip = dir.resolve("linked.zip");
		try (ZipOutputStream z = new ZipOutputStream(Files.newOutputStream(zip))) {
			z.putNextEntry(new ZipEntry("pkg/rdf.yaml"));
			z.write("format_version: 0.5.3\ntype: model\n".getBytes(StandardCharsets.UTF_8));
			z.putNextEntry(new ZipEntry("pkg/weights"));
			z.write("/etc".getBytes(StandardCharsets.UTF_8));
			z.closeEntry();
		}
		TestNets.markAsLink(zip, "pkg/weights");
		TestNets.writePackage(dir.resolve("unfit"), "pairnet", List.of(), "", "    feature_layers: [enc1]\n    pair_mode: pair\n    input_size: [16, 32, 32]\n");

		final StringBuilder features = new StringBuilder("subject,label,f1,f2\n");
		final Random rnd = new Random(3);
		for (int i = 1; i <= 12; i++)
			features.append("s").append(i).append(',').append(i % 2).append(',').append(i % 2 + rnd.nextGaussian()).append(',').append(rnd.nextGaussian()).append('\n');
		Files.writeString(dir.resolve("features.csv"), features);
		Files.writeString(dir.resolve("bom_text_cell.csv"), "\ufeff" + features.toString().replaceFirst("(?m)^(s3,1,[^,]+),[^\\n]+$", "$1,oops"));
		Files.writeString(dir.resolve("conflicting.csv"), features + "s1,0,0.5,0.5\n");
		Files.writeString(dir.resolve("single.csv"), "subject,label,f1\ns1,1,0.5\ns2,1,0.7\ns3,1,0.2\ns4,1,0.9\n");
		Files.writeString(dir.resolve("predictions.csv"), "subject,label,probability\ns1,0,0.2\ns2,1,0.8\ns3,1,0.6\ns4,0,0.4\n");
		Files.writeString(dir.resolve("outside.csv"), "subject,label,probability\ns1,0,0.2\ns2,1,0.8\ns3,1,1.7\ns4,0,0.4\n");
		final String cohort = "subject,baseline,followup,label\ns1,scan.nii.gz,followup.nii.gz,0\ns2,scan.nii.gz,missing.nii.gz,1\n";
		Files.writeString(dir.resolve("cohort_missing_scan.csv"), cohort);
		Files.writeString(dir.resolve("cohort_bom.csv"), "\ufeff" + cohort);

		final ByteArrayOutputStream sink = new ByteArrayOutputStream();
		final PrintStream p = new PrintStream(sink, true, StandardCharsets.UTF_8);
		assertEquals(0, new Launcher(p, p).run(new String[] { "--run", "Train Probe",
				"features=\"" + dir.resolve("features.csv") + "\",output_dir=\"" + dir.resolve("probe") + "\",folds=2,bootstrap=0,c=\"1\"" }), sink::toString);
	}

	/** The volume moved 1 m to the right. */
	private static Volume far(final Volume v) {
		return Volume.wrap(v.data(), v.nx(), v.ny(), v.nz(), AffineTransform3D.of(2, 0, 0, 976, 0, 2, 0, -24, 0, 0, 2, -24));
	}

	/** A bright ball on noise, 24 voxels a side at 2 mm; {@code nans} voxels NaN. */
	private static Volume blob(final long seed, final int nans) {
		final Volume v = Volume.zeros(24, 24, 24, AffineTransform3D.of(2, 0, 0, -24, 0, 2, 0, -24, 0, 0, 2, -24));
		final Random rnd = new Random(seed);
		final float[] d = v.data();
		for (int z = 0, i = 0; z < 24; z++)
			for (int y = 0; y < 24; y++)
				for (int x = 0; x < 24; x++, i++)
					d[i] = ((x - 12) * (x - 12) + (y - 12) * (y - 12) + (z - 12) * (z - 12) < 49 ? 100 : 10) + rnd.nextFloat();
		for (int k = 0; k < nans; k++)
			d[rnd.nextInt(d.length)] = Float.NaN;
		return v;
	}

	@ParameterizedTest(name = "{0}")
	@MethodSource("catalogue")
	void refusesWithOneLineNamingTheFileOrKeyAndTheProblemAndLeavesNothing(final Row row) throws IOException {
		final Path out = dir.resolve("out" + rowNumber.incrementAndGet());
		Files.createDirectories(out);
		final List<String> workingFolderBefore = listing(Path.of(""));
		final String arguments = row.arguments().replace("'", "\"").replace("{dir}", dir.toString()).replace("{out}", out.toString());
		final ByteArrayOutputStream stdout = new ByteArrayOutputStream(), stderr = new ByteArrayOutputStream();
		final int status = new Launcher(new PrintStream(stdout, true, StandardCharsets.UTF_8), new PrintStream(stderr, true, StandardCharsets.UTF_8))
				.run(new String[] { "--run", row.command(), arguments });
		final String err = stderr.toString(StandardCharsets.UTF_8);
		final String context = row + "\nstderr: " + err + "stdout: " + stdout.toString(StandardCharsets.UTF_8);
		assertEquals(row.status(), status, context);
		assertEquals(1, err.lines().count(), "one line on stderr: " + context);
		for (final String word : row.words())
			assertTrue(err.contains(word.replace("{dir}", dir.toString())), "the message should contain '" + word + "': " + context);
		assertEquals(List.of(), listing(out), "left in the output folder: " + context);
		assertEquals(workingFolderBefore, listing(Path.of("")), "the working folder changed: " + context);
	}

	private static List<String> listing(final Path folder) throws IOException {
		final List<String> names = new ArrayList<>();
		try (Stream<Path> s = Files.list(folder.toAbsolutePath())) {
			s.forEach(p -> names.add(p.getFileName().toString()));
		}
		names.sort(null);
		return names;
	}
}
