package org.progressionprobe.report;

import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;

import org.progressionprobe.align.PairPreparation;
import org.progressionprobe.command.Progress;
import org.progressionprobe.pipeline.FeatureBatch;
import org.progressionprobe.probe.ProbeSettings;
import org.progressionprobe.study.Study;
import org.progressionprobe.study.StudyResult;
import org.progressionprobe.study.StudySetting;
import org.progressionprobe.study.StudyStatistics;
import org.progressionprobe.table.Cohort;
import org.progressionprobe.table.CohortPair;
import org.progressionprobe.table.Csv;
import org.progressionprobe.table.FeatureTable;

/**
 * A study grid whose feature tables are synthetic (no scans, no registration): each setting's
 * features carry a signal whose strength depends on the alignment and the crop (pair and atlas
 * crops strong, no alignment weak), so a real study folder is written in seconds.
 */
final class SyntheticStudy {

	private SyntheticStudy() {}

	/** Alignments x crops x extractors; a name other than "change" is a network with {@code layers} layers. */
	static List<StudyResult> run(final Path dir, final List<String> alignments, final List<Boolean> crops, final List<String> extractors,
			final int layers, final int subjects, final StudyStatistics statistics) throws IOException {
		final List<StudySetting> settings = new ArrayList<>();
		final List<String> layerNames = new ArrayList<>();
		for (int l = 1; l <= layers; l++)
			layerNames.add("block" + l);
		for (final String extractor : extractors)
			for (final String a : alignments)
				for (final boolean crop : crops)
					settings.add(new StudySetting(PairPreparation.Alignment.valueOf(a.toUpperCase(java.util.Locale.ROOT)), crop ? List.of("Hippocampus.*") : List.of(), 10, extractor, null,
							extractor.equals(StudySetting.CHANGE) ? Map.of() : Map.of("layers", String.join(",", layerNames))));
		final List<CohortPair> pairs = new ArrayList<>();
		for (int s = 0; s < subjects; s++)
			pairs.add(new CohortPair(String.format("s%03d", s), Path.of("b.nii"), Path.of("f.nii"), s % 2, Map.of()));
		final Cohort cohort = new Cohort(dir.resolve("cohort.csv"), pairs);
		return new Study(settings, ProbeSettings.defaults().withFolds(4).withBootstrap(200).withC(1), (setting, c, output) -> {
			write(setting, c, output, setting.extractor().equals(StudySetting.CHANGE) ? List.of("") : layerNames);
			return new FeatureBatch.Result(output, c.size(), 0, Map.of());
		}, Progress.NONE).withStatistics(statistics).run(cohort, dir);
	}

	private static void write(final StudySetting setting, final Cohort cohort, final Path output, final List<String> layers) throws IOException {
		final double effect = switch (setting.alignment().key()) {
		case "none" -> 0.3;
		case "pair" -> 1.4;
		default -> 1.0;
		} + (setting.crops() ? 0.8 : 0);
		final Random random = new Random(setting.id().hashCode());
		final List<String> columns = new ArrayList<>(List.of("subject", "label"));
		for (final String layer : layers)
			for (int j = 0; j < 3; j++)
				columns.add((layer.isEmpty() ? "" : layer + "_") + "f" + j);
		final FeatureTable t = new FeatureTable(columns, Map.of("features", "synthetic " + setting.id()));
		for (final CohortPair p : cohort.pairs()) {
			final Map<String, String> row = new LinkedHashMap<>();
			row.put("subject", p.subject());
			row.put("label", Integer.toString(p.label()));
			for (int c = 2; c < columns.size(); c++)
				row.put(columns.get(c), Csv.number(random.nextGaussian() + (c % 3 == 2 ? effect * p.label() * (1 + 0.2 * (c / 3)) : 0)));
			t.addRow(row);
		}
		t.write(output);
	}
}
