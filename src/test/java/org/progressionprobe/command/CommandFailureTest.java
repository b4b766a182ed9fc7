package org.progressionprobe.command;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.stream.IntStream;

import org.junit.jupiter.api.Test;

/** A command's failure message is never a bare exception name. */
class CommandFailureTest {

	@Test
	void aDefectInAParallelStreamIsAnInternalErrorWithItsTypeAndPlace() {
		final int[] small = new int[4];
		// a parallel stream rethrows an index error as a new exception without a message
		final CommandFailure f = assertThrows(CommandFailure.class,
				() -> CommandFailure.guard("Test", null, () -> IntStream.range(0, 64).parallel().forEach(i -> small[i]++)));
		assertTrue(f.getMessage().startsWith("internal error (ArrayIndexOutOfBoundsException: Index ")
				&& f.getMessage().contains(" out of bounds for length 4 at CommandFailureTest"), f.getMessage());
		final CommandFailure n = assertThrows(CommandFailure.class, () -> CommandFailure.guard("Test", null, () -> {
			throw new NullPointerException();
		}));
		assertTrue(n.getMessage().startsWith("internal error (NullPointerException at CommandFailureTest"), n.getMessage());
	}

	@Test
	void aBadInputMessageIsKeptAsItIsAlsoFromAParallelStream() {
		final CommandFailure f = assertThrows(CommandFailure.class, () -> CommandFailure.guard("Test", null,
				() -> IntStream.range(0, 64).parallel().forEach(i -> {
					throw new IllegalArgumentException("scan.nii.gz: the image is constant");
				})));
		assertEquals("scan.nii.gz: the image is constant", f.getMessage());
		assertEquals("a.txt: no such file",
				assertThrows(CommandFailure.class, () -> CommandFailure.guard("Test", null, () -> {
					throw new java.io.IOException("a.txt: no such file");
				})).getMessage());
	}
}
