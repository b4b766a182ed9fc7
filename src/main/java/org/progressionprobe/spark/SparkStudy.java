package org.progressionprobe.spark;

import java.io.PrintStream;
import java.nio.file.Path;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

import org.progressionprobe.command.Progress;
import org.progressionprobe.command.ParameterLists;
import org.progressionprobe.probe.ProbeSettings;
import org.progressionprobe.report.StudyReport;
import org.progressionprobe.study.StudySetting;
import org.progressionprobe.study.Study;
import org.progressionprobe.study.StudyPlan;
import org.progressionprobe.study.StudyStatistics;
import org.progressionprobe.study.StudyResult;
import org.progressionprobe.table.Cohort;

/**
 * "Run Study" with its feature extraction on Apache Spark: each setting's feature table is computed
 * by the executors ({@link SparkFeatureBatch}), the probes are trained on the driver (feature tables
 * are small). The outputs are those of Run Study, including {@code transforms/}, through which the
 * executors share affine registrations between settings (the output folder must be on a filesystem
 * every executor sees). Run with {@code --help} for the options.
 */
public final class SparkStudy {

	static final String USAGE = """
			Usage: spark-submit --class org.progressionprobe.spark.SparkStudy [spark options] progression-probe-VERSION-spark.jar \\
			         --cohort FILE --output_dir DIR [options]
			The study grid of "Run Study": feature tables on the cluster, cross-validated probes on the driver.
			  --cohort FILE         labelled cohort CSV: subject, baseline, followup, label (0/1)
			  --output_dir DIR      comparison.csv, report.html, features/<setting>.csv (+ .parquet), probes/,
			                        transforms/ (affine registrations shared by the settings; on a filesystem every node sees)
			  --alignments A,B      none, pair, atlas (default none,pair,atlas)
			  --roi off,on          crop options to compare (default off)
			  --extractors E1,E2    change and/or model packages (default change)
			  --folds N --seed S --bootstrap B --c C   the probe (defaults 5, 0, 1000, inner cross-validation)
			  --repeats R --permutations P             repeated splits, label permutations (defaults 1, 0); report.html
			""" + Arguments.SETTING_HELP;

	private static final Set<String> KEYS = keys();

	private SparkStudy() {}

	private static Set<String> keys() {
		final Set<String> k = new HashSet<>(Arguments.SETTING_KEYS);
		k.addAll(List.of("cohort", "output_dir", "alignments", "roi", "extractors", "folds", "seed", "bootstrap", "c", "repeats", "permutations"));
		return k;
	}

	public static void main(final String[] args) {
		Arguments.exit(run(args, System.out, System.err));
	}

	/** Runs the entry point; returns the exit code (0 when every setting has a result, 2 when some failed, 1 when none succeeded or on bad input). */
	static int run(final String[] args, final PrintStream out, final PrintStream err) {
		return Arguments.run("Run Study (Spark)", args, KEYS, USAGE, out, err, a -> {
			final Path outputDir = Path.of(a.required("output_dir"));
			final var settings = a.settings(ParameterLists.split(a.get("alignments", StudyPlan.DEFAULT_ALIGNMENTS)), ParameterLists.split(a.get("roi", StudyPlan.DEFAULT_ROI)),
					ParameterLists.split(a.get("extractors", StudySetting.CHANGE)));
			final ProbeSettings d = ProbeSettings.defaults();
			final ProbeSettings probe = d.withFolds(a.integer("folds", d.folds())).withSeed(a.integer("seed", (int) d.seed()))
					.withBootstrap(a.integer("bootstrap", d.bootstrap())).withC(ProbeSettings.parseC(a.get("c", "")));
			final Cohort cohort = Cohort.readLabelled(Path.of(a.required("cohort")));
			try (Arguments.Session session = Arguments.session("Progression Probe: Run Study")) {
				final Progress progress = Arguments.console(out);
				final SparkFeatureBatch tables = new SparkFeatureBatch(session.spark(), a.options().withTransforms(outputDir.resolve(Study.TRANSFORMS_DIR)),
						progress);
				final List<StudyResult> results = new Study(settings, probe, tables, progress)
						.withStatistics(new StudyStatistics(a.integer("repeats", StudyStatistics.defaults().repeats()), a.integer("permutations",
								StudyStatistics.defaults().permutations()), StudyStatistics.defaults().nested())).run(cohort, outputDir);
				out.print(Study.table(results));
				out.println("Report: " + new StudyReport(outputDir).write());
				if (results.stream().noneMatch(StudyResult::ok)) {
					err.println("Run Study (Spark): no setting succeeded: " + Study.failures(results));
					return 1;
				}
				final String failed = Study.failures(results);
				if (failed != null) {
					err.println("Run Study (Spark): " + failed);
					return 2;
				}
				return 0;
			}
		});
	}
}
