package org.layerlens.engine.image;

/** Loads OpenCV's native library (openpnp's bundled build) once per process. */
public final class OpenCv {
    private static boolean loaded;

    private OpenCv() {
    }

    public static synchronized void load() {
        if (!loaded) {
            nu.pattern.OpenCV.loadLocally();
            loaded = true;
        }
    }
}
