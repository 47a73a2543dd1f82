package org.layerlens.engine.arch;

import java.util.Arrays;

import org.layerlens.engine.image.MediaPipeStretch;
import org.layerlens.engine.ssd.MediaPipeDecoder;
import org.layerlens.engine.ssd.MediaPipeNms;
import org.layerlens.engine.ssd.SsdAnchors;

/**
 * TF Object Detection API SSDs run as MediaPipe runs its SSD MobileNetV2 OIDv4 detector
 * ({@code objects-v2}; subgraph ObjectDetectionOidV4Subgraph,
 * mediapipe/modules/objectron/object_detection_oid_v4_cpu.pbtxt at google/mediapipe 8e097ea9, the
 * build of the npm package; every value below with its line in reference/objects_v2/SETTINGS.md).
 * The tree comes from the .tflite file itself ({@code io.TfliteFormat}), so this spec builds nothing;
 * it is chosen when a file's heads have exactly this anchor layout.
 * <ul>
 * <li>input: 300x300, stretched (keep_aspect_ratio false), range [-1, 1] (pbtxt lines 16-26);</li>
 * <li>anchors: SsdAnchorsCalculator, 6 layers, scales 0.2..0.95, strides 16..512, aspect ratios
 * 1, 2, 0.5, 3, 0.3333, lowest layer reduced to 3 boxes, offsets 0.5 (lines 46-72; interpolated
 * aspect ratio 1.0 is the proto default);</li>
 * <li>decoding: boxes [y, x, h, w] scaled 10, 10, 5, 5, exponential sizes, sigmoid scores, class 0
 * ignored, min score 0.5 (lines 77-97, the score threshold being the CLI's and window's default);</li>
 * <li>NMS: all classes together, IoU above 0.5 suppressed, at most 100 (lines 122-134);</li>
 * <li>labels: the label map, line i = class i (line 0 "???", the background).</li>
 * </ul>
 * MediaPipe's FilterDetectionCalculator (Objectron's allowed labels) is left out: all classes kept.
 */
public final class TfObjectDetection {
    public static final String NAME = "objects-v2";

    /** SsdAnchorsCalculatorOptions of the OIDv4 subgraph. */
    public static final SsdAnchors.Options ANCHORS = new SsdAnchors.Options(6, 0.2f, 0.95f, 300, 300, 0.5f, 0.5f,
            new int[] {16, 32, 64, 128, 256, 512}, new float[] {1.0f, 2.0f, 0.5f, 3.0f, 0.3333f}, true, 1.0f, false);

    private static final float[] ANCHOR_BOXES = SsdAnchors.generate(ANCHORS);

    private TfObjectDetection() {
    }

    public static final ArchitectureSpec SPEC = new ArchitectureSpec(NAME,
            "MediaPipe SSD MobileNetV2 (Open Images V4)", "MediaPipe",
            c -> {
                throw new UnsupportedOperationException(NAME + "'s tree is read from its .tflite file");
            }, null, 0, 0, new MediaPipeStretch(300),
            new PostProcessing((tree, layout, f) -> new MediaPipeDecoder(ANCHOR_BOXES, 10f, 10f, 5f, 5f),
                    new MediaPipeNms(0), 0.5, 100, 0.5),
            ArchitectureSpec::indexLabels);

    /** The anchors ({@code y_center, x_center, h, w} each), for tests and explanations. */
    public static float[] anchors() {
        return ANCHOR_BOXES.clone();
    }

    /**
     * The spec for a TF Object Detection SSD whose input is {@code height x width} and whose heads
     * have {@code grids} (rows, columns, boxes per cell; largest first), or null when LayerLens
     * knows no anchors for that layout.
     */
    public static ArchitectureSpec forHeads(int height, int width, int[][] grids) {
        if (height != ANCHORS.inputHeight() || width != ANCHORS.inputWidth()) {
            return null;
        }
        return Arrays.deepEquals(grids, SsdAnchors.grid(ANCHORS)) ? SPEC : null;
    }

    /** The layout {@link #forHeads} accepts, in words ("19x19x3, 10x10x6, ..."). */
    public static String layout() {
        StringBuilder sb = new StringBuilder();
        for (int[] g : SsdAnchors.grid(ANCHORS)) {
            sb.append(sb.length() == 0 ? "" : ", ").append(g[0]).append('x').append(g[1]).append('x').append(g[2]);
        }
        return ANCHORS.inputHeight() + "x" + ANCHORS.inputWidth() + " input, heads " + sb;
    }
}
