#!/usr/bin/env python3
"""Export MONAI SwinUNETR's Swin transformer encoder levels as a Progression Probe model package
(TorchScript + ONNX + rdf.yaml).

UNTESTED HERE: run it where the internet is. It needs MONAI and PyTorch with ONNX export:

    python3 -m venv venv && . venv/bin/activate
    pip install "monai[einops]" onnx
    python3 scripts/export_swinunetr.py --out swinunetr-package --modality ct --size 96 [--zip]

What is exported. SwinUNETR (Hatamizadeh et al., 2022) segments one image; its encoder is a Swin
transformer (MONAI's SwinUNETR.swinViT) pretrained self-supervised on CT (Tang et al., 2022; weights
model_swinvit.pt from MONAI's extra-test-data release 0.8.1, downloaded here, or --weights). The
outputs are the five hidden states vit0..vit4 (48, 96, 192, 384, 768 channels at 1/2 .. 1/32 of the
input size), layer-normalised as SwinUNETR's forward does (normalize=True). The model takes one scan
(pair_mode single): Model Features runs baseline and follow-up separately and combines the vectors.
A segmentation network needs aligned scans cropped to the region of interest: align them first.

--size must be divisible by 32 (96 is SwinUNETR's usual patch size; 128 fits larger regions).
"""
import argparse
import os
import sys
import urllib.request

import torch
import torch.nn as nn

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import model_package  # noqa: E402

SSL_WEIGHTS = "https://github.com/Project-MONAI/MONAI-extra-test-data/releases/download/0.8.1/model_swinvit.pt"


class SwinEncoder(nn.Module):
    """image [1, 1, s, s, s] -> {vit0..vit4}: SwinUNETR's swinViT hidden states."""

    def __init__(self, swin_unetr):
        super().__init__()
        self.swinViT = swin_unetr.swinViT
        self.normalize = bool(getattr(swin_unetr, "normalize", True))

    def forward(self, image):
        h = self.swinViT(image, self.normalize)
        return {f"vit{i}": h[i] for i in range(len(h))}


class AsTuple(nn.Module):
    def __init__(self, m, names):
        super().__init__()
        self.m, self.names = m, names

    def forward(self, x):
        o = self.m(x)
        return tuple(o[k] for k in self.names)


def make_swin_unetr(size, feature_size):
    from monai.networks.nets import SwinUNETR
    kwargs = dict(in_channels=1, out_channels=14, feature_size=feature_size, use_checkpoint=False)
    try:
        return SwinUNETR(**kwargs)  # MONAI >= 1.5: no img_size
    except TypeError:
        return SwinUNETR(img_size=(size, size, size), **kwargs)


def main():
    p = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    p.add_argument("--out", required=True, help="package folder to write")
    p.add_argument("--size", type=int, default=96, help="input size (divisible by 32)")
    p.add_argument("--modality", default="ct", choices=["mri", "ct"], help="intensity normalisation declared in rdf.yaml")
    p.add_argument("--weights", default=None, help="a local model_swinvit.pt instead of the download")
    p.add_argument("--zip", action="store_true", help="also write OUT.zip")
    a = p.parse_args()
    if a.size % 32:
        raise SystemExit("--size must be divisible by 32")

    torch.set_grad_enabled(False)
    model = make_swin_unetr(a.size, 48)
    weights = a.weights
    if weights is None:
        os.makedirs(a.out, exist_ok=True)
        weights = os.path.join(a.out, "model_swinvit.pt.download")
        if not os.path.exists(weights):
            print("downloading", SSL_WEIGHTS)
            urllib.request.urlretrieve(SSL_WEIGHTS, weights)
    state = torch.load(weights, map_location="cpu", weights_only=False)
    model.load_from(weights=state)
    enc = SwinEncoder(model).eval()

    os.makedirs(a.out, exist_ok=True)
    example = torch.rand(1, 1, a.size, a.size, a.size)
    names = list(enc(example).keys())
    ts = torch.jit.trace(enc, example, strict=False)
    ts.save(os.path.join(a.out, "encoder.pt"))
    torch.onnx.export(AsTuple(enc, names), example, os.path.join(a.out, "encoder.onnx"), input_names=["image"], output_names=names,
                      opset_version=17)
    model_package.check_exports(enc, example, a.out, names)
    if a.weights is None:
        os.remove(weights)

    model_package.write_package(
        a.out, "SwinUNETR Swin encoder (self-supervised, CT)",
        "Hidden states of MONAI SwinUNETR's Swin transformer encoder, exported for Progression Probe model features.",
        "image", ["scan"], a.size, model_package.intensity_steps(a.modality), names,
        {"onnx": "encoder.onnx", "torchscript": "encoder.pt"}, names, "single",
        citation=[{"text": "Tang Y. et al., Self-Supervised Pre-Training of Swin Transformers for 3D Medical Image Analysis, CVPR 2022",
                   "url": "https://github.com/Project-MONAI/research-contributions"}],
        license_id="Apache-2.0", make_zip=a.zip)
    print("wrote", a.out)


if __name__ == "__main__":
    main()
