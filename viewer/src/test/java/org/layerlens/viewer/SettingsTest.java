package org.layerlens.viewer;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.prefs.Preferences;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.layerlens.engine.api.EngineThreads;

/** The threads setting: kept in the preferences, handed to the engine when set and when the window starts. */
class SettingsTest {
    private Preferences node;
    private int before;

    @BeforeEach
    void node() {
        node = Preferences.userRoot().node("org/layerlens/test-settings-" + ProcessHandle.current().pid());
        before = EngineThreads.get();
    }

    @AfterEach
    void clean() throws Exception {
        node.removeNode();
        EngineThreads.set(before);
    }

    @Test
    void aChoiceIsKeptAndReachesTheEngine() {
        Settings s = new Settings(node);
        assertEquals(0, s.storedThreads(), "nothing chosen yet");
        s.setThreads(1);
        assertEquals(1, EngineThreads.get());
        assertEquals(1, new Settings(node).storedThreads(), "kept for the next start");
        EngineThreads.set(Settings.maxThreads()); // another start, with the engine's default
        new Settings(node).applyStored();
        assertEquals(1, EngineThreads.get());
        assertThrows(IllegalArgumentException.class, () -> s.setThreads(0));
        assertThrows(IllegalArgumentException.class, () -> s.setThreads(Settings.maxThreads() + 1));
        assertEquals(1, s.storedThreads(), "a refused value changes nothing");
        s.reset();
        assertEquals(0, s.storedThreads());
        assertEquals(Settings.defaultThreads(), EngineThreads.get());
    }

    @Test
    void aStoredCountBeyondThisMachineIsCappedAndJunkIsIgnored() {
        node.putInt(Settings.THREADS, 9999);
        EngineThreads.set(1);
        new Settings(node).applyStored();
        assertEquals(1, EngineThreads.get(), "out of the engine's range: ignored");
        node.putInt(Settings.THREADS, Settings.maxThreads() + 1);
        new Settings(node).applyStored();
        assertEquals(Settings.maxThreads(), EngineThreads.get());
    }
}
