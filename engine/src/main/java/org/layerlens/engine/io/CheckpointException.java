package org.layerlens.engine.io;

import java.io.IOException;
import java.nio.file.Path;

/** A checkpoint that cannot be read or does not fit the model; the message names the file. */
public class CheckpointException extends IOException {
    private final Path file;
    private final String problem;

    public CheckpointException(Path file, String problem) {
        super(file + ": " + problem);
        this.file = file;
        this.problem = problem;
    }

    public CheckpointException(Path file, String problem, Throwable cause) {
        super(file + ": " + problem, cause);
        this.file = file;
        this.problem = problem;
    }

    public Path file() {
        return file;
    }

    /** The message without the file name in front. */
    public String problem() {
        return problem;
    }
}
