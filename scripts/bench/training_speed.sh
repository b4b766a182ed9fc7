#!/usr/bin/env bash
# Train Built-in Network with TensorFlow's oneDNN kernels (the plugin's default) against
# TensorFlow's own default on this CPU (TF_ENABLE_ONEDNN_OPTS=0: Eigen kernels, which TensorFlow
# picks on CPUs without AVX-512 neural-network instructions). Same short run twice; prints the
# seconds a training step took in each and the ratio.
# Usage: scripts/bench/training_speed.sh [network=registration|unet] [steps=600]
set -euo pipefail
cd "$(dirname "$0")/../.."
network=${1:-registration}
steps=${2:-600}
out=$(mktemp -d)
trap 'rm -rf "$out"' EXIT
bin/progression-probe --help >/dev/null
export PROGRESSION_PROBE_NO_BUILD=1
stamp() { # prints "epoch_seconds step" for each progress report of a run read from stdin
  while IFS= read -r line; do
    case "$line" in *"Train "*"/$steps") echo "$(date +%s.%N) ${line##*: }";; esac
  done
}
measure() { # $1: label, $2: TF_ENABLE_ONEDNN_OPTS or empty
  if [ -n "$2" ]; then export TF_ENABLE_ONEDNN_OPTS=$2; else unset TF_ENABLE_ONEDNN_OPTS; fi
  bin/progression-probe --run "Train Built-in Network" \
    "network=\"$network\",output=\"$out/$1.zip\",steps=$steps,batch=1,subjects=6,held_out=2,learning_rate=0.001" 2>&1 \
    | stamp | awk '{split($2, s, "/"); if (NR == 1) {t0 = $1; n0 = s[1]} t1 = $1; n1 = s[1]}
        END {if (n1 <= n0) exit 1; printf "%.4f\n", (t1 - t0) / (n1 - n0)}'
}
onednn=$(measure onednn "")
eigen=$(measure eigen 0)
echo "Train Built-in Network ($network, $steps steps): oneDNN ${onednn} s/step, TensorFlow's default (Eigen) ${eigen} s/step"
awk -v a="$onednn" -v b="$eigen" 'BEGIN {printf "ratio (oneDNN / Eigen): %.2f\n", a / b}'
