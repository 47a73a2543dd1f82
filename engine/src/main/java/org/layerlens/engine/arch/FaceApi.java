package org.layerlens.engine.arch;

import java.util.List;

import org.layerlens.engine.image.PadSquareTf;
import org.layerlens.engine.nn.FaceSsd;
import org.layerlens.engine.ssd.FaceApiDecoder;
import org.layerlens.engine.ssd.FaceApiNms;

/**
 * face-api's SSD MobileNetV1 face detector ({@code faces-v1}): its tree ({@link FaceSsd}), its input
 * transform (pad to a square, TF.js bilinear resize to 512, x / 127.5 - 1), its decoding with the
 * anchors stored in the weights and its own NMS (IoU 0.5, at most 100 faces).
 */
public final class FaceApi {
    public static final String NAME = "faces-v1";

    private FaceApi() {
    }

    static final ArchitectureSpec SPEC = new ArchitectureSpec(NAME, "face-api SSD MobileNetV1 (faces)", "face-api",
            c -> new FaceSsd(), null, 0, 2, new PadSquareTf(512),
            new PostProcessing((tree, layout, f) -> new FaceApiDecoder(((FaceSsd) tree).anchors(), f[0], f[1]),
                    new FaceApiNms(100), 0.5, 100, 0.5),
            c -> List.of("BACKGROUND", "face"));
}
