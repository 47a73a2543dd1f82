package org.layerlens.engine.io;

import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import java.util.Set;

/**
 * One file format LayerLens reads: whether a file looks like it (from its first bytes, without
 * consuming anything), the extensions its files carry, and reading it into a neutral form: a
 * state_dict named as the module tree names its parameters, plus what the reader noted. The
 * registry ({@link ModelFormats}) is what the CLI, the window's file dialogs and drag and drop use.
 */
public interface ModelFormat {
    /** What a format's reader produced. */
    record Opened(StateDict stateDict, String architecture, Set<String> notComparable, List<String> notes) {
        /**
         * @param architecture  the architecture the reader mapped onto, or null to recognise it from the keys
         * @param notComparable module paths whose output in this file differs in meaning from the same
         *                      module elsewhere (a convolution whose batch norm an export folded in)
         */
        public Opened {
            notComparable = Set.copyOf(notComparable);
            notes = List.copyOf(notes);
        }
    }

    /** A name for messages and file dialogs ("PyTorch checkpoint"). */
    String name();

    /** File name patterns for dialogs and folder scans ({@code *.pth}). */
    List<String> patterns();

    /** Whether the file looks like this format, judged from its first bytes and its name. */
    boolean probe(Path file, byte[] head);

    Opened open(Path file) throws IOException;
}
