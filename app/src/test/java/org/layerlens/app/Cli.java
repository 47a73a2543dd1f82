package org.layerlens.app;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;

/** The app's Main run in this process, as the command line runs it, with what it printed. */
final class Cli {
    /** Main's exit code and what it wrote to standard output and standard error. */
    record Result(int code, String out, String err) {
    }

    private Cli() {
    }

    /** Runs Main with {@code args}, its output and error captured (UTF-8). */
    static Result run(String... args) {
        ByteArrayOutputStream o = new ByteArrayOutputStream();
        ByteArrayOutputStream e = new ByteArrayOutputStream();
        int code = Main.run(args, new PrintStream(o, true, StandardCharsets.UTF_8),
                new PrintStream(e, true, StandardCharsets.UTF_8));
        return new Result(code, o.toString(StandardCharsets.UTF_8), e.toString(StandardCharsets.UTF_8));
    }
}
