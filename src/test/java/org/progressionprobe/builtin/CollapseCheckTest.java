package org.progressionprobe.builtin;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

/**
 * A collapsed network is told from a live one: a head that puts out one value per channel at every
 * voxel (what a dead last layer leaves, the biases) counts as collapsed; one voxel that differs in
 * one channel, even slightly, does not.
 */
class CollapseCheckTest {

	@Test
	void aHeadWithOneValuePerChannelIsCollapsed() {
		final int channels = 4, voxels = 1000;
		final float[] head = new float[channels * voxels];
		for (int i = 0; i < voxels; i++)
			for (int c = 0; c < channels; c++)
				head[i * channels + c] = 0.3f * c - 0.5f;
		assertTrue(NetworkTrainer.constantPerChannel(head, channels));
		head[517 * channels + 3] += 1e-3f;
		assertFalse(NetworkTrainer.constantPerChannel(head, channels), "one voxel of the last channel differs");
		head[517 * channels + 3] -= 1e-3f;
		head[2 * channels] = 20f;
		assertFalse(NetworkTrainer.constantPerChannel(head, channels), "one voxel of the first channel differs");
	}
}
