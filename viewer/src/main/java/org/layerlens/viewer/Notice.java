package org.layerlens.viewer;

/** A note or warning for the user (a model's loading notes, a shrunk photo, dropped video frames). */
public record Notice(Level level, String text) {
    public enum Level { INFO, WARNING }

    public static Notice info(String text) {
        return new Notice(Level.INFO, text);
    }

    public static Notice warning(String text) {
        return new Notice(Level.WARNING, text);
    }
}
