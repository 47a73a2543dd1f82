package org.layerlens.app.cli;

import java.util.Set;

/** One CLI command: its name, its usage line, the options it takes, and what it does. */
public interface Command {
    String name();

    /** One or two lines for the usage text ({@code detect --model M --image I ...}). */
    String usage();

    /** Options besides the global ones ({@code --verbose}, {@code --threads}). */
    Set<String> options();

    /** Those of {@link #options()} that may be given more than once (detect's --image); any other twice is refused. */
    default Set<String> repeatable() {
        return Set.of();
    }

    /** Runs; returns the exit status (0 done, 1 nothing could be done). */
    int run(Args a, Context c) throws Exception;
}
