package org.progressionprobe.probe;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import org.progressionprobe.volume.Grid;
import org.progressionprobe.volume.Volume;

/**
 * A probe's weights painted back onto the places its feature columns pooled over: each voxel of an
 * atlas region (or grid cell) gets the standardised weight of that region's column, 0 elsewhere.
 * One map per column family ({@link RegionColumn}); columns that are not regional stay off the maps.
 *
 * @param family the column prefix the map belongs to (e.g. {@code logjac_mean})
 * @param cells true for a map of grid-cell columns, false for atlas regions
 * @param weights the map, on the label image's grid (regions) or the reference grid (cells)
 * @param columns the columns painted into the map
 */
public record WeightMap(String family, boolean cells, Volume weights, List<String> columns) {

	public WeightMap {
		columns = List.copyOf(columns);
	}

	/**
	 * A name usable in file names: {@code weightmap_<family>} (with {@code _cells} for grid cells),
	 * anything but letters, digits, '-', '.', '_' replaced.
	 */
	public String fileStem() {
		return "weightmap" + (family.isEmpty() ? "" : "_" + family.replaceAll("[^A-Za-z0-9._-]", "_")) + (cells ? "_cells" : "");
	}

	/** The largest absolute weight on the map. */
	public double maxAbs() {
		double m = 0;
		for (final float v : weights.data())
			m = Math.max(m, Math.abs(v));
		return m;
	}

	/**
	 * Maps of region columns.
	 *
	 * @param weights standardised weight by column
	 * @param labels integer label image
	 * @param names label value to region name
	 */
	public static List<WeightMap> regions(final Map<String, Double> weights, final Volume labels, final Map<Integer, String> names) {
		final Map<String, Integer> valueOf = new LinkedHashMap<>();
		names.forEach((v, n) -> valueOf.put(n, v));
		final Map<String, Map<Integer, Double>> byFamily = new LinkedHashMap<>();
		final Map<String, List<String>> columns = new LinkedHashMap<>();
		for (final Map.Entry<String, Double> e : weights.entrySet())
			RegionColumn.parse(e.getKey(), valueOf.keySet()).filter(r -> !r.isCell()).ifPresent(r -> {
				byFamily.computeIfAbsent(r.family(), f -> new LinkedHashMap<>()).put(valueOf.get(r.region()), e.getValue());
				columns.computeIfAbsent(r.family(), f -> new ArrayList<>()).add(e.getKey());
			});
		final List<WeightMap> out = new ArrayList<>();
		final float[] label = labels.data();
		for (final Map.Entry<String, Map<Integer, Double>> e : byFamily.entrySet()) {
			final Map<Integer, Double> w = e.getValue();
			final Volume map = labels.zerosLike();
			final float[] d = map.data();
			for (int i = 0; i < d.length; i++) {
				final Double v = w.get(Math.round(label[i]));
				if (v != null)
					d[i] = v.floatValue();
			}
			out.add(new WeightMap(e.getKey(), false, map, columns.get(e.getKey())));
		}
		return out;
	}

	/**
	 * Maps of grid-cell columns over a reference grid.
	 *
	 * @param weights standardised weight by column
	 * @param reference the voxel grid the cells divide
	 * @param cells number of cells along x, y, z, or null to take 1 + the largest index of each family
	 */
	public static List<WeightMap> cells(final Map<String, Double> weights, final Grid reference, final int[] cells) {
		final Map<String, List<RegionColumn>> byFamily = new LinkedHashMap<>();
		for (final String column : weights.keySet())
			RegionColumn.parse(column, List.of()).filter(RegionColumn::isCell)
					.ifPresent(r -> byFamily.computeIfAbsent(r.family(), f -> new ArrayList<>()).add(r));
		final int[] n = reference.size();
		final List<WeightMap> out = new ArrayList<>();
		for (final Map.Entry<String, List<RegionColumn>> e : byFamily.entrySet()) {
			final int[] g = cells != null ? cells.clone() : new int[3];
			if (cells == null)
				for (final RegionColumn r : e.getValue())
					for (int d = 0; d < 3; d++)
						g[d] = Math.max(g[d], r.cell()[d] + 1);
			for (int d = 0; d < 3; d++)
				if (g[d] < 1 || g[d] > n[d])
					throw new IllegalArgumentException("A grid of " + g[0] + "x" + g[1] + "x" + g[2] + " cells does not fit the reference grid "
							+ n[0] + "x" + n[1] + "x" + n[2]);
			final Volume map = Volume.zeros(n[0], n[1], n[2], reference.voxelToWorld());
			final List<String> painted = new ArrayList<>();
			for (final RegionColumn r : e.getValue()) {
				final int[] c = r.cell();
				if (c[0] >= g[0] || c[1] >= g[1] || c[2] >= g[2])
					continue;
				final float w = weights.get(r.column()).floatValue();
				for (int z = c[2] * n[2] / g[2]; z < (c[2] + 1) * n[2] / g[2]; z++)
					for (int y = c[1] * n[1] / g[1]; y < (c[1] + 1) * n[1] / g[1]; y++)
						for (int x = c[0] * n[0] / g[0]; x < (c[0] + 1) * n[0] / g[0]; x++)
							map.set(x, y, z, w);
				painted.add(r.column());
			}
			out.add(new WeightMap(e.getKey(), true, map, painted));
		}
		return out;
	}
}
