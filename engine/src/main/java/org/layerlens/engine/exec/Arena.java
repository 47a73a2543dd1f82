package org.layerlens.engine.exec;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.Map;

import org.layerlens.engine.graph.Value;
import org.nd4j.linalg.api.buffer.DataBuffer;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/**
 * The buffers one run of a program computes in: one native float buffer per slot of the plan, and
 * for every value two views on its slot made once (the batch-1 tensor {@code [1, H, W, C]} and the
 * matrix {@code [H * W, C]} the kernels use), and the program's kernels bound to those views (their
 * ND4J ops built once, see {@link Kernel#bind}). A run allocates nothing; an arena is reused from
 * run to run by one thread at a time (the program pools them) and closed with the program, so
 * native memory stays flat.
 */
final class Arena implements AutoCloseable {
    private final INDArray[] slots;
    private final INDArray[] tensor;
    private final INDArray[] matrix;
    private final int[] slotOf;
    /** Op i's bound ND4J calls. */
    private final Runnable[] steps;
    private boolean closed;

    /** Buffers and views only (a test runs kernels on them one by one). */
    Arena(Plan plan, Value[] values) {
        this(plan, values, new Kernel[0]);
    }

    Arena(Plan plan, Value[] values, Kernel[] kernels) {
        slotOf = plan.slotOf();
        slots = new INDArray[plan.slotSizes().length];
        for (int s = 0; s < slots.length; s++) {
            slots[s] = Nd4j.createUninitialized(DataType.FLOAT, Math.max(1, plan.slotSizes()[s]));
        }
        tensor = new INDArray[values.length];
        matrix = new INDArray[values.length];
        for (Value v : values) {
            if (v == null || slotOf[v.id()] < 0) {
                continue;
            }
            DataBuffer buf = slots[slotOf[v.id()]].data();
            long[] t = tensorShape(v);
            long[] m = matrixShape(v);
            tensor[v.id()] = Nd4j.create(buf, t, strides(t), 0, 'c', DataType.FLOAT);
            matrix[v.id()] = Nd4j.create(buf, m, strides(m), 0, 'c', DataType.FLOAT);
        }
        steps = new Runnable[kernels.length];
        for (int i = 0; i < kernels.length; i++) {
            steps[i] = kernels[i].bind(this);
        }
    }

    /** Views over arrays of one's own (a recomputed value and its inputs), to run one kernel outside a pass. */
    private Arena(int valueCount, Map<Value, INDArray> arrays) {
        slotOf = null;
        slots = new INDArray[0];
        tensor = new INDArray[valueCount];
        matrix = new INDArray[valueCount];
        for (Map.Entry<Value, INDArray> e : arrays.entrySet()) {
            Value v = e.getKey();
            DataBuffer buf = e.getValue().data();
            long offset = e.getValue().offset();
            long[] t = tensorShape(v);
            long[] m = matrixShape(v);
            tensor[v.id()] = Nd4j.create(buf, t, strides(t), offset, 'c', DataType.FLOAT);
            matrix[v.id()] = Nd4j.create(buf, m, strides(m), offset, 'c', DataType.FLOAT);
        }
        steps = new Runnable[0];
    }

    /**
     * Views over {@code arrays}, each holding its value's elements row-major from its offset: a
     * kernel bound to them reads and writes those arrays (nothing is owned; closing frees nothing).
     */
    static Arena over(int valueCount, Map<Value, INDArray> arrays) {
        return new Arena(valueCount, arrays);
    }

    /** Runs op i of the program on this arena. */
    void run(int op) {
        steps[op].run();
    }

    static long[] tensorShape(Value v) {
        int[] d = v.dims();
        long[] s = new long[d.length + 1];
        s[0] = 1;
        for (int i = 0; i < d.length; i++) {
            s[i + 1] = d[i];
        }
        return s;
    }

    static long[] matrixShape(Value v) {
        return new long[] {v.elements() / v.channels(), v.channels()};
    }

    private static long[] strides(long[] shape) {
        long[] st = new long[shape.length];
        long acc = 1;
        for (int i = shape.length - 1; i >= 0; i--) {
            st[i] = acc;
            acc *= shape[i];
        }
        return st;
    }

    /** The batch-1 view of a value: {@code [1, H, W, C]} for a feature map. */
    INDArray tensor(Value v) {
        return tensor[v.id()];
    }

    /** The matrix view of a value: {@code [H * W, C]}. */
    INDArray matrix(Value v) {
        return matrix[v.id()];
    }

    void write(Value v, float[] data) {
        if (data.length != v.elements()) {
            throw new IllegalArgumentException("input has " + data.length + " values, the network wants " + v);
        }
        // through the buffer's own memory: DataBuffer.setData and getFloatsAt copy by way of a
        // temporary native pointer each, freed only when the collector finds it
        slots[slotOf[v.id()]].data().asNio().order(ByteOrder.nativeOrder()).asFloatBuffer().put(data);
    }

    /**
     * A value's elements where they lie, row-major (H, W, C), native byte order: a direct buffer
     * of {@code 4 * v.elements()} bytes over this arena's memory, so only as long as its pass holds it.
     */
    ByteBuffer view(Value v) {
        return view(slots[slotOf[v.id()]].data(), v);
    }

    /** The first {@code v.elements()} floats of {@code data} as a read-only direct buffer, native byte order. */
    static ByteBuffer view(DataBuffer data, Value v) {
        ByteBuffer all = data.asNio().duplicate();
        all.limit(4 * (int) v.elements());
        return all.slice().asReadOnlyBuffer().order(ByteOrder.nativeOrder());
    }

    /** A copy of a value's elements in row-major (H, W, C) order. */
    float[] read(Value v) {
        float[] out = new float[(int) v.elements()];
        view(v).asFloatBuffer().get(out);
        return out;
    }

    long bytes() {
        long n = 0;
        for (INDArray s : slots) {
            n += s.length() * 4;
        }
        return n;
    }

    @Override
    public synchronized void close() {
        if (closed) {
            return;
        }
        closed = true;
        for (INDArray s : slots) {
            s.close();
        }
    }
}
