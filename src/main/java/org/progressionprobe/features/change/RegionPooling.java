package org.progressionprobe.features.change;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;

import org.progressionprobe.stats.Percentile;
import org.progressionprobe.table.FeatureVector;
import org.progressionprobe.volume.Volume;
import org.progressionprobe.volume.VoxelBox;

/**
 * Pools voxel maps over regions: the whole foreground, atlas regions of a label image, or a
 * regular grid of cells over the foreground's bounding box. A region's statistics are its mean and
 * percentiles (linear interpolation between order statistics, as numpy's default), named
 * {@code MAP_STAT_REGION}: {@code logjac_mean_foreground}, {@code dispmag_p95_cell_1_2_0},
 * {@code logjac_p50_Hippocampus_L}. An empty region gives NaN, so every subject gets the same
 * columns.
 */
final class RegionPooling {

	/** A named set of voxel indices, ascending. */
	record Region(String name, int[] voxels) {}

	private RegionPooling() {}

	/**
	 * The regions, in column order: foreground first; then, with a label image, one region per
	 * named label (ascending label value; without names, one per label value present, called
	 * {@code label_N}); without one, grid cells {@code cell_i_j_k} (i along x, j along y, k along z;
	 * i slowest) restricted to the foreground.
	 */
	static List<Region> regions(final boolean[] foreground, final Volume labels, final Map<Integer, String> names, final int[] cells,
			final int[] size) {
		final List<Region> out = new ArrayList<>();
		out.add(new Region("foreground", indices(foreground)));
		if (labels != null)
			out.addAll(labelRegions(labels, names));
		else
			out.addAll(cellRegions(foreground, cells, size));
		return out;
	}

	/**
	 * Checks a label image against the baseline's foreground and the label names before any work:
	 * refuses a label image that is all 0, names of which no label occurs in the image, and labels
	 * that all lie outside the head (the bounding box of the foreground: a deep structure darker than
	 * the foreground threshold is still inside it); returns one warning per label whose columns will be
	 * NaN (named but absent) or measure only background (outside the head).
	 *
	 * @param what names the label image in messages (its file, or the subject)
	 */
	static List<String> checkLabels(final String what, final boolean[] foreground, final Volume labels, final Map<Integer, String> names) {
		final float[] l = labels.data();
		final VoxelBox head = VoxelBox.of(labels, i -> foreground[i]);
		final int nx = labels.nx(), ny = labels.ny();
		final java.util.TreeMap<Integer, int[]> counts = new java.util.TreeMap<>(); // value -> {voxels, in the head's box}
		for (int i = 0; i < l.length; i++)
			if (l[i] != 0) {
				final int[] c = counts.computeIfAbsent(Math.round(l[i]), k -> new int[2]);
				c[0]++;
				if (head != null && head.contains(i % nx, (i / nx) % ny, i / (nx * ny)))
					c[1]++;
			}
		if (counts.isEmpty())
			throw new IllegalArgumentException(what + ": the label image is all 0: it has no labelled voxel");
		final boolean named = names != null && !names.isEmpty();
		final Set<Integer> used = named ? new TreeSet<>(names.keySet()) : counts.keySet();
		final List<String> warnings = new ArrayList<>();
		int inside = 0;
		for (final int v : used) {
			final String label = named ? "'" + names.get(v) + "' (value " + v + ")" : "label " + v;
			final int[] c = counts.get(v);
			if (c == null)
				warnings.add(what + ": " + label + " is not in the label image: its feature columns are NaN");
			else if (c[1] == 0)
				warnings.add(what + ": " + label + " lies outside the head: none of its " + c[0]
						+ " voxels is within the baseline's foreground (its bounding box), its columns measure background only");
			else
				inside++;
		}
		if (named && used.stream().noneMatch(counts::containsKey))
			throw new IllegalArgumentException(what + ": none of the " + used.size() + " named labels occurs in the label image (values in the names: "
					+ abbreviate(used) + "; values in the image: " + abbreviate(counts.keySet()) + ")");
		if (inside == 0)
			throw new IllegalArgumentException(what + ": the labels lie outside the head: none of the labelled voxels is within the"
					+ " baseline's foreground (its bounding box; does the label image belong to this scan?)");
		return warnings;
	}

	private static String abbreviate(final Set<Integer> values) {
		final List<Integer> l = new ArrayList<>(values);
		return l.size() <= 10 ? l.toString() : l.subList(0, 10) + " and " + (l.size() - 10) + " more";
	}

	private static List<Region> labelRegions(final Volume labels, final Map<Integer, String> names) {
		final float[] l = labels.data();
		final Set<Integer> values = new TreeSet<>();
		if (names != null && !names.isEmpty())
			values.addAll(names.keySet());
		else
			for (final float v : l)
				if (v != 0)
					values.add(Math.round(v));
		final List<Integer> order = new ArrayList<>(values);
		final int[] counts = new int[order.size()];
		final java.util.HashMap<Integer, Integer> slot = new java.util.HashMap<>();
		for (int i = 0; i < order.size(); i++)
			slot.put(order.get(i), i);
		final int[] which = new int[l.length];
		for (int i = 0; i < l.length; i++) {
			final Integer s = l[i] == 0 ? null : slot.get(Math.round(l[i]));
			which[i] = s == null ? -1 : s;
			if (s != null)
				counts[s]++;
		}
		final int[][] vox = new int[order.size()][];
		for (int s = 0; s < vox.length; s++)
			vox[s] = new int[counts[s]];
		final int[] fill = new int[order.size()];
		for (int i = 0; i < l.length; i++)
			if (which[i] >= 0)
				vox[which[i]][fill[which[i]]++] = i;
		final List<Region> out = new ArrayList<>();
		final Set<String> used = new HashSet<>();
		for (int s = 0; s < order.size(); s++) {
			final int value = order.get(s);
			String name = names != null && names.containsKey(value) ? columnName(names.get(value)) : "label_" + value;
			if (!used.add(name)) {
				name = name + "_" + value;
				used.add(name);
			}
			out.add(new Region(name, vox[s]));
		}
		return out;
	}

	private static List<Region> cellRegions(final boolean[] foreground, final int[] cells, final int[] size) {
		final int nx = size[0], ny = size[1], nz = size[2];
		final VoxelBox box = VoxelBox.of(nx, ny, nz, o -> foreground[o]);
		final int[] lo = box == null ? new int[3] : box.lo(), hi = box == null ? new int[3] : box.hi();
		final int cx = cells[0], cy = cells[1], cz = cells[2];
		final int[] counts = new int[cx * cy * cz];
		final int[] which = new int[foreground.length];
		Arrays.fill(which, -1);
		for (int z = 0; z < nz; z++)
			for (int y = 0; y < ny; y++)
				for (int x = 0; x < nx; x++) {
					final int o = (z * ny + y) * nx + x;
					if (!foreground[o])
						continue;
					final int i = cell(x, lo[0], hi[0], cx), j = cell(y, lo[1], hi[1], cy), k = cell(z, lo[2], hi[2], cz);
					which[o] = (i * cy + j) * cz + k;
					counts[which[o]]++;
				}
		final int[][] vox = new int[counts.length][];
		for (int c = 0; c < counts.length; c++)
			vox[c] = new int[counts[c]];
		final int[] fill = new int[counts.length];
		for (int o = 0; o < which.length; o++)
			if (which[o] >= 0)
				vox[which[o]][fill[which[o]]++] = o;
		final List<Region> out = new ArrayList<>();
		for (int i = 0; i < cx; i++)
			for (int j = 0; j < cy; j++)
				for (int k = 0; k < cz; k++)
					out.add(new Region("cell_" + i + "_" + j + "_" + k, vox[(i * cy + j) * cz + k]));
		return out;
	}

	/** Which of {@code n} equal parts of [lo, hi] the index falls in. */
	private static int cell(final int x, final int lo, final int hi, final int n) {
		return Math.min(n - 1, (int) ((long) (x - lo) * n / (hi - lo + 1)));
	}

	private static int[] indices(final boolean[] mask) {
		int n = 0;
		for (final boolean b : mask)
			if (b)
				n++;
		final int[] out = new int[n];
		int k = 0;
		for (int i = 0; i < mask.length; i++)
			if (mask[i])
				out[k++] = i;
		return out;
	}

	/** Adds {@code MAP_mean_REGION} and {@code MAP_pP_REGION} for each percentile. */
	static void pool(final FeatureVector.Builder b, final String map, final float[] values, final Region r, final double[] percentiles) {
		final int n = r.voxels().length;
		final double[] v = new double[n];
		double sum = 0;
		for (int i = 0; i < n; i++) {
			v[i] = values[r.voxels()[i]];
			sum += v[i];
		}
		b.add(map + "_mean_" + r.name(), n == 0 ? Double.NaN : sum / n);
		Arrays.sort(v);
		for (final double p : percentiles)
			b.add(map + "_" + percentileName(p) + "_" + r.name(), Percentile.of(v, p));
	}

	/** p5, p50, p2_5. */
	static String percentileName(final double p) {
		return "p" + (p == Math.rint(p) ? Long.toString((long) p) : Double.toString(p).replace('.', '_'));
	}

	/** A label name as a column-name part: letters, digits and underscores. */
	static String columnName(final String label) {
		final String s = label.trim().replaceAll("[^A-Za-z0-9_]+", "_");
		return s.isEmpty() ? "unnamed" : s;
	}
}
