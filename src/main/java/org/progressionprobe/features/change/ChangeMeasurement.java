package org.progressionprobe.features.change;

import java.io.IOException;
import java.nio.file.Path;
import java.util.Map;

import org.progressionprobe.io.NiftiWriter;
import org.progressionprobe.io.VolumeIO;
import org.progressionprobe.table.FeatureVector;
import org.progressionprobe.volume.DisplacementField;
import org.progressionprobe.volume.Volume;

/**
 * Everything {@link ChangeFeatures} measured on one pair: the pooled features, the maps they were
 * pooled from (all on the baseline's grid) and quality numbers of the registration.
 *
 * @param features pooled features, the row of a feature table
 * @param displacement baseline-world to follow-up-world displacement, mm (RAS components)
 * @param inverseDisplacement the inverse transform's displacement, mm
 * @param jacobian Jacobian determinant of the transform
 * @param logJacobian its logarithm (floored at {@link ChangeFeatures#JACOBIAN_FLOOR})
 * @param warpedFollowup the follow-up resampled through the transform onto the baseline grid
 * @param foreground the baseline's foreground, 1 inside, 0 outside
 * @param qc {@code mse_before}, {@code mse_after} (normalised intensities), {@code inverse_consistency_mean_mm},
 *        {@code inverse_consistency_max_mm} (|exp(v) then exp(-v) - id| over the foreground), {@code folded_voxels},
 *        {@code foreground_voxels}, {@code levels_used}
 */
public record ChangeMeasurement(FeatureVector features, DisplacementField displacement, DisplacementField inverseDisplacement, Volume jacobian,
		Volume logJacobian, Volume warpedFollowup, Volume foreground, Map<String, Double> qc) {

	/** File names of the maps {@link #writeMaps} writes. */
	public static final String DISPLACEMENT = "displacement.nii.gz", JACOBIAN = "jacobian.nii.gz", LOG_JACOBIAN = "log_jacobian.nii.gz",
			WARPED = "warped_followup.nii.gz", FOREGROUND = "foreground.nii.gz";

	/**
	 * Writes the maps into a folder (created if needed), each file atomically: the displacement as a
	 * NIfTI vector volume (three components, world mm, RAS), the Jacobian, the log-Jacobian, the
	 * warped follow-up and the foreground mask.
	 */
	public void writeMaps(final Path dir) throws IOException {
		new NiftiWriter("displacement mm RAS, baseline to follow-up").writeVector(displacement.toVolumes(), dir.resolve(DISPLACEMENT));
		VolumeIO.write(jacobian, dir.resolve(JACOBIAN));
		VolumeIO.write(logJacobian, dir.resolve(LOG_JACOBIAN));
		VolumeIO.write(warpedFollowup, dir.resolve(WARPED));
		VolumeIO.writeLabels(foreground, dir.resolve(FOREGROUND));
	}

	/** The QC numbers as one line of text. */
	public String qcText() {
		final StringBuilder sb = new StringBuilder();
		for (final Map.Entry<String, Double> e : qc.entrySet())
			sb.append(sb.length() > 0 ? ", " : "").append(e.getKey()).append('=').append(String.format("%.4g", e.getValue()));
		return sb.toString();
	}
}
