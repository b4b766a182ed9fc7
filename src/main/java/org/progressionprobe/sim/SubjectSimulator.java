package org.progressionprobe.sim;

import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.SplittableRandom;
import java.util.stream.IntStream;

import org.progressionprobe.volume.AffineTransform3D;
import org.progressionprobe.volume.Atlas;
import org.progressionprobe.volume.DisplacementField;
import org.progressionprobe.volume.Grid;
import org.progressionprobe.volume.Resampler;
import org.progressionprobe.volume.Volume;
import org.progressionprobe.volume.VoxelBox;

/**
 * Simulates one subject from a template atlas: a random smooth anatomy, a baseline scan, and a
 * follow-up scan of the same anatomy after regional volume loss, repositioned by a rigid motion,
 * each with its own bias field and Rician noise. Everything follows from the subject's seed.
 * <p>
 * Geometry, all in world mm on the atlas grid:
 * <ul>
 * <li>anatomy: {@code A(p) = p + u(p)} maps a subject point to the template point it shows, u a
 * head-size scaling plus a smooth random displacement; the baseline is the template pulled through A</li>
 * <li>atrophy: {@code D(x) = x + d(x)} maps a follow-up point (before the motion) to the baseline
 * point that moved there ({@link RegionalAtrophy}); d is the written displacement field</li>
 * <li>motion: {@code M} maps a baseline point to the follow-up scan's world ({@link RigidMotion})</li>
 * <li>follow-up voxel at y shows the template at {@code A(D(M^-1 y))}: one interpolation of the template</li>
 * </ul>
 * Labels are partial-volume memberships: the atlas label indicators interpolated trilinearly at
 * {@code A(p)} (baseline) or {@code A(D(x))} (follow-up before the motion); volumes and their true
 * changes are integrals of these memberships ({@link LabelVolumes}), and the baseline label map
 * holds the label of largest membership at each voxel centre.
 */
final class SubjectSimulator {

	/** One simulated subject. */
	record Subject(String id, long seed, boolean progressor, Volume baseline, Volume followup, Volume labels, DisplacementField anatomy,
			DisplacementField displacement, RigidMotion motion, double[] baselineVolumes, Map<Integer, Double> volumeChange, Map<Integer, Double> targetPercent) {

		/** True volume change of a label in percent of its baseline volume (0 if untouched). */
		double changePercent(final int label) {
			final double v = label < baselineVolumes.length ? baselineVolumes[label] : 0;
			return v > 0 ? 100 * volumeChange.getOrDefault(label, 0.0) / v : 0;
		}
	}

	/** Sub-voxels per axis at label boundaries: for the baseline volumes, for calibrating the atrophy, and for the true changes. */
	static final int VOLUME_SUPERSAMPLING = 2, CALIBRATION_SUPERSAMPLING = 2, CHANGE_SUPERSAMPLING = 4;

	private final Atlas atlas;
	private final Grid grid;
	private final SimulationSettings settings;
	private final List<Integer> atrophyLabels;
	private final Set<Integer> fillLabels;
	private final double noiseSigma;
	private final boolean integer;
	private final LabelVolumes memberships;

	/**
	 * @param atlas template, labels and names; subjects are simulated on its grid
	 * @param whiteMatter the template's white-matter intensity (noise is relative to it)
	 * @param atrophyLabels label values that shrink
	 * @param fillLabels label values that take up the lost volume
	 */
	SubjectSimulator(final Atlas atlas, final double whiteMatter, final SimulationSettings settings, final List<Integer> atrophyLabels,
			final Set<Integer> fillLabels) {
		this.atlas = atlas;
		this.grid = Grid.of(atlas.template());
		this.settings = settings;
		this.atrophyLabels = List.copyOf(atrophyLabels);
		this.fillLabels = Set.copyOf(fillLabels);
		this.noiseSigma = settings.noise() * whiteMatter;
		this.integer = integerIntensities(whiteMatter);
		this.memberships = new LabelVolumes(atlas.labels());
	}

	/**
	 * Scans are stored as integers, as scanners do, when the template's white matter is at least 50
	 * (rounding then moves no voxel by more than 1% of it); otherwise they stay float.
	 */
	static boolean integerIntensities(final double whiteMatter) {
		return whiteMatter >= 50;
	}

	Subject simulate(final String id, final long seed, final boolean progressor) {
		final SplittableRandom rng = new SplittableRandom(seed);
		// draws, in a fixed order
		final DisplacementField anatomy = anatomy(rng);
		final Map<Integer, Double> targetPercent = new LinkedHashMap<>();
		final double mean = progressor ? settings.atrophyPercent() : settings.ageingPercent();
		for (final int l : atrophyLabels)
			targetPercent.put(l, settings.independentAtrophy() ? 1.5 * settings.atrophyPercent() * rng.nextDouble() : mean * (0.5 + rng.nextDouble()));
		final RigidMotion motion = RigidMotion.draw(rng, settings.maxRotationDeg(), settings.maxShiftMm());
		final SmoothRandomField biasBaseline = biasField(rng), biasFollowup = biasField(rng);
		final long noiseBaseline = rng.nextLong(), noiseFollowup = rng.nextLong();

		final double[] toAtlas = atlas.labels().worldToVoxel().concatenate(grid.voxelToWorld()).getRowPackedCopy();
		final double[] w2v = atlas.labels().worldToVoxel().getRowPackedCopy();
		final LabelVolumes.Mapping baselineMap = (i, j, k, out) -> {
			anatomy.displacementAtVoxel(i, j, k, out);
			final double ux = out[0], uy = out[1], uz = out[2];
			final double[] m = toAtlas;
			out[0] = m[0] * i + m[1] * j + m[2] * k + m[3] + w2v[0] * ux + w2v[1] * uy + w2v[2] * uz;
			out[1] = m[4] * i + m[5] * j + m[6] * k + m[7] + w2v[4] * ux + w2v[5] * uy + w2v[6] * uz;
			out[2] = m[8] * i + m[9] * j + m[10] * k + m[11] + w2v[8] * ux + w2v[9] * uy + w2v[10] * uz;
		};
		final Volume labels = memberships.labelMap(grid, baselineMap);
		final Volume baseline = acquire(anatomy.warp(atlas.template(), Resampler.Interpolation.LINEAR), biasBaseline, noiseBaseline);
		final double[] volumes = memberships.volumes(grid, new int[3], grid.size(), baselineMap, VOLUME_SUPERSAMPLING, null, null);

		final Map<Integer, Double> loss = new LinkedHashMap<>();
		for (final int l : atrophyLabels)
			if (l < volumes.length)
				loss.put(l, volumes[l] * targetPercent.get(l) / 100);
		final Map<String, double[]> boxBaseline = new java.util.HashMap<>();
		final RegionalAtrophy.VolumeChange change = (pull, lo, hi, only) -> {
			final int sub = only == null ? CHANGE_SUPERSAMPLING : CALIBRATION_SUPERSAMPLING;
			// voxels the deformation leaves alone contribute the same before and after: skip them
			final Moved moved = new Moved(pull, grid);
			final double[] before = boxBaseline.computeIfAbsent(Arrays.toString(lo) + Arrays.toString(hi) + sub + "/" + moved.hash,
					key -> memberships.volumes(grid, lo, hi, baselineMap, sub, null, moved));
			// all in voxel units: the pull's grid is a sub-grid of the subject grid, the anatomy lies on the subject grid
			final double[] d2v = grid.voxelToWorld().inverse().getRowPackedCopy();
			final int[] off = moved.offset;
			final double[] after = memberships.volumes(grid, lo, hi, (i, j, k, out) -> {
				pull.displacementAtVoxel(i - off[0], j - off[1], k - off[2], out);
				final double dx = out[0], dy = out[1], dz = out[2];
				baselineMap.toAtlas(i + d2v[0] * dx + d2v[1] * dy + d2v[2] * dz, j + d2v[4] * dx + d2v[5] * dy + d2v[6] * dz,
						k + d2v[8] * dx + d2v[9] * dy + d2v[10] * dz, out);
			}, sub, only, moved);
			for (int l = 0; l < after.length; l++)
				after[l] = only == null || only.contains(l) ? after[l] - before[l] : 0;
			return after;
		};
		final RegionalAtrophy.Result atrophy = new RegionalAtrophy(labels, fillLabels, change).simulate(loss);

		// the follow-up anatomy A(D(x)): the anatomy field, with A(D(x)) where the atrophy moves anything
		final DisplacementField followAnatomy = atrophy == null ? anatomy : pasted(anatomy, atrophy.pull().andThen(anatomy));
		final Volume followup = acquire(followAnatomy.warp(atlas.template(), grid, motion.transform().inverse(), Resampler.Interpolation.LINEAR, 0f),
				biasFollowup, noiseFollowup);
		final DisplacementField displacement = settings.writeDisplacement()
				? (atrophy != null ? atrophy.pull().onGrid(grid) : DisplacementField.zeros(grid))
				: null;
		return new Subject(id, seed, progressor, baseline, followup, labels, anatomy, displacement, motion, volumes,
				atrophy != null ? atrophy.volumeChangeMm3() : Map.of(), targetPercent);
	}

	/** A copy of {@code base} whose voxels inside {@code crop}'s grid (a sub-grid of base's) take crop's values. */
	private static DisplacementField pasted(final DisplacementField base, final DisplacementField crop) {
		final int[] off = offset(crop.grid(), base.grid()), n = crop.grid().size(), b = base.grid().size();
		final List<Volume> from = crop.toVolumes(), to = base.toVolumes();
		final Volume[] out = new Volume[3];
		for (int c = 0; c < 3; c++) {
			out[c] = to.get(c).copy();
			final float[] src = from.get(c).data(), dst = out[c].data();
			for (int k = 0; k < n[2]; k++)
				for (int j = 0; j < n[1]; j++)
					System.arraycopy(src, (k * n[1] + j) * n[0], dst, ((k + off[2]) * b[1] + j + off[1]) * b[0] + off[0], n[0]);
		}
		return new DisplacementField(out[0], out[1], out[2]);
	}

	/** The voxel of {@code grid} where a sub-grid's voxel 0 lies. */
	private static int[] offset(final Grid sub, final Grid grid) {
		final double[] origin = new double[3];
		sub.voxelToWorld().apply(origin, origin);
		grid.voxelToWorld().inverse().apply(origin, origin);
		return new int[] { (int) Math.round(origin[0]), (int) Math.round(origin[1]), (int) Math.round(origin[2]) };
	}

	/**
	 * The voxels of the subject grid near which a pull field (on a sub-grid of the subject grid)
	 * displaces anything: its displacement is not exactly zero at the voxel or one of its 26
	 * neighbours. Elsewhere the field is exactly the identity and volumes do not change.
	 */
	private static final class Moved implements LabelVolumes.VoxelFilter {
		private final int[] n;
		final int[] offset;
		private final boolean[] mask;
		final int hash;

		Moved(final DisplacementField pull, final Grid grid) {
			n = pull.grid().size();
			offset = offset(pull.grid(), grid);
			final float[] x = pull.x().data(), y = pull.y().data(), z = pull.z().data();
			mask = new boolean[x.length];
			for (int k = 0, o = 0; k < n[2]; k++)
				for (int j = 0; j < n[1]; j++)
					for (int i = 0; i < n[0]; i++, o++) {
						if (x[o] == 0 && y[o] == 0 && z[o] == 0)
							continue;
						for (int c = Math.max(0, k - 1); c <= Math.min(n[2] - 1, k + 1); c++)
							for (int b = Math.max(0, j - 1); b <= Math.min(n[1] - 1, j + 1); b++)
								for (int a = Math.max(0, i - 1); a <= Math.min(n[0] - 1, i + 1); a++)
									mask[(c * n[1] + b) * n[0] + a] = true;
					}
			hash = 31 * Arrays.hashCode(mask) + Arrays.hashCode(offset);
		}

		@Override
		public boolean includes(final int i, final int j, final int k) {
			final int a = i - offset[0], b = j - offset[1], c = k - offset[2];
			return a >= 0 && b >= 0 && c >= 0 && a < n[0] && b < n[1] && c < n[2] && mask[(c * n[1] + b) * n[0] + a];
		}
	}

	/**
	 * The anatomy map A(p) = S p + s(p): S a diagonal head-size scaling within +-anatomy/75, s a
	 * smooth random displacement (wavelengths 70-160 mm, RMS {@code anatomy_mm}); halved until A
	 * does not fold anywhere (Jacobian above 0.3).
	 */
	private DisplacementField anatomy(final SplittableRandom rng) {
		final double a = settings.anatomyMm();
		final double[] scale = new double[3];
		for (int d = 0; d < 3; d++)
			scale[d] = 1 + a / 75 * (2 * rng.nextDouble() - 1);
		final SmoothRandomField[] s = new SmoothRandomField[3];
		for (int d = 0; d < 3; d++)
			s[d] = SmoothRandomField.draw(rng, 6, 70, 160, a / Math.sqrt(3));
		final AffineTransform3D scaling = AffineTransform3D.of(scale[0], 0, 0, 0, 0, scale[1], 0, 0, 0, 0, scale[2], 0);
		// the fields vary over 70 mm or more: a grid of half the resolution shows any folding
		final Grid coarse = grid.coarsened(new double[] { 2, 2, 2 });
		double amplitude = 1;
		while (amplitude > 1e-3) {
			double min = Double.MAX_VALUE;
			for (final float j : anatomyField(coarse, scaling, s, amplitude).jacobianDeterminant().data())
				min = Math.min(min, j);
			if (min > 0.3)
				break;
			amplitude *= 0.5;
		}
		return anatomyField(grid, scaling, s, amplitude);
	}

	private static DisplacementField anatomyField(final Grid on, final AffineTransform3D scaling, final SmoothRandomField[] s, final double amplitude) {
		final DisplacementField field = DisplacementField.of(on, scaling);
		final List<Volume> c = field.toVolumes();
		for (int d = 0; d < 3; d++) {
			final float[] dst = c.get(d).data(), src = s[d].sample(on).data();
			for (int i = 0; i < dst.length; i++)
				dst[i] += (float) (amplitude * src[i]);
		}
		return field;
	}

	/** A bias field with wavelengths 150-400 mm and the configured strength (RMS of its logarithm). */
	private SmoothRandomField biasField(final SplittableRandom rng) {
		return SmoothRandomField.draw(rng, 4, 150, 400, settings.bias());
	}

	/**
	 * The scanner: multiplies by exp(bias), adds Rician noise (magnitude of a complex Gaussian) and,
	 * for integer output, rounds to the nearest integer within the int16 range.
	 */
	private Volume acquire(final Volume clean, final SmoothRandomField bias, final long noiseSeed) {
		final float[] b = bias.sample(grid).data(), v = clean.data();
		final int nx = clean.nx(), ny = clean.ny();
		final double sigma = noiseSigma;
		IntStream.range(0, clean.nz()).parallel().forEach(k -> {
			final SplittableRandom r = new SplittableRandom(Seeds.mix(noiseSeed, k));
			final double[] g = new double[2];
			for (int o = k * nx * ny; o < (k + 1) * nx * ny; o++) {
				final double s = v[o] * StrictMath.exp(b[o]);
				double m = s;
				if (sigma > 0) {
					Seeds.gaussianPair(r, g);
					final double re = s + sigma * g[0], im = sigma * g[1];
					m = Math.sqrt(re * re + im * im);
				}
				v[o] = (float) (integer ? Math.min(Short.MAX_VALUE, Math.rint(m)) : m);
			}
		});
		return clean;
	}

	/**
	 * The white-matter-like intensity of a template: the 90th percentile of its positive voxels within
	 * the bounding box of its labels (the phantom gives its white matter, 100).
	 */
	static double whiteMatterIntensity(final Atlas atlas) {
		final Volume l = atlas.labels(), t = atlas.template();
		final int nx = l.nx(), ny = l.ny();
		final float[] lab = l.data();
		final VoxelBox box = VoxelBox.of(l, o -> lab[o] != 0);
		if (box == null)
			throw new IllegalArgumentException("The atlas has no labels");
		final int[] lo = box.lo(), hi = box.hi();
		final float[] tv = t.data();
		float[] values = new float[tv.length];
		int n = 0;
		for (int k = lo[2]; k <= hi[2]; k++)
			for (int j = lo[1]; j <= hi[1]; j++)
				for (int i = lo[0]; i <= hi[0]; i++) {
					final float v = tv[(k * ny + j) * nx + i];
					if (v > 0)
						values[n++] = v;
				}
		if (n == 0)
			throw new IllegalArgumentException("The template has no positive intensities within its labels");
		values = Arrays.copyOf(values, n);
		Arrays.sort(values);
		return values[(int) Math.min(n - 1, Math.floor(0.9 * n))];
	}
}
