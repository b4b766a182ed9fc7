/**
 * Statistics for comparing probes, plain and headless: DeLong's test for two correlated ROC curves,
 * the paired bootstrap over subjects, Holm's adjustment for several comparisons, percentiles and
 * correlations.
 */
package org.progressionprobe.stats;
