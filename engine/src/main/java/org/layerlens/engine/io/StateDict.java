package org.layerlens.engine.io;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** An ordered map of state_dict keys to tensors, with notes on how it was read. */
public final class StateDict {
    private final Path source;
    private final LinkedHashMap<String, TensorData> tensors;
    private final List<String> notes = new ArrayList<>();

    public StateDict(Path source, LinkedHashMap<String, TensorData> tensors) {
        this.source = source;
        this.tensors = tensors;
    }

    public Path source() {
        return source;
    }

    public Map<String, TensorData> tensors() {
        return Collections.unmodifiableMap(tensors);
    }

    public TensorData get(String key) {
        return tensors.get(key);
    }

    public void note(String s) {
        notes.add(s);
    }

    /** What the reader did on the way (unwrapping, prefixes removed, warnings). */
    public List<String> notes() {
        return Collections.unmodifiableList(notes);
    }
}
