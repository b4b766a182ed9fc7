package org.progressionprobe.io;

import org.progressionprobe.volume.AffineTransform3D;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;


import org.progressionprobe.volume.Geometry;

/**
 * What a volume file's header says, read without the voxel data: the grid of one volume, how many
 * volumes the file holds, the on-disk voxel type and where the voxel-to-world matrix (mm, RAS) came from.
 *
 * @param file the file
 * @param format format name, e.g. "NIfTI-1"
 * @param size grid size (x, y, z) of one volume
 * @param volumes number of volumes (4th and higher dimensions flattened; 1 for a 3D file)
 * @param voxelType on-disk voxel type
 * @param voxelToWorld voxel index to world millimetres, RAS
 * @param geometrySource where the matrix came from, e.g. "sform (code 1)"
 * @param units spatial units in the file, e.g. "mm"
 * @param warnings what is wrong with the file but lets its header be described (a truncated data
 *            file, a voxel size of 0 taken as 1 mm)
 */
public record VolumeFileInfo(Path file, String format, int[] size, int volumes, String voxelType, AffineTransform3D voxelToWorld,
		String geometrySource, String units, List<String> warnings) {

	public VolumeFileInfo {
		warnings = List.copyOf(warnings);
	}

	/** Without warnings. */
	public VolumeFileInfo(final Path file, final String format, final int[] size, final int volumes, final String voxelType,
			final AffineTransform3D voxelToWorld, final String geometrySource, final String units) {
		this(file, format, size, volumes, voxelType, voxelToWorld, geometrySource, units, List.of());
	}

	/** The same with more warnings. */
	public VolumeFileInfo withWarnings(final List<String> more) {
		if (more.isEmpty())
			return this;
		final List<String> all = new java.util.ArrayList<>(warnings);
		all.addAll(more);
		return new VolumeFileInfo(file, format, size, volumes, voxelType, voxelToWorld, geometrySource, units, all);
	}

	/** Voxel size in millimetres along each index axis. */
	public double[] voxelSize() {
		return Geometry.voxelSize(voxelToWorld);
	}

	/** Axis codes, e.g. "RAS". */
	public String orientation() {
		return Geometry.orientation(voxelToWorld);
	}

	/** A multi-line human-readable description, as Volume Info prints it. */
	public String describe() {
		final double[] vs = voxelSize();
		final StringBuilder sb = new StringBuilder();
		sb.append("file: ").append(file).append('\n');
		sb.append("format: ").append(format).append('\n');
		sb.append(String.format("size: %d x %d x %d%s%n", size[0], size[1], size[2], volumes > 1 ? " x " + volumes + " volumes" : ""));
		sb.append(String.format("voxel size (mm): %.6g x %.6g x %.6g%n", vs[0], vs[1], vs[2]));
		sb.append("voxel type: ").append(voxelType).append('\n');
		sb.append("orientation: ").append(orientation()).append('\n');
		sb.append("geometry from: ").append(geometrySource).append(", units ").append(units).append('\n');
		sb.append("voxel-to-world (mm, RAS):\n");
		for (int r = 0; r < 3; r++)
			sb.append(String.format("  %12.6f %12.6f %12.6f %12.6f%n", voxelToWorld.get(r, 0), voxelToWorld.get(r, 1), voxelToWorld.get(r, 2),
					voxelToWorld.get(r, 3)));
		sb.append(String.format("  %12.6f %12.6f %12.6f %12.6f%n", 0.0, 0.0, 0.0, 1.0));
		for (final String w : warnings)
			sb.append("warning: ").append(w).append('\n');
		return sb.toString();
	}

	@Override
	public String toString() {
		return format + " " + Arrays.toString(size) + " x" + volumes + " " + voxelType + " " + Geometry.format(voxelToWorld);
	}
}
