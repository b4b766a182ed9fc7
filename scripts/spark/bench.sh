#!/usr/bin/env bash
# Cohort Features (change features, pair alignment) on simulated heads: the single-machine command, Spark local[2] and the
# standalone cluster of scripts/spark/cluster.sh (2 workers x 1 core) on the same cohort; wall time of each (JVM and Spark
# start included) as pairs per minute, the same table on all three, and the largest resident memory of an executor for two
# cohort sizes. Needs the packaged jars (mvn -B package -DskipTests).
# Usage: scripts/spark/bench.sh [SMALL=16] [LARGE=64] [VOXEL_MM=4]
set -euo pipefail
root=$(cd "$(dirname "$0")/../.." && pwd)
small=${1:-16} large=${2:-64} voxel=${3:-4}
w=$(mktemp -d /tmp/spark-bench.XXXXXX)
export SPARK_CLUSTER_DIR=$w/cluster SPARK_MASTER_PORT=${SPARK_MASTER_PORT:-17077} SPARK_MASTER_WEBUI_PORT=${SPARK_MASTER_WEBUI_PORT:-18080} \
	SPARK_WORKER_WEBUI_PORT=${SPARK_WORKER_WEBUI_PORT:-18081}
cluster="$root/scripts/spark/cluster.sh"
trap '"$cluster" stop >/dev/null' EXIT
echo "work dir $w; cores $(nproc); load $(cut -d' ' -f1-3 /proc/loadavg)"
"$cluster" start
now() { date +%s.%N; }
ppm() { awk -v n="$1" -v a="$2" -v b="$3" 'BEGIN { printf "%.1f", n / (b - a) * 60 }'; }

# largest RSS (MB) of the executors (children of the workers) while the command runs
peak_executor_rss() {
	local peak=0 r
	while [ -e "$w/running" ]; do
		for p in "$SPARK_CLUSTER_DIR"/worker-*.pid; do
			for c in $(pgrep -P "$(cat "$p")" || true); do
				r=$(awk '/VmRSS/ { print int($2 / 1024) }' "/proc/$c/status" 2>/dev/null || echo 0)
				[ "${r:-0}" -gt "$peak" ] && peak=$r
			done
		done
		sleep 0.5
	done
	echo "$peak" >"$w/peak"
}

for n in "$small" "$large"; do
	c=$w/c$n
	"$root/bin/progression-probe" --run "Simulate Cohort" "output_dir=\"$c\",subjects=$n,voxel_size_mm=$voxel,seed=1" >/dev/null
	args=(--cohort "$c/cohort.csv" --alignment pair --parquet off)
	t0=$(now)
	"$root/bin/progression-probe" --run "Cohort Features" "cohort=\"$c/cohort.csv\",output=\"$c/single.csv\",alignment=\"pair\"" >/dev/null
	t1=$(now)
	SPARK_MASTER='local[2]' "$cluster" submit org.progressionprobe.spark.SparkCohortFeatures "${args[@]}" --output "$c/local.csv" >"$c/local.log" 2>&1
	t2=$(now)
	touch "$w/running"; peak_executor_rss & sampler=$!
	"$cluster" submit org.progressionprobe.spark.SparkCohortFeatures "${args[@]}" --output "$c/cluster.csv" >"$c/cluster.log" 2>&1
	t3=$(now)
	rm "$w/running"; wait "$sampler"
	same=yes
	for f in local cluster; do cmp -s "$c/single.csv" "$c/$f.csv" || same=no; done
	echo "$n pairs at ${voxel} mm: pairs/min single-machine $(ppm "$n" "$t0" "$t1"), local[2] $(ppm "$n" "$t1" "$t2"), standalone 2x1 core" \
		"$(ppm "$n" "$t2" "$t3"); executor peak RSS $(cat "$w/peak") MB; same CSV: $same; load $(cut -d' ' -f1 /proc/loadavg)"
done
