package org.progressionprobe.ij1.plain;

import java.io.File;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.InvalidPathException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import org.progressionprobe.io.ImagePlusVolumes;
import org.progressionprobe.io.VolumeIO;
import org.scijava.command.CommandInfo;
import org.scijava.module.ModuleItem;
import org.scijava.widget.FileWidget;

import ij.ImagePlus;
import ij.WindowManager;

/**
 * Open images as command inputs, for ImageJ users who open their scans first. An image parameter
 * takes the title of an open image. A scan parameter (a file to open) whose value is no existing file
 * but the title of an open image gets that image, written to a temporary NIfTI file with the world
 * geometry of its calibration and origin (as Open Volume's round trip, {@link ImagePlusVolumes});
 * {@link #close} deletes the temporary files.
 */
final class OpenImages implements AutoCloseable {

	private final List<Path> written = new ArrayList<>();

	/** The inputs with open images' titles replaced by the images or their temporary files. */
	Map<String, Object> resolve(final CommandInfo info, final Map<String, String> inputs) {
		final Map<String, Object> out = new LinkedHashMap<>();
		for (final Map.Entry<String, String> e : inputs.entrySet()) {
			final ModuleItem<?> item = info.getInput(e.getKey());
			final String v = e.getValue();
			if (item != null && item.getType() == ImagePlus.class) {
				final ImagePlus imp = WindowManager.getImage(v);
				if (imp == null)
					throw new IllegalArgumentException("parameter '" + e.getKey() + "': no open image called '" + v + "'");
				out.put(e.getKey(), imp);
			} else if (item != null && item.getType() == File.class && isScan(item) && !exists(v) && WindowManager.getImage(v) != null)
				out.put(e.getKey(), write(WindowManager.getImage(v)).toString());
			else
				out.put(e.getKey(), v);
		}
		return out;
	}

	private static boolean isScan(final ModuleItem<?> item) {
		final String style = item.getWidgetStyle() == null ? "" : item.getWidgetStyle();
		return !style.contains(FileWidget.SAVE_STYLE) && !style.contains(FileWidget.DIRECTORY_STYLE);
	}

	private static boolean exists(final String path) {
		try {
			return Files.exists(Path.of(path));
		} catch (final InvalidPathException e) {
			return false;
		}
	}

	private Path write(final ImagePlus imp) {
		try {
			final Path dir = Files.createTempDirectory("progression-probe-image-");
			written.add(dir);
			final Path file = dir.resolve(imp.getTitle().replaceAll("[^A-Za-z0-9._-]", "_").replaceAll("\\.(nii|nii\\.gz|mha|mhd|tif|tiff)$", "")
					+ ".nii.gz");
			written.add(file);
			VolumeIO.write(ImagePlusVolumes.toVolume(imp), file);
			return file;
		} catch (final IOException e) {
			throw new UncheckedIOException("cannot write the open image '" + imp.getTitle() + "' to a temporary file: " + e.getMessage(), e);
		}
	}

	@Override
	public void close() {
		for (int i = written.size() - 1; i >= 0; i--)
			try {
				Files.deleteIfExists(written.get(i));
			} catch (final IOException e) {
				// a temporary file left behind is harmless
			}
	}
}
