package org.layerlens.engine.exec;

import java.util.Collections;
import java.util.IdentityHashMap;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;

import org.layerlens.engine.nn.BatchNorm2d;
import org.layerlens.engine.nn.Conv2d;
import org.layerlens.engine.nn.Module;
import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * One pass through a module tree. Two speeds over the same tree:
 * <ul>
 * <li>{@link Mode#INSPECT}: every module runs on its own and every output is kept and reported
 * to the observer;</li>
 * <li>{@link Mode#FAST}: batch norm is folded into the convolution before it, ReLU6 and residual
 * adds work in place, and every intermediate array is closed as soon as it is consumed; no
 * per-module events.</li>
 * </ul>
 * Outputs of "tap" paths (where the SSD heads read the network) are kept in both modes.
 */
public final class Execution {
    public enum Mode { INSPECT, FAST }

    private final Mode mode;
    private final ModuleObserver observer;
    private final Set<String> tapPaths;
    private final Map<String, INDArray> taps = new LinkedHashMap<>();
    private final Set<INDArray> protectedArrays = Collections.newSetFromMap(new IdentityHashMap<>());
    private volatile boolean cancelled;

    public Execution(Mode mode, ModuleObserver observer, Set<String> tapPaths) {
        this.mode = mode;
        this.observer = mode == Mode.INSPECT ? observer : null;
        this.tapPaths = tapPaths;
    }

    public boolean fast() {
        return mode == Mode.FAST;
    }

    public Mode mode() {
        return mode;
    }

    /** Asks the run to stop at the next module boundary with {@link CancelledException}. */
    public void cancel() {
        cancelled = true;
    }

    public boolean cancelled() {
        return cancelled;
    }

    /** Marks an array that no module may overwrite or close (the network input). */
    public void protect(INDArray a) {
        protectedArrays.add(a);
    }

    /** Runs one module, reporting it. */
    public INDArray call(Module m, INDArray x) {
        if (cancelled) {
            throw new CancelledException();
        }
        long t0 = System.nanoTime();
        INDArray y = m.forward(x, this);
        long dt = System.nanoTime() - t0;
        finish(m, x, y, dt);
        return y;
    }

    /** Fast mode: a convolution and the batch norm after it as one folded convolution. */
    public INDArray callFolded(Conv2d conv, BatchNorm2d bn, INDArray x) {
        if (cancelled) {
            throw new CancelledException();
        }
        INDArray y = conv.forwardFolded(x, bn);
        finish(bn, x, y, 0);
        return y;
    }

    private void finish(Module m, INDArray x, INDArray y, long nanos) {
        if (tapPaths.contains(m.path())) {
            taps.put(m.path(), y);
            protectedArrays.add(y);
        }
        if (observer != null) {
            observer.onModule(new ModuleEvent(m, x.shape(), y.shape(), y, nanos));
        }
    }

    /** Whether {@code a} is a temporary that may be changed in place. */
    public boolean mayOverwrite(INDArray a) {
        return mode == Mode.FAST && !protectedArrays.contains(a);
    }

    /** Closes a consumed temporary in fast mode; keeps everything in inspect mode. */
    public void release(INDArray a) {
        if (mode == Mode.FAST && !protectedArrays.contains(a) && a.closeable()) {
            a.close();
        }
    }

    public INDArray tap(String path) {
        INDArray t = taps.get(path);
        if (t == null) {
            throw new IllegalStateException("no output was tapped at " + path);
        }
        return t;
    }

    /** Fast mode: closes the kept tap outputs once the heads have read them. */
    public void releaseTaps() {
        if (mode == Mode.FAST) {
            for (INDArray t : taps.values()) {
                protectedArrays.remove(t);
                Tensors.close(t);
            }
        }
        taps.clear();
    }
}
