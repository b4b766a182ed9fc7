package org.progressionprobe.io;

import java.io.BufferedOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import java.util.zip.Deflater;
import java.util.zip.DeflaterOutputStream;

import org.progressionprobe.volume.AffineTransform3D;
import org.progressionprobe.volume.Geometry;
import org.progressionprobe.volume.Volume;

/**
 * Writes 3D MetaImage files as ITK reads them: {@code .mha} with the voxels inline, or {@code .mhd}
 * with the voxels in a {@code .raw} file ({@code .zraw} when compressed with zlib). Little-endian,
 * MET_FLOAT (or MET_UCHAR/MET_SHORT for label images); the RAS voxel-to-world matrix is written as
 * LPS {@code TransformMatrix} (direction cosines, column by column), {@code ElementSpacing} and
 * {@code Offset}, each number in the shortest form that reads back to the same double. Header and
 * data files appear together or not at all.
 */
public final class MetaImageWriter implements VolumeWriter {

	private final boolean compress;

	/** A writer of uncompressed files (ITK's default). */
	public MetaImageWriter() {
		this(false);
	}

	/** @param compress zlib-compress the voxel data ({@code CompressedData = True}, {@code .zraw} for .mhd) */
	public MetaImageWriter(final boolean compress) {
		this.compress = compress;
	}

	@Override
	public String name() {
		return "MetaImage";
	}

	@Override
	public boolean canWrite(final Path file) {
		final String n = NiftiReader.lowerName(file);
		return n.endsWith(".mha") || n.endsWith(".mhd");
	}

	@Override
	public void write(final Volume volume, final Path file) throws IOException {
		write(volume, file, NiftiWriter.Datatype.FLOAT32);
	}

	@Override
	public void writeLabels(final Volume labels, final Path file) throws IOException {
		write(labels, file, NiftiWriter.Datatype.forLabels(labels.data()));
	}

	/** Writes a volume with the given on-disk type; integer types require integral values in range. */
	public void write(final Volume volume, final Path file, final NiftiWriter.Datatype type) throws IOException {
		if (!canWrite(file))
			throw new VolumeIOException(file, "a MetaImage file name ends with .mha or .mhd");
		if (type != NiftiWriter.Datatype.FLOAT32)
			NiftiWriter.checkIntegral(volume.data(), type, file);
		final String name = file.getFileName().toString();
		if (NiftiReader.lowerName(file).endsWith(".mha")) {
			final byte[] header = header(volume, type, "LOCAL", -1).getBytes(StandardCharsets.ISO_8859_1);
			AtomicOutput.write(file, out -> {
				out.write(header);
				writeData(out, volume.data(), type);
			});
			return;
		}
		final String dataName = name.substring(0, name.length() - 4) + (compress ? ".zraw" : ".raw");
		final Path dataFile = file.resolveSibling(dataName);
		AtomicOutput.produceAll(List.of(dataFile, file), tmps -> {
			try (OutputStream out = Files.newOutputStream(tmps.get(0))) {
				writeData(out, volume.data(), type);
			}
			Files.writeString(tmps.get(1), header(volume, type, dataName, compress ? Files.size(tmps.get(0)) : -1), StandardCharsets.ISO_8859_1);
		});
	}

	private void writeData(final OutputStream raw, final float[] data, final NiftiWriter.Datatype type) throws IOException {
		final OutputStream buffered = new BufferedOutputStream(raw, 1 << 16);
		if (compress) {
			final Deflater deflater = new Deflater(Deflater.BEST_SPEED);
			try {
				final DeflaterOutputStream z = new DeflaterOutputStream(buffered, deflater, 1 << 16);
				VoxelStreams.write(z, data, type);
				z.finish();
			} finally {
				deflater.end();
			}
		} else
			VoxelStreams.write(buffered, data, type);
		buffered.flush();
	}

	/** The header text; the file's world is LPS. */
	private String header(final Volume volume, final NiftiWriter.Datatype type, final String dataFile, final long compressedSize) {
		final AffineTransform3D lps = Geometry.flipWorldSide(volume.voxelToWorld());
		final double[] spacing = Geometry.voxelSize(lps);
		final StringBuilder matrix = new StringBuilder();
		for (int c = 0; c < 3; c++)
			for (int r = 0; r < 3; r++)
				matrix.append(c + r > 0 ? " " : "").append(number(lps.get(r, c) / spacing[c]));
		final StringBuilder sb = new StringBuilder();
		sb.append("ObjectType = Image\n");
		sb.append("NDims = 3\n");
		sb.append("BinaryData = True\n");
		sb.append("BinaryDataByteOrderMSB = False\n");
		sb.append("CompressedData = ").append(compress ? "True" : "False").append('\n');
		if (compressedSize >= 0)
			sb.append("CompressedDataSize = ").append(compressedSize).append('\n');
		sb.append("TransformMatrix = ").append(matrix).append('\n');
		sb.append("Offset = ").append(number(lps.get(0, 3))).append(' ').append(number(lps.get(1, 3))).append(' ').append(number(lps.get(2, 3)))
				.append('\n');
		sb.append("CenterOfRotation = 0 0 0\n");
		sb.append("AnatomicalOrientation = ").append(itkOrientation(volume.voxelToWorld())).append('\n');
		sb.append("ElementSpacing = ").append(number(spacing[0])).append(' ').append(number(spacing[1])).append(' ').append(number(spacing[2]))
				.append('\n');
		sb.append("DimSize = ").append(volume.nx()).append(' ').append(volume.ny()).append(' ').append(volume.nz()).append('\n');
		sb.append("ElementType = ").append(elementType(type)).append('\n');
		sb.append("ElementDataFile = ").append(dataFile).append('\n');
		return sb.toString();
	}

	/** ITK names the side each axis comes from (RAI for an LPS identity); nibabel's codes name where it goes. */
	private static String itkOrientation(final AffineTransform3D ras) {
		final StringBuilder sb = new StringBuilder();
		for (final char c : Geometry.orientation(ras).toCharArray())
			sb.append("RLAPSI".charAt("LRPAIS".indexOf(c)));
		return sb.toString();
	}

	private static String elementType(final NiftiWriter.Datatype type) {
		switch (type) {
		case UINT8:
			return "MET_UCHAR";
		case INT16:
			return "MET_SHORT";
		default:
			return "MET_FLOAT";
		}
	}

	/** The shortest text that parses back to the same double ("1" rather than "1.0"). */
	static String number(final double v) {
		if (v == 0)
			return "0";
		if (v == Math.rint(v) && Math.abs(v) < 1e15)
			return Long.toString((long) v);
		return Double.toString(v).toLowerCase(Locale.ROOT);
	}
}
