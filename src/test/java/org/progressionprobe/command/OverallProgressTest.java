package org.progressionprobe.command;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.ArrayList;
import java.util.List;

import org.junit.jupiter.api.Test;

class OverallProgressTest {

	private static final long S = 1_000_000_000L;

	private final List<String> lines = new ArrayList<>();
	private final List<String> detail = new ArrayList<>();
	private long now = 1000 * S;

	private OverallProgress progress(final String task) {
		return new OverallProgress(task, null, lines::add, new Progress() {
			@Override
			public void report(final String step, final long done, final long total) {
				detail.add(step + " " + done + "/" + total);
			}

			@Override
			public boolean isCancelled() {
				return false;
			}
		}, () -> now);
	}

	@Test
	void aStudyReportsSettingSubjectFractionElapsedAndTimeLeftAtMostEveryFiveSeconds() {
		final OverallProgress p = progress("Run Study");
		p.stage("none_change", 0, 4);
		assertEquals(List.of("Run Study: setting 1/4 (none_change), 0% done, 0 s elapsed"), lines);
		// the first setting's table is reused: its 10 pairs are done at once, within the interval (no line)
		p.report(OverallProgress.SUBJECT_STEP, 10, 10);
		now += 2 * S;
		p.stage("pair_change", 1, 4);
		assertEquals(1, lines.size());
		now += 3 * S;
		p.report(OverallProgress.SUBJECT_STEP, 0, 10);
		// 10 of 40 pairs in 5 s: 15 s left
		assertEquals("Run Study: setting 2/4 (pair_change), subject 0/10, 25% done, 5 s elapsed, about 15 s left", lines.get(1));
		now += 4 * S;
		p.report(OverallProgress.SUBJECT_STEP, 5, 10);
		assertEquals(2, lines.size(), "not again within five seconds");
		now += 241 * S;
		p.report(OverallProgress.SUBJECT_STEP, 6, 10);
		// 16 of 40 pairs in 250 s: 625 s in all, 375 s (6 min 15 s) left
		assertEquals("Run Study: setting 2/4 (pair_change), subject 6/10, 40% done, 4 min 10 s elapsed, about 6 min left", lines.get(2));
		assertEquals(List.of(), detail);
	}

	@Test
	void innerStepsGoToTheDetailProgressOnly() {
		final OverallProgress p = progress("Cohort Features");
		p.report(OverallProgress.SUBJECT_STEP, 0, 48);
		p.report("Deformable registration", 96, 120);
		p.report("Registration: level 2", 3, 4);
		assertEquals(List.of("Deformable registration 96/120", "Registration: level 2 3/4"), detail);
		now += 3600 * S;
		p.report(OverallProgress.SUBJECT_STEP, 12, 48);
		assertEquals(List.of("Cohort Features: subject 0/48, 0% done, 0 s elapsed",
				"Cohort Features: subject 12/48, 25% done, 1 h 0 min 0 s elapsed, about 3 h 0 min left"), lines);
		now += 3 * 3600 * S;
		p.report(OverallProgress.SUBJECT_STEP, 48, 48);
		assertEquals("Cohort Features: subject 48/48, 100% done, 4 h 0 min 0 s elapsed", lines.get(2));
	}
}
