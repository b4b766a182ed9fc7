package org.progressionprobe.volume;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * A template image with a label image on the same grid and a name for each label: the target of
 * atlas alignment, the source of region-of-interest crops and of regional feature pooling. Its
 * files are read and written by {@code io.AtlasFiles}.
 *
 * @param template intensity template
 * @param labels integer labels on the template's grid, 0 = background
 * @param names label value to name
 */
public record Atlas(Volume template, Volume labels, Map<Integer, String> names) {

	public Atlas {
		if (!labels.sameGrid(template))
			throw new IllegalArgumentException("The atlas labels must lie on the template's grid: " + labels + " vs " + template);
		names = Collections.unmodifiableMap(new TreeMap<>(names));
	}

	/**
	 * The atlas on another grid in the same world: the template resampled linearly, each label voxel
	 * given the label most of the atlas voxels whose centres fall into it carry (ties go to the label
	 * at its centre; a voxel no atlas voxel centre falls into, on a finer grid, takes the nearest
	 * label), so that small structures keep their volume when the grid coarsens. The same atlas when
	 * the grid is its own.
	 */
	public Atlas onGrid(final Grid grid) {
		if (grid.equals(Grid.of(template)))
			return this;
		return new Atlas(Resampler.linear().resample(template, grid), majorityLabels(labels, grid), names);
	}

	/** Majority vote of the labels whose voxel centres fall into each voxel of {@code grid}. */
	static Volume majorityLabels(final Volume labels, final Grid grid) {
		final int[] n = grid.size();
		final Volume out = Volume.zeros(n[0], n[1], n[2], grid.voxelToWorld());
		final AffineTransform3D toSource = labels.worldToVoxel().concatenate(grid.voxelToWorld());
		final AffineTransform3D toTarget = toSource.inverse();
		final int sx = labels.nx(), sy = labels.ny(), sz = labels.nz();
		final float[] src = labels.data(), dst = out.data();
		java.util.stream.IntStream.range(0, n[2]).parallel().forEach(z -> {
			final double[] p = new double[3], lo = new double[3], hi = new double[3];
			final Map<Float, Integer> counts = new java.util.HashMap<>();
			for (int y = 0; y < n[1]; y++)
				for (int x = 0; x < n[0]; x++) {
					java.util.Arrays.fill(lo, Double.POSITIVE_INFINITY);
					java.util.Arrays.fill(hi, Double.NEGATIVE_INFINITY);
					for (int c = 0; c < 8; c++) {
						p[0] = x + ((c & 1) == 0 ? -0.5 : 0.5);
						p[1] = y + ((c & 2) == 0 ? -0.5 : 0.5);
						p[2] = z + ((c & 4) == 0 ? -0.5 : 0.5);
						toSource.apply(p, p);
						for (int d = 0; d < 3; d++) {
							lo[d] = Math.min(lo[d], p[d]);
							hi[d] = Math.max(hi[d], p[d]);
						}
					}
					p[0] = x;
					p[1] = y;
					p[2] = z;
					toSource.apply(p, p);
					final float centre = Resampler.nearest(src, sx, sy, sz, p[0], p[1], p[2], 0f);
					counts.clear();
					for (int k = Math.max(0, (int) Math.ceil(lo[2])); k <= Math.min(sz - 1, (int) Math.floor(hi[2])); k++)
						for (int j = Math.max(0, (int) Math.ceil(lo[1])); j <= Math.min(sy - 1, (int) Math.floor(hi[1])); j++)
							for (int i = Math.max(0, (int) Math.ceil(lo[0])); i <= Math.min(sx - 1, (int) Math.floor(hi[0])); i++) {
								p[0] = i;
								p[1] = j;
								p[2] = k;
								toTarget.apply(p, p);
								if (Math.round(p[0]) == x && Math.round(p[1]) == y && Math.round(p[2]) == z)
									counts.merge(src[(k * sy + j) * sx + i], 1, Integer::sum);
							}
					final int most = counts.values().stream().mapToInt(Integer::intValue).max().orElse(0);
					float best = centre;
					if (counts.getOrDefault(centre, 0) < most) {
						best = Float.POSITIVE_INFINITY;
						for (final Map.Entry<Float, Integer> e : counts.entrySet())
							if (e.getValue() == most)
								best = Math.min(best, e.getKey());
					}
					dst[(z * n[1] + y) * n[0] + x] = best;
				}
		});
		return out;
	}

	/** Label values whose names match any of the given names or regular expressions (e.g. "Hippocampus_.*"). */
	public List<Integer> labelsMatching(final List<String> patterns) {
		return labelsMatching(names, patterns);
	}

	/** The label values of {@code names} whose name equals (ignoring case) or matches one of the patterns, in the map's order. */
	public static List<Integer> labelsMatching(final Map<Integer, String> names, final List<String> patterns) {
		return labelsMatching(names, patterns, "label names");
	}

	/**
	 * As {@link #labelsMatching(Map, List)}; a pattern that is not a valid regular expression is
	 * refused with a message naming {@code key}, the parameter it came from.
	 */
	public static List<Integer> labelsMatching(final Map<Integer, String> names, final List<String> patterns, final String key) {
		final List<java.util.regex.Pattern> compiled = new ArrayList<>();
		for (final String p : patterns)
			try {
				compiled.add(java.util.regex.Pattern.compile(p));
			} catch (final java.util.regex.PatternSyntaxException e) {
				throw new IllegalArgumentException(key + ": '" + p + "' is not a valid regular expression (labels are chosen by name or by a"
						+ " regular expression such as Hippocampus_.*; escape special characters with \\): " + e.getDescription()
						+ " near index " + e.getIndex());
			}
		final List<Integer> out = new ArrayList<>();
		for (final Map.Entry<Integer, String> e : names.entrySet())
			for (int k = 0; k < patterns.size(); k++)
				if (e.getValue().equalsIgnoreCase(patterns.get(k)) || compiled.get(k).matcher(e.getValue()).matches()) {
					out.add(e.getKey());
					break;
				}
		return out;
	}
}
