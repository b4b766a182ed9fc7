package org.progressionprobe.volume;

/**
 * The voxel size of atlas space, where atlas alignment puts both scans: the scans' own (the default:
 * the baseline's finest voxel edge, never finer than the atlas), an explicit isotropic size in mm, or
 * the atlas's own grid. The grid keeps the atlas's field of view and axes ({@link Grid#coarsened});
 * a 1 mm atlas and 2 mm scans give a 2 mm atlas space with an eighth of the voxels, which the
 * deformable registration of change features runs on.
 *
 * @param voxelMm isotropic voxel size in mm; {@link Double#NaN} for the scans' own, 0 for the atlas's own grid
 */
public record AtlasResolution(double voxelMm) {

	/** The scans' voxel size. */
	public static final AtlasResolution SCANS = new AtlasResolution(Double.NaN);

	/** The atlas's own grid. */
	public static final AtlasResolution ATLAS = new AtlasResolution(0);

	/** Parameter value of {@link #ATLAS}. */
	public static final String ATLAS_KEY = "atlas";

	public AtlasResolution {
		if (!Double.isNaN(voxelMm) && !(voxelMm >= 0 && voxelMm < Double.POSITIVE_INFINITY))
			throw new IllegalArgumentException("atlas_voxel_mm must be a positive size in mm, blank (the scans') or \"atlas\", got " + voxelMm);
	}

	/** Reads a parameter: blank = the scans', {@code atlas} = the atlas's own grid, else a size in mm. */
	public static AtlasResolution parse(final String text) {
		if (text == null || text.isBlank() || text.trim().equalsIgnoreCase("scans"))
			return SCANS;
		if (text.trim().equalsIgnoreCase(ATLAS_KEY))
			return ATLAS;
		final double mm;
		try {
			mm = Double.parseDouble(text.trim());
		} catch (final NumberFormatException e) {
			throw new IllegalArgumentException("atlas_voxel_mm must be a size in mm, blank (the scans') or \"atlas\", got '" + text + "'");
		}
		if (!(mm > 0))
			throw new IllegalArgumentException("atlas_voxel_mm must be > 0 mm, got '" + text + "'");
		return new AtlasResolution(mm);
	}

	/** The parameter text: blank, {@code atlas} or the size. */
	public String key() {
		return Double.isNaN(voxelMm) ? "" : voxelMm == 0 ? ATLAS_KEY : Double.toString(voxelMm);
	}

	/** For provenance: {@code scans}, {@code atlas} or the size. */
	@Override
	public String toString() {
		return Double.isNaN(voxelMm) ? "scans" : key();
	}

	/** The atlas-space grid for this baseline scan: the atlas's grid itself when no axis changes. */
	public Grid grid(final Grid atlas, final Volume baseline) {
		if (voxelMm == 0)
			return atlas;
		final double[] vs = atlas.voxelSize();
		final double edge;
		if (Double.isNaN(voxelMm)) {
			final double[] s = baseline.voxelSize();
			edge = Math.max(Math.min(s[0], Math.min(s[1], s[2])), Math.min(vs[0], Math.min(vs[1], vs[2])));
		} else
			edge = voxelMm;
		final double[] f = new double[3];
		boolean same = true;
		for (int d = 0; d < 3; d++) {
			f[d] = atlas.size()[d] == 1 ? 1 : edge / vs[d];
			same &= (int) Math.floor(atlas.size()[d] / f[d]) == atlas.size()[d];
		}
		return same ? atlas : atlas.coarsened(f);
	}
}
