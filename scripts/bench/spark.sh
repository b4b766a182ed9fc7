#!/usr/bin/env bash
# Cohort Features on Spark local[2] vs the single-machine FeatureBatch on the same cohorts (phantoms, 2 mm brain pairs,
# a model package), the ratio of pairs per minute, the load, and an estimate of 10,000 pairs on N executors.
# Usage: scripts/bench/spark.sh [SHARED_DIR] [PHANTOMS=16] [BRAINS=6]   (default ../shared)
set -euo pipefail
cd "$(dirname "$0")/../.."
mvn -B -q test-compile
plain() { sed 's/\x1b\[[0-9;]*m//g'; }
cp=$(mvn -B -q dependency:build-classpath -Dmdep.includeScope=test -Dmdep.outputFile=/dev/stdout | plain)
opens=$(mvn -B -q help:evaluate -Dexpression=spark.jvm.options -DforceStdout | plain)
# shellcheck disable=SC2086
exec java -Xmx6g $opens -Dai.djl.offline=true -Dlog4j2.configurationFile=src/test/resources/log4j2-test.properties \
  -cp "target/classes:target/test-classes:$cp" org.progressionprobe.bench.SparkBench "$@"
