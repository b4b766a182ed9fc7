package org.progressionprobe.sim;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ForkJoinPool;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import org.progressionprobe.command.Progress;
import org.progressionprobe.io.AtlasFiles;
import org.progressionprobe.io.AtomicOutput;
import org.progressionprobe.io.DisplacementFieldFiles;
import org.progressionprobe.io.NiftiWriter;
import org.progressionprobe.io.VolumeIO;
import org.progressionprobe.table.Cohort;
import org.progressionprobe.table.CohortPair;
import org.progressionprobe.table.FeatureTable;
import org.progressionprobe.volume.Atlas;
import org.progressionprobe.volume.GaussianSmoothing;
import org.progressionprobe.volume.Grid;
import org.progressionprobe.volume.Resampler;
import org.progressionprobe.volume.Volume;

/**
 * Simulates a longitudinal cohort with known truth into a folder: per subject a baseline and a
 * follow-up scan ({@code sub-001_baseline.nii.gz}, {@code sub-001_followup.nii.gz}), optionally the
 * baseline label map, the true atrophy displacement field and the true map to the atlas, and a one-row truth file
 * ({@code sub-001_truth.csv}, written last: its presence marks the subject complete); then
 * {@code cohort.csv} (subject, baseline, followup, label), {@code truth.csv} (all truth rows with
 * the conventions in its header) and the atlas used ({@code atlas_template.nii.gz},
 * {@code atlas_labels.nii.gz}, {@code atlas_labels.txt}).
 * <p>
 * Every file is written atomically. A run that was stopped resumes: complete subjects are skipped,
 * missing files of other subjects are written, and since each subject depends only on the settings
 * and its index, the files are identical to those of an uninterrupted run. The settings are kept
 * in {@code simulation_settings.txt}; a folder simulated with other settings is refused. Subjects
 * are simulated in parallel, each with a seed derived from the master seed, so the output does not
 * depend on the number of threads.
 */
public final class CohortSimulator {

	/** What a run produced. */
	public record Result(Path cohort, Path truth, int subjects, int progressors, int simulated, int resumed, double seconds) {

		/** One line for a user. */
		public String summary() {
			return String.format("%d subjects (%d progressors, %d stable): %d simulated, %d already complete, in %.1f s; cohort: %s", subjects,
					progressors, subjects - progressors, simulated, resumed, seconds, cohort);
		}
	}

	public static final String COHORT = "cohort.csv", TRUTH = "truth.csv", SETTINGS = "simulation_settings.txt",
			ATLAS_TEMPLATE = "atlas_template.nii.gz", ATLAS_LABELS = "atlas_labels.nii.gz", ATLAS_NAMES = "atlas_labels.txt";

	/** The atlas files (template, labels, label names) the simulator writes into a folder. */
	public static Path[] atlasFiles(final Path dir) {
		return new Path[] { dir.resolve(ATLAS_TEMPLATE), dir.resolve(ATLAS_LABELS), dir.resolve(ATLAS_NAMES) };
	}

	private final SimulationSettings settings;
	private final Progress progress;
	private final int threads;

	public CohortSimulator(final SimulationSettings settings, final Progress progress) {
		this(settings, progress, 0);
	}

	/** @param threads subjects simulated at once; 0: one per core, fewer if memory is short */
	public CohortSimulator(final SimulationSettings settings, final Progress progress, final int threads) {
		this.settings = settings;
		this.progress = progress;
		this.threads = threads;
	}

	/** The atlas the settings ask for: the phantom at the voxel size, or the given files, coarsened to the voxel size if that is coarser. */
	public static Atlas loadAtlas(final SimulationSettings settings) throws IOException {
		if (settings.phantom())
			return PhantomAtlas.create(settings.voxelSizeMm());
		final Atlas full = AtlasFiles.read(settings.template(), settings.atlas(), settings.atlasNames());
		final double[] vs = full.template().voxelSize();
		final double[] factor = new double[3];
		boolean coarser = false;
		for (int d = 0; d < 3; d++) {
			factor[d] = Math.max(1, settings.voxelSizeMm() / vs[d]);
			coarser |= factor[d] > 1.01;
		}
		if (!coarser)
			return full;
		final Grid grid = Grid.of(full.template()).coarsened(factor);
		final double have = Math.min(vs[0], Math.min(vs[1], vs[2]));
		final double sigma = 0.42 * Math.sqrt(Math.max(0, settings.voxelSizeMm() * settings.voxelSizeMm() - have * have));
		final Volume template = Resampler.linear().resample(new GaussianSmoothing(sigma).apply(full.template()), grid);
		final Volume labels = Resampler.nearest().resample(full.labels(), grid);
		return new Atlas(template, labels, full.names());
	}

	/** Simulates (or completes) the cohort in {@code dir}. */
	public Result run(final Path dir) throws IOException {
		final long start = System.nanoTime();
		final Atlas atlas = loadAtlas(settings);
		final List<Integer> atrophy = atlas.labelsMatching(settings.effectiveAtrophyLabels());
		if (atrophy.isEmpty())
			throw new IllegalArgumentException("atrophy_labels " + settings.effectiveAtrophyLabels() + " match no label of the atlas (labels: "
					+ String.join(", ", atlas.names().values()) + ")");
		final Set<Integer> fill = new HashSet<>(atlas.labelsMatching(settings.fillLabels()));
		fill.removeAll(atrophy);
		if (fill.isEmpty())
			fill.add(0);
		final double whiteMatter = settings.phantom() ? PhantomAtlas.WHITE_MATTER : SubjectSimulator.whiteMatterIntensity(atlas);

		Files.createDirectories(dir);
		checkSettings(dir);
		removeStaleParts(dir);
		final Path[] atlasFiles = atlasFiles(dir);
		writeIfAbsent(atlasFiles[0], p -> VolumeIO.write(atlas.template(), p));
		writeIfAbsent(atlasFiles[1], p -> VolumeIO.writeLabels(atlas.labels(), p));
		writeIfAbsent(atlasFiles[2], p -> AtlasFiles.writeNames(atlas.names(), p));

		final int n = settings.subjects();
		final boolean[] progressor = Seeds.progressors(n, settings.progressorFraction(), settings.seed());
		final SubjectSimulator simulator = new SubjectSimulator(atlas, whiteMatter, settings, atrophy, fill);
		final TruthTable truth = new TruthTable(atlas.names(), atrophy, atlas.labels());
		final List<Integer> todo = new ArrayList<>();
		for (int i = 0; i < n; i++)
			if (!complete(dir, id(i)))
				todo.add(i);
		final AtomicInteger done = new AtomicInteger(n - todo.size());
		progress.report("Simulate Cohort", done.get(), n);
		final ForkJoinPool pool = new ForkJoinPool(threads > 0 ? threads : threads(atlas, todo.size()));
		try {
			pool.submit(() -> todo.parallelStream().forEach(i -> {
				progress.checkCancelled();
				try {
					writeSubject(dir, simulator.simulate(id(i), Seeds.subject(settings.seed(), i), progressor[i]), truth);
				} catch (final IOException e) {
					throw new java.io.UncheckedIOException(e);
				}
				progress.report("Simulate Cohort", done.incrementAndGet(), n);
			})).get();
		} catch (final InterruptedException e) {
			Thread.currentThread().interrupt();
			throw new java.util.concurrent.CancellationException("Interrupted");
		} catch (final ExecutionException e) {
			final Throwable c = e.getCause();
			if (c instanceof java.io.UncheckedIOException u)
				throw u.getCause();
			if (c instanceof RuntimeException r)
				throw r;
			throw new IOException(c);
		} finally {
			pool.shutdown();
		}

		final FeatureTable all = truth.table(provenance());
		final List<CohortPair> pairs = new ArrayList<>();
		int progressors = 0;
		for (int i = 0; i < n; i++) {
			final FeatureTable row = FeatureTable.read(dir.resolve(id(i) + "_truth.csv"));
			final Map<String, String> cells = new LinkedHashMap<>();
			for (final String c : row.columns())
				cells.put(c, row.text(0, c));
			all.addRow(cells);
			final Map<String, String> extra = new LinkedHashMap<>();
			if (settings.writeLabels())
				extra.put("baseline_labels", id(i) + "_baseline_labels.nii.gz");
			pairs.add(new CohortPair(id(i), dir.resolve(id(i) + "_baseline.nii.gz"), dir.resolve(id(i) + "_followup.nii.gz"), progressor[i] ? 1 : 0,
					extra));
			progressors += progressor[i] ? 1 : 0;
		}
		all.write(dir.resolve(TRUTH));
		Cohort.write(dir.resolve(COHORT), pairs);
		return new Result(dir.resolve(COHORT), dir.resolve(TRUTH), n, progressors, todo.size(), n - todo.size(), (System.nanoTime() - start) / 1e9);
	}

	/** Subject identifier: sub-001, sub-002, ... (wider for cohorts of 1000 or more). */
	String id(final int index) {
		final int width = Math.max(3, Integer.toString(settings.subjects()).length());
		return String.format("sub-%0" + width + "d", index + 1);
	}

	private List<String> files(final String id) {
		final List<String> f = new ArrayList<>(List.of(id + "_baseline.nii.gz", id + "_followup.nii.gz"));
		if (settings.writeLabels())
			f.add(id + "_baseline_labels.nii.gz");
		if (settings.writeDisplacement())
			f.add(id + "_displacement.nii.gz");
		if (settings.writeAnatomy())
			f.add(id + "_anatomy.nii.gz");
		return f;
	}

	private boolean complete(final Path dir, final String id) {
		if (!Files.exists(dir.resolve(id + "_truth.csv")))
			return false;
		for (final String f : files(id))
			if (!Files.exists(dir.resolve(f)))
				return false;
		return true;
	}

	/** Writes a subject's missing files, the truth row last. */
	private void writeSubject(final Path dir, final SubjectSimulator.Subject s, final TruthTable truth) throws IOException {
		final String id = s.id();
		writeIfAbsent(dir.resolve(id + "_baseline.nii.gz"), p -> writeScan(s.baseline(), p));
		if (settings.writeLabels())
			writeIfAbsent(dir.resolve(id + "_baseline_labels.nii.gz"), p -> VolumeIO.writeLabels(s.labels(), p));
		if (settings.writeDisplacement())
			writeIfAbsent(dir.resolve(id + "_displacement.nii.gz"), p -> DisplacementFieldFiles.write(s.displacement(), p));
		if (settings.writeAnatomy())
			writeIfAbsent(dir.resolve(id + "_anatomy.nii.gz"), p -> DisplacementFieldFiles.write(s.anatomy(), p));
		writeIfAbsent(dir.resolve(id + "_followup.nii.gz"), p -> writeScan(s.followup(), p));
		writeIfAbsent(dir.resolve(id + "_truth.csv"), p -> truth.row(s).write(p));
	}

	/** A scan as int16 when its values are integers (see {@link SubjectSimulator#integerIntensities}), else float32. */
	private static void writeScan(final Volume scan, final Path file) throws IOException {
		for (final float v : scan.data())
			if (v != Math.rint(v) || v < Short.MIN_VALUE || v > Short.MAX_VALUE) {
				VolumeIO.write(scan, file);
				return;
			}
		new NiftiWriter().write(scan, file, NiftiWriter.Datatype.INT16);
	}

	@FunctionalInterface
	private interface Writer {
		void write(Path p) throws IOException;
	}

	private static void writeIfAbsent(final Path file, final Writer writer) throws IOException {
		if (!Files.exists(file))
			writer.write(file);
	}

	/** Writes the settings on a first run; refuses a folder simulated with other settings. */
	private void checkSettings(final Path dir) throws IOException {
		final Path file = dir.resolve(SETTINGS);
		final StringBuilder sb = new StringBuilder();
		for (final Map.Entry<String, String> e : settings.identity().entrySet())
			sb.append(e.getKey()).append(": ").append(e.getValue()).append('\n');
		if (!Files.exists(file)) {
			AtomicOutput.writeString(file, sb.toString());
			return;
		}
		final List<String> before = Files.readAllLines(file, StandardCharsets.UTF_8), now = List.of(sb.toString().split("\n"));
		if (before.equals(now))
			return;
		final List<String> diff = new ArrayList<>();
		for (final String line : now)
			if (!before.contains(line)) {
				final String key = line.substring(0, line.indexOf(':'));
				final String old = before.stream().filter(b -> b.startsWith(key + ":")).findFirst().map(b -> b.substring(key.length() + 1).trim())
						.orElse("(none)");
				diff.add(key + " " + old + " -> " + line.substring(key.length() + 1).trim());
			}
		throw new IllegalArgumentException(dir + " holds a cohort simulated with other settings (" + String.join("; ", diff)
				+ "): choose another output_dir, or empty this one");
	}

	private static final Pattern PART = Pattern.compile("^\\.((sub-\\d+_.+)|cohort\\.csv|truth\\.csv|atlas_.+|simulation_settings\\.txt)\\.[0-9a-f]+-(\\d+)\\.part$");

	/** Deletes our own temporary files left behind by a killed run (their process is gone). */
	private static void removeStaleParts(final Path dir) throws IOException {
		try (DirectoryStream<Path> files = Files.newDirectoryStream(dir, ".*.part")) {
			for (final Path f : files) {
				final Matcher m = PART.matcher(f.getFileName().toString());
				if (!m.matches())
					continue;
				final long pid = Long.parseLong(m.group(3));
				if (pid != ProcessHandle.current().pid() && !ProcessHandle.of(pid).map(ProcessHandle::isAlive).orElse(false))
					Files.deleteIfExists(f);
			}
		}
	}

	/** Subjects in parallel: one per core, fewer if the heap could not hold them. */
	private static int threads(final Atlas atlas, final int todo) {
		final long perSubject = 48L * 4 * atlas.template().voxelCount();
		final long byMemory = Math.max(1, Runtime.getRuntime().maxMemory() / perSubject - 1);
		return (int) Math.max(1, Math.min(Math.min(Runtime.getRuntime().availableProcessors(), byMemory), Math.max(1, todo)));
	}

	private Map<String, String> provenance() {
		final Map<String, String> p = new LinkedHashMap<>();
		p.put("simulator", "Progression Probe, Simulate Cohort");
		p.putAll(settings.identity());
		p.put("motion", "follow-up world point = Rz Ry Rx p + shift for the baseline world point p; rotations in degrees about the world x, y, z axes"
				+ " through the origin, x first; a follow-up-to-baseline registration recovers the inverse");
		p.put("volumes", "partial-volume label volumes: each atlas label's indicator interpolated trilinearly and integrated over the subject"
				+ " (baseline_volume_mm3); volume_change_percent = 100 (follow-up - baseline) / baseline, before the motion; target_change_percent:"
				+ " the loss the atrophy was calibrated to");
		p.put("displacement", "sub-*_displacement.nii.gz holds d(x) in mm: the follow-up point x (baseline world, before the motion) shows the"
				+ " baseline anatomy at x + d(x)");
		p.put("anatomy", "sub-*_anatomy.nii.gz holds a(p) in mm: the baseline point p shows the atlas at p + a(p)");
		return p;
	}

	/** Builds the rows of truth.csv. */
	static final class TruthTable {
		private final Map<Integer, String> names = new LinkedHashMap<>();
		private final List<Integer> atrophy;
		private final List<String> columns = new ArrayList<>();

		TruthTable(final Map<Integer, String> atlasNames, final List<Integer> atrophy, final Volume labels) {
			final Set<Integer> present = new java.util.TreeSet<>(atlasNames.keySet());
			for (final float v : labels.data())
				if (v != 0)
					present.add((int) v);
			for (final int l : present)
				names.put(l, atlasNames.getOrDefault(l, "label" + l));
			this.atrophy = List.copyOf(atrophy);
			columns.addAll(List.of("subject", "label", "seed", "rotation_x_deg", "rotation_y_deg", "rotation_z_deg", "shift_x_mm", "shift_y_mm",
					"shift_z_mm"));
			for (final int l : atrophy)
				columns.add("target_change_percent_" + names.get(l));
			for (final String n : names.values())
				columns.add("volume_change_percent_" + n);
			for (final String n : names.values())
				columns.add("baseline_volume_mm3_" + n);
		}

		FeatureTable table(final Map<String, String> provenance) {
			return new FeatureTable(columns, provenance);
		}

		FeatureTable row(final SubjectSimulator.Subject s) {
			final Map<String, String> c = new LinkedHashMap<>();
			c.put("subject", s.id());
			c.put("label", s.progressor() ? "1" : "0");
			c.put("seed", Long.toString(s.seed()));
			final String[] axis = { "x", "y", "z" };
			for (int d = 0; d < 3; d++)
				c.put("rotation_" + axis[d] + "_deg", number(s.motion().rotationDeg()[d], 1e6));
			for (int d = 0; d < 3; d++)
				c.put("shift_" + axis[d] + "_mm", number(s.motion().shiftMm()[d], 1e6));
			for (final int l : atrophy)
				c.put("target_change_percent_" + names.get(l), number(-s.targetPercent().get(l), 1e4));
			for (final Map.Entry<Integer, String> e : names.entrySet())
				c.put("volume_change_percent_" + e.getValue(), number(s.changePercent(e.getKey()), 1e4));
			for (final Map.Entry<Integer, String> e : names.entrySet()) {
				final int l = e.getKey();
				c.put("baseline_volume_mm3_" + e.getValue(), number(l < s.baselineVolumes().length ? s.baselineVolumes()[l] : 0, 1e3));
			}
			final FeatureTable t = new FeatureTable(columns, Map.of());
			t.addRow(c);
			return t;
		}

		/** The value rounded to 1/scale (a power of ten), as plain decimal text independent of the Java version. */
		private static String number(final double v, final double scale) {
			final int digits = (int) Math.round(Math.log10(scale));
			final java.math.BigDecimal d = java.math.BigDecimal.valueOf(Math.round(v * scale)).movePointLeft(digits).stripTrailingZeros();
			return d.signum() == 0 ? "0" : d.toPlainString();
		}
	}
}
