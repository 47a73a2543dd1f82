package org.layerlens.engine.exec;

import java.lang.ref.Reference;
import java.util.ArrayList;
import java.util.List;

import org.nd4j.linalg.api.ops.CustomOp;
import org.nd4j.linalg.api.ops.Op;
import org.nd4j.linalg.api.ops.OpContext;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.nativeblas.NativeOps;
import org.nd4j.nativeblas.NativeOpsHolder;

/**
 * ND4J op objects built once, with their input and output arrays, and executed on every pass.
 * Building one costs far more than running a small one (a relu6 measured here: 10.5 µs built and
 * run, 0.87 µs run again; {@code addiRowVector} 11.9 µs), and a fast pass makes some 250 ND4J calls.
 */
final class Steps {
    /** A step that does nothing (an activation of NONE in place). */
    static final Runnable NOTHING = () -> { };

    private Steps() {
    }

    static Runnable exec(Op op) {
        return () -> Nd4j.exec(op);
    }

    /**
     * A custom op run through a context built once with its arrays and arguments: {@code Nd4j.exec}
     * builds and fills a fresh native context on every call, which measured here 10-40 µs per call
     * (a [1, 64] x [64, 24] matmul: 53 µs through {@code Nd4j.exec}, 12.6 µs through its own
     * context), more than a small op's work. The context goes to the native entry point itself:
     * the executioner's {@code exec(op, context)} around it only checks for closed arrays and a
     * profiler (neither applies: the arena owns the arrays for as long as its steps exist) and
     * copies the context's array lists twice a call, 90 of the 445 KB of Java garbage a fast
     * pass made (measured; no change in time). The context is freed by ND4J's deallocator once
     * it is unreachable (it is {@link org.nd4j.linalg.api.memory.Deallocatable}): the step keeps
     * it reachable until the native call has returned.
     */
    static Runnable exec(CustomOp op) {
        OpContext context = Nd4j.getExecutioner().buildContext();
        context.setInputArrays(op.inputArguments());
        context.setOutputArrays(op.outputArguments());
        context.setIArguments(op.iArgs());
        context.setTArguments(op.tArgs());
        context.setBArguments(op.bArgs());
        context.setDArguments(op.dArgs());
        NativeOps ops = NativeOpsHolder.getInstance().getDeviceNativeOps();
        long hash = op.opHash();
        return () -> {
            try {
                int status = ops.execCustomOp2(null, hash, context.contextPointer());
                if (status != 0) {
                    throw new IllegalStateException("ND4J op " + op.opName() + " failed (status " + status + "): "
                            + ops.lastErrorMessage());
                }
            } finally {
                // the context must outlive the native call: a step run once and dropped (a value
                // computed again on reading) would otherwise leave it unreachable during the call,
                // free for ND4J's deallocator to delete under the running op
                Reference.reachabilityFence(context);
            }
        };
    }

    /**
     * A step run with the calling thread's OpenMP team limited to one thread, then set back to
     * the engine's count. The limit is the calling thread's own (OpenMP's nthreads-var belongs to
     * a thread), so passes running at the same time on other threads keep theirs.
     */
    static Runnable onOneThread(Runnable step) {
        if (step == NOTHING) {
            return step;
        }
        NativeOps ops = NativeOpsHolder.getInstance().getDeviceNativeOps();
        return () -> {
            ops.setOmpNumThreads(1);
            try {
                step.run();
            } finally {
                Nd4jRuntime.applyToCallingThread();
            }
        };
    }

    /** The given steps in order, nulls and {@link #NOTHING} left out. */
    static Runnable seq(Runnable... steps) {
        List<Runnable> l = new ArrayList<>(steps.length);
        for (Runnable s : steps) {
            if (s != null && s != NOTHING) {
                l.add(s);
            }
        }
        if (l.isEmpty()) {
            return NOTHING;
        }
        if (l.size() == 1) {
            return l.get(0);
        }
        Runnable[] all = l.toArray(new Runnable[0]);
        return () -> {
            for (Runnable s : all) {
                s.run();
            }
        };
    }
}
