package org.progressionprobe.align;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import org.progressionprobe.io.AtomicOutput;
import org.progressionprobe.io.VolumeIOException;
import org.progressionprobe.volume.AffineTransform3D;
import org.progressionprobe.volume.Grid;
import org.progressionprobe.volume.Resampler;

/**
 * Affine transform files that ITK, elastix, 3D Slicer and ANTs read: ITK's text format
 * ({@code .tfm}/{@code .txt}: {@code #Insight Transform File V1.0}) and elastix's
 * {@code TransformParameters.0.txt} (which transformix applies). Both store a transform that maps
 * fixed (output) points to moving (input) points in LPS millimetres, as a matrix, a translation
 * and a centre of rotation; this class converts from and to the project's RAS world by flipping
 * the signs of x and y, which is exact, so a file written and read back gives the identical
 * {@link CentredAffine}. Numbers are written in Java's shortest round-trip form.
 * <p>
 * Writing: {@code AffineTransform_double_3_3} (or {@code _2_2} for a 2D registration) and elastix's
 * {@code AffineTransform} with the fixed grid (size, spacing, origin, direction) that transformix
 * resamples onto. Reading: ITK's affine, matrix-offset, translation, Euler 2D/3D, rigid 2D and
 * versor rigid 3D transforms; elastix's affine, Euler and translation transforms, including a
 * chain of initial transforms (composed as elastix does).
 */
public final class TransformFiles {

	private TransformFiles() {}

	/** A transform read from an elastix file, with the fixed grid the file describes (null if absent). */
	public record ElastixTransform(CentredAffine transform, Grid grid) {}

	/** Reads either format (told apart by the content), returning the RAS fixed-to-moving transform. */
	public static CentredAffine read(final Path file) throws IOException {
		final String text = readText(file);
		if (text.stripLeading().startsWith("#Insight"))
			return parseItk(file, text);
		if (text.contains("(Transform "))
			return readElastix(file).transform();
		throw new VolumeIOException(file, "not an ITK transform file (#Insight Transform File) nor an elastix TransformParameters file");
	}

	/** True if the transform and the fixed grid fit a 2D file: a one-slice grid in the x-y plane and an in-plane transform. */
	public static boolean isPlanar(final CentredAffine t, final Grid fixedGrid) {
		final AffineTransform3D g = fixedGrid.voxelToWorld();
		return fixedGrid.size()[2] == 1 && t.isInPlane() && g.get(2, 0) == 0 && g.get(2, 1) == 0 && g.get(0, 2) == 0 && g.get(1, 2) == 0;
	}

	// ---------------------------------------------------------------- ITK

	/**
	 * Writes an ITK transform file.
	 *
	 * @param t fixed-world to moving-world transform, RAS
	 * @param dimension 3, or 2 for an in-plane transform (then the centre's z is not stored)
	 */
	public static void writeItk(final Path file, final CentredAffine t, final int dimension) throws IOException {
		final CentredAffine l = t.flipRasLps();
		final StringBuilder sb = new StringBuilder("#Insight Transform File V1.0\n#Transform 0\n");
		if (dimension == 3) {
			sb.append("Transform: AffineTransform_double_3_3\nParameters:");
			for (final double v : l.matrix())
				sb.append(' ').append(num(v));
			for (final double v : l.translation())
				sb.append(' ').append(num(v));
			sb.append("\nFixedParameters:");
			for (final double v : l.centre())
				sb.append(' ').append(num(v));
		} else if (dimension == 2) {
			requirePlanar(file, t);
			final double[] a = l.matrix(), tr = l.translation(), c = l.centre();
			sb.append("Transform: AffineTransform_double_2_2\nParameters: ").append(num(a[0])).append(' ').append(num(a[1])).append(' ')
					.append(num(a[3])).append(' ').append(num(a[4])).append(' ').append(num(tr[0])).append(' ').append(num(tr[1]));
			sb.append("\nFixedParameters: ").append(num(c[0])).append(' ').append(num(c[1]));
		} else
			throw new IllegalArgumentException("An ITK transform file is 2D or 3D, not " + dimension + "D");
		AtomicOutput.writeString(file, sb.append('\n').toString());
	}

	/** Reads an ITK transform file (one transform) as a RAS fixed-to-moving transform. */
	public static CentredAffine readItk(final Path file) throws IOException {
		return parseItk(file, readText(file));
	}

	private static CentredAffine parseItk(final Path file, final String text) throws VolumeIOException {
		final List<String> types = new ArrayList<>();
		final List<double[]> params = new ArrayList<>(), fixed = new ArrayList<>();
		for (final String raw : text.split("\\R")) {
			final String line = raw.trim();
			if (line.startsWith("Transform:"))
				types.add(line.substring(10).trim());
			else if (line.startsWith("Parameters:"))
				params.add(numbers(file, line.substring(11)));
			else if (line.startsWith("FixedParameters:"))
				fixed.add(numbers(file, line.substring(16)));
		}
		if (!types.isEmpty() && types.get(0).startsWith("CompositeTransform")) {
			types.remove(0);
			if (params.size() > types.size())
				params.remove(0);
			if (fixed.size() > types.size())
				fixed.remove(0);
		}
		if (types.size() != 1)
			throw new VolumeIOException(file, types.isEmpty() ? "no 'Transform:' line" : "holds " + types.size()
					+ " transforms; only a single affine transform is supported");
		if (params.size() != 1)
			throw new VolumeIOException(file, "needs one 'Parameters:' line");
		final String type = types.get(0);
		final double[] p = params.get(0), f = fixed.isEmpty() ? new double[0] : fixed.get(0);
		final Matcher m = Pattern.compile("([A-Za-z0-9]+)_(double|float)_(\\d)_(\\d)").matcher(type);
		if (!m.matches() || !m.group(3).equals(m.group(4)))
			throw new VolumeIOException(file, "unsupported transform type '" + type + "'");
		final String kind = m.group(1);
		final int dim = Integer.parseInt(m.group(3));
		if (dim != 2 && dim != 3)
			throw new VolumeIOException(file, "unsupported dimension in '" + type + "'");
		final double[] a, t, c;
		switch (kind) {
		case "AffineTransform", "MatrixOffsetTransformBase" -> {
			need(file, type, p, dim * dim + dim);
			a = embed(p, dim);
			t = vector(p, dim * dim, dim);
			c = f.length >= dim ? vector(f, 0, dim) : new double[3];
		}
		case "TranslationTransform" -> {
			need(file, type, p, dim);
			a = embed(dim == 3 ? new double[] { 1, 0, 0, 0, 1, 0, 0, 0, 1 } : new double[] { 1, 0, 0, 1 }, dim);
			t = vector(p, 0, dim);
			c = new double[3];
		}
		case "Euler3DTransform" -> {
			need(file, type, p, 6);
			final boolean zyx = f.length >= 4 && f[3] != 0;
			a = euler3d(p[0], p[1], p[2], zyx);
			t = vector(p, 3, 3);
			c = f.length >= 3 ? vector(f, 0, 3) : new double[3];
		}
		case "VersorRigid3DTransform" -> {
			need(file, type, p, 6);
			a = versor(p[0], p[1], p[2]);
			t = vector(p, 3, 3);
			c = f.length >= 3 ? vector(f, 0, 3) : new double[3];
		}
		case "Euler2DTransform", "Rigid2DTransform" -> {
			need(file, type, p, 3);
			final double co = Math.cos(p[0]), si = Math.sin(p[0]);
			a = embed(new double[] { co, -si, si, co }, 2);
			t = vector(p, 1, 2);
			c = f.length >= 2 ? vector(f, 0, 2) : new double[3];
		}
		default -> throw new VolumeIOException(file, "unsupported transform type '" + type
				+ "' (supported: AffineTransform, MatrixOffsetTransformBase, TranslationTransform, Euler3DTransform, VersorRigid3DTransform,"
				+ " Euler2DTransform, Rigid2DTransform)");
		}
		try {
			return new CentredAffine(a, t, c).flipRasLps();
		} catch (final IllegalArgumentException e) {
			throw new VolumeIOException(file, e.getMessage());
		}
	}

	// ---------------------------------------------------------------- elastix

	/**
	 * Writes an elastix {@code TransformParameters} file that transformix can apply.
	 *
	 * @param t fixed-world to moving-world transform, RAS
	 * @param fixedGrid the grid transformix resamples onto (the fixed image's)
	 * @param interpolation how transformix interpolates the moving image (nearest, linear and cubic are B-spline orders 0, 1 and 3)
	 * @param dimension 3, or 2 for a planar grid and an in-plane transform
	 */
	public static void writeElastix(final Path file, final CentredAffine t, final Grid fixedGrid, final Resampler.Interpolation interpolation,
			final int dimension) throws IOException {
		if (dimension != 2 && dimension != 3)
			throw new IllegalArgumentException("An elastix transform is 2D or 3D, not " + dimension + "D");
		if (dimension == 2 && !isPlanar(t, fixedGrid))
			throw new VolumeIOException(file, "a 2D elastix transform needs a one-slice grid in the x-y plane and an in-plane transform");
		final int d = dimension;
		final CentredAffine l = t.flipRasLps();
		final double[] a = l.matrix(), tr = l.translation(), c = l.centre();
		final AffineTransform3D g = org.progressionprobe.volume.Geometry.flipWorldSide(fixedGrid.voxelToWorld());
		final double[] spacing = fixedGrid.voxelSize();
		final int[] size = fixedGrid.size();
		final StringBuilder sb = new StringBuilder();
		sb.append("(Transform \"AffineTransform\")\n");
		sb.append("(NumberOfParameters ").append(d * d + d).append(")\n");
		sb.append("(TransformParameters");
		for (int r = 0; r < d; r++)
			for (int k = 0; k < d; k++)
				sb.append(' ').append(num(a[3 * r + k]));
		for (int r = 0; r < d; r++)
			sb.append(' ').append(num(tr[r]));
		sb.append(")\n");
		sb.append("(InitialTransformParametersFileName \"NoInitialTransform\")\n");
		sb.append("(UseBinaryFormatForTransformationParameters \"false\")\n");
		sb.append("(HowToCombineTransforms \"Compose\")\n\n");
		sb.append("// Image specific\n");
		sb.append("(FixedImageDimension ").append(d).append(")\n(MovingImageDimension ").append(d).append(")\n");
		sb.append("(FixedInternalImagePixelType \"float\")\n(MovingInternalImagePixelType \"float\")\n");
		sb.append("(Size");
		for (int k = 0; k < d; k++)
			sb.append(' ').append(size[k]);
		sb.append(")\n(Index");
		for (int k = 0; k < d; k++)
			sb.append(" 0");
		sb.append(")\n(Spacing");
		for (int k = 0; k < d; k++)
			sb.append(' ').append(num(spacing[k]));
		sb.append(")\n(Origin");
		for (int k = 0; k < d; k++)
			sb.append(' ').append(num(g.get(k, 3)));
		// direction cosines, column by column (elastix's order)
		sb.append(")\n(Direction");
		for (int col = 0; col < d; col++)
			for (int row = 0; row < d; row++)
				sb.append(' ').append(num(g.get(row, col) / spacing[col]));
		sb.append(")\n(UseDirectionCosines \"true\")\n\n");
		sb.append("// AdvancedAffineTransform specific\n(CenterOfRotationPoint");
		for (int k = 0; k < d; k++)
			sb.append(' ').append(num(c[k]));
		sb.append(")\n\n// ResampleInterpolator specific\n");
		switch (interpolation) {
		case NEAREST -> sb.append("(ResampleInterpolator \"FinalBSplineInterpolator\")\n(FinalBSplineInterpolationOrder 0)\n");
		case LINEAR -> sb.append("(ResampleInterpolator \"FinalBSplineInterpolator\")\n(FinalBSplineInterpolationOrder 1)\n");
		case CUBIC -> sb.append("(ResampleInterpolator \"FinalBSplineInterpolator\")\n(FinalBSplineInterpolationOrder 3)\n");
		}
		sb.append("\n// Resampler specific\n(Resampler \"DefaultResampler\")\n(DefaultPixelValue 0)\n(ResultImageFormat \"nii.gz\")\n");
		sb.append("(ResultImagePixelType \"float\")\n(CompressResultImage \"true\")\n");
		AtomicOutput.writeString(file, sb.toString());
	}

	/** Reads an elastix transform parameter file (following its chain of initial transforms). */
	public static ElastixTransform readElastix(final Path file) throws IOException {
		return readElastix(file, 0);
	}

	private static ElastixTransform readElastix(final Path file, final int depth) throws IOException {
		if (depth > 16)
			throw new VolumeIOException(file, "the chain of initial transforms is too long (a loop?)");
		final Map<String, String[]> p = parseElastix(file, readText(file));
		final String type = text(p, "Transform", file);
		final int dim = (int) number(p, "FixedImageDimension", file, 3);
		if (dim != 2 && dim != 3)
			throw new VolumeIOException(file, "FixedImageDimension must be 2 or 3, got " + dim);
		final double[] params = numbers(file, p.get("TransformParameters"), "TransformParameters");
		final double[] centre = p.containsKey("CenterOfRotationPoint") ? numbers(file, p.get("CenterOfRotationPoint"), "CenterOfRotationPoint")
				: new double[dim];
		final double[] a, t;
		switch (type) {
		case "AffineTransform" -> {
			need(file, type, params, dim * dim + dim);
			a = embed(params, dim);
			t = vector(params, dim * dim, dim);
		}
		case "TranslationTransform" -> {
			need(file, type, params, dim);
			a = embed(dim == 3 ? new double[] { 1, 0, 0, 0, 1, 0, 0, 0, 1 } : new double[] { 1, 0, 0, 1 }, dim);
			t = vector(params, 0, dim);
		}
		case "EulerTransform" -> {
			if (dim == 3) {
				need(file, type, params, 6);
				final boolean zyx = p.containsKey("ComputeZYX") && p.get("ComputeZYX")[0].equalsIgnoreCase("true");
				a = euler3d(params[0], params[1], params[2], zyx);
				t = vector(params, 3, 3);
			} else {
				need(file, type, params, 3);
				final double co = Math.cos(params[0]), si = Math.sin(params[0]);
				a = embed(new double[] { co, -si, si, co }, 2);
				t = vector(params, 1, 2);
			}
		}
		default -> throw new VolumeIOException(file, "unsupported elastix transform \"" + type
				+ "\" (supported: AffineTransform, EulerTransform, TranslationTransform)");
		}
		CentredAffine ras;
		try {
			ras = new CentredAffine(a, t, vector(centre, 0, dim)).flipRasLps();
		} catch (final IllegalArgumentException e) {
			throw new VolumeIOException(file, e.getMessage());
		}
		final String initial = p.containsKey("InitialTransformParametersFileName") ? p.get("InitialTransformParametersFileName")[0]
				: "NoInitialTransform";
		if (!initial.equals("NoInitialTransform")) {
			final Path init = initialTransform(file, initial);
			final String how = p.containsKey("HowToCombineTransforms") ? p.get("HowToCombineTransforms")[0] : "Compose";
			if (!how.equals("Compose"))
				throw new VolumeIOException(file, "HowToCombineTransforms \"" + how + "\" is not supported (only Compose)");
			// elastix composes T(x) = T_this(T_initial(x))
			final CentredAffine first = readElastix(init, depth + 1).transform();
			ras = CentredAffine.of(ras.toAffine().concatenate(first.toAffine()), ras.centre());
		}
		return new ElastixTransform(ras, grid(p, dim, file));
	}

	/**
	 * The file an elastix chain names as its initial transform, inside the folder of the file that
	 * names it (or below it): as written relative to that folder, as written (elastix records the path
	 * it was given, absolute or relative to where it ran), or by its name beside the naming file (the
	 * folder has moved). A file elsewhere is refused.
	 */
	private static Path initialTransform(final Path file, final String initial) throws VolumeIOException {
		final Path dir = file.toAbsolutePath().normalize().getParent();
		final List<Path> candidates = new ArrayList<>();
		try {
			final Path written = Path.of(initial);
			candidates.add(dir.resolve(written).normalize());
			candidates.add(written.toAbsolutePath().normalize());
			if (written.getFileName() != null)
				candidates.add(dir.resolve(written.getFileName().toString()));
		} catch (final java.nio.file.InvalidPathException e) {
			throw new VolumeIOException(file, "its initial transform '" + initial + "' (InitialTransformParametersFileName) is not a valid file name");
		}
		boolean elsewhere = false;
		for (final Path c : candidates)
			if (Files.isRegularFile(c)) {
				if (c.startsWith(dir))
					return c;
				elsewhere = true;
			}
		throw new VolumeIOException(file, "its initial transform '" + initial + "' (InitialTransformParametersFileName) "
				+ (elsewhere ? "lies outside the folder " + dir + ": a transform file may only name files in its own folder or below it"
						: "does not exist"));
	}

	private static Grid grid(final Map<String, String[]> p, final int dim, final Path file) throws VolumeIOException {
		if (!p.containsKey("Size") || !p.containsKey("Spacing") || !p.containsKey("Origin"))
			return null;
		final double[] size = numbers(file, p.get("Size"), "Size"), spacing = numbers(file, p.get("Spacing"), "Spacing"),
				origin = numbers(file, p.get("Origin"), "Origin");
		final double[] dir = p.containsKey("Direction") ? numbers(file, p.get("Direction"), "Direction") : null;
		if (size.length != dim || spacing.length != dim || origin.length != dim || dir != null && dir.length != dim * dim)
			throw new VolumeIOException(file, "Size, Spacing, Origin and Direction do not match FixedImageDimension " + dim);
		final double[] m = new double[12];
		for (int col = 0; col < 3; col++)
			for (int row = 0; row < 3; row++) {
				final double cosine = col < dim && row < dim ? (dir != null ? dir[col * dim + row] : row == col ? 1 : 0) : row == col ? 1 : 0;
				m[4 * row + col] = cosine * (col < dim ? spacing[col] : 1);
			}
		for (int row = 0; row < dim; row++)
			m[4 * row + 3] = origin[row];
		final int[] n = { (int) size[0], (int) size[1], dim == 3 ? (int) size[2] : 1 };
		try {
			return new Grid(n, org.progressionprobe.volume.Geometry.flipWorldSide(AffineTransform3D.of(m)));
		} catch (final IllegalArgumentException e) {
			throw new VolumeIOException(file, "invalid grid: " + e.getMessage());
		}
	}

	private static final Pattern ENTRY = Pattern.compile("\\(\\s*(\\w+)((?:\\s+(?:\"[^\"]*\"|[^\\s\")]+))*)\\s*\\)");
	private static final Pattern TOKEN = Pattern.compile("\"([^\"]*)\"|([^\\s\"]+)");

	private static Map<String, String[]> parseElastix(final Path file, final String text) throws VolumeIOException {
		final Map<String, String[]> out = new LinkedHashMap<>();
		for (final String raw : text.split("\\R")) {
			String line = raw;
			final int comment = line.indexOf("//");
			if (comment >= 0)
				line = line.substring(0, comment);
			final Matcher m = ENTRY.matcher(line);
			while (m.find()) {
				final List<String> tokens = new ArrayList<>();
				final Matcher t = TOKEN.matcher(m.group(2));
				while (t.find())
					tokens.add(t.group(1) != null ? t.group(1) : t.group(2));
				out.put(m.group(1), tokens.toArray(String[]::new));
			}
		}
		if (out.isEmpty())
			throw new VolumeIOException(file, "no (Key value) entries: not an elastix parameter file");
		return out;
	}

	// ---------------------------------------------------------------- helpers

	private static void requirePlanar(final Path file, final CentredAffine t) throws VolumeIOException {
		if (!t.isInPlane())
			throw new VolumeIOException(file, "a 2D transform file needs an in-plane transform (z untouched): " + t);
	}

	/** A 2x2 or 3x3 row-major matrix as a 3x3 one (the identity on z for 2D). */
	private static double[] embed(final double[] p, final int dim) {
		if (dim == 3)
			return new double[] { p[0], p[1], p[2], p[3], p[4], p[5], p[6], p[7], p[8] };
		return new double[] { p[0], p[1], 0, p[2], p[3], 0, 0, 0, 1 };
	}

	private static double[] vector(final double[] p, final int from, final int dim) {
		final double[] v = new double[3];
		for (int k = 0; k < dim; k++)
			v[k] = p[from + k];
		return v;
	}

	/** ITK's Euler3DTransform matrix: Rz Rx Ry, or Rz Ry Rx with ComputeZYX. */
	private static double[] euler3d(final double ax, final double ay, final double az, final boolean zyx) {
		final double cx = Math.cos(ax), sx = Math.sin(ax), cy = Math.cos(ay), sy = Math.sin(ay), cz = Math.cos(az), sz = Math.sin(az);
		final double[] rx = { 1, 0, 0, 0, cx, -sx, 0, sx, cx }, ry = { cy, 0, sy, 0, 1, 0, -sy, 0, cy }, rz = { cz, -sz, 0, sz, cz, 0, 0, 0, 1 };
		final double[] tmp = new double[9], out = new double[9];
		if (zyx)
			TransformModel.multiply(ry, rx, tmp);
		else
			TransformModel.multiply(rx, ry, tmp);
		TransformModel.multiply(rz, tmp, out);
		return out;
	}

	/** Rotation matrix of ITK's versor (the vector part of a unit quaternion). */
	private static double[] versor(final double x, final double y, final double z) {
		final double w = Math.sqrt(Math.max(0, 1 - x * x - y * y - z * z));
		return new double[] { 1 - 2 * (y * y + z * z), 2 * (x * y - z * w), 2 * (x * z + y * w), 2 * (x * y + z * w), 1 - 2 * (x * x + z * z),
				2 * (y * z - x * w), 2 * (x * z - y * w), 2 * (y * z + x * w), 1 - 2 * (x * x + y * y) };
	}

	private static void need(final Path file, final String type, final double[] p, final int n) throws VolumeIOException {
		if (p.length != n)
			throw new VolumeIOException(file, type + " needs " + n + " parameters, found " + p.length);
	}

	private static double[] numbers(final Path file, final String text) throws VolumeIOException {
		final String t = text.trim();
		return t.isEmpty() ? new double[0] : numbers(file, t.split("\\s+"), "parameters");
	}

	private static double[] numbers(final Path file, final String[] tokens, final String key) throws VolumeIOException {
		if (tokens == null)
			throw new VolumeIOException(file, "no (" + key + " ...) entry");
		final double[] out = new double[tokens.length];
		for (int i = 0; i < tokens.length; i++) {
			try {
				out[i] = Double.parseDouble(tokens[i]);
			} catch (final NumberFormatException e) {
				throw new VolumeIOException(file, key + ": '" + tokens[i] + "' is not a number");
			}
			if (!Double.isFinite(out[i]))
				throw new VolumeIOException(file, key + ": '" + tokens[i] + "' is not finite");
		}
		return out;
	}

	private static String text(final Map<String, String[]> p, final String key, final Path file) throws VolumeIOException {
		final String[] v = p.get(key);
		if (v == null || v.length == 0)
			throw new VolumeIOException(file, "no (" + key + " ...) entry");
		return v[0];
	}

	private static double number(final Map<String, String[]> p, final String key, final Path file, final double fallback)
			throws VolumeIOException {
		return p.containsKey(key) ? numbers(file, p.get(key), key)[0] : fallback;
	}

	private static String readText(final Path file) throws IOException {
		if (!Files.exists(file))
			throw new VolumeIOException(file, "file not found");
		final byte[] b = Files.readAllBytes(file);
		if (b.length > 1 << 20)
			throw new VolumeIOException(file, "too large for a transform file (" + b.length + " bytes)");
		return new String(b, StandardCharsets.UTF_8);
	}

	/** Shortest decimal that reads back as the same double; -0 written as 0. */
	private static String num(final double v) {
		return v == 0 ? "0" : Double.toString(v).toLowerCase(Locale.ROOT);
	}
}
