/**
 * Statistics for comparing probes, plain and headless: DeLong's test for two correlated ROC curves,
 * the paired bootstrap over subjects, and Holm's adjustment for several comparisons.
 */
package org.progressionprobe.stats;
