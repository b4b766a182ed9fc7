package org.progressionprobe.features.model;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.FloatBuffer;

/** Inputs and helpers shared by the model-feature tests. */
final class TestNets {

	private TestNets() {}

	/** The reference input of ../shared/models: v[c,z,y,x] = sin(0.3x + 0.2y + 0.1z + c)*0.5 + 0.5, [1,C,d,d,d]. */
	static FloatBuffer referenceInput(final int channels, final int d) {
		final FloatBuffer b = ByteBuffer.allocateDirect(channels * d * d * d * 4).order(ByteOrder.nativeOrder()).asFloatBuffer();
		for (int c = 0; c < channels; c++)
			for (int z = 0; z < d; z++)
				for (int y = 0; y < d; y++)
					for (int x = 0; x < d; x++)
						b.put((float) (Math.sin(0.3 * x + 0.2 * y + 0.1 * z + c) * 0.5 + 0.5));
		return b.flip();
	}
}
