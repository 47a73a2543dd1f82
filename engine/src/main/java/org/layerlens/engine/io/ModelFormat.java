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
    /**
     * What a format's reader produced: either a state_dict for a known architecture's tree, or
     * (formats that carry their whole graph, such as TFLite) a tree it built itself.
     *
     * @param architecture  the architecture the reader mapped onto, or null to recognise it from the keys
     * @param notComparable module paths whose output in this file differs in meaning from the same
     *                      module elsewhere (a convolution whose batch norm an export folded in)
     * @param built         a tree with weights the reader built (then {@code stateDict} is null)
     */
    record Opened(StateDict stateDict, String architecture, Set<String> notComparable, List<String> notes,
                  Built built) {
        public Opened {
            notComparable = Set.copyOf(notComparable);
            notes = List.copyOf(notes);
        }

        public Opened(StateDict stateDict, String architecture, Set<String> notComparable, List<String> notes) {
            this(stateDict, architecture, notComparable, notes, null);
        }
    }

    /** A tree with its weights, built by a reader, with the spec that runs it and its labels (may be empty). */
    record Built(org.layerlens.engine.arch.ArchitectureSpec spec, org.layerlens.engine.nn.Detector tree, int classes,
                 List<String> labels) {
    }

    /** A name for messages and file dialogs ("PyTorch checkpoint"). */
    String name();

    /** File name patterns for dialogs and folder scans ({@code *.pth}). */
    List<String> patterns();

    /** Whether the file looks like this format, judged from its first bytes and its name. */
    boolean probe(Path file, byte[] head);

    Opened open(Path file) throws IOException;
}
