package org.layerlens.engine.api;

/**
 * What the tree's columns show for one module, from the traced graph (no pass needed): its output
 * shape {@code [C, H, W]} (null when it has no output of its own), parameters, multiply-adds
 * (convolutions and dense layers, children included, as torchinfo's "Mult-Adds"), and the size of
 * the receptive field of one output cell in network-input pixels (rows x cols; the whole input
 * for modules after a global pooling).
 */
public record ModuleInfo(String path, String type, int[] outputShape, long parameters, long multiplyAdds,
                         long fieldRows, long fieldCols, boolean globalField) {
}
