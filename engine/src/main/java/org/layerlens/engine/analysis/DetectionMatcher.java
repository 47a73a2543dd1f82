package org.layerlens.engine.analysis;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;

import org.layerlens.engine.api.Box;
import org.layerlens.engine.api.Detection;

/**
 * Pairs two runs' detections: same class, greedily by IoU (best first), each detection used once.
 * IoU is taken on the boxes as decoded, before clipping to the image: a box clipped to nothing
 * (random weights predict boxes outside the picture) still matches its twin.
 */
final class DetectionMatcher {
    private DetectionMatcher() {
    }

    private static Box matchBox(Detection d) {
        return d.provenance() != null && d.provenance().decoded() != null ? d.provenance().decoded() : d.box();
    }

    static List<DetectionPair> pair(List<Detection> a, List<Detection> b, double minIou) {
        record Candidate(int i, int j, double iou) {
        }
        List<Candidate> cands = new ArrayList<>();
        for (int i = 0; i < a.size(); i++) {
            for (int j = 0; j < b.size(); j++) {
                if (a.get(i).classId() != b.get(j).classId()) {
                    continue;
                }
                double iou = matchBox(a.get(i)).iou(matchBox(b.get(j)));
                if (iou >= minIou) {
                    cands.add(new Candidate(i, j, iou));
                }
            }
        }
        cands.sort(Comparator.comparingDouble(Candidate::iou).reversed());
        int[] matchOfA = new int[a.size()];
        double[] iouOfA = new double[a.size()];
        boolean[] usedB = new boolean[b.size()];
        java.util.Arrays.fill(matchOfA, -1);
        for (Candidate c : cands) {
            if (matchOfA[c.i()] < 0 && !usedB[c.j()]) {
                matchOfA[c.i()] = c.j();
                iouOfA[c.i()] = c.iou();
                usedB[c.j()] = true;
            }
        }
        List<DetectionPair> out = new ArrayList<>();
        for (int i = 0; i < a.size(); i++) {
            out.add(new DetectionPair(a.get(i), matchOfA[i] < 0 ? null : b.get(matchOfA[i]), iouOfA[i]));
        }
        for (int j = 0; j < b.size(); j++) {
            if (!usedB[j]) {
                out.add(new DetectionPair(null, b.get(j), 0));
            }
        }
        return List.copyOf(out);
    }
}
