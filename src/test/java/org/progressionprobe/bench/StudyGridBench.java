package org.progressionprobe.bench;

import java.lang.management.ManagementFactory;
import java.lang.management.MemoryPoolMXBean;
import java.lang.management.MemoryType;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import org.progressionprobe.align.AtlasSource;
import org.progressionprobe.align.RoiBox;
import org.progressionprobe.align.TransformCache;
import org.progressionprobe.command.Progress;
import org.progressionprobe.io.AtlasFiles;
import org.progressionprobe.io.VolumeIO;
import org.progressionprobe.probe.ProbeSettings;
import org.progressionprobe.sim.CohortSimulator;
import org.progressionprobe.sim.PhantomAtlas;
import org.progressionprobe.sim.SimulationSettings;
import org.progressionprobe.study.FeatureTableBuilder;
import org.progressionprobe.study.Study;
import org.progressionprobe.study.StudyPlan;
import org.progressionprobe.study.StudyResult;
import org.progressionprobe.table.Cohort;
import org.progressionprobe.volume.Atlas;
import org.progressionprobe.volume.AtlasResolution;

/**
 * The issue-25 study grid on a simulated cohort: alignments none, pair, atlas x crop off, on x
 * extractors change, builtin-registration, builtin-unet (18 settings), an atlas at 1 mm (the phantom
 * at 1 mm, or a given template with labels and names) and scans at 2 mm simulated from it. Prints the
 * minutes, each setting's feature time and share, the probe time, the JVM's peak heap and the
 * comparison. {@code before}: one thread, atlas space on the atlas's own grid (the behaviour before
 * issue 25); {@code after}: every core, atlas space at the scans' voxel size, {@code pairs} pairs at once.
 * Wall times on a shared machine depend on its load; the process CPU seconds of each setting do much
 * less, so both are printed. {@code -Dgrid.alignments=atlas -Dgrid.roi=off -Dgrid.extractors=change}
 * runs a part of the grid.
 *
 * <pre>
 * scripts/bench/study_grid.sh [subjects] [work_dir] [template labels names]
 * java ... org.progressionprobe.bench.StudyGridBench work_dir subjects before|after [pairs] [template labels names]
 * </pre>
 */
public final class StudyGridBench {

	private StudyGridBench() {}

	public static void main(final String[] args) throws Exception {
		final Path work = Path.of(args[0]);
		final int subjects = Integer.parseInt(args[1]);
		final boolean before = args[2].equals("before");
		final int pairs = args.length > 3 ? Integer.parseInt(args[3]) : 1;
		final AtlasSource atlas = args.length > 6 ? new AtlasSource(Path.of(args[4]), Path.of(args[5]), Path.of(args[6])) : phantom1mm(work);
		final long t0 = System.nanoTime();
		SimulationSettings sim = SimulationSettings.defaults().withSubjects(subjects, 25).withVoxelSize(2);
		if (args.length > 6)
			sim = sim.withTemplate(atlas.template(), atlas.labels(), atlas.names());
		final CohortSimulator.Result simulated = new CohortSimulator(sim, Progress.NONE).run(work.resolve("cohort-" + subjects));
		System.out.printf("simulated %d subjects at 2 mm in %.1f min%n", subjects, (System.nanoTime() - t0) / 6e10);

		final String mode = before ? "before" : "after";
		final Path out = work.resolve("study-" + mode + "-" + subjects);
		final int threads = before ? 1 : 0;
		final AtlasResolution resolution = before ? AtlasResolution.ATLAS : AtlasResolution.SCANS;
		final List<String> roi = args.length > 6 ? List.of(StudyPlan.DEFAULT_ROI_LABELS.split(",")) : SimulationSettings.PHANTOM_ATROPHY_LABELS;
		final StudyPlan plan = new StudyPlan(list("grid.alignments", "none,pair,atlas"), list("grid.roi", "off,on"), roi, RoiBox.DEFAULT_MARGIN_MM,
				list("grid.extractors", "change,builtin-registration,builtin-unet"), StudyPlan.ModelOptions.defaults(), atlas, resolution);
		final FeatureTableBuilder local = before ? FeatureTableBuilder.local(new TransformCache(out.resolve(Study.TRANSFORMS_DIR)), Progress.NONE, threads, 1)
				: FeatureTableBuilder.cachedIn(out, Progress.NONE, threads, pairs);
		final Map<String, Double> seconds = new LinkedHashMap<>(), cpuSeconds = new LinkedHashMap<>();
		final FeatureTableBuilder timed = (setting, cohort, output) -> {
			final long s = System.nanoTime();
			final double c = cpu();
			try {
				return local.build(setting, cohort, output);
			} finally {
				seconds.put(setting.id(), (System.nanoTime() - s) / 1e9);
				cpuSeconds.put(setting.id(), cpu() - c);
				System.out.printf("  %-36s wall %7.1f s, cpu %7.1f s, load %.1f%n", setting.id(), seconds.get(setting.id()), cpuSeconds.get(setting.id()),
						ManagementFactory.getOperatingSystemMXBean().getSystemLoadAverage());
			}
		};
		final long s0 = System.nanoTime();
		final double c0 = cpu();
		final List<StudyResult> results = new Study(plan.settings(), ProbeSettings.defaults().withSeed(1), timed, Progress.NONE)
				.run(Cohort.readLabelled(simulated.cohort()), out);
		final double total = (System.nanoTime() - s0) / 1e9, totalCpu = cpu() - c0;
		final double features = seconds.values().stream().mapToDouble(Double::doubleValue).sum();
		System.out.printf("%s (threads %s, atlas space %s, pairs at once %d): %d subjects, grid %.2f min (features %.2f min, probes %.2f min), "
				+ "cpu %.2f min, peak heap %.0f MB, cores %d%n", mode, threads == 0 ? "all" : "1", resolution, before ? 1 : pairs, subjects, total / 60,
				features / 60, (total - features) / 60, totalCpu / 60, peakHeapMb(), Runtime.getRuntime().availableProcessors());
		for (final Map.Entry<String, Double> e : seconds.entrySet())
			System.out.printf("share %-36s wall %7.1f s %5.1f%%, cpu %7.1f s %5.1f%%%n", e.getKey(), e.getValue(), 100 * e.getValue() / total,
					cpuSeconds.get(e.getKey()), 100 * cpuSeconds.get(e.getKey()) / totalCpu);
		System.out.print(Study.table(results));
	}

	private static List<String> list(final String property, final String value) {
		return List.of(System.getProperty(property, value).split(","));
	}

	private static double cpu() {
		return ((com.sun.management.OperatingSystemMXBean) ManagementFactory.getOperatingSystemMXBean()).getProcessCpuTime() / 1e9;
	}

	/** The phantom atlas at 1 mm (the resolution of MNI/AAL), written once into the work folder. */
	private static AtlasSource phantom1mm(final Path work) throws Exception {
		final Path dir = work.resolve("atlas-1mm");
		final AtlasSource a = new AtlasSource(dir.resolve("template.nii.gz"), dir.resolve("labels.nii.gz"), dir.resolve("labels.txt"));
		if (!Files.isRegularFile(a.names())) {
			final Atlas p = PhantomAtlas.create(1.0);
			VolumeIO.write(p.template(), a.template());
			VolumeIO.writeLabels(p.labels(), a.labels());
			AtlasFiles.writeNames(p.names(), a.names());
		}
		return a;
	}

	/** Sum of the heap pools' peak use (an upper bound of the live data: garbage counts until collected). */
	private static double peakHeapMb() {
		long b = 0;
		for (final MemoryPoolMXBean p : ManagementFactory.getMemoryPoolMXBeans())
			if (p.getType() == MemoryType.HEAP)
				b += p.getPeakUsage().getUsed();
		return b / 1e6;
	}
}
