package org.layerlens.viewer;

import javafx.scene.image.Image;
import org.layerlens.engine.api.Inspection;
import org.layerlens.engine.api.Model;
import org.layerlens.engine.image.LoadedImage;

/**
 * What one job of the window produced, all made on a worker thread from what was captured when
 * the job was submitted: the model (and the name it was opened by), its module facts, the image,
 * the picture to show (at most {@link InspectorViewModel#PICTURE_SIDE} pixels a side, built off
 * the JavaFX thread), and the inspection. {@code image} and {@code inspection} are null for a
 * model opened before any image. {@code frame} is the video frame index, or -1 for a still.
 */
public record RunResult(Model model, String modelRef, ModelFacts facts, LoadedImage image, Rgb preview,
                        Image picture, Inspection inspection, int frame) {
    /** Frees the inspection's native buffers (a result that was replaced, superseded or never shown). */
    public void dispose() {
        if (inspection != null) {
            inspection.close();
        }
    }
}
