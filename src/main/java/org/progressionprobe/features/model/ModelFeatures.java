package org.progressionprobe.features.model;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.FloatBuffer;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.EnumMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import org.progressionprobe.features.PairExtractor;
import org.progressionprobe.features.model.AxisLayout.Axis;
import org.progressionprobe.table.FeatureVector;
import org.progressionprobe.volume.ScanPair;
import org.progressionprobe.volume.Volume;

/**
 * Reads a network's named intermediate layers for a pair of scans and pools them into one feature
 * vector. Built once per model and settings (the model is loaded once, so a cohort pays for it once);
 * {@link #compute} is then a function of the pair alone, with no state kept between calls, so the
 * same object serves every pair of a cohort and the same code can run as a cluster task.
 * <p>
 * Each scan (aligned and cropped upstream) is resampled whole onto the network's input size,
 * trilinear, normalised as the model description declares, and handed to the engine; a {@code pair}
 * network gets one 2-channel input (follow-up, baseline), a {@code single} network runs each scan
 * alone and the two vectors are combined. Feature names say layer, (scan,) pooling and channel:
 * {@code enc2_gap_c07}, {@code enc3_grid2_c01_z0y1x0}, {@code enc1_diff_gap_c03}.
 * <p>
 * Calls on one extractor run one after the other (it reuses one input buffer, and ONNX Runtime
 * writes fixed-shape layers into buffers allocated once); for parallel pairs use one extractor per
 * thread.
 */
public final class ModelFeatures implements PairExtractor {

	private final ModelPackage pkg;
	private final FeatureSettings settings;
	private final List<String> layers;
	private final WeightsFormat format;
	private final Path weightsFile;
	private final InferenceSession session;
	/** The engine's input, allocated once: each call overwrites all of it. */
	private final ByteBuffer input;
	/** Where a single-scan network's features are looked up before it runs, or null. */
	private final ScanFeatureCache cache;
	/** What besides the scan determines its features (null without a cache). */
	private final String modelKey;

	/** Loads the model; the layers, pooling and device are checked now. */
	public ModelFeatures(final ModelPackage pkg, final FeatureSettings settings) throws ModelException {
		this(pkg, settings, null);
	}

	/**
	 * As {@link #ModelFeatures(ModelPackage, FeatureSettings)}; a single-scan network looks each
	 * scan's layers up in {@code cache} (null: none) and runs only for those it does not hold.
	 */
	public ModelFeatures(final ModelPackage pkg, final FeatureSettings settings, final ScanFeatureCache cache) throws ModelException {
		this.pkg = pkg;
		this.cache = pkg.pairMode() == PairMode.SINGLE ? cache : null;
		this.settings = settings;
		this.layers = settings.layers().isEmpty() ? pkg.featureLayers() : settings.layers();
		for (final String l : layers)
			if (!pkg.outputs().contains(l))
				throw new ModelException(pkg.label(), "has no layer '" + l + "' (feature layers: " + String.join(", ", pkg.featureLayers())
						+ (pkg.outputs().size() > pkg.featureLayers().size() ? "; outputs: " + String.join(", ", pkg.outputs()) : "") + ")");
		this.format = pkg.chooseWeights(settings.weights());
		this.weightsFile = pkg.weightsPath(format, settings.unpackRoot());
		this.session = open(pkg, format, weightsFile, settings.device());
		final long n = Arrays.stream(pkg.inputShape()).reduce(1, Math::multiplyExact);
		if (n > Integer.MAX_VALUE / 4) {
			session.close();
			throw new ModelException(pkg.label(), "the input " + Arrays.toString(pkg.inputShape()) + " is too large");
		}
		this.input = ByteBuffer.allocateDirect((int) n * 4).order(ByteOrder.nativeOrder());
		this.modelKey = this.cache == null ? null : modelKey();
	}

	/** The weights' content, the engine, the input and the pooling: what makes one scan's numbers. */
	private String modelKey() throws ModelException {
		final String weights = java.nio.file.Files.isRegularFile(weightsFile) ? PackageWeights.sha256(pkg.label(), weightsFile)
				: pkg.source() + " " + weightsFile;
		final int[] s = pkg.inputSize();
		return String.join("\n", format.key(), weights, session.engineName(), session.engineVersion(), session.device(),
				s[0] + "x" + s[1] + "x" + s[2], pkg.inputLayout().toString(), pkg.preprocessing().toString(), settings.pooling().toString(),
				Integer.toString(settings.grid()));
	}

	private static InferenceSession open(final ModelPackage pkg, final WeightsFormat format, final Path file, final Device device)
			throws ModelException {
		try {
			switch (format) {
			case ONNX:
				return OnnxSession.open(pkg.label(), file, pkg.inputId(), pkg.inputShape(), device);
			case TORCHSCRIPT:
				return TorchScriptSession.open(pkg.label(), file, pkg.outputs(), device);
			default:
				return SavedModelSession.open(pkg.label(), file, pkg.inputId(), device);
			}
		} catch (final NoClassDefFoundError e) {
			throw new ModelException(pkg.label(), format.engine() + " is not installed (no " + e.getMessage() + "): in Fiji, enable the update site 'Progression Probe "
					+ format.engine() + "' (Help > Update... > Manage update sites)" + (pkg.weightsFormats().size() > 1 ? ", or use engine=auto" : ""), e);
		}
	}

	/**
	 * The pair's features; the pair's label image, if any, is the region of interest (non-zero
	 * inside). A follow-up that does not meet the baseline in world space is refused naming the subject.
	 */
	@Override
	public FeatureVector compute(final ScanPair pair) throws ModelException {
		PairExtractor.requireOverlap(pair.subject() + ": follow-up scan", pair.followup(), "the baseline", pair.baseline());
		return compute(pair.baseline(), pair.followup(), pair.labels());
	}

	/** The pair's features, without a region of interest. */
	public FeatureVector compute(final Volume baseline, final Volume followup) throws ModelException {
		return compute(baseline, followup, null);
	}

	/**
	 * The pair's features.
	 *
	 * @param roi a mask on the baseline's grid (non-zero inside), needed for {@link Pooling#ROI}; else may be null
	 */
	public synchronized FeatureVector compute(final Volume baseline, final Volume followup, final Volume roi) throws ModelException {
		if (settings.pooling().contains(Pooling.ROI)) {
			if (roi == null)
				throw new ModelException(pkg.label(), "roi pooling needs a mask (roi)");
			if (!Arrays.equals(roi.size(), baseline.size()))
				throw new ModelException(pkg.label(), "the roi mask is " + dims(roi.size()) + " but the baseline is " + dims(baseline.size())
						+ "; give a mask on the baseline's grid");
			if (pkg.pairMode() == PairMode.SINGLE && !Arrays.equals(roi.size(), followup.size()))
				throw new ModelException(pkg.label(), "roi pooling of a single-scan model needs the follow-up on the baseline's grid (it is "
						+ dims(followup.size()) + ", the baseline " + dims(baseline.size()) + ")");
		}
		final List<String> names = new ArrayList<>();
		final List<double[]> values = new ArrayList<>();
		if (pkg.pairMode() == PairMode.PAIR) {
			final Map<String, Map<Pooling, double[]>> pooled = run(new Volume[] { followup, baseline }, roi);
			for (final String layer : layers)
				add(names, values, pooled.get(layer), layer, "");
		} else {
			final Map<String, Map<Pooling, double[]>> b = single(baseline, roi);
			final Map<String, Map<Pooling, double[]>> f = single(followup, roi);
			final Combination c = settings.combine();
			for (final String layer : layers) {
				if (c != Combination.DIFF) {
					add(names, values, b.get(layer), layer, "base_");
					add(names, values, f.get(layer), layer, "follow_");
				}
				if (c != Combination.CONCAT) {
					final Map<Pooling, double[]> diff = new EnumMap<>(Pooling.class);
					for (final Pooling p : settings.pooling()) {
						final double[] bv = b.get(layer).get(p), fv = f.get(layer).get(p), dv = new double[fv.length];
						for (int i = 0; i < dv.length; i++)
							dv[i] = fv[i] - bv[i];
						diff.put(p, dv);
					}
					add(names, values, diff, layer, "diff_");
				}
			}
		}
		return new FeatureVector(names, FeatureMap.flat(values.toArray(double[][]::new)));
	}

	/** Adds a layer's pooled blocks with their names. */
	private void add(final List<String> names, final List<double[]> values, final Map<Pooling, double[]> pooled, final String layer,
			final String scan) {
		for (final Pooling p : settings.pooling()) {
			final double[] v = pooled.get(p);
			final int channels = p == Pooling.GRID ? v.length / (settings.grid() * settings.grid() * settings.grid()) : v.length;
			final int digits = Math.max(2, String.valueOf(channels - 1).length());
			final String fmt = "%0" + digits + "d";
			if (p != Pooling.GRID)
				for (int k = 0; k < channels; k++)
					names.add(layer + "_" + scan + p + "_c" + String.format(fmt, k));
			else {
				final int g = settings.grid();
				for (int k = 0; k < channels; k++)
					for (int z = 0; z < g; z++)
						for (int y = 0; y < g; y++)
							for (int x = 0; x < g; x++)
								names.add(layer + "_" + scan + "grid" + g + "_c" + String.format(fmt, k) + "_z" + z + "y" + y + "x" + x);
			}
			values.add(v);
		}
	}

	/** One scan's pooled layers, from the cache where it holds them; the network runs for the others. */
	private Map<String, Map<Pooling, double[]>> single(final Volume scan, final Volume roi) throws ModelException {
		if (cache == null)
			return run(new Volume[] { scan }, roi, layers);
		final String key = ScanFeatureCache.scanKey(modelKey, scan, settings.pooling().contains(Pooling.ROI) ? roi : null);
		final Map<String, Map<Pooling, double[]>> out = new LinkedHashMap<>();
		final List<String> missing = new ArrayList<>();
		for (final String layer : layers) {
			final Map<Pooling, double[]> cached = cache.get(key, layer, settings.pooling());
			if (cached == null)
				missing.add(layer);
			out.put(layer, cached);
		}
		if (!missing.isEmpty())
			run(new Volume[] { scan }, roi, missing).forEach((layer, pooled) -> {
				cache.put(key, layer, pooled);
				out.put(layer, pooled);
			});
		return out;
	}

	/** Runs the network on the scans (as channels) and pools the given layers: layer to pooling to values. */
	private Map<String, Map<Pooling, double[]>> run(final Volume[] scans, final Volume roi) throws ModelException {
		return run(scans, roi, layers);
	}

	private Map<String, Map<Pooling, double[]>> run(final Volume[] scans, final Volume roi, final List<String> wanted) throws ModelException {
		final long[] shape = pkg.inputShape();
		final ByteBuffer input = input(scans, shape);
		final Map<String, Map<Pooling, double[]>> out = new LinkedHashMap<>();
		try (InferenceSession.Outputs outputs = session.run(input, shape, wanted)) {
			for (final String layer : wanted) {
				final FeatureMap map;
				try {
					map = new FeatureMap(outputs.data(layer), outputs.shape(layer), pkg.outputLayout(layer));
				} catch (final IllegalArgumentException e) {
					throw new ModelException(pkg.label(), "layer '" + layer + "' cannot be pooled: " + e.getMessage());
				}
				final Map<Pooling, double[]> pooled = new EnumMap<>(Pooling.class);
				for (final Pooling p : settings.pooling())
					pooled.put(p, pool(layer, map, p, roi));
				out.put(layer, pooled);
			}
		}
		return out;
	}

	private double[] pool(final String layer, final FeatureMap map, final Pooling p, final Volume roi) throws ModelException {
		switch (p) {
		case GAP:
			return map.mean();
		case GMP:
			return map.max();
		case ROI: {
			final double[] w = roiWeights(roi, map.d, map.h, map.w);
			double total = 0;
			for (final double v : w)
				total += v;
			if (total == 0)
				throw new ModelException(pkg.label(), "the roi mask is empty, so layer '" + layer + "' has nothing to pool");
			return map.weightedMean(w);
		}
		default: {
			final int g = settings.grid();
			if (map.d < g || map.h < g || map.w < g)
				throw new ModelException(pkg.label(), "layer '" + layer + "' is " + map.d + "x" + map.h + "x" + map.w + ", too small for a grid of "
						+ g + "x" + g + "x" + g + " cells");
			return map.grid(g);
		}
		}
	}

	/**
	 * The share of each layer voxel that lies inside the mask: the layer covers the scan's whole field
	 * of view, so scan voxel j of S falls into layer voxel floor((j + 0.5) n / S) of n.
	 */
	static double[] roiWeights(final Volume mask, final int d, final int h, final int w) {
		final int sx = mask.nx(), sy = mask.ny(), sz = mask.nz();
		final int[] cx = cells(sx, w), cy = cells(sy, h), cz = cells(sz, d);
		final double[] inside = new double[d * h * w], all = new double[d * h * w];
		final float[] m = mask.data();
		int i = 0;
		for (int z = 0; z < sz; z++)
			for (int y = 0; y < sy; y++) {
				final int row = (cz[z] * h + cy[y]) * w;
				for (int x = 0; x < sx; x++, i++) {
					all[row + cx[x]]++;
					if (m[i] != 0)
						inside[row + cx[x]]++;
				}
			}
		for (int k = 0; k < inside.length; k++)
			inside[k] = all[k] > 0 ? inside[k] / all[k] : 0;
		return inside;
	}

	private static int[] cells(final int s, final int n) {
		final int[] c = new int[s];
		for (int j = 0; j < s; j++)
			c[j] = (int) Math.min(n - 1, Math.floor((j + 0.5) * n / s));
		return c;
	}

	/** Resampled, normalised scans in the input's layout, in a direct buffer the engine reads in place. */
	private ByteBuffer input(final Volume[] scans, final long[] shape) {
		final int[] size = pkg.inputSize();
		final float[][] channels = new float[scans.length][];
		for (int c = 0; c < scans.length; c++)
			channels[c] = InputResize.trilinear(scans[c], size[2], size[1], size[0]);
		pkg.preprocessing().apply(channels);
		final int n = channels[0].length;
		final FloatBuffer buf = input.clear().asFloatBuffer();
		final AxisLayout layout = pkg.inputLayout();
		final long[] st = layout.strides(shape);
		final long sc = st[Axis.CHANNEL.ordinal()];
		if (sc == n)
			for (final float[] ch : channels)
				buf.put(ch);
		else {
			final long sz = st[Axis.Z.ordinal()], sy = st[Axis.Y.ordinal()], sx = st[Axis.X.ordinal()];
			for (int c = 0; c < channels.length; c++) {
				final float[] ch = channels[c];
				int i = 0;
				for (int z = 0; z < size[0]; z++)
					for (int y = 0; y < size[1]; y++)
						for (int x = 0; x < size[2]; x++)
							buf.put((int) (c * sc + z * sz + y * sy + x * sx), ch[i++]);
			}
		}
		return input.clear();
	}

	private static String dims(final int[] s) {
		return s[0] + "x" + s[1] + "x" + s[2];
	}

	@Override
	public String label() {
		return "model " + pkg.name();
	}

	/** The layers read, in order. */
	public List<String> layers() {
		return layers;
	}

	public ModelPackage modelPackage() {
		return pkg;
	}

	public FeatureSettings settings() {
		return settings;
	}

	/** Model, weights, engine, version, device and settings: what made the numbers. */
	@Override
	public Map<String, String> provenance() {
		final Map<String, String> p = new LinkedHashMap<>();
		final int[] s = pkg.inputSize();
		p.put("model", pkg.source().toString());
		p.put("model_name", pkg.name());
		p.put("weights", format.key() + " " + weightsFile.getFileName());
		p.put("engine", session.engineName());
		p.put("engine_version", session.engineVersion());
		p.put("device", session.device());
		p.put("pair_mode", pkg.pairMode().toString());
		p.put("input_size", s[0] + "x" + s[1] + "x" + s[2] + " (z x y x x)");
		p.put("preprocessing", pkg.preprocessing().toString());
		p.put("layers", String.join(",", layers));
		p.put("pooling", String.join(",", settings.pooling().stream().map(Pooling::toString).toList())
				+ (settings.pooling().contains(Pooling.GRID) ? " (grid " + settings.grid() + ")" : ""));
		p.put("combine", pkg.pairMode() == PairMode.SINGLE ? settings.combine().toString() : "none (pair input)");
		return p;
	}

	@Override
	public void close() {
		session.close();
	}
}
