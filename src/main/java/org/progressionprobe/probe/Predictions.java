package org.progressionprobe.probe;

import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import org.progressionprobe.io.AtomicOutput;
import org.progressionprobe.table.Csv;

/**
 * A probe's predictions for a set of rows: subject, probability of class 1, predicted label at a
 * threshold, and the true label when known. Written as CSV with provenance lines.
 *
 * @param subjects subject per row
 * @param probabilities probability of class 1 per row
 * @param threshold probability from which a row is predicted 1
 * @param labels true 0/1 labels, or null when unknown
 */
public record Predictions(List<String> subjects, double[] probabilities, double threshold, int[] labels) {

	public Predictions {
		subjects = List.copyOf(subjects);
		if (probabilities.length != subjects.size() || (labels != null && labels.length != subjects.size()))
			throw new IllegalArgumentException("Subjects, probabilities and labels differ in number");
		probabilities = probabilities.clone();
		labels = labels == null ? null : labels.clone();
	}

	/** Predicted label per row: 1 where the probability reaches the threshold. */
	public int[] predicted() {
		final int[] out = new int[probabilities.length];
		for (int i = 0; i < out.length; i++)
			out[i] = probabilities[i] >= threshold ? 1 : 0;
		return out;
	}

	@Override
	public double[] probabilities() {
		return probabilities.clone();
	}

	@Override
	public int[] labels() {
		return labels == null ? null : labels.clone();
	}

	/** CSV text: provenance lines, then subject, probability, predicted (and label when known). */
	public String toCsv(final Map<String, String> provenance) {
		final StringBuilder sb = new StringBuilder();
		for (final Map.Entry<String, String> e : provenance.entrySet())
			sb.append("# ").append(e.getKey()).append(": ").append(e.getValue().replace('\n', ' ')).append('\n');
		final List<String> header = new ArrayList<>(List.of("subject", "probability", "predicted"));
		if (labels != null)
			header.add("label");
		sb.append(Csv.join(header)).append('\n');
		final int[] predicted = predicted();
		for (int i = 0; i < probabilities.length; i++) {
			final List<String> row = new ArrayList<>(List.of(subjects.get(i), Csv.number(probabilities[i]), Integer.toString(predicted[i])));
			if (labels != null)
				row.add(Integer.toString(labels[i]));
			sb.append(Csv.join(row)).append('\n');
		}
		return sb.toString();
	}

	/** Writes the CSV atomically. */
	public void write(final Path file, final Map<String, String> provenance) throws IOException {
		AtomicOutput.writeString(file, toCsv(provenance));
	}
}
