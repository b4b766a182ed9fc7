package org.progressionprobe.spark;

import java.io.IOException;
import java.io.Serializable;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

import org.apache.spark.SimpleFutureAction;
import org.apache.spark.SparkContext;
import org.apache.spark.api.java.JavaRDD;
import org.apache.spark.api.java.JavaSparkContext;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.SaveMode;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.Metadata;
import org.apache.spark.sql.types.MetadataBuilder;
import org.apache.spark.sql.types.StructField;
import org.apache.spark.sql.types.StructType;
import org.apache.spark.util.LongAccumulator;
import org.progressionprobe.align.TransformCache;
import org.progressionprobe.command.Progress;
import org.progressionprobe.pipeline.FeatureBatch;
import org.progressionprobe.pipeline.ResumableTable;
import org.progressionprobe.study.FeatureTableBuilder;
import org.progressionprobe.study.StudySetting;
import org.progressionprobe.table.Cohort;
import org.progressionprobe.table.CohortPair;
import org.progressionprobe.table.Csv;
import org.progressionprobe.table.FeatureTable;

import scala.Function0;
import scala.Function1;
import scala.Function2;
import scala.runtime.BoxedUnit;

/**
 * The cluster form of {@link FeatureBatch}: the same feature table, row for row, computed by Spark
 * executors. The cohort's missing pairs are split into partitions; each executor rebuilds the
 * setting from text, loads the extractor once per partition and computes its pairs with the
 * single-machine code ({@link FeaturePartition}). The driver keeps the table's files exactly as
 * {@link FeatureBatch} does ({@link ResumableTable}: rows appended to {@code <output>.partial} as
 * each partition arrives, failed subjects in {@code <output>.errors.csv}, the output in cohort order
 * once every subject has a row), and then also writes the table as Parquet.
 * <p>
 * Faults: a pair that fails is recorded with its error and the others go on; a rerun computes only
 * the missing rows (after the same settings check). A task whose executor dies is run again by
 * Spark; each partition's result is taken once and rows are keyed by subject, so a retried task
 * adds no duplicate rows. Executors that report different provenance (e.g. a GPU on some of them
 * only) stop the run: their rows would not be comparable.
 */
public final class SparkFeatureBatch implements FeatureTableBuilder {

	/** Column metadata key (on {@code subject}) that holds the provenance lines in the Parquet table. */
	public static final String PROVENANCE_METADATA = "progression_probe.provenance";

	private final SparkSession spark;
	private final Options options;
	private final Progress progress;
	private Report last;

	/**
	 * How the cohort is split.
	 *
	 * @param partitions number of partitions, or 0 for automatic: at least one per executor core, at most {@code pairsPerPartition} pairs each
	 * @param pairsPerPartition upper bound per automatic partition: more pairs amortise the model load, fewer lose less work to a kill
	 * @param parquet write the complete table as Parquet too (the output with {@code .parquet} for {@code .csv})
	 * @param transforms a folder every executor sees, where affine registrations are kept as a
	 *        {@link TransformCache} and shared between settings and reruns; null: none kept
	 */
	public record Options(int partitions, int pairsPerPartition, boolean parquet, Path transforms) {
		public Options {
			if (partitions < 0 || pairsPerPartition < 1)
				throw new IllegalArgumentException("partitions must be >= 0 (0 = automatic) and pairs per partition >= 1");
			transforms = transforms == null ? null : transforms.toAbsolutePath();
		}

		public static Options defaults() {
			return new Options(0, 32, true, null);
		}

		public Options withPartitions(final int p) {
			return new Options(p, pairsPerPartition, parquet, transforms);
		}

		public Options withPairsPerPartition(final int n) {
			return new Options(partitions, n, parquet, transforms);
		}

		public Options withParquet(final boolean p) {
			return new Options(partitions, pairsPerPartition, p, transforms);
		}

		public Options withTransforms(final Path folder) {
			return new Options(partitions, pairsPerPartition, parquet, folder);
		}
	}

	/**
	 * What the last run did on the cluster.
	 *
	 * @param partitions partitions of the job (0 if every row was reused)
	 * @param loads source and extractor setups on executors (one per non-empty partition, plus one for a settings check when nothing was missing)
	 * @param setupSeconds executor time spent on those setups
	 * @param pairSeconds executor time spent on pairs
	 * @param parquet the Parquet table written, or null
	 */
	public record Report(int partitions, long loads, double setupSeconds, double pairSeconds, Path parquet) {}

	public SparkFeatureBatch(final SparkSession spark, final Options options, final Progress progress) {
		this.spark = spark;
		this.options = options;
		this.progress = progress;
	}

	/** The Parquet table written next to a CSV output: {@code x.csv -> x.parquet}. */
	public static Path parquetPath(final Path csv) {
		final String name = csv.getFileName().toString();
		return csv.resolveSibling((name.toLowerCase(java.util.Locale.ROOT).endsWith(".csv") ? name.substring(0, name.length() - 4) : name) + ".parquet");
	}

	/** What the last {@link #build} did on the cluster. */
	public Report lastReport() {
		return last;
	}

	@Override
	public FeatureBatch.Result build(final StudySetting setting, final Cohort cohort, final Path output) throws IOException {
		final Path out = output.toAbsolutePath();
		final ResumableTable table = ResumableTable.open(out);
		final List<FeaturePartition.Task> missing = new ArrayList<>();
		for (int i = 0; i < cohort.size(); i++)
			if (!table.has(cohort.pairs().get(i).subject()))
				missing.add(FeaturePartition.Task.of(i, cohort.pairs().get(i)));
		final int reused = cohort.size() - missing.size();
		final HashMap<String, String> text = new HashMap<>(SettingText.format(setting));
		final String transforms = options.transforms() == null ? null : options.transforms().toString();
		final JavaSparkContext jsc = JavaSparkContext.fromSparkContext(spark.sparkContext());
		final LongAccumulator loads = jsc.sc().longAccumulator("progression-probe setups");
		progress.report("Features", reused, cohort.size());
		final Map<Integer, String> failures = new TreeMap<>();
		int computed = 0, partitions = 0;
		double setup = 0, pairs = 0;
		if (missing.isEmpty()) {
			final List<LinkedHashMap<String, String>> prov = jsc.parallelize(List.of(0), 1)
					.map(x -> FeaturePartition.provenance(text, loads)).collect();
			table.requireProvenance(prov.get(0));
		} else {
			partitions = options.partitions() > 0 ? Math.min(options.partitions(), missing.size())
					: Math.min(missing.size(), Math.max(jsc.defaultParallelism(), ceilDiv(missing.size(), options.pairsPerPartition())));
			final JavaRDD<FeaturePartition.Outcome> rdd = jsc.parallelize(missing, partitions)
					.mapPartitions(tasks -> List.of(FeaturePartition.compute(text, transforms, tasks, loads)).iterator());
			final BlockingQueue<FeaturePartition.Outcome> arrived = new LinkedBlockingQueue<>();
			final SimpleFutureAction<BoxedUnit> job = submit(jsc.sc(), rdd, partitions, arrived);
			Map<String, String> provenance = null;
			int received = 0, done = reused;
			try {
				while (received < partitions) {
					final FeaturePartition.Outcome o = arrived.poll(200, TimeUnit.MILLISECONDS);
					if (o == null) {
						if (job.isCompleted() && arrived.isEmpty()) {
							job.get(); // throws the job's failure
							throw new IllegalStateException("The Spark job ended with " + received + " of " + partitions + " partitions delivered");
						}
						if (progress.isCancelled())
							throw new java.util.concurrent.CancellationException("Cancelled by the user");
						continue;
					}
					received++;
					setup += o.setupSeconds();
					pairs += o.pairSeconds();
					if (o.provenance() == null)
						continue;
					if (provenance == null) {
						table.requireProvenance(o.provenance());
						provenance = o.provenance();
					} else if (!provenance.equals(o.provenance()))
						throw new IOException("Executors disagree on the settings that made the numbers (is the software, the model or the device "
								+ "the same on every node?)\n  one:     " + provenance + "\n  another: " + o.provenance());
					for (final FeaturePartition.PairOutcome p : o.pairs()) {
						final CohortPair pair = cohort.pairs().get(p.index());
						if (p.failed())
							failures.put(p.index(), p.error());
						else if (table.add(pair, p.features()))
							computed++;
					}
					done += o.pairs().size();
					progress.report("Features", done, cohort.size());
				}
			} catch (final IOException | RuntimeException e) {
				job.cancel();
				throw e;
			} catch (final Exception e) {
				job.cancel();
				throw new IOException("The Spark job failed: " + rootMessage(e), e);
			}
		}
		final Map<String, String> failed = new LinkedHashMap<>();
		failures.forEach((i, e) -> failed.put(cohort.pairs().get(i).subject(), e));
		final FeatureTable written = table.finish(cohort, failed);
		Path parquet = null;
		if (failed.isEmpty() && written != null && options.parquet()) {
			parquet = parquetPath(out);
			writeParquet(written, parquet);
		}
		progress.report("Features", cohort.size(), cohort.size());
		last = new Report(partitions, loads.value(), setup, pairs, parquet);
		return new FeatureBatch.Result(out, computed, reused, failed);
	}

	/** Runs the job asynchronously; each partition's outcome is put on {@code arrived} as its task succeeds (once per partition). */
	@SuppressWarnings("unchecked")
	private static SimpleFutureAction<BoxedUnit> submit(final SparkContext sc, final JavaRDD<FeaturePartition.Outcome> rdd, final int partitions,
			final BlockingQueue<FeaturePartition.Outcome> arrived) {
		final Function1<scala.collection.Iterator<FeaturePartition.Outcome>, FeaturePartition.Outcome> first =
				(Function1<scala.collection.Iterator<FeaturePartition.Outcome>, FeaturePartition.Outcome> & Serializable) it -> it.next();
		final Function2<Object, FeaturePartition.Outcome, BoxedUnit> handler = (index, outcome) -> {
			arrived.add(outcome);
			return BoxedUnit.UNIT;
		};
		final Function0<BoxedUnit> result = () -> BoxedUnit.UNIT;
		final List<Object> ids = new ArrayList<>();
		for (int i = 0; i < partitions; i++)
			ids.add(i);
		return sc.submitJob(rdd.rdd(), first, scala.jdk.javaapi.CollectionConverters.asScala(ids).toSeq(), handler, result);
	}

	/**
	 * Writes the table as Parquet: {@code subject} (string, with the provenance lines as column
	 * metadata), {@code label} (int, null when unknown), then the features (double, the values the CSV
	 * holds). Written next to the target and moved into place, so a reader never sees half a table.
	 */
	void writeParquet(final FeatureTable table, final Path target) throws IOException {
		final StringBuilder prov = new StringBuilder();
		table.provenance().forEach((k, v) -> prov.append(k).append(": ").append(v).append('\n'));
		final Metadata meta = new MetadataBuilder().putString(PROVENANCE_METADATA, prov.toString()).build();
		final List<StructField> fields = new ArrayList<>();
		fields.add(DataTypes.createStructField(Cohort.SUBJECT, DataTypes.StringType, false, meta));
		fields.add(DataTypes.createStructField(Cohort.LABEL, DataTypes.IntegerType, true));
		final List<String> features = table.columns().subList(2, table.columns().size());
		for (final String f : features)
			fields.add(DataTypes.createStructField(f, DataTypes.DoubleType, false));
		final List<Row> rows = new ArrayList<>(table.rowCount());
		for (int r = 0; r < table.rowCount(); r++) {
			final Object[] cells = new Object[fields.size()];
			cells[0] = table.text(r, Cohort.SUBJECT);
			final String label = table.text(r, Cohort.LABEL);
			cells[1] = label.isEmpty() ? null : Integer.valueOf(label);
			for (int c = 0; c < features.size(); c++)
				cells[c + 2] = Csv.parseNumber(table.text(r, features.get(c)));
			rows.add(RowFactory.create(cells));
		}
		final Path tmp = target.resolveSibling("." + target.getFileName() + ".tmp");
		deleteTree(tmp);
		final Dataset<Row> df = spark.createDataFrame(rows, new StructType(fields.toArray(new StructField[0])));
		df.coalesce(1).write().mode(SaveMode.Overwrite).parquet(tmp.toUri().toString());
		deleteTree(target);
		Files.move(tmp, target);
	}

	private static void deleteTree(final Path p) throws IOException {
		if (!Files.exists(p))
			return;
		try (Stream<Path> s = Files.walk(p)) {
			for (final Path q : s.sorted(Comparator.reverseOrder()).toList())
				Files.delete(q);
		}
	}

	private static int ceilDiv(final int a, final int b) {
		return (a + b - 1) / b;
	}

	/** The innermost message of an exception chain (Spark wraps a task's failure several times). */
	static String rootMessage(final Throwable e) {
		Throwable t = e;
		while (t.getCause() != null && t.getCause() != t)
			t = t.getCause();
		return t == e ? String.valueOf(e.getMessage()) : e.getMessage() + " (cause: " + t + ")";
	}
}
