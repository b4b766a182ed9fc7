package org.progressionprobe.launcher;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.concurrent.ExecutionException;

import org.junit.jupiter.api.Test;
import org.progressionprobe.command.CommandFailure;
import org.progressionprobe.command.ParameterError;

class CommandRunnerTest {

	@Test
	void anExceptionThatEscapedTheGuardIsNeverABareExceptionName() {
		final RuntimeException npe = CommandRunner.unwrap(new ExecutionException(new RuntimeException(new NullPointerException())));
		assertTrue(npe instanceof CommandFailure, npe.toString());
		assertTrue(npe.getMessage().startsWith("internal error (NullPointerException at CommandRunnerTest."), npe.getMessage());
		assertTrue(!npe.getMessage().contains("java.lang"), npe.getMessage());

		final RuntimeException index = CommandRunner.unwrap(new ExecutionException(new ArrayIndexOutOfBoundsException("Index 1024 out of bounds for length 1024")));
		assertTrue(index.getMessage().startsWith("internal error (ArrayIndexOutOfBoundsException: Index 1024 out of bounds for length 1024 at "), index.getMessage());

		final RuntimeException plain = CommandRunner.unwrap(new ExecutionException(new IllegalArgumentException("scan.nii.gz: not a volume")));
		assertEquals("scan.nii.gz: not a volume", plain.getMessage());
	}

	@Test
	void aCommandFailureOrParameterErrorInTheChainIsKept() {
		final CommandFailure failure = new CommandFailure("a.nii.gz: file not found");
		assertSame(failure, CommandRunner.unwrap(new ExecutionException(new RuntimeException(failure))));
		final ParameterError usage = new ParameterError("folds: 'abc' is not a whole number");
		assertSame(usage, CommandRunner.unwrap(new ExecutionException(usage)));
	}
}
