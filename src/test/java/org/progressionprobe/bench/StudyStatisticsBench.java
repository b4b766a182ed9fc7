package org.progressionprobe.bench;

import java.nio.file.Path;
import java.util.Locale;

import org.progressionprobe.command.Progress;
import org.progressionprobe.demo.Demo;
import org.progressionprobe.study.StudyStatistics;

/**
 * Times the study statistics on the demo's grid: Run Demo into a folder whose cohort and feature
 * tables are already there (a first Run Demo made them; they are reused), with the given repeats
 * and permutations and nested cross-validation, so the time is the probes' alone.
 * Usage: {@code scripts/bench/java.sh StudyStatisticsBench DEMO_DIR [repeats] [permutations]}
 */
public final class StudyStatisticsBench {

	private StudyStatisticsBench() {}

	public static void main(final String[] args) throws Exception {
		final Path dir = Path.of(args[0]);
		final int repeats = args.length > 1 ? Integer.parseInt(args[1]) : 5, permutations = args.length > 2 ? Integer.parseInt(args[2]) : 200;
		final long t0 = System.nanoTime();
		final String report = Demo.defaults().run(dir, Progress.NONE, new StudyStatistics(repeats, permutations, true));
		System.out.println(report);
		System.out.printf(Locale.ROOT, "study statistics on the demo grid: repeats=%d permutations=%d nested: %.0f s%n", repeats, permutations,
				(System.nanoTime() - t0) * 1e-9);
	}
}
