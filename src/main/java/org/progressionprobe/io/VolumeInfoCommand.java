package org.progressionprobe.io;

import java.io.File;

import org.progressionprobe.command.CommandFailure;
import org.scijava.ItemIO;
import org.scijava.command.Command;
import org.scijava.io.IOService;
import org.scijava.log.LogService;
import org.scijava.plugin.Menu;
import org.scijava.plugin.Parameter;
import org.scijava.plugin.Plugin;
import org.scijava.widget.FileWidget;

/** Prints a volume file's size, voxel size, orientation and voxel-to-world matrix, read from its header. */
@Plugin(type = Command.class, menu = { @Menu(label = "Plugins"), @Menu(label = "Progression Probe"), @Menu(label = "Volumes", weight = 1),
		@Menu(label = "Volume Info", weight = 2) }, headless = true,
		description = "Size, voxel size, orientation and voxel-to-world matrix of a volume file")
public class VolumeInfoCommand implements Command {

	@Parameter(label = "Volume file", style = FileWidget.FILE_AND_DIRECTORY_STYLE,
			description = "NIfTI, MetaImage, TIFF, PNG/JPEG, DICOM file or folder of slices")
	private File input;

	@Parameter(type = ItemIO.OUTPUT, label = "Volume info")
	private String info;

	@Parameter
	private LogService log;

	@Parameter(required = false)
	private IOService io;

	@Override
	public void run() {
		CommandFailure.guard("Volume Info", log, () -> {
			final VolumeFileInfo i = new VolumeOpener(io).info(input.toPath());
			info = i.describe();
			log.info(info);
			for (final String w : i.warnings())
				log.warn("Volume Info: " + input + ": " + w);
		});
	}
}
