package org.layerlens.engine.io;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;

/**
 * Output files written whole or not at all: into a temporary file beside the target, then moved
 * over it in one step, so a failed or interrupted run never leaves half a file. A target that is
 * not a regular file (/dev/stdout, a pipe) is written into directly; a symbolic link's file is
 * replaced, the link kept. Used by the command line's outputs and the window's exports alike.
 */
public final class AtomicFiles {
    /** Writes the file's bytes through {@code writer}, given a temporary path with the target's extension. */
    public interface Writer {
        void write(Path temp) throws IOException;
    }

    private AtomicFiles() {
    }

    public static void writeString(Path target, String text) throws IOException {
        write(target, tmp -> Files.writeString(tmp, text, StandardCharsets.UTF_8));
    }

    public static void write(Path target, Writer writer) throws IOException {
        Path abs = target.toAbsolutePath();
        if (Files.exists(abs) && !Files.isRegularFile(abs)) {
            // a device, a pipe (/dev/stdout, /dev/null, a FIFO): written into, never replaced
            try {
                writer.write(abs);
            } catch (IOException e) {
                throw named(target, e);
            }
            return;
        }
        if (Files.isSymbolicLink(abs)) {
            abs = abs.toRealPath(); // the file the link names is replaced, not the link
        }
        Path dir = abs.getParent();
        if (dir != null && !Files.isDirectory(dir)) {
            throw new IOException(target + ": no such folder " + dir);
        }
        String name = abs.getFileName().toString();
        int dot = name.lastIndexOf('.');
        String ext = dot < 0 ? "" : name.substring(dot);
        // a name of our own rather than createTempFile, whose file is private (0600) and would stay so
        Path tmp = abs.resolveSibling("." + name + "-" + Long.toHexString(System.nanoTime()) + ".tmp" + ext);
        try {
            writer.write(tmp);
            try {
                Files.move(tmp, abs, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
            } catch (AtomicMoveNotSupportedException e) {
                Files.move(tmp, abs, StandardCopyOption.REPLACE_EXISTING);
            }
        } catch (java.nio.file.FileSystemException e) {
            // the user named the target, not our temporary file beside it
            throw new IOException(target + ": " + (e instanceof java.nio.file.AccessDeniedException
                    ? "permission denied" : e.getReason() != null ? e.getReason() : e.getClass().getSimpleName()), e);
        } catch (IOException e) {
            throw named(target, e);
        } finally {
            Files.deleteIfExists(tmp);
        }
    }

    /**
     * A write's failure with the target's name in front: the operating system's own ("No space
     * left on device", "Input/output error") names no file.
     */
    private static IOException named(Path target, IOException e) {
        String m = e.getMessage();
        if (m != null && m.startsWith(target + ":")) {
            return e;
        }
        return new IOException(target + ": " + (m == null ? e.getClass().getSimpleName() : m), e);
    }
}
