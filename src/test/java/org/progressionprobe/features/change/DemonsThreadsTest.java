package org.progressionprobe.features.change;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.concurrent.ForkJoinPool;

import org.junit.jupiter.api.Test;
import org.progressionprobe.command.Progress;
import org.progressionprobe.pipeline.FeatureBatch;
import org.progressionprobe.volume.AffineTransform3D;
import org.progressionprobe.volume.Volume;

/** The deformable registration gives the same bits on one worker as on three. */
class DemonsThreadsTest {

	private static DemonsRegistration.Result on(final int threads, final Volume fixed, final Volume moving) throws Exception {
		final ForkJoinPool pool = FeatureBatch.pool(threads);
		try {
			return pool.submit(() -> {
				assertEquals(threads, java.util.concurrent.ForkJoinTask.getPool().getParallelism(), "runs on the given pool");
				return new DemonsRegistration(DemonsRegistration.Settings.defaults(), Progress.NONE).register(fixed, moving);
			}).get();
		} finally {
			pool.shutdown();
		}
	}

	@Test
	void oneAndThreeThreadsGiveBitIdenticalFields() throws Exception {
		final SyntheticChange change = SyntheticChange.standard(0.8);
		final AffineTransform3D grid = SyntheticChange.grid(48, 1.5);
		final Volume fixed = change.baselineOn(48, grid), moving = change.followupOn(48, grid);
		final DemonsRegistration.Result one = on(1, fixed, moving), three = on(3, fixed, moving);
		assertTrue(one.finalMse() < 0.2 * one.initialMse(), "the registration did its work: " + one.finalMse() + " vs " + one.initialMse());
		assertEquals(one.finalMse(), three.finalMse(), 0.0);
		assertArrayEquals(one.forward().x().data(), three.forward().x().data());
		assertArrayEquals(one.forward().y().data(), three.forward().y().data());
		assertArrayEquals(one.forward().z().data(), three.forward().z().data());
		assertArrayEquals(one.inverse().z().data(), three.inverse().z().data());
	}
}
