package org.layerlens.engine.io;

/**
 * The builtin options of one TFLite operator that LayerLens uses, with the schema's defaults for
 * what the file leaves out. One record for every kind (each kind reads its own fields).
 *
 * @param padding         SAME or VALID (convolutions and pools)
 * @param activation      the fused activation: NONE, RELU, RELU_N1_TO_1, RELU6, TANH, SIGN_BIT
 * @param depthMultiplier DEPTHWISE_CONV_2D's (0 in newer files: implied by the shapes)
 * @param axis            CONCATENATION's
 * @param beta            SOFTMAX's
 * @param keepDims        MEAN's
 * @param newShape        RESHAPE's option (the shape input wins when present)
 * @param squeezeDims     SQUEEZE's
 * @param weightsFormat   FULLY_CONNECTED's (0 = DEFAULT)
 * @param keepNumDims     FULLY_CONNECTED's
 */
public record TfliteOptions(String padding, int strideW, int strideH, int dilationW, int dilationH,
                            int filterW, int filterH, String activation, int depthMultiplier, int axis, float beta,
                            boolean keepDims, int[] newShape, int[] squeezeDims, int weightsFormat,
                            boolean keepNumDims) {
    /** An operator without options. */
    public static final TfliteOptions NONE = new TfliteOptions("VALID", 1, 1, 1, 1, 1, 1, "NONE", 0, 0, 0f, false,
            null, new int[0], 0, false);
}
