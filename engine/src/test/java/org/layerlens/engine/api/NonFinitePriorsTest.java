package org.layerlens.engine.api;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.Arrays;

import org.junit.jupiter.api.Test;
import org.layerlens.engine.TestData;
import org.layerlens.engine.image.Images;
import org.layerlens.engine.image.LoadedImage;

/** Priors whose scores or boxes are not finite are counted (detect warns of them), not dropped unsaid. */
class NonFinitePriorsTest {
    @Test
    void nanWeightsInTheLastHeadMakeExactlyItsPriorsNonFinite() throws Exception {
        LoadedImage img = Images.read(TestData.sampleImage("coffee.png"));
        Model m = Model.open(TestData.reference("mb2-ssd-lite-random-4.pth"), null);
        assertEquals(0, m.detect(img).nonFinitePriors(), "an intact model");

        // mb2-ssd-lite's last head reads a 1x1 map with 6 priors per cell: the last 6 of 3000
        float[] w = m.tree().find("classification_headers.5").params().get("weight").value().data();
        Arrays.fill(w, Float.NaN);
        Model broken = Model.of(m.spec(), m.tree(), m.classes(), "nan", m.source(), m.labels(), m.notes(),
                m.notComparable());
        DetectorOutput out = broken.detect(img);
        assertEquals(3000, out.priors());
        assertEquals(6, out.nonFinitePriors());
        for (int i = 0; i < out.priors(); i++) {
            boolean nan = Float.isNaN(out.classScores(i)[0]);
            assertEquals(i >= 3000 - 6, nan, "prior " + i);
        }
    }
}
