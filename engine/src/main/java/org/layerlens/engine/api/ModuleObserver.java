package org.layerlens.engine.api;

/** Receives one event per module, children before their parents, in execution order. */
@FunctionalInterface
public interface ModuleObserver {
    void onModule(ModuleEvent event);
}
