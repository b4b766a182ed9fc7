"""Shared helpers for the export scripts: write a bioimage.io (format 0.5) model package that the
Progression Probe "Model Features" command reads.

The description is written as JSON, which is valid YAML, so no YAML library is needed. Not run in CI.
"""
import hashlib
import json
import os
import zipfile


def sha256(path):
    h = hashlib.sha256()
    with open(path, "rb") as f:
        for chunk in iter(lambda: f.read(1 << 20), b""):
            h.update(chunk)
    return h.hexdigest()


def space_axes(size=None):
    axes = []
    for a in ("z", "y", "x"):
        ax = {"type": "space", "id": a}
        if size is not None:
            ax["size"] = size
        axes.append(ax)
    return axes


def write_package(out_dir, name, description, input_id, channel_names, size, preprocessing, outputs, weights, feature_layers,
                  pair_mode, citation=None, license_id=None, make_zip=False):
    """Writes OUT_DIR/rdf.yaml next to the weights already in OUT_DIR (and OUT_DIR.zip if asked).

    outputs: list of output ids (all channels-first [b, c, z, y, x]);
    weights: dict format -> file name in OUT_DIR, e.g. {"torchscript": "model.pt", "onnx": "model.onnx"}.
    """
    rdf = {
        "format_version": "0.5.3",
        "type": "model",
        "name": name,
        "description": description,
        "inputs": [{
            "id": input_id,
            "axes": [{"type": "batch"}, {"type": "channel", "channel_names": channel_names}] + space_axes(size),
            "preprocessing": preprocessing,
        }],
        "outputs": [{"id": o, "axes": [{"type": "batch"}, {"type": "channel"}] + space_axes()} for o in outputs],
        "weights": {},
        "config": {"progression_probe": {"feature_layers": feature_layers, "pair_mode": pair_mode}},
    }
    if citation:
        rdf["cite"] = citation
    if license_id:
        rdf["license"] = license_id
    for fmt, fname in weights.items():
        entry = {"source": fname, "sha256": sha256(os.path.join(out_dir, fname))}
        if fmt == "onnx":
            entry["opset_version"] = 17
        rdf["weights"][fmt] = entry
    with open(os.path.join(out_dir, "rdf.yaml"), "w") as f:
        json.dump(rdf, f, indent=2)
        f.write("\n")
    if make_zip:
        with zipfile.ZipFile(out_dir.rstrip("/") + ".zip", "w", zipfile.ZIP_DEFLATED) as z:
            for fname in ["rdf.yaml"] + list(weights.values()):
                z.write(os.path.join(out_dir, fname), fname)
    return rdf


def intensity_steps(modality):
    """Normalisation as the networks were trained: MRI [min, 99th percentile] -> [0, 1] per scan
    (uniGradICON's MRI preprocessing), CT window [-1000, 1000] HU -> [0, 1]."""
    if modality == "mri":
        return [{"id": "scale_range", "kwargs": {"axes": ["z", "y", "x"], "min_percentile": 0, "max_percentile": 99}},
                {"id": "clip", "kwargs": {"min": 0, "max": 1}}]
    if modality == "ct":
        return [{"id": "clip", "kwargs": {"min": -1000, "max": 1000}},
                {"id": "scale_linear", "kwargs": {"gain": 1 / 2000, "offset": 0.5}}]
    raise SystemExit("modality must be mri or ct")


def check_exports(module, example, out_dir, names, unet=None, downsamples=0):
    """Checks encoder.pt (and encoder.onnx where onnxruntime is installed) against the module in
    Python; for uniGradICON also checks the exported encoder against the original UNet's own pooling."""
    import torch
    import torch.nn.functional as F
    ref = module(example)
    ts = torch.jit.load(os.path.join(out_dir, "encoder.pt"))(example)
    for k in names:
        torch.testing.assert_close(ts[k], ref[k])
        print(f"{k}: {tuple(ref[k].shape)}")
    if unet is not None:
        x = example
        for _ in range(downsamples):
            x = F.avg_pool3d(x, 2, ceil_mode=True)
        for depth in range(unet.num_layers):
            y = unet.downConvs[depth](F.leaky_relu(x))
            p = F.avg_pool3d(x, 2, ceil_mode=True)[:, : y.shape[1]]
            if p.shape[1] < y.shape[1]:
                p = F.pad(p, (0, 0, 0, 0, 0, 0, y.shape[1] - p.shape[1], 0))
            x = y + p
            torch.testing.assert_close(ref[f"enc{depth + 1}"], x, rtol=1e-4, atol=1e-5)
        print("encoder matches the UNet's own forward pass")
    try:
        import onnxruntime
    except ImportError:
        print("onnxruntime not installed: the ONNX file was not checked (pip install onnxruntime)")
        return
    sess = onnxruntime.InferenceSession(os.path.join(out_dir, "encoder.onnx"), providers=["CPUExecutionProvider"])
    got = sess.run(names, {sess.get_inputs()[0].name: example.numpy()})
    for k, g in zip(names, got):
        torch.testing.assert_close(torch.from_numpy(g), ref[k], rtol=1e-4, atol=1e-4)
    print("ONNX Runtime matches PyTorch")
