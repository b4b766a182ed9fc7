#!/usr/bin/env bash
# A Spark standalone cluster on this machine, from the Spark jars the build resolves (no Spark install needed), and the
# matching submit of the plugin's Spark entry points.
#
#   scripts/spark/cluster.sh start  [DIR]    a master and SPARK_WORKERS workers (default 2) on 127.0.0.1, each worker
#                                            SPARK_WORKER_CORES cores (1) and SPARK_WORKER_MEMORY memory (1g); logs, pids,
#                                            worker work dirs (executor logs) under DIR
#   scripts/spark/cluster.sh status [DIR]    which of them run, and the master URL
#   scripts/spark/cluster.sh stop   [DIR]
#   scripts/spark/cluster.sh check           the Spark home the daemons run from (target/spark-home) holds a jar of every
#                                            artifact the build's Spark depends on (Maven's dependency tree)
#   scripts/spark/cluster.sh submit [--conf k=v ...] CLASS [job options]
#                                            spark-submit CLASS (org.progressionprobe.spark.SparkCohortFeatures or SparkStudy)
#                                            of target/spark/*-spark.jar, with the plugin jar and target/lib/*.jar as --jars
#                                            (but those SPARK_JARS_EXCLUDE matches, an extended regex: engines the job does not
#                                            use, e.g. 'tensorflow|pytorch|javacpp|ndarray', 270 MB each executor fetches)
#
# DIR defaults to $SPARK_CLUSTER_DIR, else target/spark-cluster. Ports: SPARK_MASTER_PORT (7077), SPARK_MASTER_WEBUI_PORT
# (8080), workers' web UIs from SPARK_WORKER_WEBUI_PORT (8081). submit goes to SPARK_MASTER (default: the master that
# `start` wrote to DIR/master-url, else spark://127.0.0.1:7077); on a real cluster set SPARK_MASTER (spark://host:7077, yarn,
# k8s://https://host:443) and nothing else changes. A `spark-submit` on the PATH (a Spark install, SPARK_HOME set) is used
# when present, else org.apache.spark.deploy.SparkSubmit from the build's jars (client mode: the driver runs here).
set -euo pipefail
root=$(cd "$(dirname "$0")/../.." && pwd)
cmd=${1:-}
[ $# -gt 0 ] && shift

cluster_dir() { local d=${1:-${SPARK_CLUSTER_DIR:-$root/target/spark-cluster}}; mkdir -p "$d"; cd "$d" && pwd; }

# target/spark-home/jars: links to the jars of the build's org.apache.spark dependencies and of everything they depend on, in
# the versions the build resolves (SPARK_HOME for the daemons, so that a worker starts its executors with the same class
# path; made again when pom.xml changes). Maven's verbose dependency tree names Spark's dependencies even where the plugin's
# own compile-scope dependencies (slf4j-api, commons-*, gson, protobuf-java, ...) win them; target/spark-home/spark-deps
# keeps their groupId:artifactId for `check`. target/spark-home/jvm-options: the JVM options spark-submit gives Java 17 (the
# pom's spark.jvm.options).
spark_home() {
	local h=$root/target/spark-home t
	if [ ! -d "$h/jars" ] || [ ! -s "$h/jvm-options" ] || [ "$root/pom.xml" -nt "$h/jvm-options" ]; then
		mkdir -p "$root/target" && t=$(mktemp -d "$root/target/.spark-home.XXXXXX")
		(cd "$root" && mvn -B -o -q dependency:tree -Dverbose -DoutputFile="$t/tree.txt" >/dev/null \
			&& mvn -B -o -q dependency:build-classpath -DincludeScope=test -Dmdep.outputFile="$t/build.classpath" >/dev/null \
			&& sed -n 's:.*<spark.jvm.options>\(.*\)</spark.jvm.options>.*:\1:p' pom.xml >"$t/jvm-options") \
			|| { rm -rf "$t"; echo "cluster.sh: cannot resolve the Spark jars with Maven (run once without -o: mvn -B dependency:resolve)" >&2; exit 1; }
		awk "$spark_deps" "$t/tree.txt" | sort >"$t/spark-deps"
		mkdir -p "$t/jars"
		tr ':' '\n' <"$t/build.classpath" | awk "$jars_of" "$t/spark-deps" - | cut -f2 | while read -r j; do ln -sf "$j" "$t/jars/"; done
		rm -f "$t/tree.txt" "$t/build.classpath"
		check_home "$t" >/dev/null || { rm -rf "$t"; exit 1; }
		rm -rf "$h" && mv "$t" "$h"
	fi
	echo "$h"
}

# awk: the groupId:artifactId of the top-level org.apache.spark dependencies in `mvn dependency:tree -Dverbose` and of
# everything they depend on anywhere in the tree (a dependency omitted under Spark as a duplicate has its own dependencies
# listed where Maven first met it)
spark_deps='{
	match($0, /^[|+\\ -]*/); depth = RLENGTH / 3; node = substr($0, RLENGTH + 1); sub(/^\(/, "", node); split(node, f, ":")
	ga = f[1] ":" f[2]; parent[depth] = ga
	if (depth == 1 && f[1] == "org.apache.spark") want[ga] = 1
	if (depth > 1) child[parent[depth - 1]] = child[parent[depth - 1]] " " ga
}
END {
	n = 0; for (g in want) queue[n++] = g
	for (i = 0; i < n; i++) { k = split(child[queue[i]], c, " "); for (j = 1; j <= k; j++) if (!(c[j] in want)) { want[c[j]] = 1; queue[n++] = c[j] } }
	for (g in want) print g
}'
# awk: of the jar paths of a Maven repository (stdin), those whose groupId:artifactId is in the first file, as "g:a<TAB>path"
jars_of='FNR == NR { want[$0] = 1; next }
{ k = split($0, p, "/"); g = ""; for (i = k - 3; i >= 1; i--) { g = p[i] (g == "" ? "" : "." g); if ((g ":" p[k - 2]) in want) { print g ":" p[k - 2] "\t" $0; next } } }'

# every groupId:artifactId of spark-deps has a jar in the Spark home and every jar is there (no dangling link)
check_home() {
	local missing
	missing=$( { find -L "$1/jars" -type l -printf '%f (dangling link)\n'
		comm -23 "$1/spark-deps" <(for j in "$1"/jars/*.jar; do readlink -f "$j"; done | awk "$jars_of" "$1/spark-deps" - | cut -f1 | sort -u); } )
	if [ -n "$missing" ]; then
		echo "cluster.sh: the Spark home $1 lacks jars Spark depends on: $(echo "$missing" | tr '\n' ' ')" >&2
		return 1
	fi
	echo "Spark home $1: $(ls "$1/jars" | wc -l) jars, every one of the $(wc -l <"$1/spark-deps") artifacts the build's Spark depends on"
}

alive() { [ -s "$1" ] && kill -0 "$(cat "$1")" 2>/dev/null; }

master_url() { echo "spark://127.0.0.1:${SPARK_MASTER_PORT:-7077}"; }

case "$cmd" in
start)
	d=$(cluster_dir "${1:-}")
	h=$(spark_home)
	opts=$(cat "$h/jvm-options")
	mkdir -p "$d/logs"
	export SPARK_HOME=$h SPARK_SCALA_VERSION=2.13 SPARK_LOCAL_IP=127.0.0.1
	url=$(master_url)
	if alive "$d/master.pid"; then echo "master already running (pid $(cat "$d/master.pid"))"; else
		# shellcheck disable=SC2086
		nohup java -Xmx512m $opts -cp "$h/jars/*" org.apache.spark.deploy.master.Master --host 127.0.0.1 --port "${SPARK_MASTER_PORT:-7077}" \
			--webui-port "${SPARK_MASTER_WEBUI_PORT:-8080}" >"$d/logs/master.log" 2>&1 &
		echo $! >"$d/master.pid"
	fi
	for _ in $(seq 1 240); do grep -q "I have been elected leader" "$d/logs/master.log" 2>/dev/null && break; sleep 0.5; done
	grep -q "I have been elected leader" "$d/logs/master.log" || { echo "cluster.sh: the master did not start, see $d/logs/master.log" >&2; exit 1; }
	echo "$url" >"$d/master-url"
	for n in $(seq 1 "${SPARK_WORKERS:-2}"); do
		if alive "$d/worker-$n.pid"; then echo "worker $n already running (pid $(cat "$d/worker-$n.pid"))"; continue; fi
		mkdir -p "$d/worker-$n"
		# shellcheck disable=SC2086
		nohup java -Xmx256m $opts -cp "$h/jars/*" org.apache.spark.deploy.worker.Worker --host 127.0.0.1 --cores "${SPARK_WORKER_CORES:-1}" \
			--memory "${SPARK_WORKER_MEMORY:-1g}" --work-dir "$d/worker-$n" --webui-port $((${SPARK_WORKER_WEBUI_PORT:-8081} + n - 1)) \
			"$url" >"$d/logs/worker-$n.log" 2>&1 &
		echo $! >"$d/worker-$n.pid"
	done
	for n in $(seq 1 "${SPARK_WORKERS:-2}"); do
		for _ in $(seq 1 240); do grep -q "Successfully registered with master" "$d/logs/worker-$n.log" 2>/dev/null && break; sleep 0.5; done
		grep -q "Successfully registered with master" "$d/logs/worker-$n.log" \
			|| { echo "cluster.sh: worker $n did not register, see $d/logs/worker-$n.log" >&2; exit 1; }
	done
	echo "master $url (web UI http://127.0.0.1:${SPARK_MASTER_WEBUI_PORT:-8080}), ${SPARK_WORKERS:-2} workers; logs in $d/logs, executor logs in $d/worker-*/"
	;;
check)
	h=$(spark_home)
	check_home "$h"
	;;
status)
	d=$(cluster_dir "${1:-}")
	up=0
	for p in "$d"/master.pid "$d"/worker-*.pid; do
		[ -e "$p" ] || continue
		if alive "$p"; then echo "$(basename "$p" .pid): running (pid $(cat "$p"))"; up=$((up + 1)); else echo "$(basename "$p" .pid): stopped"; fi
	done
	[ -s "$d/master-url" ] && echo "master URL: $(cat "$d/master-url")"
	[ "$up" -gt 0 ]
	;;
stop)
	d=$(cluster_dir "${1:-}")
	for p in "$d"/worker-*.pid "$d"/master.pid; do
		[ -e "$p" ] || continue
		if alive "$p"; then
			pid=$(cat "$p")
			kill "$pid"
			for _ in $(seq 1 40); do kill -0 "$pid" 2>/dev/null || break; sleep 0.25; done
			kill -0 "$pid" 2>/dev/null && kill -9 "$pid"
			echo "stopped $(basename "$p" .pid) (pid $pid)"
		fi
		rm -f "$p"
	done
	;;
submit)
	conf=()
	while [ $# -gt 1 ] && [ "$1" = --conf ]; do conf+=(--conf "$2"); shift 2; done
	[ $# -ge 1 ] || { echo "usage: cluster.sh submit [--conf k=v ...] CLASS [job options]" >&2; exit 1; }
	class=$1; shift
	d=$(cluster_dir "")
	master=${SPARK_MASTER:-$( [ -s "$d/master-url" ] && cat "$d/master-url" || master_url)}
	plugin=$(ls "$root"/target/progression-probe-*.jar 2>/dev/null | grep -v -E -- '-(sources|tests|javadoc)\.jar$' | head -1 || true)
	app=$(ls "$root"/target/spark/progression-probe-*-spark.jar 2>/dev/null | head -1 || true)
	[ -n "$plugin" ] && [ -n "$app" ] && [ -d "$root/target/lib" ] \
		|| { echo "cluster.sh: build the jars first (mvn -B package -DskipTests): no target/spark/*-spark.jar, plugin jar or target/lib" >&2; exit 1; }
	jars="$(ls "$root/target/lib" | grep -E '\.jar$' | grep -v -E -- "${SPARK_JARS_EXCLUDE:-^$}" | sed "s|^|$root/target/lib/|" | tr '\n' ,)$plugin"
	case "$master" in *127.0.0.1*|local*) export SPARK_LOCAL_IP=127.0.0.1 ;; esac
	if command -v spark-submit >/dev/null 2>&1 && [ -n "${SPARK_HOME:-}" ]; then
		exec spark-submit --master "$master" "${conf[@]}" --class "$class" --jars "$jars" "$app" "$@"
	fi
	h=$(spark_home)
	# shellcheck disable=SC2046
	exec java -Xmx"${SPARK_DRIVER_MEMORY:-1g}" $(cat "$h/jvm-options") -cp "$h/jars/*" org.apache.spark.deploy.SparkSubmit --master "$master" \
		"${conf[@]}" --class "$class" --jars "$jars" "$app" "$@"
	;;
*)
	sed -n '2,22p' "$0" | sed 's/^# \{0,1\}//'
	exit 1
	;;
esac
