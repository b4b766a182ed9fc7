#!/usr/bin/env bash
# Headless batch run of the Progression Probe pipeline over a cohort, for a server or a cluster node:
# one command per step through the launcher (Fiji's --run syntax), a log per subject, a summary log,
# and a non-zero exit status if any subject failed (the other subjects still run).
#
#   scripts/examples/batch.sh COHORT_CSV OUTPUT_DIR
#
# Stages: check inputs (Volume Info) -> Align Pair -> Change Features -> Train Probe -> Apply Probe;
# a stage runs only if its command is installed (listed by `--help`), or if named in STAGES.
# Environment:
#   PROGRESSION_PROBE  the launcher (default: bin/progression-probe of this checkout). With Fiji:
#                      PROGRESSION_PROBE="/opt/Fiji.app/ImageJ-linux64 --headless" and set STAGES.
#   STAGES             stages to run, e.g. "Volume Info,Align Pair,Change Features,Train Probe,Apply Probe"
#   FOLDS              cross-validation folds for Train Probe (default 5)
# The cohort file has the columns subject, baseline, followup, label (any order); scan paths are
# relative to its folder; lines starting with '#' are comments.
set -euo pipefail

if [ $# -ne 2 ]; then
	echo "usage: $0 COHORT_CSV OUTPUT_DIR" >&2
	exit 2
fi
here=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
read -r -a pp <<< "${PROGRESSION_PROBE:-$here/../../bin/progression-probe}"
cohort=$1
out=$2
folds=${FOLDS:-5}
[ -f "$cohort" ] || { echo "$0: cohort file not found: $cohort" >&2; exit 2; }
cohort_dir=$(cd "$(dirname "$cohort")" && pwd)
mkdir -p "$out/logs"
out=$(cd "$out" && pwd)
batch_log="$out/logs/batch.log"

say() { printf '%s %s\n' "$(date -u +%Y-%m-%dT%H:%M:%SZ)" "$*" | tee -a "$batch_log" >&2; }

# the stages that are installed: from STAGES, else from the launcher's --help listing
if [ -n "${STAGES:-}" ]; then
	installed_commands=$(tr ',' '\n' <<< "$STAGES")
else
	installed_commands=$("${pp[@]}" --help | sed -n 's/^\([A-Z][A-Za-z ]*[a-z]\)\( - .*\)\{0,1\}$/\1/p')
fi
installed() { grep -qxF "$1" <<< "$installed_commands"; }

# run TITLE ARGUMENTS LOG: one command, its output appended to LOG; prints its outputs (name = value)
run() {
	local title=$1 args=$2 log=$3 status=0
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
output() { sed -n "s/^$1 = //p"; }   # the value of one 'name = value' output line
resolve() { case $1 in /*) printf '%s' "$1" ;; *) printf '%s/%s' "$cohort_dir" "$1" ;; esac; }

# columns by name
header=$(grep -v '^[[:space:]]*#' "$cohort" | grep -v '^[[:space:]]*$' | head -n 1 | tr -d '\r')
column() { tr ',' '\n' <<< "$header" | sed 's/^[[:space:]]*//;s/[[:space:]]*$//' | grep -nxF "$1" | cut -d: -f1; }
cs=$(column subject); cb=$(column baseline); cf=$(column followup); cl=$(column label || true)
[ -n "$cs" ] && [ -n "$cb" ] && [ -n "$cf" ] || { say "cohort $cohort: needs the columns subject, baseline, followup (header: $header)"; exit 2; }

say "cohort $cohort -> $out"
failed=()
table="$out/features.csv"
rm -f "$table"
while IFS= read -r line; do
	line=${line%$'\r'}
	case $line in '' | \#*) continue ;; esac
	[ "$line" = "$header" ] && continue
	IFS=',' read -r -a cells <<< "$line"
	subject=${cells[cs-1]}
	baseline=$(resolve "${cells[cb-1]}")
	followup=$(resolve "${cells[cf-1]}")
	label=${cl:+${cells[cl-1]:-}}
	log="$out/logs/$subject.log"
	: > "$log"
	say "$subject: start"
	ok=true
	run "Volume Info" "input=\"$baseline\"" "$log" > /dev/null && run "Volume Info" "input=\"$followup\"" "$log" > /dev/null || ok=false
	if $ok && installed "Align Pair"; then
		run "Align Pair" "fixed=\"$baseline\",moving=\"$followup\",output_dir=\"$out/aligned/$subject\",transform_type=\"affine\",metric=\"ncc\"" "$log" > /dev/null || ok=false
		followup="$out/aligned/$subject/aligned.nii.gz"
	fi
	if $ok && installed "Change Features"; then
		features="$out/features/$subject.csv"
		if run "Change Features" "baseline=\"$baseline\",followup=\"$followup\",output=\"$features\"" "$log" > /dev/null; then
			[ -f "$table" ] || printf 'subject,label,%s\n' "$(grep -v '^#' "$features" | sed -n 1p)" > "$table"
			printf '%s,%s,%s\n' "$subject" "$label" "$(grep -v '^#' "$features" | sed -n 2p)" >> "$table"
		else
			ok=false
		fi
	fi
	if $ok; then say "$subject: done"; else failed+=("$subject"); fi
done < "$cohort"

if [ -f "$table" ] && installed "Train Probe"; then
	probe=$(run "Train Probe" "features=\"$table\",output_dir=\"$out/probe\",folds=$folds" "$out/logs/train.log" | output probe) || failed+=("(training)")
	if [ -n "${probe:-}" ] && installed "Apply Probe"; then
		run "Apply Probe" "probe=\"$probe\",features=\"$table\",output=\"$out/predictions.csv\"" "$out/logs/apply.log" > /dev/null || failed+=("(apply)")
	fi
fi

if [ ${#failed[@]} -gt 0 ]; then
	say "finished with failures: ${failed[*]} (logs in $out/logs)"
	exit 1
fi
say "finished: $out"
