package org.layerlens.viewer;

import java.util.prefs.BackingStoreException;
import java.util.prefs.Preferences;

import org.layerlens.engine.api.EngineThreads;

/**
 * The window's settings, kept in the user's preferences: the engine's thread count (each op's
 * threads in a pass; the number of images dataset statistics run at once). Applied when the
 * window starts (unless {@code --threads} was given) and whenever it is changed.
 */
public final class Settings {
    static final String THREADS = "threads";
    private final Preferences prefs;

    public Settings(Preferences prefs) {
        this.prefs = prefs;
    }

    /**
     * The settings of this user: the preferences node {@code org/layerlens}, or the one the system
     * property {@code layerlens.prefs} names (tests keep theirs apart).
     */
    public static Settings shared() {
        return new Settings(Preferences.userRoot().node(System.getProperty("layerlens.prefs", "org/layerlens")));
    }

    /** The stored thread count, or 0 when the user never chose one (the engine's default holds). */
    public int storedThreads() {
        int n = prefs.getInt(THREADS, 0);
        return n >= 1 && n <= EngineThreads.MAX ? n : 0;
    }

    /** The thread count in effect: the engine's. */
    public int threads() {
        return EngineThreads.get();
    }

    /** Stores {@code n} and hands it to the engine; {@link IllegalArgumentException} outside 1..{@link #maxThreads()}. */
    public void setThreads(int n) {
        if (n < 1 || n > maxThreads()) {
            throw new IllegalArgumentException("threads must be between 1 and " + maxThreads() + ", not " + n);
        }
        EngineThreads.set(n);
        prefs.putInt(THREADS, n);
        try {
            prefs.flush();
        } catch (BackingStoreException e) {
            // kept in memory for this session; the JVM retries writing preferences at exit
        }
    }

    /** Forgets the choice and goes back to the engine's default (physical cores). */
    public void reset() {
        prefs.remove(THREADS);
        EngineThreads.set(EngineThreads.defaultCount());
    }

    /** Applies the stored thread count, if there is one (the window's start). */
    public void applyStored() {
        int n = storedThreads();
        if (n > 0) {
            EngineThreads.set(Math.min(n, maxThreads()));
        }
    }

    /** The most threads offered: the logical processors (at least the default). */
    public static int maxThreads() {
        return Math.max(EngineThreads.processors(), EngineThreads.defaultCount());
    }

    /** The default: physical cores. */
    public static int defaultThreads() {
        return EngineThreads.defaultCount();
    }
}
