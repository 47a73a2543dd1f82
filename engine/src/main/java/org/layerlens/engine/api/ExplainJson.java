package org.layerlens.engine.api;

import java.util.List;

import com.google.gson.JsonArray;
import com.google.gson.JsonObject;
import org.layerlens.engine.image.LoadedImage;

/**
 * Detections with their provenance, and optionally a prior query, in {@code explain --json}'s
 * shape: {@code {image, width, height, detections: [{label, classId, score, box, head,
 * featureMap, cell, anchor, priorIndex, prior, offsets, classScores, receptiveField,
 * suppressed: [{score, box, iou}]}], query: {box, matchThreshold, bestPriors: [{priorIndex, head,
 * cell, anchor, prior, iou, classScores, box}]}}}, exactly the shape issue #12 fixes: classScores
 * holds every class of the model by its label, class 0 (the background) included, as the model
 * scores it (the text and the window set the background apart: {@link ClassScores}). Boxes are
 * {@code [x1, y1, x2, y2]} in pixels of
 * the original image: detection and suppressed boxes clipped to it as {@code detect} gives them,
 * priors as the model defines them and best priors' decoded boxes unclipped (as the CLI and the
 * window show them, to compare with the prior), receptive fields clipped; indices
 * are 0-based; IoUs are the ones NMS and matching computed (on unclipped boxes).
 */
public final class ExplainJson {
    private ExplainJson() {
    }

    public static JsonObject toObject(LoadedImage img, DetectorOutput out, List<Detection> dets, PriorQuery query) {
        JsonObject o = new JsonObject();
        o.addProperty("image", img.source() == null ? "" : img.source().toString());
        o.addProperty("width", img.originalWidth());
        o.addProperty("height", img.originalHeight());
        List<String> labels = out.model().labels();
        JsonArray arr = new JsonArray();
        for (Detection d : dets) {
            Provenance p = d.provenance();
            JsonObject j = new JsonObject();
            j.addProperty("label", d.label());
            j.addProperty("classId", d.classId());
            j.addProperty("score", d.score());
            j.add("box", DetectionsJson.box(d.box()));
            j.addProperty("head", p.head());
            j.add("featureMap", pair(p.rows(), p.cols()));
            j.add("cell", pair(p.row(), p.col()));
            j.addProperty("anchor", p.anchor());
            j.addProperty("priorIndex", p.priorIndex());
            j.add("prior", DetectionsJson.box(p.prior()));
            JsonArray off = new JsonArray();
            for (float f : p.offsets()) {
                off.add(f);
            }
            j.add("offsets", off);
            j.add("classScores", scores(labels, p.classScores()));
            j.add("receptiveField", DetectionsJson.box(p.receptiveField()));
            JsonArray sup = new JsonArray();
            for (Provenance.Suppressed s : p.suppressed()) {
                JsonObject sj = new JsonObject();
                sj.addProperty("score", s.score());
                sj.add("box", DetectionsJson.box(s.box().clip(out.imageWidth(), out.imageHeight())));
                sj.addProperty("iou", s.iou());
                sup.add(sj);
            }
            j.add("suppressed", sup);
            arr.add(j);
        }
        o.add("detections", arr);
        if (query != null) {
            JsonObject q = new JsonObject();
            q.add("box", DetectionsJson.box(query.box()));
            q.addProperty("matchThreshold", query.matchThreshold());
            JsonArray best = new JsonArray();
            for (PriorMatch m : query.best()) {
                JsonObject j = new JsonObject();
                j.addProperty("priorIndex", m.priorIndex());
                j.addProperty("head", m.head());
                j.add("cell", pair(m.row(), m.col()));
                j.addProperty("anchor", m.anchor());
                j.add("prior", DetectionsJson.box(m.prior()));
                j.addProperty("iou", m.iou());
                j.add("classScores", scores(labels, m.classScores()));
                // unclipped, as the CLI and the window show it: compared with the prior, also unclipped
                j.add("box", DetectionsJson.box(m.decoded()));
                best.add(j);
            }
            q.add("bestPriors", best);
            o.add("query", q);
        }
        return o;
    }

    private static JsonArray pair(int a, int b) {
        JsonArray p = new JsonArray();
        p.add(a);
        p.add(b);
        return p;
    }

    /** Every class's score by label; a label given twice gets its class index appended the second time. */
    private static JsonObject scores(List<String> labels, float[] scores) {
        JsonObject s = new JsonObject();
        for (int k = 0; k < scores.length; k++) {
            String name = k < labels.size() ? labels.get(k) : Integer.toString(k);
            if (s.has(name)) {
                name = name + " (" + k + ")";
            }
            s.addProperty(name, scores[k]);
        }
        return s;
    }
}
