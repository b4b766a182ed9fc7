/**
 * Linear probes: train, validate, save and apply a z-scored, class-weighted L2 logistic regression
 * (Tribuo LibLinear) on a feature table, with stratified cross-validation grouped by subject.
 * <p>
 * Entry points: {@link org.progressionprobe.probe.ProbeData} (a validated feature table),
 * {@link org.progressionprobe.probe.ProbeTrainer} ({@code crossValidate}, {@code chooseC},
 * {@code fit}, {@code train}), {@link org.progressionprobe.probe.TrainedProbe} ({@code save},
 * {@code load}, {@code predict}, {@code weights}), {@link org.progressionprobe.probe.Evaluation}
 * (metrics with subject-bootstrap intervals), {@link org.progressionprobe.probe.ProbeReport} (the
 * output folder of Train Probe). Commands: Train Probe, Apply Probe, Evaluate Predictions.
 * <p>
 * Feature columns pooled over atlas regions or grid cells are mapped back onto them by name; the
 * naming convention is described in {@link org.progressionprobe.probe.RegionColumn}.
 */
package org.progressionprobe.probe;
