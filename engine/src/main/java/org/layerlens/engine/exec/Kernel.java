package org.layerlens.engine.exec;

/** One op, compiled: weights in the layout its ND4J calls want. */
interface Kernel {
    /**
     * The op's ND4J calls on {@code a}'s views, built once when the arena is made and run on every
     * pass over it: an arena's buffers and views never change, and building an ND4J op costs
     * about ten times running a small one ({@link Steps}).
     */
    Runnable bind(Arena a);
}
