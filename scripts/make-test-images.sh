#!/usr/bin/env bash
# Regenerates test-images/ (the small phantom volumes the README demo and the tests use) with the
# simulator itself: org.progressionprobe.sim.TestImages, fixed seeds, 4 mm phantom.
#   scripts/make-test-images.sh [output folder, default test-images]
# The content is always the same; TestImagesTest checks the committed files against a fresh run.
set -euo pipefail
here=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
out=${1:-$here/test-images}
# build the jar and its dependencies the way bin/progression-probe does
"$here/bin/progression-probe" --help >/dev/null
jar=$(ls "$here"/target/progression-probe-*.jar | grep -vE -- '-(sources|javadoc|tests)\.jar$' | sed -n 1p)
exec java -Djava.awt.headless=true -cp "$jar:$here/target/lib/*" org.progressionprobe.sim.TestImages "$out"
