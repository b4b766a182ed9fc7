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

/** Converts one volume of a file to NIfTI or MetaImage, geometry included; the output format follows its name. */
@Plugin(type = Command.class, menu = { @Menu(label = "Plugins"), @Menu(label = "Progression Probe"), @Menu(label = "Volumes", weight = 1),
		@Menu(label = "Convert Volume", weight = 4) }, headless = true,
		description = "Convert a volume file (NIfTI, MetaImage, TIFF, PNG/JPEG, DICOM file or folder) to .nii.gz, .nii, .mha or .mhd")
public class ConvertVolumeCommand implements Command {

	@Parameter(label = "Volume file", style = FileWidget.FILE_AND_DIRECTORY_STYLE,
			description = "NIfTI, MetaImage, TIFF, PNG/JPEG, DICOM file or folder of slices")
	private File input;

	@Parameter(label = "Output file", style = FileWidget.SAVE_STYLE, description = "the format follows the name: .nii.gz, .nii, .mha, .mhd")
	private File output;

	@Parameter(label = "Volume index", min = "0", required = false, description = "which 3D volume of a 4D file (0 = first)")
	private int index = 0;

	@Parameter(label = "Compress MetaImage data", required = false, description = "zlib-compress .mha/.mhd voxel data (.zraw); NIfTI compression follows .gz")
	private boolean compress = false;

	@Parameter(type = ItemIO.OUTPUT, label = "Converted volume")
	private String info;

	@Parameter
	private LogService log;

	@Parameter(required = false)
	private IOService io;

	@Override
	public void run() {
		CommandFailure.guard("Convert Volume", log, () -> {
			final VolumeWriter writer = compress && new MetaImageWriter().canWrite(output.toPath()) ? new MetaImageWriter(true)
					: VolumeIO.writer(output.toPath());
			writer.write(new VolumeOpener(io).read(input.toPath(), index), output.toPath());
			info = VolumeIO.info(output.toPath()).describe();
			log.info(info);
		});
	}
}
