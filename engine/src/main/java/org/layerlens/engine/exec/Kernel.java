package org.layerlens.engine.exec;

/** One op, compiled: weights in the layout its ND4J call wants, run on an arena's views. */
interface Kernel {
    void run(Arena a);
}
