#!/usr/bin/env bash
# Cohort Features (change features, pair alignment) on simulated heads: the single-machine command, Spark local[2] and the
# standalone cluster of scripts/spark/cluster.sh (2 workers x 1 core) on the same cohort, interleaved in rounds (cluster,
# local[2], single-machine; cluster, ...) so that the load of a shared machine falls on all three alike. Per run: pairs per
# minute (wall time, JVM and Spark start included), CPU-seconds per pair (user + system time of every JVM of the run: the
# driver or the command, and for the cluster its executors, master and workers) and the mean 1-minute load average during
# the run; per mode the medians, and the cluster's overhead over the batch in CPU-s per pair (load-independent). Then the
# executors' live heap on two cohort sizes: each executor is made to run a full GC every 5 s (jcmd GC.run) and logs its
# heap after each GC (-Xlog:gc); the largest heap after a full GC is the live heap. Every run's CSV must equal the first
# run's on the same cohort. Needs the packaged jars (mvn -B package -DskipTests).
# Usage: scripts/spark/bench.sh [PAIRS=12] [ROUNDS=3] [LARGE=36] [VOXEL_MM=4]
set -euo pipefail
root=$(cd "$(dirname "$0")/../.." && pwd)
pairs=${1:-12} rounds=${2:-3} large=${3:-36} voxel=${4:-4}
w=$(mktemp -d /tmp/spark-bench.XXXXXX)
export SPARK_CLUSTER_DIR=$w/cluster SPARK_MASTER_PORT=${SPARK_MASTER_PORT:-17077} SPARK_MASTER_WEBUI_PORT=${SPARK_MASTER_WEBUI_PORT:-18080} \
	SPARK_WORKER_WEBUI_PORT=${SPARK_WORKER_WEBUI_PORT:-18081}
cluster="$root/scripts/spark/cluster.sh"
trap 'rm -f "$w/running"; "$cluster" stop >/dev/null' EXIT
echo "work dir $w; cores $(nproc); load $(cut -d' ' -f1-3 /proc/loadavg)"
"$cluster" start
tick=$(getconf CLK_TCK)
now() { date +%s.%N; }

# CPU seconds of the master and workers, their reaped children (the executors) included
daemon_cpu() {
	cat "$SPARK_CLUSTER_DIR"/master.pid "$SPARK_CLUSTER_DIR"/worker-*.pid | while read -r p; do sed 's/^.*) //' "/proc/$p/stat"; done \
		| awk -v t="$tick" '{ s += $12 + $13 + $14 + $15 } END { printf "%.2f", s / t }'
}
executors() { for p in "$SPARK_CLUSTER_DIR"/worker-*.pid; do pgrep -P "$(cat "$p")" || true; done; }

# while $w/running exists: the 1-minute load average every 2 s (to $w/load); with GC=1 also a full GC in each executor
sample() {
	local gc=$1 next=0
	: >"$w/load"
	while [ -e "$w/running" ]; do
		cut -d' ' -f1 /proc/loadavg >>"$w/load"
		if [ "$gc" = 1 ] && [ "$(date +%s)" -ge "$next" ]; then
			for e in $(executors); do jcmd "$e" GC.run >/dev/null 2>&1 || true; done
			next=$(($(date +%s) + 5))
		fi
		sleep 2
	done
}

# run MODE COHORT OUT [--conf k=v ...]: one run of Cohort Features; prints "mode pairs wall_s cpu_s load"
run() {
	local mode=$1 c=$2 out=$3 t0 t1 d0 d1=0 gc=0 n
	shift 3
	[ $# -gt 0 ] && gc=1
	n=$(($(wc -l <"$c/cohort.csv") - 1))
	rm -f "$out" "$out.partial"
	touch "$w/running"; sample "$gc" & sampler=$!
	d0=$(daemon_cpu)
	t0=$(now)
	case $mode in
	single) /usr/bin/time -f '%U %S' -o "$w/time" "$root/bin/progression-probe" --run "Cohort Features" \
		"cohort=\"$c/cohort.csv\",output=\"$out\",alignment=\"pair\"" >"$out.log" 2>&1 ;;
	local) SPARK_MASTER='local[2]' /usr/bin/time -f '%U %S' -o "$w/time" "$cluster" submit org.progressionprobe.spark.SparkCohortFeatures \
		--cohort "$c/cohort.csv" --alignment pair --parquet off --output "$out" >"$out.log" 2>&1 ;;
	cluster) /usr/bin/time -f '%U %S' -o "$w/time" "$cluster" submit "$@" org.progressionprobe.spark.SparkCohortFeatures \
		--cohort "$c/cohort.csv" --alignment pair --parquet off --output "$out" >"$out.log" 2>&1 ;;
	esac
	t1=$(now)
	if [ "$mode" = cluster ]; then
		for _ in $(seq 1 60); do [ -z "$(executors)" ] && break; sleep 0.5; done
		d1=$(daemon_cpu)
	else d0=0; fi
	rm "$w/running"; wait "$sampler"
	if [ ! -e "$c/reference.csv" ]; then cp "$out" "$c/reference.csv"
	elif ! cmp -s "$c/reference.csv" "$out"; then echo "bench.sh: $mode: $out differs from $c/reference.csv (the first run's)" >&2; exit 1; fi
	echo "$mode $n $(awk -v a="$t0" -v b="$t1" 'BEGIN { printf "%.1f", b - a }') $(awk -v t="$(cat "$w/time")" -v a="$d0" -v b="$d1" \
		'BEGIN { split(t, u, " "); printf "%.1f", u[1] + u[2] + b - a }') $(awk '{ s += $1; k++ } END { printf "%.2f", s / k }' "$w/load")"
}

c=$w/c$pairs
"$root/bin/progression-probe" --run "Simulate Cohort" "output_dir=\"$c\",subjects=$pairs,voxel_size_mm=$voxel,seed=1" >/dev/null
echo "round mode pairs wall_s cpu_s load" | tee "$w/runs"
for r in $(seq 1 "$rounds"); do
	for m in cluster local single; do
		run "$m" "$c" "$c/$m-$r.csv" >"$w/last"
		echo "$r $(cat "$w/last")" | tee -a "$w/runs"
	done
done
echo "$pairs pairs at $voxel mm, $rounds rounds; medians (load: mean 1-min load average during the runs, min-max):"
awk 'NR > 1 { ppm[$2] = ppm[$2] " " $3 / $4 * 60; cpp[$2] = cpp[$2] " " $5 / $3; load[$2] = load[$2] " " $6 }
	function median(s,  a, n, i, j, x) { n = split(s, a, " "); for (i = 2; i <= n; i++) { x = a[i]; for (j = i - 1; j >= 1 && a[j] > x; j--) a[j + 1] = a[j]; a[j + 1] = x }
		return n % 2 ? a[(n + 1) / 2] : (a[n / 2] + a[n / 2 + 1]) / 2 }
	function range(s,  a, n, i, lo, hi) { n = split(s, a, " "); lo = hi = a[1]; for (i = 2; i <= n; i++) { if (a[i] < lo) lo = a[i]; if (a[i] > hi) hi = a[i] }
		return sprintf("%.1f-%.1f", lo, hi) }
	END { split("cluster local single", order, " "); for (i = 1; i <= 3; i++) { m = order[i]; printf "  %-8s %6.1f pairs/min  %6.2f CPU-s/pair  load %s\n", m == "local" ? "local[2]" : m, median(ppm[m]), median(cpp[m]), range(load[m])
			c[m] = median(cpp[m]) }
		printf "  cluster over single-machine batch: %+.2f CPU-s per pair (x%.2f); local[2] over batch: %+.2f (x%.2f)\n",
			c["cluster"] - c["single"], c["cluster"] / c["single"], c["local"] - c["single"], c["local"] / c["single"] }' "$w/runs"

cl=$w/c$large
"$root/bin/progression-probe" --run "Simulate Cohort" "output_dir=\"$cl\",subjects=$large,voxel_size_mm=$voxel,seed=1" >/dev/null
for n in "$pairs" "$large"; do
	mkdir -p "$w/gc-$n"
	run cluster "$w/c$n" "$w/c$n/memory.csv" --conf "spark.executor.extraJavaOptions=-Xlog:gc:file=$w/gc-$n/executor-%p.log" >"$w/last"
	f=$(cat "$w/last")
	cat "$w"/gc-"$n"/executor-*.log | awk -v n="$n" -v f="$f" '
		{ if (match($0, /[0-9]+M->[0-9]+M/)) { split(substr($0, RSTART, RLENGTH), h, "->"); a = h[2] + 0; if (a > any) any = a
			if ($0 ~ /Pause Full/) { full++; if (a > live) live = a } } }
		END { split(f, r, " "); printf "%d pairs on the cluster: executor live heap (largest heap after %d forced full GCs) %d MB, largest heap after any GC %d MB; %.2f CPU-s/pair, load %.1f\n",
			n, full, live, any, r[4] / n, r[5] }'
done
