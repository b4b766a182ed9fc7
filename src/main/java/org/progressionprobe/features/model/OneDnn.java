package org.progressionprobe.features.model;

import com.sun.jna.Function;
import com.sun.jna.NativeLibrary;
import com.sun.jna.Platform;

/**
 * Switches TensorFlow's oneDNN kernels on. TensorFlow 2.18 on x86 Linux enables them by default
 * only on CPUs with AVX-512 neural-network instructions (VNNI, BF16, AMX); on AVX2 CPUs, such as
 * most AMD servers, it falls back to its Eigen kernels, which train the built-in 3D networks about
 * three times slower (0.38 against 0.12 s a step here). TensorFlow reads
 * {@value #VARIABLE} from the process environment once, so it is set with the C library's
 * {@code setenv} before TensorFlow loads. A value the user set is kept, so
 * {@code TF_ENABLE_ONEDNN_OPTS=0} still selects the Eigen kernels. On Windows, where the C runtime
 * keeps environments of its own, nothing is set.
 */
final class OneDnn {

	/** The environment variable TensorFlow reads. */
	static final String VARIABLE = "TF_ENABLE_ONEDNN_OPTS";

	private OneDnn() {}

	/**
	 * Sets {@value #VARIABLE}=1 in the native environment unless the user set it. Where that fails,
	 * TensorFlow keeps its own choice, which only costs speed ({@link #value()} tells).
	 */
	static void enableUnlessSet() {
		if (System.getenv(VARIABLE) != null || Platform.isWindows())
			return;
		try {
			libc("setenv").invokeInt(new Object[] { VARIABLE, "1", 0 });
		} catch (final UnsatisfiedLinkError | RuntimeException e) {
			// TensorFlow keeps its own kernel choice: slower on CPUs without AVX-512
		}
	}

	/** The value TensorFlow will see (from the native environment), or null if unset. */
	static String value() {
		if (Platform.isWindows())
			return System.getenv(VARIABLE);
		try {
			return (String) libc("getenv").invoke(String.class, new Object[] { VARIABLE });
		} catch (final UnsatisfiedLinkError | RuntimeException e) {
			return System.getenv(VARIABLE);
		}
	}

	private static Function libc(final String name) {
		return NativeLibrary.getInstance(Platform.C_LIBRARY_NAME).getFunction(name);
	}
}
