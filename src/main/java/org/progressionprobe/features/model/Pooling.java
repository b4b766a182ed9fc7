package org.progressionprobe.features.model;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

import org.progressionprobe.command.ParameterLists;

/**
 * How a feature layer [C][D][H][W] becomes numbers: per channel, its global average ({@link #GAP}),
 * global maximum ({@link #GMP}), mean inside a region-of-interest mask ({@link #ROI}, the mask's
 * share of each layer voxel as weight), or the means of a coarse spatial grid of n x n x n cells
 * ({@link #GRID}).
 */
public enum Pooling {
	GAP, GMP, ROI, GRID;

	/** Parses a list such as {@code gap,grid} ({@link ParameterLists}); blank gives gap. */
	public static List<Pooling> parseList(final String text) {
		final List<Pooling> out = new ArrayList<>();
		if (text == null || text.isBlank())
			return List.of(GAP);
		for (final String part : ParameterLists.split(text)) {
			final String t = part.toLowerCase(Locale.ROOT);
			Pooling p = null;
			for (final Pooling q : values())
				if (q.toString().equals(t))
					p = q;
			if (p == null)
				throw new IllegalArgumentException("Unknown pooling '" + part + "': use gap, gmp, roi or grid (comma-separated for several)");
			if (!out.contains(p))
				out.add(p);
		}
		if (out.isEmpty())
			return List.of(GAP);
		return out;
	}

	@Override
	public String toString() {
		return name().toLowerCase(Locale.ROOT);
	}
}
