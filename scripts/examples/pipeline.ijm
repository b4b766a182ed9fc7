// Progression Probe pipeline as an ImageJ macro (Fiji, or plain ImageJ 1 with the -ij1 bridge).
//
// Stages: check inputs (Volume Info) -> Align Pair -> Change Features -> Train Probe -> Apply Probe.
// A stage runs only if its command is installed, so the macro works with any release of the suite.
// Every command is called by its menu title with snake_case keys, the same keys as Fiji's --run.
// Outputs come back through call("org.progressionprobe.ij1.MacroBridge.output", "<title>", "<key>").
// A failing command aborts the macro with a message naming the file and the problem.
//
// Fiji, headless:  ImageJ-linux64 --headless -batch pipeline.ijm "cohort=[/data/cohort.csv] output=[/data/out]"
// Plain ImageJ:    xvfb-run -a java -Dplugins.dir=DIR -jar ij.jar -batch pipeline.ijm "cohort=[/data/cohort.csv] output=[/data/out]"
// Interactively:   open it in the script editor (Plugins > Macros > Edit...) and set cohort/output below.

args = getArgument();
cohort = argument(args, "cohort", "");
out = argument(args, "output", "");
folds = argument(args, "folds", "5");
if (cohort == "" || out == "")
	exit("Usage: pipeline.ijm \"cohort=[/path/cohort.csv] output=[/path/out]\"");
makeDirectories(out);
List.setCommands;

// -- read the cohort: columns subject, baseline, followup, label (any order); paths relative to its folder
lines = split(File.openAsString(cohort), "\n");
header = "";
n = 0;
subjects = newArray(lines.length); baselines = newArray(lines.length); followups = newArray(lines.length); labels = newArray(lines.length);
for (i = 0; i < lines.length; i++) {
	line = String.trim(lines[i]);
	if (line == "" || startsWith(line, "#")) continue;
	cells = split(line, ",");
	if (header == "") { header = line; cs = column(cells, "subject"); cb = column(cells, "baseline"); cf = column(cells, "followup"); cl = column(cells, "label"); continue; }
	subjects[n] = String.trim(cells[cs]);
	baselines[n] = resolve(cohort, String.trim(cells[cb]));
	followups[n] = resolve(cohort, String.trim(cells[cf]));
	labels[n] = ""; if (cl >= 0 && cl < cells.length) labels[n] = String.trim(cells[cl]);
	n++;
}
print("cohort: " + n + " pairs from " + cohort);

// -- stage 1: check that every scan reads, and note its size
summary = "subject,baseline_size,followup_size\n";
for (i = 0; i < n; i++) {
	run("Volume Info", "input=[" + baselines[i] + "]");
	b = sizeLine(call("org.progressionprobe.ij1.MacroBridge.output", "Volume Info", "info"));
	run("Volume Info", "input=[" + followups[i] + "]");
	f = sizeLine(call("org.progressionprobe.ij1.MacroBridge.output", "Volume Info", "info"));
	summary = summary + subjects[i] + "," + b + "," + f + "\n";
}
File.saveString(summary, out + "/inputs.csv");
print("inputs checked: " + out + "/inputs.csv");

// -- stage 2 and 3: align each follow-up to its baseline, then compute change features
table = "";
for (i = 0; i < n; i++) {
	followup = followups[i];
	if (installed("Align Pair")) {
		run("Align Pair", "fixed=[" + baselines[i] + "] moving=[" + followups[i] + "] output_dir=[" + out + "/aligned/" + subjects[i] + "] transform_type=affine metric=ncc");
		followup = out + "/aligned/" + subjects[i] + "/aligned.nii.gz";
	}
	if (installed("Change Features")) {
		features = out + "/features/" + subjects[i] + ".csv";
		run("Change Features", "baseline=[" + baselines[i] + "] followup=[" + followup + "] output=[" + features + "]");
		rows = dataLines(File.openAsString(features));
		if (table == "") table = "subject,label," + rows[0] + "\n";
		table = table + subjects[i] + "," + labels[i] + "," + rows[1] + "\n";
	}
}
if (!installed("Align Pair")) print("skipped: Align Pair is not installed");
if (!installed("Change Features")) print("skipped: Change Features is not installed");

// -- stage 4 and 5: train a probe on the feature table, apply it
if (table != "") {
	File.saveString(table, out + "/features.csv");
	if (installed("Train Probe")) {
		run("Train Probe", "features=[" + out + "/features.csv] output_dir=[" + out + "/probe] folds=" + folds);
		probe = call("org.progressionprobe.ij1.MacroBridge.output", "Train Probe", "probe");
		if (installed("Apply Probe") && probe != "")
			run("Apply Probe", "probe=[" + probe + "] features=[" + out + "/features.csv] output=[" + out + "/predictions.csv]");
	} else
		print("skipped: Train Probe is not installed");
}
print("pipeline done: " + out);

// -- helpers
function installed(title) { command = List.get(title); if (command == "") return false; return true; }
function argument(args, key, fallback) {
	i = indexOf(" " + args, " " + key + "=");
	if (i < 0) return fallback;
	rest = substring(args, i + lengthOf(key) + 1);
	if (startsWith(rest, "[")) return substring(rest, 1, indexOf(rest, "]"));
	j = indexOf(rest, " ");
	if (j < 0) return rest;
	return substring(rest, 0, j);
}
function column(cells, name) {
	for (k = 0; k < cells.length; k++) if (String.trim(cells[k]) == name) return k;
	if (name == "label") return -1;
	exit("cohort file: missing column '" + name + "'");
}
function resolve(csv, path) {
	if (startsWith(path, "/") || matches(path, "^[A-Za-z]:.*")) return path;
	return File.getParent(csv) + File.separator + path;
}
function sizeLine(info) {
	rows = split(info, "\n");
	for (k = 0; k < rows.length; k++) if (startsWith(rows[k], "size: ")) return replace(substring(rows[k], 6), " x ", "x");
	return "";
}
function dataLines(text) {
	all = split(text, "\n"); keep = newArray(0);
	for (k = 0; k < all.length; k++) if (String.trim(all[k]) != "" && !startsWith(all[k], "#")) keep = Array.concat(keep, all[k]);
	return keep;
}
function makeDirectories(path) {
	if (File.isDirectory(path)) return;
	makeDirectories(File.getParent(path));
	File.makeDirectory(path);
}
