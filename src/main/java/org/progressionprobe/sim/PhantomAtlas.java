package org.progressionprobe.sim;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.IntStream;

import org.progressionprobe.io.AtlasFiles;
import org.progressionprobe.io.VolumeIO;
import org.progressionprobe.volume.Atlas;
import org.progressionprobe.volume.Geometry;
import org.progressionprobe.volume.Volume;

/**
 * A procedural brain-like head with T1-like contrast and labelled regions, the default template of
 * {@link CohortSimulator}: scalp and skull shells, CSF, a folded cortex and white matter split into
 * hemispheres, banana-shaped lateral ventricles with temporal horns, and paired deep structures
 * (caudate, putamen, thalamus, hippocampus, amygdala) at roughly their MNI positions.
 * <p>
 * The field of view is 180 x 216 x 180 mm (90 x 108 x 90 voxels at 2 mm), RAS, with world (0,0,0)
 * at the centre of the grid. Every shape is an implicit surface with an approximate signed distance
 * in mm; a voxel takes a shape's intensity in proportion to a smooth ramp one voxel wide across the
 * surface (partial volume), so boundaries carry gradients at any voxel size, and the shape's label
 * where its centre lies inside. Shapes are painted in a fixed order, later ones over earlier ones.
 * Intensities: white matter 100, cortex 60, CSF 25, skull 15, scalp 70, deep grey matter 63-82.
 * The result depends only on the voxel size (no randomness) and takes well under a second.
 */
public final class PhantomAtlas {

	/** Field of view in mm along x, y, z. */
	public static final double[] FIELD_OF_VIEW_MM = { 180, 216, 180 };

	/** Template intensity of white matter, the reference for noise levels. */
	public static final double WHITE_MATTER = 100;

	/** Label value to name, in the order of the label values. */
	public static final Map<Integer, String> NAMES = names();

	private static final double CSF = 25, CORTEX = 60, SKULL = 15, SCALP = 70;

	private PhantomAtlas() {}

	private static Map<Integer, String> names() {
		final String[] n = { "CSF", "Cortex_L", "Cortex_R", "WhiteMatter_L", "WhiteMatter_R", "Ventricle_L", "Ventricle_R", "Caudate_L",
				"Caudate_R", "Putamen_L", "Putamen_R", "Thalamus_L", "Thalamus_R", "Hippocampus_L", "Hippocampus_R", "Amygdala_L",
				"Amygdala_R", "Skull", "Scalp" };
		final Map<Integer, String> m = new LinkedHashMap<>();
		for (int i = 0; i < n.length; i++)
			m.put(i + 1, n[i]);
		return java.util.Collections.unmodifiableMap(m);
	}

	private static int label(final String name) {
		for (final Map.Entry<Integer, String> e : NAMES.entrySet())
			if (e.getValue().equals(name))
				return e.getKey();
		throw new IllegalArgumentException(name);
	}

	/** Voxel size of the default atlas (mm). */
	public static final double DEFAULT_VOXEL_MM = 2;

	/** The phantom at 2 mm: 90 x 108 x 90 voxels. */
	public static Atlas create() {
		return create(DEFAULT_VOXEL_MM);
	}

	/**
	 * The default atlas as files in {@code dir} (template, labels and label names under the names
	 * {@link CohortSimulator} gives them), written once: what commands use when no atlas is given.
	 * Returns the three paths.
	 */
	public static synchronized Path[] writeDefault(final Path dir) throws IOException {
		final Path[] files = CohortSimulator.atlasFiles(dir);
		if (Files.exists(files[0]) && Files.exists(files[1]) && Files.exists(files[2]))
			return files;
		final Atlas atlas = create();
		Files.createDirectories(dir);
		VolumeIO.write(atlas.template(), files[0]);
		VolumeIO.writeLabels(atlas.labels(), files[1]);
		AtlasFiles.writeNames(atlas.names(), files[2]);
		return files;
	}

	/**
	 * The phantom at the given isotropic voxel size (mm); the grid has round(FOV / size) voxels per
	 * axis and is centred on the world origin.
	 */
	public static Atlas create(final double voxelSizeMm) {
		if (!(voxelSizeMm >= 0.25 && voxelSizeMm <= 20))
			throw new IllegalArgumentException("Phantom voxel size must be between 0.25 and 20 mm, got " + voxelSizeMm);
		final int[] n = new int[3];
		final double[] origin = new double[3];
		for (int d = 0; d < 3; d++) {
			n[d] = Math.max(8, (int) Math.round(FIELD_OF_VIEW_MM[d] / voxelSizeMm));
			origin[d] = -0.5 * (n[d] - 1) * voxelSizeMm;
		}
		final Volume template = Volume.zeros(n[0], n[1], n[2], Geometry.scaling(new double[] { voxelSizeMm, voxelSizeMm, voxelSizeMm }, origin));
		final Volume labels = template.zerosLike();
		final Paint[] paints = paints().toArray(new Paint[0]);
		final float[] t = template.data(), l = labels.data();
		IntStream.range(0, n[2]).parallel().forEach(k -> {
			final double pz = origin[2] + k * voxelSizeMm;
			for (int j = 0; j < n[1]; j++) {
				final double py = origin[1] + j * voxelSizeMm;
				for (int i = 0; i < n[0]; i++) {
					final double px = origin[0] + i * voxelSizeMm;
					double value = 0;
					int lab = 0;
					for (final Paint p : paints) {
						if (!p.shape.near(px, py, pz, voxelSizeMm))
							continue;
						final double d = p.shape.distance(px, py, pz);
						final double cover = coverage(d / voxelSizeMm);
						if (cover > 0)
							value += cover * (p.intensity - value);
						if (d < 0)
							lab = px < 0 ? p.left : p.right;
					}
					final int o = (k * n[1] + j) * n[0] + i;
					t[o] = (float) value;
					l[o] = lab;
				}
			}
		});
		return new Atlas(template, labels, NAMES);
	}

	/** Fraction of a voxel inside a surface at signed distance d (in voxels) from its centre: a smooth ramp. */
	static double coverage(final double d) {
		final double s = Math.max(0, Math.min(1, 0.5 - d));
		return s * s * (3 - 2 * s);
	}

	/** The painting order: a shape, its intensity and its label left (x < 0) and right of the midline. */
	private record Paint(Shape shape, double intensity, int left, int right) {
		Paint(final Shape shape, final double intensity, final String name) {
			this(shape, intensity, label(name), label(name));
		}
	}

	private static List<Paint> paints() {
		final List<Paint> p = new ArrayList<>();
		final double[] head = { 72, 90, 76 };
		p.add(new Paint(Ellipsoid.of(0, 0, -2, head[0], head[1], head[2]), SCALP, "Scalp"));
		p.add(new Paint(Ellipsoid.of(0, 0, -2, head[0] - 5, head[1] - 5, head[2] - 5), SKULL, "Skull"));
		final Ellipsoid csf = Ellipsoid.of(0, 0, -2, head[0] - 11, head[1] - 11, head[2] - 11);
		p.add(new Paint(csf, CSF, "CSF"));
		final Ellipsoid brain = Ellipsoid.of(0, 0, -2, head[0] - 14, head[1] - 14, head[2] - 14);
		p.add(new Paint(new Folded(brain, 2.0), CORTEX, label("Cortex_L"), label("Cortex_R")));
		final Ellipsoid wm = Ellipsoid.of(0, 0, -2, head[0] - 21, head[1] - 21, head[2] - 21);
		p.add(new Paint(new Folded(wm, 5.0), WHITE_MATTER, label("WhiteMatter_L"), label("WhiteMatter_R")));
		p.add(new Paint(new Fissure(csf, 1.2, 18), CSF, "CSF"));
		for (final int s : new int[] { -1, 1 }) {
			final String side = s < 0 ? "_L" : "_R";
			p.add(new Paint(Ellipsoid.of(s * 24, 3, 2, 5, 12, 8), 75, "Putamen" + side));
			p.add(new Paint(Ellipsoid.of(s * 13, 8, 12, 4.5, 12, 6), 72, "Caudate" + side));
			p.add(new Paint(Ellipsoid.of(s * 10, -16, 4, 7, 11, 7), 82, "Thalamus" + side));
			p.add(new Paint(Ellipsoid.of(s * 23, -2, -18, 6, 6.5, 6), 65, "Amygdala" + side));
			p.add(new Paint(new Ellipsoid(s * 27, -22, -15, 5.5, 17, 5.5, Math.toRadians(20), 0), 63, "Hippocampus" + side));
			p.add(new Paint(new Ellipsoid(s * 9, -4, 14, 4.5, 24, 6, 0, 0.012), CSF, "Ventricle" + side));
			p.add(new Paint(new Ellipsoid(s * 27, -16, -7, 3, 14, 2.5, Math.toRadians(15), 0), CSF, "Ventricle" + side));
		}
		return p;
	}

	/** An implicit surface: approximate signed distance in mm (negative inside). */
	interface Shape {
		double distance(double x, double y, double z);

		/** False if the point is certainly farther than a few voxels outside (a cheap bounding test). */
		boolean near(double x, double y, double z, double voxel);
	}

	/**
	 * An ellipsoid centred at c with radii r, pitched by {@code pitch} radians about the x axis
	 * (positive: the posterior end rises), its centre line bent down by {@code bend * y'^2} mm.
	 */
	static final class Ellipsoid implements Shape {
		private final double cx, cy, cz, rx, ry, rz, cos, sin, bend, reach;

		Ellipsoid(final double cx, final double cy, final double cz, final double rx, final double ry, final double rz, final double pitch,
				final double bend) {
			this.cx = cx;
			this.cy = cy;
			this.cz = cz;
			this.rx = rx;
			this.ry = ry;
			this.rz = rz;
			this.cos = StrictMath.cos(pitch);
			this.sin = StrictMath.sin(pitch);
			this.bend = bend;
			this.reach = Math.max(rx, Math.max(ry, rz)) * (1 + Math.abs(bend) * ry) + 4;
		}

		static Ellipsoid of(final double cx, final double cy, final double cz, final double rx, final double ry, final double rz) {
			return new Ellipsoid(cx, cy, cz, rx, ry, rz, 0, 0);
		}

		@Override
		public double distance(final double x, final double y, final double z) {
			final double dx = x - cx, dy0 = y - cy, dz0 = z - cz;
			final double dy = cos * dy0 + sin * dz0;
			final double dz = -sin * dy0 + cos * dz0 + bend * dy * dy;
			final double qx = dx / rx, qy = dy / ry, qz = dz / rz;
			final double rho = Math.sqrt(qx * qx + qy * qy + qz * qz);
			if (rho < 1e-9)
				return -Math.min(rx, Math.min(ry, rz));
			final double gx = qx / rx, gy = qy / ry, gz = qz / rz;
			final double grad = Math.sqrt(gx * gx + gy * gy + gz * gz) / rho;
			return (rho - 1) / grad;
		}

		@Override
		public boolean near(final double x, final double y, final double z, final double voxel) {
			final double m = reach + 2 * voxel;
			return Math.abs(x - cx) < m && Math.abs(y - cy) < m && Math.abs(z - cz) < m;
		}
	}

	/**
	 * A surface rippled by the given amplitude (mm) times a folding pattern: two 3D egg-crate
	 * patterns of periods 22 and 15 mm, the second turned 45 degrees about z: gyri and sulci.
	 * The pattern is mirrored at x = 0, so the hemispheres are symmetric.
	 */
	record Folded(Ellipsoid base, double amplitude) implements Shape {
		private static final double K1 = 2 * Math.PI / 22, K2 = 2 * Math.PI / 15 / Math.sqrt(2);

		static double pattern(final double xSigned, final double y, final double z) {
			final double x = Math.abs(xSigned);
			return 0.65 * StrictMath.sin(K1 * x + 0.3) * StrictMath.sin(K1 * y + 1.1) * StrictMath.sin(K1 * z + 0.7)
					+ 0.35 * StrictMath.sin(K2 * (x + y) + 2.1) * StrictMath.sin(K2 * (x - y) + 0.4) * StrictMath.sin(K2 * Math.sqrt(2) * z + 1.3);
		}

		@Override
		public double distance(final double x, final double y, final double z) {
			final double d = base.distance(x, y, z);
			if (Math.abs(d) > amplitude + 8)
				return d;
			return d - amplitude * pattern(x, y, z);
		}

		@Override
		public boolean near(final double x, final double y, final double z, final double voxel) {
			return base.near(x, y, z, voxel + amplitude);
		}
	}

	/** The interhemispheric fissure: a slab |x| < halfWidth above z = bottom, inside the given envelope. */
	record Fissure(Shape envelope, double halfWidth, double bottom) implements Shape {
		@Override
		public double distance(final double x, final double y, final double z) {
			return Math.max(Math.max(Math.abs(x) - halfWidth, bottom - z), envelope.distance(x, y, z));
		}

		@Override
		public boolean near(final double x, final double y, final double z, final double voxel) {
			return Math.abs(x) < halfWidth + 2 * voxel + 2 && z > bottom - 2 * voxel - 2;
		}
	}
}
