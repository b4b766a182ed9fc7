package org.progressionprobe.io;

import java.io.File;

import ij.ImagePlus;

import org.progressionprobe.command.CommandFailure;
import org.scijava.ItemIO;
import org.scijava.command.Command;
import org.scijava.io.IOService;
import org.scijava.log.LogService;
import org.scijava.plugin.Menu;
import org.scijava.plugin.Parameter;
import org.scijava.plugin.Plugin;
import org.scijava.widget.FileWidget;

/**
 * Opens one volume of a file as a 32-bit ImagePlus with its calibration in mm; the exact
 * voxel-to-world matrix travels in the image properties (see {@link ImagePlusVolumes}). Fiji shows
 * the output image; headless it is just an output.
 */
@Plugin(type = Command.class, menu = { @Menu(label = "Plugins"), @Menu(label = "Progression Probe"), @Menu(label = "Volumes", weight = 1),
		@Menu(label = "Open Volume", weight = 1) }, headless = true,
		description = "Open a volume file (NIfTI, MetaImage, TIFF, PNG/JPEG, DICOM file or folder) as a 32-bit image with its geometry")
public class OpenVolumeCommand implements Command {

	@Parameter(label = "Volume file", style = FileWidget.FILE_AND_DIRECTORY_STYLE,
			description = "NIfTI, MetaImage, TIFF, PNG/JPEG, DICOM file or folder of slices")
	private File input;

	@Parameter(label = "Volume index", min = "0", required = false, description = "which 3D volume of a 4D file (0 = first)")
	private int index = 0;

	@Parameter(type = ItemIO.OUTPUT, label = "Image")
	private ImagePlus image;

	@Parameter
	private LogService log;

	@Parameter(required = false)
	private IOService io;

	@Override
	public void run() {
		CommandFailure.guard("Open Volume", log, () -> {
			final String name = input.getName() + (index > 0 ? " [" + index + "]" : "");
			image = ImagePlusVolumes.toImagePlus(new VolumeOpener(io).read(input.toPath(), index), name);
		});
	}
}
