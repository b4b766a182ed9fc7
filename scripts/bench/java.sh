#!/usr/bin/env bash
# Runs a benchmark class of src/test/java/org/progressionprobe/bench with the test classpath.
# Usage: scripts/bench/java.sh AlignBench|ProbeParityBench|SimulateCohortBench|... [args...]
set -euo pipefail
cd "$(dirname "$0")/../.."
[ $# -ge 1 ] || { sed -n 2,3p "$0"; exit 2; }
name=$1
shift
mvn -B -q test-compile dependency:build-classpath -Dmdep.includeScope=test -Dmdep.outputFile=target/bench-classpath.txt
exec java -Xmx8g -Djava.awt.headless=true -Dai.djl.offline=true -cp "target/classes:target/test-classes:$(cat target/bench-classpath.txt)" \
  "org.progressionprobe.bench.$name" "$@"
