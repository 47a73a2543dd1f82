package org.layerlens.engine;

import java.nio.file.AccessDeniedException;
import java.nio.file.DirectoryNotEmptyException;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.FileSystemException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.NotDirectoryException;
import java.nio.file.Path;
import java.nio.file.Paths;

/**
 * What went wrong, as the one line a user reads. Most exceptions here carry such a line already
 * ("coffee.pth: not a PyTorch checkpoint ..."); java.nio's file-system exceptions do not: a
 * missing folder in {@code --json out/a.json} is a {@link NoSuchFileException} whose message is
 * the path alone, which told the user nothing.
 */
public final class Problems {
    private Problems() {
    }

    /** The throwable's message, or for a java.nio file-system exception the path and the problem; null when there is none. */
    public static String message(Throwable t) {
        if (t instanceof FileSystemException f && f.getReason() == null && f.getFile() != null) {
            return f.getFile() + (f.getOtherFile() == null ? "" : " -> " + f.getOtherFile()) + ": " + problem(f);
        }
        return t.getMessage();
    }

    private static String problem(FileSystemException f) {
        if (f instanceof NoSuchFileException) {
            Path parent = Paths.get(f.getFile()).toAbsolutePath().getParent();
            return parent != null && !Files.isDirectory(parent) ? "no such folder " + parent : "no such file";
        }
        if (f instanceof AccessDeniedException) {
            return "permission denied";
        }
        if (f instanceof FileAlreadyExistsException) {
            return "already exists";
        }
        if (f instanceof NotDirectoryException) {
            return "not a folder";
        }
        if (f instanceof DirectoryNotEmptyException) {
            return "the folder is not empty";
        }
        return f.getClass().getSimpleName().replaceAll("Exception$", "");
    }
}
