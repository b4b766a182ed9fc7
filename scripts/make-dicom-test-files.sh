#!/usr/bin/env bash
# Writes the small DICOM files of src/test/resources/org/progressionprobe/io/dicom/ with tools other
# than Progression Probe: pydicom writes the uncompressed originals (a 16x16x3 series of signed
# 16-bit values with negatives, an enhanced multi-frame file, an RT Dose), GDCM and DCMTK compress
# copies of them. Needs Debian's python3-pydicom, python3-numpy, libgdcm-tools and dcmtk.
set -euo pipefail
here=$(cd "$(dirname "$0")/.." && pwd)
out=${1:-$here/src/test/resources/org/progressionprobe/io/dicom}
find "$out" -name "*.dcm" -delete 2>/dev/null || true
mkdir -p "$out"
/usr/bin/python3 - "$out" <<'PY'
import sys, os
import numpy as np
import pydicom
from pydicom.dataset import Dataset, FileDataset, FileMetaDataset
from pydicom.sequence import Sequence
from pydicom.uid import ExplicitVRLittleEndian, generate_uid

out = sys.argv[1]
rng = np.random.default_rng(21)
rows, cols, depth = 16, 16, 3
yy, xx = np.mgrid[0:rows, 0:cols]
# smooth structure plus noise, from -1200 to about 2200 (negatives like CT air)
vol = np.stack([(xx * 97 - yy * 61 + k * 700 - 1200 + rng.integers(-40, 41, (rows, cols))) for k in range(depth)]).astype(np.int16)
vol[1, 3, 4] = -32768
vol[1, 4, 3] = 32767
row, col = np.array([0.9848077530, 0.1736481777, 0.0]), np.array([0.0, 0.0, -1.0])  # an oblique coronal plane
normal = np.cross(row, col)
origin = np.array([-12.5, 30.0, 44.0])
spacing, gap = [0.8, 0.7], 2.5
study, series, frame_of_ref = generate_uid(), generate_uid(), generate_uid()

def base(sop_class, name):
    meta = FileMetaDataset()
    meta.MediaStorageSOPClassUID = sop_class
    meta.MediaStorageSOPInstanceUID = generate_uid()
    meta.TransferSyntaxUID = ExplicitVRLittleEndian
    ds = FileDataset(name, {}, file_meta=meta, preamble=b"\0" * 128)
    ds.is_little_endian, ds.is_implicit_VR = True, False
    ds.SOPClassUID, ds.SOPInstanceUID = sop_class, meta.MediaStorageSOPInstanceUID
    ds.PatientName, ds.PatientID, ds.Modality = "Phantom^Test", "PP21", "CT"
    ds.StudyInstanceUID, ds.SeriesInstanceUID, ds.FrameOfReferenceUID = study, series, frame_of_ref
    ds.Rows, ds.Columns, ds.SamplesPerPixel, ds.PhotometricInterpretation = rows, cols, 1, "MONOCHROME2"
    ds.BitsAllocated, ds.BitsStored, ds.HighBit, ds.PixelRepresentation = 16, 16, 15, 1
    return ds

os.makedirs(f"{out}/native", exist_ok=True)
for k in range(depth):
    ds = base("1.2.840.10008.5.1.4.1.1.2", f"{out}/native/{k}.dcm")
    ds.InstanceNumber = k + 1
    ds.ImageOrientationPatient = [float(v) for v in (*row, *col)]
    ds.ImagePositionPatient = [float(v) for v in origin + k * gap * normal]
    ds.PixelSpacing, ds.SliceThickness = spacing, gap
    ds.RescaleSlope, ds.RescaleIntercept = 1.5, -10
    ds.PixelData = vol[k].tobytes()
    ds.save_as(f"{out}/native/{k}.dcm", write_like_original=False)

# the middle slice with even values only, for a JPEG point transform of 1 that stays lossless
ds = pydicom.dcmread(f"{out}/native/1.dcm")
ds.PixelData = ((vol[1] // 2) * 2).astype(np.int16).tobytes()
ds.save_as(f"{out}/even.dcm", write_like_original=False)

# the middle slice as Float Pixel Data (7FE0,0008), as parametric maps store it
ds = pydicom.dcmread(f"{out}/native/1.dcm")
del ds.PixelData, ds.BitsStored, ds.HighBit, ds.PixelRepresentation
ds.BitsAllocated = 32
ds.FloatPixelData = (vol[1].astype(np.float32) * np.float32(0.25)).tobytes()
ds.save_as(f"{out}/float.dcm", write_like_original=False)

# enhanced CT, frames stored in reverse order of position; Pixel Measures and Pixel Value
# Transformation in the shared groups, Plane Position and Orientation per frame
def enhanced(name, frames):
    ds = base("1.2.840.10008.5.1.4.1.1.2.1", name)
    ds.NumberOfFrames = len(frames)
    shared = Dataset()
    pm = Dataset(); pm.PixelSpacing = spacing; pm.SliceThickness = gap
    pvt = Dataset(); pvt.RescaleSlope = 1.5; pvt.RescaleIntercept = -10; pvt.RescaleType = "HU"
    shared.PixelMeasuresSequence = Sequence([pm])
    shared.PixelValueTransformationSequence = Sequence([pvt])
    ds.SharedFunctionalGroupsSequence = Sequence([shared])
    per = []
    for k in frames:
        f = Dataset()
        pp = Dataset(); pp.ImagePositionPatient = [float(v) for v in origin + k * gap * normal]
        po = Dataset(); po.ImageOrientationPatient = [float(v) for v in (*row, *col)]
        f.PlanePositionSequence = Sequence([pp])
        f.PlaneOrientationSequence = Sequence([po])
        per.append(f)
    ds.PerFrameFunctionalGroupsSequence = Sequence(per)
    ds.PixelData = np.stack([vol[k] for k in frames]).tobytes()
    ds.save_as(name, write_like_original=False)

enhanced(f"{out}/enhanced.dcm", [2, 1, 0])
enhanced(f"{out}/enhanced-1frame.dcm", [1])

# two noisy 40x40 frames (the enhanced file's first two, resized): compressed, each frame needs several 1 KB fragments
ds = pydicom.dcmread(f"{out}/enhanced.dcm")
ds.Rows = ds.Columns = 40
ds.NumberOfFrames = 2
ds.PerFrameFunctionalGroupsSequence = Sequence(list(ds.PerFrameFunctionalGroupsSequence)[:2])
ds.PixelData = rng.integers(-3000, 3000, (2, 40, 40)).astype(np.int16).tobytes()
ds.save_as(f"{out}/enhanced-40.dcm", write_like_original=False)

# RT Dose: classic multi-frame, unsigned 32-bit doses, GridFrameOffsetVector, DoseGridScaling
ds = base("1.2.840.10008.5.1.4.1.1.481.2", f"{out}/rtdose.dcm")
ds.Modality = "RTDOSE"
ds.BitsAllocated, ds.BitsStored, ds.HighBit, ds.PixelRepresentation = 32, 32, 31, 0
ds.NumberOfFrames = depth
ds.FrameIncrementPointer = 0x3004000C
ds.ImageOrientationPatient = [1.0, 0.0, 0.0, 0.0, 1.0, 0.0]
ds.ImagePositionPatient = [-20.0, -15.0, 7.5]
ds.PixelSpacing = [2.0, 2.5]
ds.GridFrameOffsetVector = [0.0, 3.0, 6.0]
ds.DoseUnits, ds.DoseType, ds.DoseSummationType = "GY", "PHYSICAL", "PLAN"
ds.DoseGridScaling = "1.5e-06"
dose = (vol.astype(np.int64) + 40000).astype(np.uint32) * 1000
ds.PixelData = dose.tobytes()
ds.save_as(f"{out}/rtdose.dcm", write_like_original=False)
PY

# compressed copies of the series (each folder: the three slices, in one transfer syntax)
for kind in rle deflated jpeg-sv1 j2k jpegls; do mkdir -p "$out/$kind"; done
for k in 0 1 2; do
	n="$out/native/$k.dcm"
	gdcmconv --rle "$n" "$out/rle/$k.dcm"                          # RLE Lossless, 1.2.840.10008.1.2.5
	dcmconv +td "$n" "$out/deflated/$k.dcm"                        # Deflated Explicit VR Little Endian, .1.2.1.99
	dcmcjpeg +e1 "$n" "$out/jpeg-sv1/$k.dcm"                       # JPEG Lossless SV1, .4.70
	gdcmconv --j2k "$n" "$out/j2k/$k.dcm"                          # JPEG 2000 lossless, .4.90
	gdcmconv --jpegls "$n" "$out/jpegls/$k.dcm"                    # JPEG-LS Lossless, .4.80 (not decoded)
done
# JPEG Lossless process 14 (.4.57) with each predictor on the middle slice
for sv in 1 2 3 4 5 6 7; do dcmcjpeg +el +sv "$sv" "$out/native/1.dcm" "$out/jpeg-p14-sv$sv.dcm"; done
dcmcjpeg +el +sv 7 +pt 1 "$out/even.dcm" "$out/jpeg-p14-sv7-pt1.dcm"
# the middle slice in implicit VR little endian and explicit VR big endian
dcmconv +ti "$out/native/1.dcm" "$out/implicit.dcm"
dcmconv +tb "$out/native/1.dcm" "$out/big-endian.dcm"
# JPEG 2000 (.4.91, which allows a reversible codestream) of the middle slice: GDCM's lossless
# codestream with the transfer syntax set to .4.91 by pydicom; and the enhanced file in RLE
/usr/bin/python3 -c 'import sys, pydicom; d = pydicom.dcmread(sys.argv[1]); d.file_meta.TransferSyntaxUID = "1.2.840.10008.1.2.4.91"; d.save_as(sys.argv[2])' "$out/j2k/1.dcm" "$out/j2k-91.dcm"
gdcmconv --rle "$out/enhanced.dcm" "$out/enhanced-rle.dcm"
# the enhanced file compressed frame by frame: DCMTK (JPEG Lossless SV1, basic offset table filled), GDCM (JPEG 2000)
dcmcjpeg +e1 "$out/enhanced.dcm" "$out/enhanced-jpeg.dcm"
gdcmconv --j2k "$out/enhanced.dcm" "$out/enhanced-j2k.dcm"
# frames of several fragments and an empty basic offset table (DCMTK)
dcmcjpeg +e1 -ot +fs 1 "$out/enhanced-40.dcm" "$out/enhanced-40-fragments.dcm"
for f in $(find "$out" -name '*.dcm' | sort); do
	printf '%s %s\n' "${f#$out/}" "$(dcmdump -M +P 0002,0010 "$f" | sed 's/.*\[\(.*\)\].*/\1/')"
done
