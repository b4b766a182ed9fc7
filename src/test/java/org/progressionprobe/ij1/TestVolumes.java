package org.progressionprobe.ij1;

import java.io.IOException;
import java.nio.file.Path;

import org.progressionprobe.io.VolumeIO;
import org.progressionprobe.volume.AffineTransform3D;
import org.progressionprobe.volume.Volume;

/** Small NIfTI files with known content for the bridge tests. */
public final class TestVolumes {

	private TestVolumes() {}

	/** A 4 x 5 x 6 volume with voxel i = i - 50 (sum 1140, sum of absolute values 3690), 2 mm voxels. */
	public static Path write(final Path file) throws IOException {
		final float[] data = new float[4 * 5 * 6];
		for (int i = 0; i < data.length; i++)
			data[i] = i - 50;
		final AffineTransform3D m = AffineTransform3D.of(2, 0, 0, -4, 0, 2, 0, -5, 0, 0, 2, -6);
		VolumeIO.write(Volume.wrap(data, 4, 5, 6, m), file);
		return file;
	}

	public static final double SUM = 1140, ABS_SUM = 3690;
}
