package org.progressionprobe.probe;

import org.progressionprobe.table.FeatureTable;

/**
 * Which columns of a feature table are not features: the subject identifier, the 0/1 label and
 * the group that keeps rows of one subject (several visits) together in cross-validation.
 *
 * @param subject subject identifier column
 * @param label label column (0 = stable, 1 = progressed)
 * @param group grouping column, or null for "{@code group} if the table has one, else the subject"
 */
public record ProbeColumns(String subject, String label, String group) {

	public static final String SUBJECT = "subject";
	public static final String LABEL = "label";
	public static final String GROUP = "group";

	public ProbeColumns {
		if (subject == null || subject.isBlank())
			subject = SUBJECT;
		if (label == null || label.isBlank())
			label = LABEL;
		if (group != null && group.isBlank())
			group = null;
	}

	/** subject, label, and group if present. */
	public static ProbeColumns defaults() {
		return new ProbeColumns(SUBJECT, LABEL, null);
	}

	/** The grouping column for this table: the given one, else {@code group} if present, else the subject column. */
	public String groupIn(final FeatureTable table) {
		if (group != null)
			return group;
		return table.hasColumn(GROUP) ? GROUP : subject;
	}
}
