package org.progressionprobe.align;

import org.progressionprobe.volume.Volume;

/**
 * One image of a registration pyramid: the (smoothed, downsampled) voxels and an optional mask on
 * the same grid (nonzero = use), plus the nominal spacing of the level in mm.
 *
 * @param image the level's voxels and geometry
 * @param mask 1 where the voxel takes part, 0 where not; null = everywhere
 * @param spacingMm nominal spacing of the level (the target of the downsampling)
 */
record PyramidLevel(Volume image, byte[] mask, double spacingMm) {

	boolean twoD() {
		return image.nz() == 1;
	}
}
