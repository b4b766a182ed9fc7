#!/usr/bin/env bash
# Issue 25's study grid, before and after: alignments none,pair,atlas x roi off,on x extractors change,
# builtin-registration, builtin-unet on a simulated cohort at 2 mm with a 1 mm atlas (the phantom, or the
# template given), once as before (one thread, atlas space on the atlas's own grid) and once as after
# (every core, atlas space at the scans' voxel size, PAIRS pairs at once). Prints each run's minutes, each
# setting's share, peak heap and max RSS, then the speed-up and the AUCs of both comparison tables.
# Usage: scripts/bench/study_grid.sh [SUBJECTS (48)] [WORK_DIR (/tmp/study-grid)] [PAIRS (1)] [TEMPLATE LABELS NAMES]
#        STUDY_GRID_MODES=after scripts/bench/study_grid.sh 12   (only one of the two runs)
#        STUDY_GRID_JAVA_OPTS="-Xmx6g -Dgrid.alignments=atlas -Dgrid.roi=off -Dgrid.extractors=change" ...   (a part of the grid)
# On a shared machine wall time follows the load; each setting's CPU seconds are printed too.
set -euo pipefail
cd "$(dirname "$0")/../.."
n=${1:-48}
work=${2:-/tmp/study-grid}
pairs=${3:-1}
shift $(( $# < 3 ? $# : 3 ))
mvn -B -q test-compile dependency:build-classpath -Dmdep.includeScope=test -Dmdep.outputFile=target/bench-classpath.txt
cp="target/classes:target/test-classes:$(cat target/bench-classpath.txt)"
mkdir -p "$work"
for mode in ${STUDY_GRID_MODES:-before after}; do
  rm -rf "$work/study-$mode-$n"
  echo "== $mode ($n subjects, load $(cut -d' ' -f1-3 /proc/loadavg))"
  /usr/bin/time -v -o "$work/$mode-$n.time" java ${STUDY_GRID_JAVA_OPTS:--Xmx6g} -Djava.awt.headless=true -Dai.djl.offline=true -cp "$cp" \
    org.progressionprobe.bench.StudyGridBench "$work" "$n" "$mode" "$pairs" "$@" | tee "$work/$mode-$n.log"
  grep "Maximum resident" "$work/$mode-$n.time"
done
minutes() { sed -n 's/.*grid \([0-9.]*\) min.*/\1/p' "$work/$1-$n.log" 2>/dev/null; }
b=$(minutes before || true); a=$(minutes after || true)
if [ -n "$b" ] && [ -n "$a" ]; then
  echo "== $n subjects: before $b min, after $a min, ratio $(awk -v a="$a" -v b="$b" 'BEGIN { printf "%.2f", a / b }')"
  echo "setting layer: AUC before -> after"
  join -t, <(awk -F, '!/^#/ && $1 != "setting" { print $1 "/" $5 "," $8 }' "$work/study-before-$n/comparison.csv" | sort) \
           <(awk -F, '!/^#/ && $1 != "setting" { print $1 "/" $5 "," $8 }' "$work/study-after-$n/comparison.csv" | sort) | tr , ' '
fi
