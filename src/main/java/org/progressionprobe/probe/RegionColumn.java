package org.progressionprobe.probe;

import java.util.Collection;
import java.util.Locale;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * What a feature column pooled over, read from its name. The convention (shared with the change
 * and model feature extractors):
 * <ul>
 * <li>{@code <prefix>_cell_<i>_<j>_<k>}: a cell of a regular grid of gx x gy x gz cells laid over
 * the reference volume's voxel grid; cell i covers voxels {@code floor(i*nx/gx)} to
 * {@code floor((i+1)*nx/gx) - 1} along x, likewise j along y and k along z (0-based).</li>
 * <li>{@code <prefix>_<RegionName>}: an atlas region whose name is in the label-name file
 * (matched case-insensitively; the longest matching name wins, so region names may contain
 * underscores, e.g. {@code logjac_mean_Hippocampus_L} is region {@code Hippocampus_L}).</li>
 * </ul>
 * The prefix ({@code <map>_<stat>}, e.g. {@code logjac_mean}) names the family: columns of one
 * family form one weight map. A column matching neither form is not regional.
 *
 * @param column the column name
 * @param family the prefix ("" when the column is a bare region name)
 * @param region the region name as given in the label-name file, or null for a grid cell
 * @param cell the cell index (i, j, k), or null for a region
 */
public record RegionColumn(String column, String family, String region, int[] cell) {

	private static final Pattern CELL = Pattern.compile("^(?:(.*)_)?cell_(\\d+)_(\\d+)_(\\d+)$");

	/** The place a column pooled over, if its name follows the convention. */
	public static Optional<RegionColumn> parse(final String column, final Collection<String> regionNames) {
		final Matcher m = CELL.matcher(column);
		if (m.matches()) {
			try {
				return Optional.of(new RegionColumn(column, m.group(1) == null ? "" : m.group(1),
						null, new int[] { Integer.parseInt(m.group(2)), Integer.parseInt(m.group(3)), Integer.parseInt(m.group(4)) }));
			} catch (final NumberFormatException e) {
				return Optional.empty();
			}
		}
		final String lower = column.toLowerCase(Locale.ROOT);
		String best = null;
		for (final String name : regionNames) {
			final String n = name.toLowerCase(Locale.ROOT);
			if ((lower.equals(n) || lower.endsWith("_" + n)) && (best == null || name.length() > best.length()))
				best = name;
		}
		if (best == null)
			return Optional.empty();
		final String family = column.length() == best.length() ? "" : column.substring(0, column.length() - best.length() - 1);
		return Optional.of(new RegionColumn(column, family, best, null));
	}

	public boolean isCell() {
		return cell != null;
	}
}
