package org.progressionprobe.spark;

import java.io.File;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

import org.progressionprobe.align.AtlasSource;
import org.progressionprobe.align.RoiBox;
import org.progressionprobe.command.CommandFailure;
import org.progressionprobe.command.ParameterLists;
import org.progressionprobe.command.ParameterValues;
import org.apache.spark.SparkConf;
import org.apache.spark.sql.SparkSession;
import org.progressionprobe.command.Progress;
import org.progressionprobe.features.model.FeatureSettings;
import org.progressionprobe.features.model.ModelCache;
import org.progressionprobe.study.StudyPlan;
import org.progressionprobe.study.StudySetting;
import org.progressionprobe.volume.AtlasResolution;

/**
 * Command-line options of the Spark entry points: {@code --key value} or {@code --key=value}, with
 * the keys of the matching SciJava command (snake_case; dashes are read as underscores), and
 * {@code --help}. Unknown keys and missing values are errors that name the option.
 */
final class Arguments {

	/** Keys shared by the entry points: how the scans are prepared and which features are read, and how Spark splits the cohort. */
	static final Set<String> SETTING_KEYS = Set.of("roi_labels", "margin_mm", "atlas", "atlas_labels", "atlas_names", "atlas_voxel_mm", "pooling_regions", "layers", "pooling", "combine",
			"device", "prealign", "partitions", "pairs_per_partition", "parquet");

	private final Map<String, String> values;
	private final boolean help;

	private Arguments(final Map<String, String> values, final boolean help) {
		this.values = values;
		this.help = help;
	}

	/** The body of an entry point: the parsed options in, the exit code out. */
	interface Job {
		int run(Arguments a) throws java.io.IOException;
	}

	/**
	 * Runs an entry point: parses the options, prints the usage for {@code --help} (exit code 0) or
	 * no options (1), else runs the job; bad input and I/O errors print {@code name: message} and give 1.
	 */
	static int run(final String name, final String[] args, final Set<String> keys, final String usage, final java.io.PrintStream out,
			final java.io.PrintStream err, final Job job) {
		try {
			final Arguments a = parse(args, keys);
			if (a.help() || args.length == 0) {
				out.print(usage);
				return a.help() ? 0 : 1;
			}
			return job.run(a);
		} catch (final IllegalArgumentException | CommandFailure | java.io.IOException e) {
			err.println(name + ": " + e.getMessage());
			return 1;
		}
	}

	/** Ends the JVM with the exit code, unless it is 0 (spark-submit then shuts Spark down normally). */
	static void exit(final int code) {
		if (code != 0)
			System.exit(code);
	}

	static Arguments parse(final String[] args, final Set<String> keys) {
		final Map<String, String> v = new LinkedHashMap<>();
		boolean help = false;
		for (int i = 0; i < args.length; i++) {
			final String a = args[i];
			if (a.equals("--help") || a.equals("-h")) {
				help = true;
				continue;
			}
			if (!a.startsWith("--"))
				throw new IllegalArgumentException("Unexpected argument '" + a + "': options are --key value (see --help)");
			final int eq = a.indexOf('=');
			final String key = (eq < 0 ? a.substring(2) : a.substring(2, eq)).replace('-', '_');
			if (!keys.contains(key))
				throw new IllegalArgumentException("Unknown option --" + key + " (see --help)");
			final String value;
			if (eq >= 0)
				value = a.substring(eq + 1);
			else if (i + 1 < args.length && !args[i + 1].startsWith("--"))
				value = args[++i];
			else
				throw new IllegalArgumentException("Option --" + key + " needs a value");
			if (v.put(key, value) != null)
				throw new IllegalArgumentException("Option --" + key + " is given twice");
		}
		return new Arguments(v, help);
	}

	boolean help() {
		return help;
	}

	String get(final String key, final String fallback) {
		return values.getOrDefault(key, fallback);
	}

	String required(final String key) {
		final String v = values.get(key);
		if (v == null || v.isBlank())
			throw new IllegalArgumentException("Missing --" + key + " (see --help)");
		return v;
	}

	int integer(final String key, final int fallback) {
		final String v = values.get(key);
		return v == null ? fallback : ParameterValues.integer("--" + key, v);
	}

	double number(final String key, final double fallback) {
		final String v = values.get(key);
		return v == null ? fallback : ParameterValues.number("--" + key, v);
	}

	File file(final String key) {
		final String v = values.get(key);
		return v == null || v.isBlank() ? null : new File(v);
	}


	/** The settings the options describe, checked here on the driver before any executor starts. */
	List<StudySetting> settings(final List<String> alignments, final List<String> roi, final List<String> extractors) throws java.io.IOException {
		final List<String> models = new ArrayList<>();
		for (final String e : extractors) {
			if (e.equals(StudySetting.CHANGE)) {
				models.add(e);
				continue;
			}
			final Path p = Path.of(e);
			if (!Files.exists(p))
				throw new IllegalArgumentException("Model package " + e + " not found (give 'change' or a model package folder or .zip on a "
						+ "filesystem that every executor sees)");
			models.add(p.toAbsolutePath().normalize().toString());
		}
		final StudyPlan.ModelOptions options = new StudyPlan.ModelOptions(get("layers", null), get("pooling", null), get("combine", null),
				get("device", null), get("prealign", null));
		FeatureSettings.parse(options.layers(), options.pooling(), FeatureSettings.DEFAULT_GRID, options.combine(), options.device(), null, ModelCache.models());
		final AtlasSource atlas = AtlasSource.of(file("atlas"), file("atlas_labels"), file("atlas_names"));
		final StudySetting.Regions regions = StudySetting.Regions.parse(get("pooling_regions", null));
		if (atlas == null && (alignments.stream().anyMatch(a -> a.equalsIgnoreCase("atlas")) || roi.stream().anyMatch(r -> r.equalsIgnoreCase("on"))
				|| regions == StudySetting.Regions.ATLAS))
			throw new IllegalArgumentException("alignment=atlas, roi=on and pooling_regions=atlas need --atlas, --atlas_labels and --atlas_names on a filesystem every"
					+ " executor sees (the default phantom atlas lives in this machine's cache folder)");
		if (atlas != null)
			for (final Path p : List.of(atlas.template(), atlas.labels(), atlas.names()))
				if (!Files.isRegularFile(p))
					throw new IllegalArgumentException("Atlas file " + p + " not found");
		return StudySetting.withRegions(new StudyPlan(alignments, roi, ParameterLists.split(get("roi_labels", StudyPlan.DEFAULT_ROI_LABELS)),
				number("margin_mm", RoiBox.DEFAULT_MARGIN_MM), models, options, atlas, AtlasResolution.parse(get("atlas_voxel_mm", ""))).settings(), regions);
	}

	SparkFeatureBatch.Options options() {
		return SparkFeatureBatch.Options.defaults().withPartitions(integer("partitions", 0)).withPairsPerPartition(integer("pairs_per_partition", 32))
				.withParquet(!get("parquet", "on").equalsIgnoreCase("off"));
	}

	/** Text shared by the entry points' help. */
	static final String SETTING_HELP = """
			  --roi_labels P1,P2    atlas label names or patterns of the region (default %s)
			  --margin_mm MM        crop margin in mm (default %s)
			  --atlas FILE --atlas_labels FILE --atlas_names FILE   the atlas (for atlas alignment and crops)
			  --atlas_voxel_mm MM|atlas   voxel size of atlas space (default: the scans'; atlas: the atlas's own grid)
			  --pooling_regions grid|atlas   regions of none/pair settings without a crop (default %s; atlas: the atlas regions on the baseline)
			  --layers L1,L2        model feature layers (default: all the package declares)
			  --pooling gap|gmp|roi|grid   model feature pooling (default %s)
			  --combine diff|concat|both   single-scan models (default %s)
			  --device cpu|gpu      where the model runs on each executor (default %s)
			  --prealign affine|rigid|none   change features: pre-registration of the follow-up (default %s)
			  --partitions N        Spark partitions (default: one per executor core, more when a partition would exceed
			                        --pairs_per_partition pairs, default 32); the extractor is loaded once per partition
			  --parquet on|off      also write the complete table as Parquet, <output>.parquet (default on)
			Scans, the cohort file, model packages and the atlas must be on a filesystem that the driver and every
			executor see under the same path. Outside spark-submit the master is local[*] (set -Dspark.master to change it).
			""".formatted(StudyPlan.DEFAULT_ROI_LABELS, RoiBox.DEFAULT_MARGIN_MM, StudySetting.Regions.GRID.key(), StudyPlan.ModelOptions.defaults().pooling(),
			StudyPlan.ModelOptions.defaults().combine(), StudyPlan.ModelOptions.defaults().device(), StudyPlan.DEFAULT_PREALIGN);

	/**
	 * The Spark session: the one already running in this JVM (kept running), else a new one (the
	 * master from spark-submit, or {@code local[*]}).
	 *
	 * @return the session and whether the caller must stop it
	 */
	static Session session(final String appName) {
		final scala.Option<SparkSession> active = SparkSession.getDefaultSession();
		if (active.isDefined())
			return new Session(active.get(), false);
		final SparkSession.Builder b = SparkSession.builder().appName(appName);
		if (!new SparkConf().contains("spark.master"))
			b.master("local[*]");
		return new Session(b.getOrCreate(), true);
	}

	record Session(SparkSession spark, boolean owned) implements AutoCloseable {
		@Override
		public void close() {
			if (owned)
				spark.stop();
		}
	}

	/** Progress as console lines, one per change of step or of at least a second. */
	static Progress console(final java.io.PrintStream out) {
		return new Progress() {
			private String lastStep = "";
			private long lastTime;

			@Override
			public synchronized void report(final String step, final long done, final long total) {
				final long now = System.nanoTime();
				if (step.equals(lastStep) && done < total && now - lastTime < 1_000_000_000L)
					return;
				lastStep = step;
				lastTime = now;
				out.println(step + ": " + done + "/" + total);
			}

			@Override
			public boolean isCancelled() {
				return false;
			}
		};
	}
}
