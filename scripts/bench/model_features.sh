#!/usr/bin/env bash
# Benchmark of Model Features at 175^3 (unet175) against PyTorch-from-Python's forward pass alone.
# Needs Debian's python3-torch and python3-onnx (apt-get install -y python3-torch python3-onnx) for the
# anchor and for making unet175 (make_models.py --bench) if target/bench-models lacks it.
# Usage: scripts/bench/model_features.sh [PAIRS]
set -euo pipefail
cd "$(dirname "$0")/../.."
SHARED=${SHARED:-../shared}
MODELS=target/bench-models
if [ ! -f "$MODELS/unet175.onnx" ]; then
	/usr/bin/python3 "$SHARED/models/make_models.py" "$MODELS" --bench
fi
mvn -B -q test-compile dependency:build-classpath -Dmdep.outputFile=target/bench-classpath.txt -Dmdep.includeScope=test
java -Xmx4g -Dai.djl.offline=true -cp "target/classes:target/test-classes:$(cat target/bench-classpath.txt)" \
	org.progressionprobe.bench.ModelFeaturesBench "$MODELS" "$SHARED" "${1:-5}"
