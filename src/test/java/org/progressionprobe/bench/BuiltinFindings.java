package org.progressionprobe.bench;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;

import org.progressionprobe.launcher.CommandRunner;
import org.progressionprobe.report.RunStudyCommand;
import org.progressionprobe.sim.CohortSimulator;
import org.progressionprobe.sim.SimulateCohortCommand;
import org.scijava.Context;

/**
 * The study's findings with the built-in networks, on a simulated cohort: "Simulate Cohort"
 * (default 36 phantom subjects at 3 mm, or subjects of a real template and its label atlas, head motion up to 5 degrees / 5 mm between the visits,
 * progressors losing 10% of hippocampus and amygdala on average),
 * then "Run Study" over alignment none / pair / atlas x ROI crop off / on x {builtin-registration
 * (pair input), builtin-unet (single scans, difference of pooled layers)}, each layer probed alone
 * and all together. Prints the AUC table (cross-validated linear probe) and the wall time; both
 * commands run exactly as a user would call them.
 *
 * <pre>
 * mvn -q test-compile dependency:build-classpath -Dmdep.outputFile=cp.txt
 * java -Xmx6g -cp target/classes:target/test-classes:$(cat cp.txt) org.progressionprobe.bench.BuiltinFindings [output_dir] [subjects] [seed] [extractors] [atrophy_percent] [voxel_size_mm] [template atlas atlas_names]
 * </pre>
 */
public final class BuiltinFindings {

	private BuiltinFindings() {}

	public static void main(final String[] args) throws Exception {
		final Path dir = args.length > 0 ? Path.of(args[0]) : Files.createTempDirectory("builtin-findings");
		final int subjects = args.length > 1 ? Integer.parseInt(args[1]) : 36;
		final long seed = args.length > 2 ? Long.parseLong(args[2]) : 11;
		final String extractors = args.length > 3 ? args[3] : "builtin-registration,builtin-unet";
		final double atrophy = args.length > 4 ? Double.parseDouble(args[4]) : 10;
		final double voxelSize = args.length > 5 ? Double.parseDouble(args[5]) : 3;
		final Context context = new Context();
		try {
			final long t0 = System.nanoTime();
			final Path cohort = dir.resolve("cohort");
			final Map<String, Object> sim = new LinkedHashMap<>();
			sim.put("output_dir", cohort.toFile());
			sim.put("subjects", subjects);
			sim.put("seed", seed);
			sim.put("voxel_size_mm", voxelSize);
			sim.put("max_rotation_deg", 5.0);
			sim.put("max_shift_mm", 5.0);
			sim.put("atrophy_percent", atrophy);
			if (args.length > 8) {
				sim.put("template", Path.of(args[6]).toFile());
				sim.put("atlas", Path.of(args[7]).toFile());
				sim.put("atlas_names", Path.of(args[8]).toFile());
				sim.put("atrophy_labels", "Hippocampus.*,Amygdala.*");
			}
			System.out.println(new CommandRunner(context).run(SimulateCohortCommand.class, sim).get("summary"));
			final long t1 = System.nanoTime();
			final Map<String, Object> study = new LinkedHashMap<>();
			study.put("cohort", cohort.resolve(CohortSimulator.COHORT).toFile());
			study.put("output_dir", dir.resolve("study").toFile());
			study.put("alignments", "none,pair,atlas");
			study.put("roi", "off,on");
			study.put("roi_labels", "Hippocampus.*,Amygdala.*");
			study.put("extractors", extractors);
			study.put("atlas", cohort.resolve(CohortSimulator.ATLAS_TEMPLATE).toFile());
			study.put("atlas_labels", cohort.resolve(CohortSimulator.ATLAS_LABELS).toFile());
			study.put("atlas_names", cohort.resolve(CohortSimulator.ATLAS_NAMES).toFile());
			study.put("seed", seed);
			study.put("bootstrap", 200);
			final Object table = new CommandRunner(context).run(RunStudyCommand.class, study).get("table");
			System.out.println(table);
			System.out.printf("simulation %.0f s, study %.0f s (machine shared: wall times are noisy); outputs in %s%n", (t1 - t0) / 1e9,
					(System.nanoTime() - t1) / 1e9, dir);
		} finally {
			context.dispose();
		}
	}
}
