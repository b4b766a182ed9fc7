package org.progressionprobe.io;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.progressionprobe.volume.AffineTransform3D;
import org.progressionprobe.volume.Geometry;
import org.progressionprobe.volume.Volume;

/**
 * ITK itself, through elastix's transformix (Debian package elastix), reads a MetaImage that we wrote
 * as we mean it, and we read what ITK writes: the input's LPS direction is a 90 degree rotation about
 * z (a transposed TransformMatrix would be the opposite rotation), transformix resamples it with the
 * identity transform and nearest-neighbour sampling onto an axis-aligned grid, and every output voxel
 * must hold the input voxel at the same world point. Skipped where transformix is not installed.
 */
class ItkInteropTest {

	@TempDir
	Path tmp;

	private static boolean hasTransformix() {
		try {
			final Process p = new ProcessBuilder("transformix", "--version").redirectErrorStream(true).start();
			p.getInputStream().readAllBytes();
			return p.waitFor(30, TimeUnit.SECONDS) && p.exitValue() == 0;
		} catch (final Exception e) {
			return false;
		}
	}

	@Test
	void transformixResamplesOurMetaImageAsWeMeanIt() throws Exception {
		assumeTrue(hasTransformix(), "Skipped: transformix is not installed (apt-get install -y elastix)");
		final AffineTransform3D lps = AffineTransform3D.of(0, -1.5, 0, 10, 2, 0, 0, -20, 0, 0, 3, 5);
		final Volume in = Volume.zeros(5, 4, 3, Geometry.flipWorldSide(lps));
		for (int i = 0; i < in.data().length; i++)
			in.data()[i] = i + 1;
		final Path input = tmp.resolve("in.mha");
		VolumeIO.write(in, input);
		// the output grid covers the input exactly: LPS x from 5.5 (spacing 1.5), y from -20 (spacing 2), z from 5 (spacing 3)
		Files.writeString(tmp.resolve("tp.txt"), String.join("\n", "(Transform \"AffineTransform\")", "(NumberOfParameters 12)",
				"(TransformParameters 1 0 0 0 1 0 0 0 1 0 0 0)", "(InitialTransformParametersFileName \"NoInitialTransform\")",
				"(HowToCombineTransforms \"Compose\")", "(FixedImageDimension 3)", "(MovingImageDimension 3)", "(FixedInternalImagePixelType \"float\")",
				"(MovingInternalImagePixelType \"float\")", "(Size 4 5 3)", "(Index 0 0 0)", "(Spacing 1.5 2 3)", "(Origin 5.5 -20 5)",
				"(Direction 1 0 0 0 1 0 0 0 1)", "(UseDirectionCosines \"true\")", "(CenterOfRotationPoint 0 0 0)",
				"(ResampleInterpolator \"FinalBSplineInterpolator\")", "(FinalBSplineInterpolationOrder 0)", "(Resampler \"DefaultResampler\")",
				"(DefaultPixelValue -1)", "(ResultImageFormat \"mha\")", "(ResultImagePixelType \"float\")", "(CompressResultImage \"false\")", ""));
		final Path out = Files.createDirectory(tmp.resolve("out"));
		final Process p = new ProcessBuilder("transformix", "-in", input.toString(), "-out", out.toString(), "-tp", tmp.resolve("tp.txt").toString())
				.redirectErrorStream(true).redirectOutput(tmp.resolve("transformix.txt").toFile()).start();
		assertEquals(0, p.waitFor(), "transformix failed: " + Files.readString(tmp.resolve("transformix.txt")));
		final Volume result = VolumeIO.read(out.resolve("result.mha"));
		assertTrue(AffineTransform3D.of(-1.5, 0, 0, -5.5, 0, -2, 0, 20, 0, 0, 3, 5).equals(result.voxelToWorld(), 0), Geometry.format(result.voxelToWorld()));
		for (int z = 0; z < 3; z++)
			for (int y = 0; y < 5; y++)
				for (int x = 0; x < 4; x++)
					assertEquals(in.get(y, 3 - x, z), result.get(x, y, z), "output voxel (" + x + "," + y + "," + z + ")");
	}
}
