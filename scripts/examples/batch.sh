#!/usr/bin/env bash
# Headless batch run of the Progression Probe pipeline over a cohort, for a server or a cluster node,
# through the launcher (Fiji's --run syntax): check every scan, compute the cohort's feature table
# (resumable: run the script again after a kill or a failure and only missing rows are computed),
# train a probe with cross-validation, apply it. Logs go to OUTPUT_DIR/logs; the exit status is
# non-zero if any step or subject failed (the other subjects still run).
#
#   scripts/examples/batch.sh COHORT_CSV OUTPUT_DIR
#
# Environment:
#   PROGRESSION_PROBE  the launcher (default: bin/progression-probe of this checkout). With Fiji:
#                      PROGRESSION_PROBE="/opt/Fiji.app/ImageJ-linux64 --headless"
#   EXTRACTOR          change (default) or a model package (folder or .zip)
#   ALIGNMENT          none, pair (default) or atlas (atlas needs ATLAS, ATLAS_LABELS, ATLAS_NAMES)
#   FOLDS              cross-validation folds for Train Probe (default 5)
# The cohort file has the columns subject, baseline, followup, label; scan paths are relative to its folder.
set -euo pipefail

if [ $# -ne 2 ]; then
	echo "usage: $0 COHORT_CSV OUTPUT_DIR" >&2
	exit 2
fi
here=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
read -r -a pp <<< "${PROGRESSION_PROBE:-$here/../../bin/progression-probe}"
cohort=$1
out=$2
[ -f "$cohort" ] || { echo "$0: cohort file not found: $cohort" >&2; exit 2; }
cohort=$(cd "$(dirname "$cohort")" && pwd)/$(basename "$cohort")
mkdir -p "$out/logs"
out=$(cd "$out" && pwd)
batch_log="$out/logs/batch.log"

say() { printf '%s %s\n' "$(date -u +%Y-%m-%dT%H:%M:%SZ)" "$*" | tee -a "$batch_log" >&2; }

# run TITLE ARGUMENTS: one command; its outputs (name = value) on stdout, everything in the log
run() {
	local title=$1 args=$2 log="$out/logs/$(tr ' ' '_' <<< "$1").log" status=0
	printf '\n$ %s --run "%s" %q\n' "${pp[*]}" "$title" "$args" >> "$log"
	"${pp[@]}" --run "$title" "$args" > "$log.out" 2>> "$log" || status=$?
	cat "$log.out" >> "$log"
	if [ "$status" -ne 0 ]; then
		say "FAILED ($status): $title: $(tail -n 1 "$log")"
		rm -f "$log.out"
		return 1
	fi
	cat "$log.out"
	rm -f "$log.out"
}
output() { sed -n "s/^$1 = //p"; }

atlas_args=""
if [ -n "${ATLAS:-}" ]; then
	atlas_args=",atlas=\"$ATLAS\",atlas_labels=\"$ATLAS_LABELS\",atlas_names=\"$ATLAS_NAMES\""
fi
say "cohort $cohort -> $out"
status=0
if run "Cohort Features" "cohort=\"$cohort\",output=\"$out/features.csv\",extractor=\"${EXTRACTOR:-change}\",alignment=\"${ALIGNMENT:-pair}\"$atlas_args" > /dev/null; then
	say "features: $out/features.csv"
	probe=$(run "Train Probe" "features=\"$out/features.csv\",output_dir=\"$out/probe\",folds=${FOLDS:-5}" | output probe) || status=1
	if [ -n "${probe:-}" ]; then
		say "probe: $probe ($(grep '^auc' "$out/probe/metrics.csv" | head -n 1))"
		run "Apply Probe" "probe=\"$probe\",features=\"$out/features.csv\",output=\"$out/predictions.csv\"" > /dev/null || status=1
	fi
else
	status=1
	[ -f "$out/features.csv.errors.csv" ] && say "failed subjects: $(tail -n +2 "$out/features.csv.errors.csv" | cut -d, -f1 | tr '\n' ' ')"
fi
if [ "$status" -ne 0 ]; then
	say "finished with failures (logs in $out/logs)"
	exit 1
fi
say "finished: $out"
