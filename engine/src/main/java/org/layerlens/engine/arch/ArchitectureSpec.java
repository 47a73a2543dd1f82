package org.layerlens.engine.arch;

import java.util.List;
import java.util.function.IntFunction;

import org.layerlens.engine.image.InputTransform;
import org.layerlens.engine.nn.Detector;

/**
 * Everything LayerLens knows about one architecture, as data: how to build its module tree for a
 * class count, how to recognise its state_dict (the key whose first dimension gives the class
 * count), its input transform, its post-processing (priors or anchors, decoding, NMS) and its
 * default labels. Adding an architecture is adding one of these to {@link Architectures}.
 *
 * @param name        what users type ({@code mb2-ssd-lite}, {@code faces-v1})
 * @param title       what the window shows ({@code MobileNetV2 SSD-Lite})
 * @param origin      whose definition it follows ({@code pytorch-ssd}, {@code face-api})
 * @param builder     class count (BACKGROUND included) -> module tree with paths assigned
 * @param classKey    state_dict key of the first classification head's weight (null: fixed classes)
 * @param classAnchors anchors per cell of the first head: classes = classKey's first dimension / this
 * @param fixedClasses the class count when it is not read from the weights (0 otherwise)
 */
public record ArchitectureSpec(String name, String title, String origin, IntFunction<Detector> builder,
                               String classKey, int classAnchors, int fixedClasses, InputTransform input,
                               PostProcessing post, IntFunction<List<String>> defaultLabels) {

    public Detector build(int classes) {
        return builder.apply(classes);
    }

    /** Class indices as names ("0", "1", ...) — pytorch-ssd checkpoints carry no labels. */
    public static List<String> indexLabels(int classes) {
        List<String> out = new java.util.ArrayList<>();
        for (int i = 0; i < classes; i++) {
            out.add(Integer.toString(i));
        }
        return out;
    }
}
