#!/usr/bin/env bash
# Change features vs elastix B-spline on a 2 mm brain pair with known local volume changes.
# Usage: scripts/bench/change_features.sh [SHARED_DIR]   (default ../shared; needs: apt-get install -y elastix)
# Prints both wall times, their ratio, the machine load, and each method's mean Jacobian in the changed balls.
set -euo pipefail
cd "$(dirname "$0")/../.."
mvn -B -q test-compile
cp=$(mvn -B -q dependency:build-classpath -Dmdep.includeScope=test -Dmdep.outputFile=/dev/stdout)
exec java -Xmx4g -cp "target/classes:target/test-classes:$cp" org.progressionprobe.bench.ChangeFeaturesBench "$@"
