package org.layerlens.engine.exec;

import com.sun.jna.Library;
import com.sun.jna.Native;
import com.sun.jna.Platform;

/**
 * Sets an environment variable of this process before a native library reads it. libnd4j's
 * OpenMP runtime (libgomp) reads its wait policy once, when it loads. Its default spins a
 * waiting thread for 300,000 rounds (libgomp reckons some 3 ms): on a machine busy with anything else
 * (a build, a browser, another model) that turned a 56 ms two-thread pass into 1.7 s (median,
 * measured side by side here). Never spinning (OMP_WAIT_POLICY=PASSIVE alone) made two threads
 * slower than one (36 ms against 25) on an idle machine, since the engine runs many short ops;
 * PASSIVE with GOMP_SPINCOUNT=30000 (a tenth of the default spin) gave 16 ms idle and 133 ms (median) with the two cores three
 * times oversubscribed. Java cannot set the variables itself, so the C library's setenv is
 * called through JNA (already a dependency of ND4J's). A variable the user set is left as it is.
 */
final class NativeEnvironment {
    private interface Posix extends Library {
        int setenv(String name, String value, int overwrite);
    }

    private interface Msvcrt extends Library {
        int _putenv_s(String name, String value);
    }

    private NativeEnvironment() {
    }

    /** Sets {@code name} unless it is set already; false when the platform's C library refused. */
    static boolean setIfAbsent(String name, String value) {
        if (System.getenv(name) != null) {
            return true;
        }
        try {
            if (Platform.isWindows()) {
                Msvcrt c = Native.loadLibrary("msvcrt", Msvcrt.class);
                return c._putenv_s(name, value) == 0;
            }
            Posix c = Native.loadLibrary("c", Posix.class);
            return c.setenv(name, value, 0) == 0;
        } catch (UnsatisfiedLinkError | RuntimeException e) {
            return false; // not fatal: ND4J then runs with OpenMP's default wait policy
        }
    }
}
