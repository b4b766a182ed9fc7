package org.progressionprobe.spark;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.Stream;

import org.apache.spark.TaskContext;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.progressionprobe.align.PairPreparation.Alignment;
import org.progressionprobe.align.TransformCache;
import org.progressionprobe.command.Progress;
import org.progressionprobe.features.model.TestNets;
import org.progressionprobe.pipeline.FeatureBatch;
import org.progressionprobe.study.FeatureTableBuilder;
import org.progressionprobe.study.Study;
import org.progressionprobe.study.StudySetting;
import org.progressionprobe.table.Cohort;
import org.progressionprobe.table.Csv;
import org.progressionprobe.table.FeatureTable;
import org.progressionprobe.testing.BallCohort;

/**
 * The Spark form of Cohort Features against the single-machine one, on a 10-subject phantom
 * cohort and {@code local[2]} (each task may fail once, as on a cluster): the same CSV text, the
 * same values in Parquet, failed pairs recorded and retried alone, a dead task retried without
 * duplicate rows, one model load per partition.
 */
class SparkFeatureBatchTest {

	@TempDir
	static Path dir;
	static SparkSession spark;
	static Path cohortFile;
	static Cohort cohort;
	/** Change features of the cohort, computed by FeatureBatch. */
	static Path reference;

	static final StudySetting CHANGE = new StudySetting(Alignment.NONE, List.of(), 10, StudySetting.CHANGE, null, Map.of());

	@BeforeAll
	static void start() throws IOException {
		cohortFile = BallCohort.write(Files.createDirectories(dir.resolve("cohort")), 10, 3);
		cohort = Cohort.readLabelled(cohortFile);
		spark = SparkSession.builder().master("local[2,2]").appName("SparkFeatureBatchTest").config("spark.ui.enabled", "false")
				.config("spark.sql.shuffle.partitions", "2").config("spark.driver.host", "127.0.0.1").config("spark.driver.bindAddress", "127.0.0.1")
				.getOrCreate();
		reference = dir.resolve("reference.csv");
		assertTrue(FeatureTableBuilder.local(Progress.NONE).build(CHANGE, cohort, reference).complete());
	}

	@AfterAll
	static void stop() {
		if (spark != null)
			spark.stop();
	}

	@AfterEach
	void noFaults() {
		FeaturePartition.beforeEachPair = t -> {};
	}

	@Test
	void theEntryPointWritesTheSingleMachineTableAndParquet() throws IOException {
		final Path out = dir.resolve("entry/features.csv");
		final ByteArrayOutputStream text = new ByteArrayOutputStream();
		final int code = SparkCohortFeatures.run(new String[] { "--cohort", cohortFile.toString(), "--output", out.toString(), "--partitions=3" },
				new PrintStream(text, true, StandardCharsets.UTF_8), System.err);
		assertEquals(0, code, text.toString(StandardCharsets.UTF_8));
		assertTrue(text.toString(StandardCharsets.UTF_8).contains("10 computed, 0 reused, 0 failed; 3 partitions, 3 extractor loads"),
				text.toString(StandardCharsets.UTF_8));
		assertEquals(Files.readAllLines(reference), Files.readAllLines(out), "the CSV, provenance and rows, as FeatureBatch writes it");
		assertFalse(Files.exists(out.resolveSibling("features.csv.partial")));

		final FeatureTable csv = FeatureTable.read(out);
		final Dataset<Row> parquet = spark.read().parquet(out.resolveSibling("features.parquet").toString());
		assertEquals(csv.columns(), List.of(parquet.columns()));
		final List<Row> rows = parquet.collectAsList();
		assertEquals(10, rows.size());
		for (int r = 0; r < rows.size(); r++) {
			assertEquals(csv.text(r, "subject"), rows.get(r).getString(0));
			assertEquals(Integer.parseInt(csv.text(r, "label")), rows.get(r).getInt(1));
			for (int c = 2; c < csv.columns().size(); c++)
				assertEquals(Csv.parseNumber(csv.text(r, csv.columns().get(c))), rows.get(r).getDouble(c), 0.0, csv.columns().get(c));
		}
		final String prov = parquet.schema().apply("subject").metadata().getString(SparkFeatureBatch.PROVENANCE_METADATA);
		assertTrue(prov.contains("cohort: " + cohortFile.toAbsolutePath()) && prov.contains("features.features: change"), prov);
	}

	@Test
	void aCorruptScanIsRecordedAndTheRerunComputesOnlyIt() throws IOException {
		final Path out = dir.resolve("corrupt/features.csv");
		final Path scan = cohort.pairs().get(3).followup();
		final byte[] good = Files.readAllBytes(scan);
		final SparkFeatureBatch batch = new SparkFeatureBatch(spark, SparkFeatureBatch.Options.defaults(), Progress.NONE);
		try {
			Files.write(scan, new byte[] { 31, (byte) 139, 8, 0, 1, 2, 3 });
			final FeatureBatch.Result first = batch.build(CHANGE, cohort, out);
			assertEquals(List.of("s3"), List.copyOf(first.failures().keySet()));
			assertEquals(9, first.computed());
			assertFalse(Files.exists(out), "no output while a subject is missing");
			assertFalse(Files.exists(SparkFeatureBatch.parquetPath(out)));
			final List<String> errors = Files.readAllLines(out.resolveSibling("features.csv.errors.csv"));
			assertEquals("subject,error", errors.get(0));
			assertTrue(errors.get(1).startsWith("s3,") && errors.get(1).contains(scan.getFileName().toString()), errors.toString());
		} finally {
			Files.write(scan, good);
		}
		final FeatureBatch.Result second = batch.build(CHANGE, cohort, out);
		assertTrue(second.complete());
		assertEquals(1, second.computed());
		assertEquals(9, second.reused());
		assertEquals(1, batch.lastReport().loads(), "one partition for the one missing pair");
		assertEquals(Files.readAllLines(reference), Files.readAllLines(out));
		assertFalse(Files.exists(out.resolveSibling("features.csv.errors.csv")));
	}

	@Test
	void aTaskThatDiesIsRetriedWithoutDuplicateRows() throws IOException {
		final AtomicInteger killed = new AtomicInteger();
		FeaturePartition.beforeEachPair = t -> {
			if (t.subject().equals("s6") && TaskContext.get().attemptNumber() == 0) {
				killed.incrementAndGet();
				throw new IllegalStateException("executor lost (test)");
			}
		};
		final Path out = dir.resolve("retry/features.csv");
		final SparkFeatureBatch batch = new SparkFeatureBatch(spark, SparkFeatureBatch.Options.defaults().withPartitions(2).withParquet(false),
				Progress.NONE);
		final FeatureBatch.Result r = batch.build(CHANGE, cohort, out);
		assertEquals(1, killed.get());
		assertTrue(r.complete(), r.failures().toString());
		assertEquals(10, r.computed());
		assertEquals(2, batch.lastReport().loads(), "the failed attempt's load is not counted by Spark");
		assertEquals(Files.readAllLines(reference), Files.readAllLines(out));
	}

	@Test
	void aModelIsLoadedOncePerPartitionAndGivesTheSingleMachineNumbers() throws IOException {
		final Path model = TestNets.pairnet(dir.resolve("pairnet"), "onnx").toAbsolutePath();
		final StudySetting setting = new StudySetting(Alignment.NONE, List.of(), 10, model.toString(), null,
				Map.of("layers", "", "pooling", "gap", "combine", "diff", "device", "cpu"));
		final Path local = dir.resolve("model/local.csv"), out = dir.resolve("model/spark.csv");
		assertTrue(FeatureTableBuilder.local(Progress.NONE).build(setting, cohort, local).complete());
		final SparkFeatureBatch batch = new SparkFeatureBatch(spark, SparkFeatureBatch.Options.defaults().withPartitions(3).withParquet(false),
				Progress.NONE);
		final FeatureBatch.Result r = batch.build(setting, cohort, out);
		assertTrue(r.complete(), r.failures().toString());
		assertEquals(10, r.computed());
		assertEquals(3, batch.lastReport().partitions());
		assertEquals(3, batch.lastReport().loads(), "one model load per partition, not per pair");
		assertEquals(Files.readAllLines(local), Files.readAllLines(out));
		assertTrue(FeatureTable.read(out).provenance().get("features.engine").toLowerCase().contains("onnx"));

		final SparkFeatureBatch again = new SparkFeatureBatch(spark, SparkFeatureBatch.Options.defaults().withParquet(false), Progress.NONE);
		assertEquals(10, again.build(setting, cohort, out).reused());
		assertEquals(1, again.lastReport().loads(), "nothing missing: one load to check the settings");
	}

	@Test
	void rowsOfOtherSettingsAreRefused() throws IOException {
		final Path out = dir.resolve("other/features.csv");
		Files.createDirectories(out.getParent());
		Files.copy(reference, out);
		final StudySetting pair = new StudySetting(Alignment.PAIR, List.of(), 10, StudySetting.CHANGE, null, Map.of());
		final IOException e = org.junit.jupiter.api.Assertions.assertThrows(IOException.class,
				() -> new SparkFeatureBatch(spark, SparkFeatureBatch.Options.defaults(), Progress.NONE).build(pair, cohort, out));
		assertTrue(e.getMessage().contains("computed with other settings"), e.getMessage());
	}

	@Test
	void aStudyWhoseScansHoldNaNEndsWithExitStatus1AndTheScansAreNamed() throws IOException {
		final Path cohortDir = Files.createDirectories(dir.resolve("nan-cohort"));
		final Path nanCohort = BallCohort.write(cohortDir, 4, 13);
		for (int i = 0; i < 4; i++) {
			final Path scan = cohortDir.resolve("s" + i + "_f.nii.gz");
			final org.progressionprobe.volume.Volume v = org.progressionprobe.io.VolumeIO.read(scan);
			v.set(2, 2, 2, Float.POSITIVE_INFINITY);
			org.progressionprobe.io.VolumeIO.write(v, scan);
		}
		final Path out = dir.resolve("nan-study");
		final ByteArrayOutputStream text = new ByteArrayOutputStream(), errors = new ByteArrayOutputStream();
		final int code = SparkStudy.run(new String[] { "--cohort", nanCohort.toString(), "--output_dir", out.toString(), "--alignments", "none",
				"--folds", "2", "--bootstrap", "10" }, new PrintStream(text, true, StandardCharsets.UTF_8), new PrintStream(errors, true, StandardCharsets.UTF_8));
		final String err = errors.toString(StandardCharsets.UTF_8);
		assertEquals(1, code, text.toString(StandardCharsets.UTF_8) + err);
		assertTrue(err.contains("no setting succeeded: 1 of 1 settings failed: none_change (4 subject(s) failed"), err);
		final String failures = Files.readString(out.resolve(Study.FEATURES_DIR).resolve("none_change.csv.errors.csv"));
		for (int i = 0; i < 4; i++)
			assertTrue(failures.contains("s" + i + ": the follow-up scan " + cohortDir.resolve("s" + i + "_f.nii.gz").toAbsolutePath()), failures);
	}

	@Test
	void theStudyComputesItsFeatureTablesOnSpark() throws IOException {
		final Path out = dir.resolve("study");
		final ByteArrayOutputStream text = new ByteArrayOutputStream();
		final int code = SparkStudy.run(new String[] { "--cohort", cohortFile.toString(), "--output_dir", out.toString(), "--alignments", "none,pair",
				"--folds", "3", "--bootstrap", "50", "--c", "1" }, new PrintStream(text, true, StandardCharsets.UTF_8), System.err);
		assertEquals(0, code, text.toString(StandardCharsets.UTF_8));
		assertEquals(Files.readAllLines(reference), Files.readAllLines(out.resolve(Study.FEATURES_DIR).resolve("none_change.csv")));
		assertTrue(Files.isDirectory(out.resolve(Study.FEATURES_DIR).resolve("none_change.parquet")));
		final FeatureTable comparison = FeatureTable.read(out.resolve(Study.COMPARISON_CSV));
		assertEquals(2, comparison.rowCount());
		for (int r = 0; r < 2; r++) {
			assertEquals("", comparison.text(r, "error"));
			assertEquals(10, comparison.number(r, "subjects"));
		}
		final Path transforms = out.resolve(Study.TRANSFORMS_DIR);
		try (Stream<Path> files = Files.list(transforms)) {
			assertEquals(10, files.count(), "the executors kept one pair registration per subject in the study's transforms/");
		}
		final Path pairReference = dir.resolve("pair-reference.csv");
		final StudySetting pair = new StudySetting(Alignment.PAIR, List.of(), 10, StudySetting.CHANGE, null, Map.of());
		assertTrue(FeatureTableBuilder.local(new TransformCache(dir.resolve("local-transforms")), Progress.NONE).build(pair, cohort, pairReference)
				.complete());
		assertEquals(Files.readAllLines(pairReference), Files.readAllLines(out.resolve(Study.FEATURES_DIR).resolve("pair_change.csv")),
				"pair-aligned features on Spark equal the single machine's");
	}

	@Test
	void theEntryPointExplainsItself() throws IOException {
		assertEquals(0, runEntry("--help").code);
		final String help = runEntry("--help").out;
		assertTrue(help.contains("--cohort FILE"), help);
		assertTrue(help.contains("(default Hippocampus.*,Amygdala.*)") && help.contains("crop margin in mm (default 10.0)"), help);
		assertTrue(help.contains("model feature pooling (default gap)") && help.contains("single-scan models (default diff)")
				&& help.contains("pre-registration of the follow-up (default affine)") && help.contains("(default grid; atlas:"), help);
		final Run missing = runEntry("--cohort", dir.resolve("nope.csv").toString(), "--output", dir.resolve("x.csv").toString());
		assertEquals(1, missing.code);
		assertTrue(missing.err.contains("nope.csv") && missing.err.contains("file not found"), missing.err);
		final Run alignment = runEntry("--cohort", cohortFile.toString(), "--output", dir.resolve("x.csv").toString(), "--alignment", "sideways");
		assertEquals(1, alignment.code);
		assertTrue(alignment.err.contains("Unknown alignment 'sideways'"), alignment.err);
		final Run model = runEntry("--cohort", cohortFile.toString(), "--output", dir.resolve("x.csv").toString(), "--extractor", "/no/such/model");
		assertEquals(1, model.code);
		assertTrue(model.err.contains("/no/such/model not found"), model.err);
		final Run unknown = runEntry("--cohort", cohortFile.toString(), "--outptu", dir.resolve("x.csv").toString());
		assertEquals(1, unknown.code);
		assertTrue(unknown.err.contains("Unknown option --outptu"), unknown.err);
		final Run atlas = runEntry("--cohort", cohortFile.toString(), "--output", dir.resolve("x.csv").toString(), "--roi", "on");
		assertEquals(1, atlas.code);
		assertTrue(atlas.err.contains("roi=on") && atlas.err.contains("need --atlas"), atlas.err);
		final Run margin = runEntry("--cohort", cohortFile.toString(), "--output", dir.resolve("x.csv").toString(), "--margin_mm", "5d");
		assertEquals(1, margin.code);
		assertTrue(margin.err.contains("--margin_mm") && margin.err.contains("'5d'") && margin.err.contains("a number"), margin.err);
		final Run partitions = runEntry("--cohort", cohortFile.toString(), "--output", dir.resolve("x.csv").toString(), "--partitions", "2.5");
		assertEquals(1, partitions.code);
		assertTrue(partitions.err.contains("--partitions") && partitions.err.contains("'2.5'") && partitions.err.contains("whole number"), partitions.err);
		assertFalse(Files.exists(dir.resolve("x.csv")));
	}

	@Test
	void settingsTravelAsTextAndComeBackEqual() {
		final StudySetting s = new StudySetting(Alignment.ATLAS, List.of("Hippocampus.*", "Amyg{1,2}dala_L"), 7.5, "/models/x.zip",
				new org.progressionprobe.align.AtlasSource(Path.of("/a/t.nii.gz"), Path.of("/a/l.nii.gz"), Path.of("/a/n.txt")),
				Map.of("layers", "enc1,enc2", "pooling", "gap,grid", "device", "gpu"));
		assertEquals(s, SettingText.parse(SettingText.format(s)));
		assertEquals(CHANGE, SettingText.parse(SettingText.format(CHANGE)));
	}

	record Run(int code, String out, String err) {}

	private static Run runEntry(final String... args) {
		final ByteArrayOutputStream out = new ByteArrayOutputStream(), err = new ByteArrayOutputStream();
		final int code = SparkCohortFeatures.run(args, new PrintStream(out, true, StandardCharsets.UTF_8), new PrintStream(err, true, StandardCharsets.UTF_8));
		return new Run(code, out.toString(StandardCharsets.UTF_8), err.toString(StandardCharsets.UTF_8));
	}
}
