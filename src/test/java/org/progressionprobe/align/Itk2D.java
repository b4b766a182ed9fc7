package org.progressionprobe.align;

import java.awt.image.BufferedImage;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

import javax.imageio.ImageIO;

import org.progressionprobe.volume.AffineTransform3D;
import org.progressionprobe.volume.Volume;

/**
 * Reads ITK's 2D registration examples for tests, until VolumeIO reads MetaImage and PNG (being
 * added in another branch): the raw uint8 data of a {@code .mhd} with identity direction, and a
 * grey PNG. Both get the voxel-to-world matrix a MetaImage reader gives an image with unit
 * spacing, origin 0 and identity direction: ITK's LPS world turned into RAS, diag(-1, -1, 1).
 */
final class Itk2D {

	static final AffineTransform3D LPS_IDENTITY_AS_RAS = AffineTransform3D.of(-1, 0, 0, 0, 0, -1, 0, 0, 0, 0, 1, 0);

	private Itk2D() {}

	static Volume raw(final Path raw, final int nx, final int ny) throws IOException {
		final byte[] b = Files.readAllBytes(raw);
		if (b.length != nx * ny)
			throw new IOException(raw + ": expected " + nx * ny + " bytes, found " + b.length);
		final float[] f = new float[b.length];
		for (int i = 0; i < b.length; i++)
			f[i] = b[i] & 0xff;
		return Volume.wrap(f, nx, ny, 1, LPS_IDENTITY_AS_RAS);
	}

	static Volume png(final Path png) throws IOException {
		final BufferedImage img = ImageIO.read(png.toFile());
		final int nx = img.getWidth(), ny = img.getHeight();
		final float[] f = new float[nx * ny];
		for (int y = 0; y < ny; y++)
			for (int x = 0; x < nx; x++) {
				final int rgb = img.getRGB(x, y);
				final int r = rgb >> 16 & 0xff, g = rgb >> 8 & 0xff, bl = rgb & 0xff;
				if (r != g || g != bl)
					throw new IOException(png + ": not a grey image at (" + x + ", " + y + ")");
				f[y * nx + x] = r;
			}
		return Volume.wrap(f, nx, ny, 1, LPS_IDENTITY_AS_RAS);
	}
}
