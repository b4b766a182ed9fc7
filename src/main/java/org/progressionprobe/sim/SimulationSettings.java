package org.progressionprobe.sim;

import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Everything that determines a simulated cohort. Names follow the command's keys; ranges are
 * checked on construction and a violation names the key.
 *
 * @param subjects number of subjects
 * @param seed master seed; subject i uses a seed derived from it and i only
 * @param progressorFraction share of progressors (label 1), rounded to whole subjects
 * @param atrophyPercent mean volume loss (%) of each atrophy label in a progressor; each draws uniformly within +-50% of it
 * @param ageingPercent mean volume loss (%) of each atrophy label in a stable subject, drawn the same way
 * @param atrophyLabels names or regular expressions of the labels that shrink; empty: the template's default
 * @param fillLabels names or regular expressions of the labels that take up the lost volume (CSF, ventricles)
 * @param maxRotationDeg largest head rotation between the scans, per axis
 * @param maxShiftMm largest head shift between the scans, per axis
 * @param noise noise standard deviation as a fraction of the white-matter intensity (Rician)
 * @param bias strength of the smooth multiplicative bias field (RMS of its logarithm)
 * @param anatomyMm subject-to-subject anatomical variation: RMS of a smooth displacement (mm); head size varies by +-anatomyMm/75
 * @param voxelSizeMm voxel size of the phantom, or the size a given atlas is coarsened to (if coarser)
 * @param template a template image instead of the phantom, or null
 * @param atlas its label image, or null
 * @param atlasNames its label names ({@code value name} lines), or null
 * @param writeLabels also write each subject's baseline label map
 * @param writeDisplacement also write each subject's true atrophy displacement field
 * @param writeAnatomy also write each subject's true map to the atlas (baseline world to atlas world)
 * @param independentAtrophy each atrophy label loses a share drawn uniformly between 0 and 1.5 x
 *        atrophyPercent, whatever the subject's class, instead of its class's mean +-50%: training data
 *        in which no structure's change tells another's (or the subject's class), so a network must
 *        read each structure's change from that structure
 */
public record SimulationSettings(int subjects, long seed, double progressorFraction, double atrophyPercent, double ageingPercent,
		List<String> atrophyLabels, List<String> fillLabels, double maxRotationDeg, double maxShiftMm, double noise, double bias,
		double anatomyMm, double voxelSizeMm, Path template, Path atlas, Path atlasNames, boolean writeLabels, boolean writeDisplacement, boolean writeAnatomy, boolean independentAtrophy) {

	/** Labels that shrink in the phantom unless told otherwise. */
	public static final List<String> PHANTOM_ATROPHY_LABELS = List.of("Hippocampus.*", "Amygdala.*");
	/** Labels that shrink in a given atlas (such as AAL) unless told otherwise. */
	public static final List<String> ATLAS_ATROPHY_LABELS = List.of("Hippocampus.*");
	/** Labels that take up lost volume unless told otherwise. */
	public static final List<String> DEFAULT_FILL_LABELS = List.of("CSF.*", ".*Ventricle.*");

	/** Settings whose atrophy follows each subject's class. */
	public SimulationSettings(final int subjects, final long seed, final double progressorFraction, final double atrophyPercent, final double ageingPercent,
			final List<String> atrophyLabels, final List<String> fillLabels, final double maxRotationDeg, final double maxShiftMm, final double noise,
			final double bias, final double anatomyMm, final double voxelSizeMm, final Path template, final Path atlas, final Path atlasNames,
			final boolean writeLabels, final boolean writeDisplacement, final boolean writeAnatomy) {
		this(subjects, seed, progressorFraction, atrophyPercent, ageingPercent, atrophyLabels, fillLabels, maxRotationDeg, maxShiftMm, noise, bias, anatomyMm,
				voxelSizeMm, template, atlas, atlasNames, writeLabels, writeDisplacement, writeAnatomy, false);
	}

	public SimulationSettings {
		check(subjects >= 1 && subjects <= 99999, "subjects", "must be between 1 and 99999", subjects);
		check(progressorFraction >= 0 && progressorFraction <= 1, "progressor_fraction", "must be between 0 and 1", progressorFraction);
		check(atrophyPercent >= 0 && atrophyPercent <= 40, "atrophy_percent", "must be between 0 and 40", atrophyPercent);
		check(ageingPercent >= 0 && ageingPercent <= 40, "ageing_percent", "must be between 0 and 40", ageingPercent);
		check(maxRotationDeg >= 0 && maxRotationDeg <= 30, "max_rotation_deg", "must be between 0 and 30", maxRotationDeg);
		check(maxShiftMm >= 0 && maxShiftMm <= 50, "max_shift_mm", "must be between 0 and 50", maxShiftMm);
		check(noise >= 0 && noise <= 1, "noise", "must be between 0 and 1 (a fraction of the white-matter intensity)", noise);
		check(bias >= 0 && bias <= 1, "bias", "must be between 0 and 1", bias);
		check(anatomyMm >= 0 && anatomyMm <= 10, "anatomy_mm", "must be between 0 and 10", anatomyMm);
		check(voxelSizeMm >= 0.5 && voxelSizeMm <= 10, "voxel_size_mm", "must be between 0.5 and 10", voxelSizeMm);
		final int given = (template != null ? 1 : 0) + (atlas != null ? 1 : 0) + (atlasNames != null ? 1 : 0);
		if (given != 0 && given != 3)
			throw new IllegalArgumentException("template, atlas and atlas_names go together: give all three files or none (the phantom)");
		atrophyLabels = List.copyOf(atrophyLabels);
		fillLabels = List.copyOf(fillLabels);
	}

	private static void check(final boolean ok, final String key, final String rule, final Object value) {
		if (!ok)
			throw new IllegalArgumentException(key + " " + rule + ", got " + value);
	}

	/** The defaults of the Simulate Cohort command: 40 phantom subjects at 2 mm. */
	public static SimulationSettings defaults() {
		return new SimulationSettings(40, 1, 0.5, 10, 1, List.of(), DEFAULT_FILL_LABELS, 3, 3, 0.03, 0.1, 3, 2, null, null, null, true, false, false);
	}

	/** True when the phantom is the template. */
	public boolean phantom() {
		return template == null;
	}

	/** The atrophy label patterns in force: the given ones or the template's default. */
	public List<String> effectiveAtrophyLabels() {
		return !atrophyLabels.isEmpty() ? atrophyLabels : phantom() ? PHANTOM_ATROPHY_LABELS : ATLAS_ATROPHY_LABELS;
	}

	/**
	 * The settings that determine the files' content, as {@code key: value} lines in the command's
	 * key names (what a resumed run must match). Which optional files are written is not part of it.
	 */
	public Map<String, String> identity() {
		final Map<String, String> m = new LinkedHashMap<>();
		m.put("subjects", Integer.toString(subjects));
		m.put("seed", Long.toString(seed));
		m.put("progressor_fraction", Double.toString(progressorFraction));
		m.put("atrophy_percent", Double.toString(atrophyPercent));
		m.put("ageing_percent", Double.toString(ageingPercent));
		m.put("atrophy_labels", String.join(",", effectiveAtrophyLabels()));
		m.put("fill_labels", String.join(",", fillLabels));
		m.put("max_rotation_deg", Double.toString(maxRotationDeg));
		m.put("max_shift_mm", Double.toString(maxShiftMm));
		m.put("noise", Double.toString(noise));
		m.put("bias", Double.toString(bias));
		m.put("anatomy_mm", Double.toString(anatomyMm));
		m.put("voxel_size_mm", Double.toString(voxelSizeMm));
		m.put("template", phantom() ? "phantom" : template.toAbsolutePath().normalize().toString());
		if (!phantom()) {
			m.put("atlas", atlas.toAbsolutePath().normalize().toString());
			m.put("atlas_names", atlasNames.toAbsolutePath().normalize().toString());
		}
		if (independentAtrophy)
			m.put("independent_atrophy", "true");
		return m;
	}

	/** A copy with another number of subjects and seed. */
	public SimulationSettings withSubjects(final int n, final long s) {
		return new SimulationSettings(n, s, progressorFraction, atrophyPercent, ageingPercent, atrophyLabels, fillLabels, maxRotationDeg, maxShiftMm,
				noise, bias, anatomyMm, voxelSizeMm, template, atlas, atlasNames, writeLabels, writeDisplacement, writeAnatomy, independentAtrophy);
	}

	/** A copy with another voxel size. */
	public SimulationSettings withVoxelSize(final double mm) {
		return new SimulationSettings(subjects, seed, progressorFraction, atrophyPercent, ageingPercent, atrophyLabels, fillLabels, maxRotationDeg,
				maxShiftMm, noise, bias, anatomyMm, mm, template, atlas, atlasNames, writeLabels, writeDisplacement, writeAnatomy, independentAtrophy);
	}

	/** A copy with other atrophy settings. */
	public SimulationSettings withAtrophy(final double fraction, final double percent, final double ageing) {
		return new SimulationSettings(subjects, seed, fraction, percent, ageing, atrophyLabels, fillLabels, maxRotationDeg, maxShiftMm, noise, bias,
				anatomyMm, voxelSizeMm, template, atlas, atlasNames, writeLabels, writeDisplacement, writeAnatomy, independentAtrophy);
	}

	/** A copy with other motion limits. */
	public SimulationSettings withMotion(final double rotationDeg, final double shiftMm) {
		return new SimulationSettings(subjects, seed, progressorFraction, atrophyPercent, ageingPercent, atrophyLabels, fillLabels, rotationDeg,
				shiftMm, noise, bias, anatomyMm, voxelSizeMm, template, atlas, atlasNames, writeLabels, writeDisplacement, writeAnatomy, independentAtrophy);
	}

	/** A copy with other optional outputs. */
	public SimulationSettings withOutputs(final boolean labels, final boolean displacement, final boolean anatomy) {
		return new SimulationSettings(subjects, seed, progressorFraction, atrophyPercent, ageingPercent, atrophyLabels, fillLabels, maxRotationDeg,
				maxShiftMm, noise, bias, anatomyMm, voxelSizeMm, template, atlas, atlasNames, labels, displacement, anatomy, independentAtrophy);
	}

	/** A copy whose atrophy labels draw their losses independently of each other and of the class (see {@code independentAtrophy}). */
	public SimulationSettings withIndependentAtrophy() {
		return new SimulationSettings(subjects, seed, progressorFraction, atrophyPercent, ageingPercent, atrophyLabels, fillLabels, maxRotationDeg,
				maxShiftMm, noise, bias, anatomyMm, voxelSizeMm, template, atlas, atlasNames, writeLabels, writeDisplacement, writeAnatomy, true);
	}

	/** A copy with another template, atlas and names (all null: the phantom). */
	public SimulationSettings withTemplate(final Path t, final Path a, final Path names) {
		return new SimulationSettings(subjects, seed, progressorFraction, atrophyPercent, ageingPercent, atrophyLabels, fillLabels, maxRotationDeg,
				maxShiftMm, noise, bias, anatomyMm, voxelSizeMm, t, a, names, writeLabels, writeDisplacement, writeAnatomy, independentAtrophy);
	}
}
