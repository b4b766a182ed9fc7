package org.progressionprobe.bench;

import java.nio.file.Path;
import java.util.List;

import org.progressionprobe.align.AtlasSource;
import org.progressionprobe.align.PairPreparation.Alignment;
import org.progressionprobe.align.RoiBox;
import org.progressionprobe.align.TransformCache;
import org.progressionprobe.command.Progress;
import org.progressionprobe.features.change.ForegroundMask;
import org.progressionprobe.pipeline.PairSource;
import org.progressionprobe.sim.SimulationSettings;
import org.progressionprobe.study.StudySetting;
import org.progressionprobe.table.Cohort;
import org.progressionprobe.table.CohortPair;
import org.progressionprobe.volume.ScanPair;

/**
 * Where the study grid repeats work: for each preparation of the grid (alignment x crop), the CPU
 * seconds a pair's preparation costs once its registrations are cached (what each further extractor
 * of that preparation pays again), and the foreground mask of the prepared baseline (what change
 * features compute). Run after {@code study_grid.sh} made the cohort, atlas and transforms.
 *
 * <pre>
 * java ... org.progressionprobe.bench.PreparationBench cohort.csv template labels names transforms_dir
 * </pre>
 */
public final class PreparationBench {

	private PreparationBench() {}

	public static void main(final String[] args) throws Exception {
		final Cohort cohort = Cohort.readLabelled(Path.of(args[0]));
		final AtlasSource atlas = new AtlasSource(Path.of(args[1]), Path.of(args[2]), Path.of(args[3]));
		final TransformCache transforms = new TransformCache(Path.of(args[4]));
		for (final Alignment a : Alignment.values())
			for (final boolean crop : new boolean[] { false, true }) {
				final StudySetting s = new StudySetting(a, crop ? SimulationSettings.PHANTOM_ATROPHY_LABELS : List.of(), RoiBox.DEFAULT_MARGIN_MM,
						StudySetting.CHANGE, atlas, java.util.Map.of());
				final PairSource source = s.createSource(transforms, Progress.NONE);
				for (final CohortPair p : cohort.pairs())
					source.prepare(p); // registrations into the cache
				double prepare = 0, mask = 0;
				for (final CohortPair p : cohort.pairs()) {
					final double c0 = cpu();
					final ScanPair prepared = source.prepare(p);
					final double c1 = cpu();
					ForegroundMask.of(prepared.baseline());
					prepare += c1 - c0;
					mask += cpu() - c1;
				}
				System.out.printf("%-10s preparation (registrations cached) %.3f cpu-s a pair, foreground mask %.3f cpu-s a pair%n",
						a.key() + (crop ? "-roi" : ""), prepare / cohort.size(), mask / cohort.size());
			}
	}

	private static double cpu() {
		return ((com.sun.management.OperatingSystemMXBean) java.lang.management.ManagementFactory.getOperatingSystemMXBean()).getProcessCpuTime() / 1e9;
	}
}
