package org.progressionprobe.builtin;

import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import org.progressionprobe.io.AtlasFiles;
import org.progressionprobe.io.VolumeIO;
import org.progressionprobe.volume.Atlas;
import org.progressionprobe.volume.GaussianSmoothing;
import org.progressionprobe.volume.Volume;

/**
 * The classes a built-in network learns from a real template and label atlas (AAL's names): the deep
 * structures the study crops ({@link #DEEP_STRUCTURES}, each left and right), {@code OtherGrey} (every
 * other atlas region: AAL's cortex and cerebellum), {@code OtherBrain} (unlabelled voxels inside the
 * brain: white matter, ventricles) and background (0). Training subjects are simulated from the
 * template with these classes as their labels, so the UNet segments them and the registration network's
 * head mask is the brain.
 */
final class TrainingAtlas {

	/** The deep structures, as AAL names them; each must match exactly one label of the atlas. */
	static final List<String> DEEP_STRUCTURES = List.of("Hippocampus_L", "Hippocampus_R", "Amygdala_L", "Amygdala_R", "Putamen_L", "Putamen_R",
			"Pallidum_L", "Pallidum_R", "Thalamus_L", "Thalamus_R", "Caudate_L", "Caudate_R");
	static final String OTHER_GREY = "OtherGrey", OTHER_BRAIN = "OtherBrain";

	/** Class value to name: 1 OtherBrain, 2 OtherGrey, then the deep structures. */
	static final Map<Integer, String> CLASS_NAMES = classNames();

	/** Files of the class atlas written by {@link #write}: template, class labels, class names. */
	static final String TEMPLATE = "training_template.nii.gz", LABELS = "training_classes.nii.gz", NAMES = "training_classes.txt";

	/** Width (mm) of the closing that bridges sulci before the brain's inside is filled. */
	static final double CLOSING_MM = 3;

	private TrainingAtlas() {}

	private static Map<Integer, String> classNames() {
		final Map<Integer, String> m = new LinkedHashMap<>();
		m.put(1, OTHER_BRAIN);
		m.put(2, OTHER_GREY);
		for (int i = 0; i < DEEP_STRUCTURES.size(); i++)
			m.put(i + 3, DEEP_STRUCTURES.get(i));
		return Collections.unmodifiableMap(m);
	}

	/** The template with its labels turned into the classes; an atlas without one of the deep structures is refused, naming it. */
	static Atlas classes(final Atlas atlas, final Path atlasFile) {
		final Map<Float, Float> classOf = new HashMap<>();
		for (final Map.Entry<Integer, String> e : atlas.names().entrySet())
			classOf.put((float) (int) e.getKey(), 2f);
		final List<String> missing = new ArrayList<>();
		for (int i = 0; i < DEEP_STRUCTURES.size(); i++) {
			final List<Integer> v = Atlas.labelsMatching(atlas.names(), List.of(DEEP_STRUCTURES.get(i)));
			if (v.size() != 1)
				missing.add(DEEP_STRUCTURES.get(i));
			else
				classOf.put((float) (int) v.get(0), i + 3f);
		}
		if (!missing.isEmpty())
			throw new IllegalArgumentException(atlasFile + ": the atlas names no label (or more than one) " + String.join(", ", missing)
					+ "; the networks learn the deep structures by their AAL names (" + String.join(", ", DEEP_STRUCTURES) + ")");
		final float[] in = atlas.labels().data();
		final boolean[] inside = brain(atlas.labels());
		final float[] out = new float[in.length];
		for (int i = 0; i < in.length; i++)
			out[i] = in[i] != 0 ? classOf.getOrDefault(in[i], 2f) : inside[i] ? 1 : 0;
		return new Atlas(atlas.template(), atlas.labels().withData(out), CLASS_NAMES);
	}

	/**
	 * The brain: the labelled voxels and what they enclose. The label mask is dilated by
	 * {@link #CLOSING_MM} (closing sulci), the outside is flood-filled from the volume's border, and
	 * the rest is eroded back by as much. The outside is what the fill reaches both in 3D and within
	 * the voxel's axial slice: AAL leaves the brainstem unlabelled, and through it a 3D fill alone
	 * reaches the upper brain's white matter, which every axial slice shows enclosed by cortex.
	 */
	static boolean[] brain(final Volume labels) {
		final float[] l = labels.data();
		final float[] m = new float[l.length];
		for (int i = 0; i < l.length; i++)
			m[i] = l[i] != 0 ? 1 : 0;
		final Volume dilated = labels.withData(m);
		new GaussianSmoothing(CLOSING_MM).applyInPlace(dilated);
		final boolean[] wall = new boolean[l.length];
		final float[] d = dilated.data();
		for (int i = 0; i < l.length; i++)
			wall[i] = d[i] > 0.05f;
		final boolean[] outside = outside(wall, labels.size());
		final boolean[] outsideInSlice = outsideInAxialSlices(wall, labels);
		for (int i = 0; i < outside.length; i++)
			outside[i] &= outsideInSlice[i];
		final float[] f = new float[l.length];
		for (int i = 0; i < l.length; i++)
			f[i] = outside[i] ? 0 : 1;
		final Volume filled = labels.withData(f);
		new GaussianSmoothing(CLOSING_MM).applyInPlace(filled);
		final boolean[] brain = new boolean[l.length];
		final float[] e = filled.data();
		for (int i = 0; i < l.length; i++)
			brain[i] = l[i] != 0 || e[i] > 0.95f;
		return brain;
	}

	/**
	 * The voxels connected (4-neighbourhood) to their slice's border without crossing the wall, in the
	 * slices across the grid axis nearest to the world's z (superior), the axial slices of a scan in
	 * RAS or LPS world coordinates.
	 */
	static boolean[] outsideInAxialSlices(final boolean[] wall, final Volume grid) {
		final double[] m = grid.voxelToWorld().getRowPackedCopy();
		int axis = 0;
		for (int d = 1; d < 3; d++)
			if (Math.abs(m[8 + d]) > Math.abs(m[8 + axis]))
				axis = d;
		final int[] n = grid.size();
		final int[] stride = { 1, n[0], n[0] * n[1] };
		final int u = axis == 0 ? 1 : 0, v = axis == 2 ? 1 : 2;
		final boolean[] outside = new boolean[wall.length];
		final int[] sliceSize = { n[u], n[v], 1 };
		final boolean[] sliceWall = new boolean[n[u] * n[v]];
		for (int s = 0; s < n[axis]; s++) {
			for (int b = 0; b < n[v]; b++)
				for (int a = 0; a < n[u]; a++)
					sliceWall[b * n[u] + a] = wall[s * stride[axis] + b * stride[v] + a * stride[u]];
			final boolean[] o = outside(sliceWall, sliceSize);
			for (int b = 0; b < n[v]; b++)
				for (int a = 0; a < n[u]; a++)
					outside[s * stride[axis] + b * stride[v] + a * stride[u]] = o[b * n[u] + a];
		}
		return outside;
	}

	/** The voxels connected (6-neighbourhood) to the volume's border without crossing the wall (a single slice: its border, 4-neighbourhood). */
	private static boolean[] outside(final boolean[] wall, final int[] n) {
		final boolean[] seen = new boolean[wall.length];
		final int[] queue = new int[wall.length];
		int head = 0, tail = 0;
		for (int k = 0; k < n[2]; k++)
			for (int j = 0; j < n[1]; j++)
				for (int i = 0; i < n[0]; i++)
					if (edge(i, n[0]) || edge(j, n[1]) || edge(k, n[2])) {
						final int o = (k * n[1] + j) * n[0] + i;
						if (!wall[o] && !seen[o]) {
							seen[o] = true;
							queue[tail++] = o;
						}
					}
		final int sy = n[0], sz = n[0] * n[1];
		while (head < tail) {
			final int o = queue[head++];
			final int i = o % n[0], j = (o / sy) % n[1], k = o / sz;
			final int[] next = { i > 0 ? o - 1 : -1, i < n[0] - 1 ? o + 1 : -1, j > 0 ? o - sy : -1, j < n[1] - 1 ? o + sy : -1, k > 0 ? o - sz : -1,
					k < n[2] - 1 ? o + sz : -1 };
			for (final int p : next)
				if (p >= 0 && !wall[p] && !seen[p]) {
					seen[p] = true;
					queue[tail++] = p;
				}
		}
		return seen;
	}

	/** Whether index i lies on the border of an axis of n voxels (an axis of one voxel has none: a slice's border is in its plane). */
	private static boolean edge(final int i, final int n) {
		return n > 1 && (i == 0 || i == n - 1);
	}

	/** Reads the template and atlas, turns the labels into the classes and writes the class atlas into {@code dir}; returns its three files. */
	static Path[] write(final Path template, final Path atlas, final Path atlasNames, final Path dir) throws IOException {
		final Atlas classes = classes(AtlasFiles.read(template, atlas, atlasNames), atlas);
		final Path[] files = { dir.resolve(TEMPLATE), dir.resolve(LABELS), dir.resolve(NAMES) };
		VolumeIO.write(classes.template(), files[0]);
		VolumeIO.writeLabels(classes.labels(), files[1]);
		AtlasFiles.writeNames(classes.names(), files[2]);
		return files;
	}
}
