package org.progressionprobe.spark;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import java.util.zip.ZipEntry;
import java.util.zip.ZipOutputStream;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.progressionprobe.align.PairPreparation.Alignment;
import org.progressionprobe.align.TransformCache;
import org.progressionprobe.command.Progress;
import org.progressionprobe.features.model.TestNets;
import org.progressionprobe.study.FeatureTableBuilder;
import org.progressionprobe.study.Study;
import org.progressionprobe.study.StudySetting;
import org.progressionprobe.table.Cohort;
import org.progressionprobe.table.FeatureTable;
import org.progressionprobe.testing.BallCohort;

/**
 * The Spark entry points on a standalone cluster of separate JVMs on this machine
 * ({@code scripts/spark/cluster.sh}: a master, two workers of 1 core each), submitted with the
 * plugin's jars as {@code --jars}: change features, a zipped ONNX model package unpacked by the
 * executors into a shared cache, and a two-setting study give the single-machine tables value for
 * value, with tasks on both workers; a worker killed with {@code kill -9} in the middle of a job
 * and a driver killed and resubmitted both end with the same table; the Spark home the daemons run
 * from holds a jar of every artifact the build's Spark depends on. Needs the packaged jars
 * (failsafe, after {@code package}).
 */
class SparkClusterIT {

	static final Path ROOT = Path.of("").toAbsolutePath();
	static final Path SCRIPT = ROOT.resolve("scripts/spark/cluster.sh");

	@TempDir
	static Path dir;
	static Path cluster, cohortFile, change, pairRef;
	static Cohort cohort;
	static Map<String, String> env;

	static final StudySetting CHANGE = new StudySetting(Alignment.NONE, List.of(), 10, StudySetting.CHANGE, null, Map.of());
	static final StudySetting PAIR = new StudySetting(Alignment.PAIR, List.of(), 10, StudySetting.CHANGE, null, Map.of());

	@BeforeAll
	static void start() throws Exception {
		cluster = dir.resolve("cluster");
		// the engines these jobs do not use stay home: each executor would fetch and copy their 270 MB of jars
		env = Map.of("SPARK_CLUSTER_DIR", cluster.toString(), "SPARK_MASTER_PORT", Integer.toString(freePort()), "SPARK_MASTER_WEBUI_PORT",
				Integer.toString(freePort()), "SPARK_WORKER_WEBUI_PORT", Integer.toString(freePort()), "SPARK_WORKER_MEMORY", "1g",
				"PROGRESSION_PROBE_CACHE", dir.resolve("driver-cache").toString(), "SPARK_JARS_EXCLUDE", "tensorflow|pytorch|javacpp|ndarray");
		final Run up = script("start");
		assertEquals(0, up.code, up.out);
		cohortFile = BallCohort.write(Files.createDirectories(dir.resolve("cohort")), 10, 5);
		cohort = Cohort.readLabelled(cohortFile);
		change = dir.resolve("change-reference.csv");
		assertTrue(FeatureTableBuilder.local(Progress.NONE).build(CHANGE, cohort, change).complete());
		pairRef = dir.resolve("pair-reference.csv");
		assertTrue(FeatureTableBuilder.local(new TransformCache(dir.resolve("local-transforms")), Progress.NONE).build(PAIR, cohort, pairRef)
				.complete());
	}

	@AfterAll
	static void stop() throws Exception {
		if (cluster != null)
			script("stop");
	}

	@Test
	void changeFeaturesAModelAndAStudyGiveTheSingleMachineTablesOnBothWorkers() throws Exception {
		final int[] before = { tasksRunIn(cluster.resolve("worker-1")), tasksRunIn(cluster.resolve("worker-2")) };
		final Path out = dir.resolve("change/features.csv");
		final Run r = submit("SparkCohortFeatures", "--cohort", cohortFile.toString(), "--output", out.toString(), "--partitions", "4");
		assertEquals(0, r.code, r.out);
		assertTrue(r.out.contains("10 computed, 0 reused, 0 failed; 4 partitions, 4 extractor loads"), r.out);
		assertEquals(Files.readAllLines(change), Files.readAllLines(out));

		final Path pkg = TestNets.pairnet(dir.resolve("pairnet"), "onnx");
		final Path zip = dir.resolve("pairnet.zip");
		try (ZipOutputStream z = new ZipOutputStream(Files.newOutputStream(zip))) {
			for (final String f : List.of("rdf.yaml", "pairnet.onnx")) {
				z.putNextEntry(new ZipEntry("pairnet/" + f));
				z.write(Files.readAllBytes(pkg.resolve(f)));
				z.closeEntry();
			}
		}
		final StudySetting net = new StudySetting(Alignment.NONE, List.of(), 10, zip.toString(), null,
				Map.of("layers", "", "pooling", "gap", "combine", "diff", "device", "cpu"));
		final Path netRef = dir.resolve("model/local.csv"), netOut = dir.resolve("model/spark.csv");
		assertTrue(FeatureTableBuilder.local(Progress.NONE).build(net, cohort, netRef).complete());
		final Path shared = dir.resolve("executor-cache");
		final Run m = submit("--conf", "spark.executorEnv.PROGRESSION_PROBE_CACHE=" + shared, "SparkCohortFeatures", "--cohort", cohortFile.toString(),
				"--output", netOut.toString(), "--extractor", zip.toString(), "--partitions", "4", "--parquet", "off");
		assertEquals(0, m.code, m.out);
		assertEquals(Files.readAllLines(netRef), Files.readAllLines(netOut), "ONNX features on the cluster equal the single machine's");
		assertTrue(FeatureTable.read(netOut).provenance().get("features.engine").toLowerCase().contains("onnx"));
		assertEquals(1, list(shared.resolve("models")).size(), "the executors unpacked the package once into the shared cache: "
				+ list(shared.resolve("models")));

		final Path study = dir.resolve("study");
		final Run s = submit("SparkStudy", "--cohort", cohortFile.toString(), "--output_dir", study.toString(), "--alignments", "none,pair", "--folds", "3",
				"--bootstrap", "50", "--c", "1", "--parquet", "off");
		assertEquals(0, s.code, s.out);
		assertEquals(Files.readAllLines(change), Files.readAllLines(study.resolve(Study.FEATURES_DIR).resolve("none_change.csv")));
		assertEquals(Files.readAllLines(pairRef), Files.readAllLines(study.resolve(Study.FEATURES_DIR).resolve("pair_change.csv")));
		final FeatureTable comparison = FeatureTable.read(study.resolve(Study.COMPARISON_CSV));
		assertEquals(2, comparison.rowCount());
		for (int i = 0; i < 2; i++)
			assertEquals("", comparison.text(i, "error"));

		for (int w = 0; w < 2; w++)
			assertTrue(tasksRunIn(cluster.resolve("worker-" + (w + 1))) > before[w], "the executor logs of worker " + (w + 1) + " show tasks");
	}

	@Test
	void theSparkHomeHoldsAJarOfEveryArtifactSparkDependsOn() throws Exception {
		final Run check = script("check");
		assertEquals(0, check.code, check.out);
		assertTrue(check.out.contains("every one of the"), check.out);
		final List<String> jars = list(ROOT.resolve("target/spark-home/jars"));
		for (final String sparkNeeds : List.of("spark-core_2.13-", "gson-", "protobuf-java-", "slf4j-api-", "commons-lang3-"))
			assertTrue(jars.stream().anyMatch(j -> j.startsWith(sparkNeeds)), sparkNeeds + " in " + jars);
		assertFalse(jars.stream().anyMatch(j -> j.startsWith("commons-beanutils-") || j.startsWith("tribuo-")),
				"only Spark's dependencies, not the plugin's: " + jars);
	}

	@Test
	void aWorkerKilledMidJobLeavesTheSameTable() throws Exception {
		final Path out = dir.resolve("killed-worker/features.csv");
		final Process p = start(List.of("SparkCohortFeatures", "--cohort", cohortFile.toString(), "--output", out.toString(), "--alignment", "pair",
				"--partitions", "10", "--parquet", "off"), dir.resolve("killed-worker.log"));
		final Path worker = cluster.resolve("worker-2");
		final int before = tasksRunIn(worker);
		final long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(120);
		while (tasksRunIn(worker) == before && p.isAlive() && System.nanoTime() < deadline)
			Thread.sleep(100);
		assertFalse(Files.exists(out), "the job was not finished when the worker died");
		final long pid = Long.parseLong(Files.readString(cluster.resolve("worker-2.pid")).trim());
		assertEquals(0, new ProcessBuilder("kill", "-9", Long.toString(pid)).start().waitFor());
		try {
			assertTrue(p.waitFor(180, TimeUnit.SECONDS), "the job ends");
			final String log = Files.readString(dir.resolve("killed-worker.log"));
			assertEquals(0, p.exitValue(), log);
			assertEquals(Files.readAllLines(pairRef), Files.readAllLines(out), "the other worker finished the job with the same table");
		} finally {
			p.destroyForcibly();
			assertEquals(0, script("start").code, "worker 2 back for the other tests");
		}
	}

	@Test
	void aDriverKilledAndResubmittedResumesFromTheRowsWritten() throws Exception {
		final Path out = dir.resolve("killed-driver/features.csv");
		final List<String> args = List.of("SparkCohortFeatures", "--cohort", cohortFile.toString(), "--output", out.toString(), "--alignment", "pair",
				"--partitions", "10", "--parquet", "off");
		final Process p = start(args, dir.resolve("killed-driver.log"));
		final Path partial = out.resolveSibling("features.csv.partial");
		final long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(300);
		while (rows(partial) < 1 && p.isAlive() && System.nanoTime() < deadline)
			Thread.sleep(50);
		p.destroyForcibly().waitFor();
		final int written = rows(partial);
		assertTrue(written >= 1 && written < 10, written + " rows written when the driver died");
		assertFalse(Files.exists(out));
		final Run again = submit(args.toArray(String[]::new));
		assertEquals(0, again.code, again.out);
		final Matcher reused = Pattern.compile("(\\d+) computed, (\\d+) reused").matcher(again.out);
		assertTrue(reused.find(), again.out);
		assertTrue(Integer.parseInt(reused.group(2)) >= written, again.out);
		assertEquals(10, Integer.parseInt(reused.group(1)) + Integer.parseInt(reused.group(2)), again.out);
		assertEquals(Files.readAllLines(pairRef), Files.readAllLines(out));
	}

	record Run(int code, String out) {}

	static Run script(final String... args) throws Exception {
		final List<String> cmd = new ArrayList<>(List.of(SCRIPT.toString()));
		cmd.addAll(List.of(args));
		final Path log = Files.createTempFile(dir, "run", ".log");
		final Process p = process(cmd, log);
		assertTrue(p.waitFor(300, TimeUnit.SECONDS), String.join(" ", cmd) + " timed out");
		return new Run(p.exitValue(), Files.readString(log));
	}

	static Run submit(final String... args) throws Exception {
		final List<String> cmd = new ArrayList<>(List.of("submit"));
		cmd.addAll(classArgs(List.of(args)));
		return script(cmd.toArray(String[]::new));
	}

	static Process start(final List<String> args, final Path log) throws IOException {
		final List<String> cmd = new ArrayList<>(List.of(SCRIPT.toString(), "submit"));
		cmd.addAll(classArgs(args));
		return process(cmd, log);
	}

	/** The arguments with the entry point's simple class name made whole, after a driver without web UI. */
	private static List<String> classArgs(final List<String> args) {
		return Stream.concat(Stream.of("--conf", "spark.ui.enabled=false"),
				args.stream().map(a -> a.startsWith("Spark") ? "org.progressionprobe.spark." + a : a)).toList();
	}

	private static Process process(final List<String> cmd, final Path log) throws IOException {
		final ProcessBuilder b = new ProcessBuilder(cmd).directory(ROOT.toFile()).redirectErrorStream(true).redirectOutput(log.toFile());
		b.environment().putAll(env);
		return b.start();
	}

	/** Tasks that the executors under a worker's work dir started ("Running task" in their stderr). */
	static int tasksRunIn(final Path worker) throws IOException {
		if (!Files.isDirectory(worker))
			return 0;
		int n = 0;
		try (Stream<Path> files = Files.walk(worker)) {
			for (final Path f : files.filter(f -> f.getFileName().toString().equals("stderr")).toList())
				n += (int) Pattern.compile("Running task").matcher(Files.readString(f, StandardCharsets.ISO_8859_1)).results().count();
		}
		return n;
	}

	private static int rows(final Path partial) {
		try {
			return Files.exists(partial) ? (int) Files.readAllLines(partial).stream().filter(l -> l.matches("s\\d+,.*")).count() : 0;
		} catch (final IOException e) {
			return 0;
		}
	}

	private static List<String> list(final Path dir) throws IOException {
		try (Stream<Path> s = Files.list(dir)) {
			return s.map(p -> p.getFileName().toString()).toList();
		}
	}

	private static int freePort() throws IOException {
		try (ServerSocket s = new ServerSocket(0)) {
			return s.getLocalPort();
		}
	}
}
