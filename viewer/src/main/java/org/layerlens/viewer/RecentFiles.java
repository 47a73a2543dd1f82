package org.layerlens.viewer;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.prefs.Preferences;

import javafx.collections.FXCollections;
import javafx.collections.ObservableList;

/**
 * Files opened lately (models, images, videos), newest first, at most {@link #MAX}; shared by
 * every window and kept in the user's preferences. Call on the JavaFX thread.
 */
public final class RecentFiles {
    static final int MAX = 8;
    private static RecentFiles shared;
    private final Preferences prefs;
    private final ObservableList<Path> files = FXCollections.observableArrayList();
    /** One read-only view, kept: a wrapper made per call would drop its listeners when collected. */
    private final ObservableList<Path> readOnly = FXCollections.unmodifiableObservableList(files);

    private RecentFiles(Preferences prefs) {
        this.prefs = prefs;
        if (prefs != null) {
            for (String s : prefs.get("recent", "").split("\n")) {
                if (!s.isBlank()) {
                    files.add(Path.of(s));
                }
            }
        }
    }

    /** The list kept in the user's preferences. */
    public static synchronized RecentFiles shared() {
        if (shared == null) {
            shared = new RecentFiles(Preferences.userRoot().node("org/layerlens"));
        }
        return shared;
    }

    /** A list that is not kept (tests). */
    public static RecentFiles inMemory() {
        return new RecentFiles(null);
    }

    public ObservableList<Path> files() {
        return readOnly;
    }

    public void remember(Path p) {
        Path abs = p.toAbsolutePath().normalize();
        List<Path> next = new ArrayList<>(files);
        next.remove(abs);
        next.add(0, abs);
        files.setAll(next.subList(0, Math.min(MAX, next.size())));
        if (prefs != null) {
            prefs.put("recent", String.join("\n", files.stream().map(Path::toString).toList()));
        }
    }
}
