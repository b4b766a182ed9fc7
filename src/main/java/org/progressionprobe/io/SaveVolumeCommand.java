package org.progressionprobe.io;

import java.io.File;

import ij.ImagePlus;

import org.progressionprobe.command.CommandFailure;
import org.scijava.ItemIO;
import org.scijava.command.Command;
import org.scijava.log.LogService;
import org.scijava.plugin.Menu;
import org.scijava.plugin.Parameter;
import org.scijava.plugin.Plugin;
import org.scijava.widget.FileWidget;

/**
 * Saves an image as a float32 volume file: the channel and frame on display, with the geometry
 * described in {@link ImagePlusVolumes} (the exact matrix if the image came from Open Volume).
 */
@Plugin(type = Command.class, menu = { @Menu(label = "Plugins"), @Menu(label = "Progression Probe"), @Menu(label = "Volumes", weight = 1),
		@Menu(label = "Save Volume", weight = 3) }, headless = true,
		description = "Save an image as a volume file (.nii.gz, .nii, .mha, .mhd) with its geometry")
public class SaveVolumeCommand implements Command {

	@Parameter(label = "Image", description = "the image to save (its current channel and frame)")
	private ImagePlus image;

	@Parameter(label = "Output file", style = FileWidget.SAVE_STYLE, description = "the format follows the name: .nii.gz, .nii, .mha, .mhd")
	private File output;

	@Parameter(type = ItemIO.OUTPUT, label = "Saved volume")
	private String info;

	@Parameter
	private LogService log;

	@Override
	public void run() {
		CommandFailure.guard("Save Volume", log, () -> {
			final int volume = (image.getFrame() - 1) * image.getNChannels() + image.getChannel() - 1;
			VolumeIO.write(ImagePlusVolumes.toVolume(image, volume), output.toPath());
			info = VolumeIO.info(output.toPath()).describe();
			log.info(info);
		});
	}
}
