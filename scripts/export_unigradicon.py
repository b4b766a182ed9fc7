#!/usr/bin/env python3
"""Export uniGradICON's encoder levels as a Progression Probe model package (TorchScript + ONNX + rdf.yaml).

UNTESTED HERE: run it where the internet is. It needs the `unigradicon` pip package (which brings
`icon_registration`) and PyTorch with ONNX export:

    python3 -m venv venv && . venv/bin/activate
    pip install unigradicon onnx
    python3 scripts/export_unigradicon.py --out unigradicon-package --modality mri [--zip]

then, offline, in Fiji or with the launcher:

    bin/progression-probe --run "Model Features" 'baseline="b.nii.gz",followup="f.nii.gz",model="unigradicon-package",output="f.csv"'

What is exported. uniGradICON (Tian et al., 2024) registers a moving image A onto a fixed image B at
175^3 with four UNets (icon_registration's tallUNet2, channels 2-16-32-64-256-512) in a coarse-to-fine
cascade: two steps at 1/4 and 1/2 resolution, then two at full resolution on the progressively warped
image. This script exports the first step: both scans average-pooled twice (as uniGradICON's
DownsampleRegistration does, ceil mode) and fed as one 2-channel input to that UNet; the outputs are
its five encoder levels enc1..enc5 (16, 32, 64, 256, 512 channels). That step sees the unwarped pair,
so its encoder describes the whole change between the scans. The later steps see warped images
(grid sampling), which this export does not include.

Pair convention: channel 0 = follow-up = moving image A, channel 1 = baseline = fixed image B
(uniGradICON's register_pair(net, moving, fixed)).

The weights are downloaded by unigradicon.get_unigradicon() from the project's GitHub release
(unigradicon_weights/Step_2_final.trch), or read from --weights.
"""
import argparse
import os
import sys

import torch
import torch.nn as nn
import torch.nn.functional as F

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import model_package  # noqa: E402


def first_unet(regis_net):
    """The UNet of the coarsest step: regis_net = TwoStep(TwoStep(Down(TwoStep(Down(FFVF(U0)), FFVF(U1))), FFVF(U2)), FFVF(U3))."""
    m = regis_net
    while hasattr(m, "netPhi") or hasattr(m, "net"):
        m = m.netPhi if hasattr(m, "netPhi") else m.net
        if isinstance(m, nn.Module) and hasattr(m, "downConvs"):
            return m
    raise SystemExit("could not find the first tallUNet2 in the uniGradICON network; the package layout may have changed")


def count_downsamples(regis_net):
    n, m = 0, regis_net
    while not hasattr(m, "downConvs"):
        if type(m).__name__ == "DownsampleRegistration":
            n += 1
        m = m.netPhi if hasattr(m, "netPhi") else m.net
    return n


def avg_pool2_ceil(x):
    """F.avg_pool3d(x, 2, ceil_mode=True), written so that ONNX export keeps PyTorch's divisor: a window
    that runs past an odd border averages only the voxels inside. (ONNX Runtime's AveragePool with
    ceil_mode gives different values there; checked on a network of this shape.)"""
    pad = [0, x.shape[4] % 2, 0, x.shape[3] % 2, 0, x.shape[2] % 2]
    ones = torch.ones_like(x[:, :1])
    return F.avg_pool3d(F.pad(x, pad), 2) / F.avg_pool3d(F.pad(ones, pad), 2)


class FirstStepEncoder(nn.Module):
    """pair [1, 2, 175, 175, 175] -> {enc1..enc5}: the first UNet's encoder, as uniGradICON runs it."""

    def __init__(self, unet, downsamples):
        super().__init__()
        self.unet = unet
        self.downsamples = downsamples

    def forward(self, pair):
        x = pair
        for _ in range(self.downsamples):
            x = avg_pool2_ceil(x)  # per channel: A and B are pooled separately, as uniGradICON does
        out = {}
        for depth in range(self.unet.num_layers):
            y = self.unet.downConvs[depth](F.leaky_relu(x))
            pooled = avg_pool2_ceil(x)
            # icon_registration.networks.pad_or_crop on the channel axis
            pooled = pooled[:, : y.shape[1]]
            if pooled.shape[1] < y.shape[1]:
                pooled = F.pad(pooled, (0, 0, 0, 0, 0, 0, y.shape[1] - pooled.shape[1], 0))
            x = y + pooled
            out[f"enc{depth + 1}"] = x
        return out


class AsTuple(nn.Module):
    def __init__(self, m, names):
        super().__init__()
        self.m, self.names = m, names

    def forward(self, x):
        o = self.m(x)
        return tuple(o[k] for k in self.names)


def main():
    p = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    p.add_argument("--out", required=True, help="package folder to write")
    p.add_argument("--modality", default="mri", choices=["mri", "ct"], help="intensity normalisation declared in rdf.yaml")
    p.add_argument("--weights", default=None, help="a local Step_2_final.trch instead of the download")
    p.add_argument("--model", default="unigradicon", choices=["unigradicon", "multigradicon"])
    p.add_argument("--zip", action="store_true", help="also write OUT.zip")
    a = p.parse_args()

    import unigradicon
    torch.set_grad_enabled(False)
    if a.model == "unigradicon":
        net = unigradicon.get_unigradicon(weights_location=a.weights)
    else:
        net = unigradicon.get_multigradicon(weights_location=a.weights)
    net = net.cpu().eval()
    size = unigradicon.input_shape[2]
    unet = first_unet(net.regis_net)
    enc = FirstStepEncoder(unet, count_downsamples(net.regis_net)).eval()
    names = [f"enc{i + 1}" for i in range(unet.num_layers)]

    os.makedirs(a.out, exist_ok=True)
    example = torch.rand(1, 2, size, size, size)
    ts = torch.jit.trace(enc, example, strict=False)
    ts.save(os.path.join(a.out, "encoder.pt"))
    torch.onnx.export(AsTuple(enc, names), example, os.path.join(a.out, "encoder.onnx"), input_names=["pair"], output_names=names,
                      opset_version=17)
    model_package.check_exports(enc, example, a.out, names, unet=unet, downsamples=count_downsamples(net.regis_net))

    model_package.write_package(
        a.out, f"{a.model} first-step encoder",
        f"Encoder levels of the first (1/4 resolution) UNet of {a.model}, exported for Progression Probe model features.",
        "pair", ["followup", "baseline"], size, model_package.intensity_steps(a.modality), names,
        {"onnx": "encoder.onnx", "torchscript": "encoder.pt"}, names, "pair",
        citation=[{"text": "Tian L. et al., uniGradICON: A Foundation Model for Medical Image Registration, MICCAI 2024",
                   "url": "https://github.com/uncbiag/uniGradICON"}],
        license_id="Apache-2.0", make_zip=a.zip)
    print("wrote", a.out)


if __name__ == "__main__":
    main()
