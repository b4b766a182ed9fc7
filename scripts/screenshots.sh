#!/usr/bin/env bash
# Screenshots of the suite as an ImageJ user sees it: the menu, every command's dialog (and its
# advanced settings) and the result windows of a small pipeline run from the menus, in plain ImageJ 1
# under Xvfb at 1366x768 (the dialogs are driven by the tests' DialogDriver, with the macro Recorder
# open). Also writes menu-small.png and dialog-small.png, the crops shown in the README.
#
#   scripts/screenshots.sh OUTPUT_DIR
#
# Needs xvfb-run and ImageMagick (apt-get install -y xvfb xauth imagemagick) and a build
# (mvn -B package -DskipTests; the script builds when target/imagej1-plugins is missing).
# MENU_CLICKS overrides the screen points clicked to open Plugins > Progression Probe > Alignment
# (they depend on ImageJ's fonts).
set -euo pipefail

if [ $# -ne 1 ]; then
	echo "usage: $0 OUTPUT_DIR" >&2
	exit 2
fi
root=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
for tool in xvfb-run import convert; do
	command -v "$tool" > /dev/null || { echo "$0: $tool not found (apt-get install -y xvfb xauth imagemagick)" >&2; exit 2; }
done
driver_class=target/test-classes/org/progressionprobe/ij1/DialogDriver.class
if [ ! -d "$root/target/imagej1-plugins" ] || [ ! -f "$root/$driver_class" ]; then
	(cd "$root" && mvn -B -q package -DskipTests)
fi
mkdir -p "$1"
out=$(cd "$1" && pwd)
work="$out/work"
rm -rf "$work"
mkdir -p "$work/imagej/plugins" "$work/driver/org/progressionprobe/ij1"
cp -r "$root/target/imagej1-plugins/." "$work/imagej/plugins/"
cp "$root/$driver_class" "$work/driver/org/progressionprobe/ij1/"
ij_jar=$(ls "$HOME"/.m2/repository/net/imagej/ij/*/ij-*.jar | grep -v sources | sort -V | tail -1)

sim="$work/sim"
step() { local IFS=$'\t'; echo "$*"; }
{
	step menu menu ${MENU_CLICKS:-321,12 350,156 560,156}
	# the dialogs, in menu order (Save Volume needs an open image)
	step run "Simulate Cohort" "output_dir=$sim" subjects=8 voxel_size_mm=4
	step run "Open Volume" "input=$sim/sub-001_baseline.nii.gz"
	step shot open-volume
	grep -o '"[^"]*", org.progressionprobe' "$root/target/classes/plugins.config" | cut -d'"' -f2 | while read -r title; do
		case "$title" in
			"Engine Info"|"Progression Probe Help") ;;
			*) step show "$title" "dialog-$(echo "$title" | tr 'A-Z ' 'a-z-')" ;;
		esac
	done
	step close
	# results of a small pipeline run from the menus
	step run "Align Pair" "fixed=$sim/sub-001_baseline.nii.gz" "moving=$sim/sub-001_followup.nii.gz" "output_dir=$work/align"
	step shot result-align-pair
	step close
	step run "Change Features" "baseline=$sim/sub-001_baseline.nii.gz" "followup=$work/align/aligned.nii.gz" \
		"output=$work/change-one.csv" "maps_dir=$work/maps"
	step shot result-change-features
	step close
	step run "Cohort Features" "cohort=$sim/cohort.csv" "output=$work/change.csv" alignment=pair
	step close
	step run "Train Probe" "features=$work/change.csv" "output_dir=$work/probe" folds=2 bootstrap=100
	step shot result-train-probe
	step close
	step run "Run Study" "cohort=$sim/cohort.csv" "output_dir=$work/study" alignments=none roi=off folds=2 bootstrap=100
	step shot result-run-study
	step close
	step run "Engine Info"
	step shot result-engine-info
} > "$work/script.txt"

xvfb-run -a -s "-screen 0 1366x768x24" java -Xmx3g -Dai.djl.offline=true -Dplugins.dir="$work/imagej" \
	-cp "$ij_jar:$work/driver" org.progressionprobe.ij1.DialogDriver "$work/script.txt" "$out" | tee "$work/driver.log"
grep -q "DRIVER DONE" "$work/driver.log"

# the README's two small pictures: the open menu, and the Run Study dialog
convert "$out/menu.png" -crop 800x330+0+0 +repage -colors 64 "$out/menu-small.png"
read -r _ _ x y w h < <(grep -P "^BOUNDS\tdialog-run-study\t" "$work/driver.log")
convert "$out/dialog-run-study.png" -crop "${w}x${h}+${x}+${y}" +repage -colors 64 "$out/dialog-small.png"
echo "screenshots: $out ($(ls "$out"/*.png | wc -l) files); recorded macro: $out/recorded.ijm"
