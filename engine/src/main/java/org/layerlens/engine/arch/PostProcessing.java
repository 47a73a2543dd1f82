package org.layerlens.engine.arch;

import org.layerlens.engine.nn.Detector;
import org.layerlens.engine.ssd.Decoder;
import org.layerlens.engine.ssd.HeadLayout;
import org.layerlens.engine.ssd.Nms;

/**
 * How an architecture's code turns its heads' maps into detections: the decoder (priors or
 * anchors, box coding, score function) for an image of given pad factors, the NMS, and the
 * defaults its own code uses.
 *
 * @param matchThreshold the IoU at which training matched a prior to an object (pytorch-ssd 0.5)
 * @param priorSpecs     the feature-map specs the priors are generated from (pytorch-ssd's
 *                       {@code generate_ssd_priors}), or an empty list when the anchors come
 *                       from elsewhere (face-api's file, MediaPipe's generator)
 */
public record PostProcessing(DecoderFactory decoders, Nms nms, double defaultIou, int candidates,
                             double matchThreshold, java.util.List<org.layerlens.engine.ssd.PriorSpec> priorSpecs) {
    public PostProcessing(DecoderFactory decoders, Nms nms, double defaultIou, int candidates, double matchThreshold) {
        this(decoders, nms, defaultIou, candidates, matchThreshold, java.util.List.of());
    }

    /** Makes the decoder for one image ({@code factors}: the input square's edges, image-relative). */
    @FunctionalInterface
    public interface DecoderFactory {
        Decoder create(Detector tree, HeadLayout layout, double[] factors);
    }

    public Decoder decoder(Detector tree, HeadLayout layout, double[] factors) {
        return decoders.create(tree, layout, factors);
    }
}
