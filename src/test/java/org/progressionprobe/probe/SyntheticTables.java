package org.progressionprobe.probe;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;

import org.progressionprobe.table.Csv;
import org.progressionprobe.table.FeatureTable;

/** Feature tables with known structure for the probe's tests. */
final class SyntheticTables {

	private SyntheticTables() {}

	/**
	 * One row per subject, balanced-ish labels; the first {@code informative} features are shifted by
	 * {@code effect} standard deviations in class 1, the others are noise.
	 */
	static FeatureTable signal(final int subjects, final int features, final int informative, final double effect, final long seed) {
		final Random r = new Random(seed);
		final FeatureTable t = new FeatureTable(header(false, features), Map.of("features", "synthetic signal effect=" + effect));
		for (int s = 0; s < subjects; s++) {
			final int label = s % 3 == 0 ? 1 : 0;
			final Map<String, String> row = new LinkedHashMap<>();
			row.put("subject", String.format("s%03d", s));
			row.put("label", Integer.toString(label));
			for (int j = 0; j < features; j++)
				row.put(name(j), Csv.number(r.nextGaussian() + (j < informative && label == 1 ? effect : 0)));
			t.addRow(row);
		}
		return t;
	}

	/**
	 * Several visits per subject, labels random per subject and unrelated to the features, but each
	 * subject has a strong fingerprint (its own mean feature vector): a split that puts visits of one
	 * subject on both sides leaks the label. The {@code group} column is the row when
	 * {@code groupPerRow}, else the subject.
	 */
	static FeatureTable fingerprinted(final int subjects, final int visits, final int features, final boolean groupPerRow, final long seed) {
		final Random r = new Random(seed);
		final FeatureTable t = new FeatureTable(header(true, features), Map.of());
		int rowNo = 0;
		for (int s = 0; s < subjects; s++) {
			final int label = s % 2;
			final double[] fingerprint = new double[features];
			for (int j = 0; j < features; j++)
				fingerprint[j] = 3 * r.nextGaussian();
			for (int v = 0; v < visits; v++) {
				final Map<String, String> row = new LinkedHashMap<>();
				row.put("subject", String.format("s%03d", s));
				row.put("group", groupPerRow ? "row" + rowNo : String.format("s%03d", s));
				row.put("label", Integer.toString(label));
				for (int j = 0; j < features; j++)
					row.put(name(j), Csv.number(fingerprint[j] + 0.3 * r.nextGaussian()));
				t.addRow(row);
				rowNo++;
			}
		}
		return t;
	}

	static String name(final int j) {
		return String.format("f%03d", j);
	}

	private static List<String> header(final boolean group, final int features) {
		final List<String> h = new ArrayList<>(List.of("subject", "label"));
		if (group)
			h.add("group");
		for (int j = 0; j < features; j++)
			h.add(name(j));
		return h;
	}
}
