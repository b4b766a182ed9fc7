#!/usr/bin/env bash
# NIfTI read speed against nibabel (ch2.nii.gz, median of alternating rounds, ratio printed) and the
# memory of reading a 512^3 float32 .nii (child JVM whose heap is the voxel array + 64 MB).
# Needs Debian's python3-nibabel for the anchor: apt-get install -y python3-nibabel
# Usage: scripts/bench/read_benchmark.sh [SHARED_DIR] [READS_PER_ROUND]
set -euo pipefail
cd "$(dirname "$0")/../.."
mvn -B -q test-compile dependency:build-classpath -Dmdep.outputFile=target/bench-classpath.txt -Dmdep.includeScope=test
exec java -Xmx2g -cp "target/classes:target/test-classes:$(cat target/bench-classpath.txt)" \
	org.progressionprobe.bench.ReadBench "${1:-../shared}" "${2:-15}"
