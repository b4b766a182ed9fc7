package org.progressionprobe.spark;

import java.io.PrintStream;
import java.nio.file.Path;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

import org.progressionprobe.pipeline.FeatureBatch;
import org.progressionprobe.study.StudySetting;
import org.progressionprobe.study.StudyPlan;
import org.progressionprobe.table.Cohort;

/**
 * "Cohort Features" on Apache Spark: the feature table of a cohort, computed by the executors of a
 * cluster ({@code spark-submit}) or by the cores of this machine ({@code local[*]}), written as the
 * same CSV the single-machine command writes (plus Parquet). Run with {@code --help} for the
 * options; exit code 0 when every subject has a row, 2 when some failed (the others are kept; run
 * again to retry them), 1 on bad input.
 */
public final class SparkCohortFeatures {

	static final String USAGE = """
			Usage: spark-submit --class org.progressionprobe.spark.SparkCohortFeatures [spark options] progression-probe-VERSION-spark.jar \\
			         --cohort FILE --output FILE.csv [options]
			The feature table of a cohort, as the "Cohort Features" command computes it, on a Spark cluster.
			  --cohort FILE         cohort CSV: subject, baseline, followup, label (scan paths relative to it or absolute)
			  --output FILE         the feature table (CSV); while incomplete FILE.partial holds the rows so far and
			                        FILE.errors.csv the subjects that failed; a rerun computes only the missing rows
			  --extractor E         change (default), or a model package (folder or .zip)
			  --alignment A         none (default), pair or atlas
			  --roi off|on          crop to the atlas labels --roi_labels (default off)
			""" + Arguments.SETTING_HELP;

	private static final Set<String> KEYS = keys();

	private SparkCohortFeatures() {}

	private static Set<String> keys() {
		final Set<String> k = new HashSet<>(Arguments.SETTING_KEYS);
		k.addAll(List.of("cohort", "output", "extractor", "alignment", "roi"));
		return k;
	}

	public static void main(final String[] args) {
		Arguments.exit(run(args, System.out, System.err));
	}

	/** Runs the entry point; returns the exit code. */
	static int run(final String[] args, final PrintStream out, final PrintStream err) {
		return Arguments.run("Cohort Features (Spark)", args, KEYS, USAGE, out, err, a -> {
			final Path cohortFile = Path.of(a.required("cohort"));
			final Path output = Path.of(a.required("output"));
			final StudySetting setting = a.settings(List.of(a.get("alignment", StudyPlan.DEFAULT_ALIGNMENT)), List.of(a.get("roi", StudyPlan.DEFAULT_ROI)),
					List.of(a.get("extractor", StudySetting.CHANGE))).get(0);
			final Cohort cohort = Cohort.read(cohortFile, false);
			try (Arguments.Session session = Arguments.session("Progression Probe: Cohort Features")) {
				final SparkFeatureBatch batch = new SparkFeatureBatch(session.spark(), a.options(), Arguments.console(out));
				final FeatureBatch.Result r = batch.build(setting, cohort, output);
				final SparkFeatureBatch.Report rep = batch.lastReport();
				out.println("Cohort Features (Spark): " + r.computed() + " computed, " + r.reused() + " reused, " + r.failures().size() + " failed; "
						+ rep.partitions() + " partitions, " + rep.loads() + " extractor loads (" + String.format("%.1f", rep.setupSeconds())
						+ " s), pairs " + String.format("%.1f", rep.pairSeconds()) + " s executor time");
				if (!r.complete()) {
					err.println("Cohort Features (Spark): " + r.failures().size() + " of " + cohort.size() + " subjects failed, e.g. "
							+ r.failures().entrySet().iterator().next() + "; the others are kept in " + output
							+ ".partial, run again to retry (errors in " + output + ".errors.csv)");
					return 2;
				}
				out.println("wrote " + r.output() + (rep.parquet() != null ? " and " + rep.parquet() : ""));
				return 0;
			}
		});
	}
}
