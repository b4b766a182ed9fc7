#@ File (label = "Cohort file (subject, baseline, followup, label)", style = "open") cohort
#@ File (label = "Output folder", style = "directory") output
#@ Integer (label = "Cross-validation folds", value = 5, min = 2) folds
#@ CommandService command
#@ LogService log

// Progression Probe pipeline as a Fiji script (Groovy; open it in File > New > Script... and press Run).
// Stages: check inputs (Volume Info) -> Align Pair -> Change Features -> Train Probe -> Apply Probe.
// A stage runs only if its command is installed. Each command runs through SciJava's CommandService
// with its snake_case keys, the same keys as in macros and in the headless --run form. A failing
// command stops the script with its message (the file and the problem).

import org.progressionprobe.launcher.CommandRunner
import org.progressionprobe.table.Cohort

/** Runs a suite command by title; returns its outputs, or null if it is not installed. */
def runCommand(String title, Map inputs) {
	def info = command.getCommands().find { CommandRunner.isSuiteCommand(it) && it.title == title }
	if (info == null) {
		log.info("skipped: " + title + " is not installed")
		return null
	}
	def module = command.run(info, true, inputs).get()
	return module.outputs
}

def pairs = Cohort.read(cohort.toPath(), false).pairs()
output.mkdirs()
log.info("cohort: " + pairs.size() + " pairs from " + cohort)

// stage 1: every scan reads; note its size
def sizes = new StringBuilder("subject,baseline_size,followup_size\n")
for (pair in pairs) {
	def b = runCommand("Volume Info", [input: pair.baseline().toFile()]).info.readLines().find { it.startsWith("size: ") }
	def f = runCommand("Volume Info", [input: pair.followup().toFile()]).info.readLines().find { it.startsWith("size: ") }
	sizes << pair.subject() << "," << b.substring(6).replace(" x ", "x") << "," << f.substring(6).replace(" x ", "x") << "\n"
}
new File(output, "inputs.csv").text = sizes.toString()

// stages 2 and 3: align each follow-up to its baseline, then compute change features
def table = new StringBuilder()
for (pair in pairs) {
	def followup = pair.followup().toFile()
	def dir = new File(output, "aligned/" + pair.subject())
	if (runCommand("Align Pair", [fixed: pair.baseline().toFile(), moving: followup, output_dir: dir, transform_type: "affine", metric: "ncc"]) != null)
		followup = new File(dir, "aligned.nii.gz")
	def features = new File(output, "features/" + pair.subject() + ".csv")
	if (runCommand("Change Features", [baseline: pair.baseline().toFile(), followup: followup, output: features]) == null)
		break
	def rows = features.readLines().findAll { it.trim() && !it.startsWith("#") }
	if (table.length() == 0)
		table << "subject,label," << rows[0] << "\n"
	table << pair.subject() << "," << (pair.label() == null ? "" : pair.label()) << "," << rows[1] << "\n"
}

// stages 4 and 5: train a probe on the feature table, apply it
if (table.length() > 0) {
	def featureTable = new File(output, "features.csv")
	featureTable.text = table.toString()
	def trained = runCommand("Train Probe", [features: featureTable, output_dir: new File(output, "probe"), folds: folds])
	if (trained?.probe != null) // Train Probe outputs the probe file
		runCommand("Apply Probe", [probe: trained.probe, features: featureTable, output: new File(output, "predictions.csv")])
}
log.info("pipeline done: " + output)
