package org.layerlens.viewer;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.layerlens.engine.api.Box;
import org.layerlens.engine.api.Detection;
import org.layerlens.engine.api.DetectorOutput;
import org.layerlens.engine.api.LayerData;
import org.layerlens.engine.api.Model;
import org.layerlens.engine.api.PriorMatch;
import org.layerlens.engine.api.PriorQuery;
import org.layerlens.engine.api.Provenance;
import org.layerlens.engine.explain.LayerMaps;
import org.layerlens.engine.ssd.HeadLayout;

/**
 * The explain view models without a screen: real engine, random-weight mb2-ssd-lite (4 classes)
 * on coffee.png, a plain thread as the UI thread. Each answer is checked against the engine's
 * own calls or recomputed from the raw scores here.
 */
class ExplainViewModelTest {
    private final Fixtures fx = new Fixtures();
    private InspectorViewModel vm;
    private ExplainViewModel explain;

    @BeforeEach
    void open() throws Exception {
        vm = new InspectorViewModel(Fixtures::load, fx.services());
        explain = fx.onUi(() -> new ExplainViewModel(vm));
        fx.onUi(() -> vm.open(Fixtures.randomModel().toString(), null, Fixtures.sample("coffee.png")));
        fx.await(120, "the first result", () -> vm.inspectionProperty().get() != null);
        fx.onUi(() -> vm.thresholdProperty().set(0.2));
        fx.await(60, "the layer and maps", () -> !vm.layer().busy() && !explain.busy());
    }

    @AfterEach
    void close() throws Exception {
        fx.onUi(vm::close);
        fx.close();
    }

    private DetectorOutput output() throws Exception {
        return fx.onUi(() -> vm.inspectionProperty().get().output());
    }

    @Test
    void selectingADetectionSelectsItsHeadModuleItsCellItsPriorsAndItsClass() throws Exception {
        List<Detection> all = fx.onUi(() -> List.copyOf(vm.detections()));
        assertTrue(all.size() >= 3, "detections at 0.2: " + all.size());
        Model m = fx.onUi(() -> vm.modelProperty().get());
        int checked = 0;
        for (Detection d : all) {
            fx.onUi(() -> vm.selectedDetectionProperty().set(d));
            Provenance p = d.provenance();
            assertSame(d, fx.onUi(() -> explain.detectionProperty().get()));
            assertEquals(new HeadCell(p.head(), p.rows(), p.cols(), p.row(), p.col()),
                    fx.onUi(() -> explain.cellProperty().get()));
            assertEquals(p.head(), (int) fx.onUi(() -> explain.priors().headProperty().get()));
            assertEquals(d.classId(), (int) fx.onUi(() -> explain.classMaps().classIdProperty().get()));
            String module = fx.onUi(() -> vm.selectedPathProperty().get());
            assertEquals("classification_headers." + p.head(), module);
            // the module computes this head's class scores: its output is the head's grid, anchors x classes deep
            int[] chw = m.info(module).outputShape();
            HeadLayout.Head h = m.layout().heads().get(p.head());
            assertArrayEquals(new int[] {h.anchors() * m.classes(), h.rows(), h.cols()}, chw);
            assertEquals(p.rows(), h.rows());
            assertEquals(p.head(), HeadModules.headOf(m, module));
            assertEquals(p.head(), HeadModules.headOf(m, m.tree().sourcePaths().get(p.head())));
            checked++;
        }
        assertEquals(all.size(), checked);
        // the same detection again (a threshold that keeps it) leaves a module the user chose alone
        fx.onUi(() -> vm.select("base_net.3"));
        fx.onUi(() -> vm.thresholdProperty().set(0.19));
        assertEquals("base_net.3", fx.onUi(() -> vm.selectedPathProperty().get()));
        assertNotNull(fx.onUi(() -> explain.detectionProperty().get()));
        fx.onUi(() -> vm.selectedDetectionProperty().set(null));
        assertNull(fx.onUi(() -> explain.cellProperty().get()));
    }

    @Test
    void thePriorsGridIsTheHeadsCellsWithTheirAnchorsInTheOutputOrder() throws Exception {
        DetectorOutput out = output();
        Model m = out.model();
        fx.onUi(() -> explain.priors().visibleProperty().set(true));
        int total = 0;
        for (HeadLayout.Head h : m.layout().heads()) {
            fx.onUi(() -> explain.priors().headProperty().set(h.index()));
            PriorsViewModel.Grid g = fx.onUi(() -> explain.priors().gridProperty().get());
            assertEquals(h.rows() * h.cols(), g.cells(), "head " + h.index());
            for (int r = 0; r < h.rows(); r++) {
                for (int c = 0; c < h.cols(); c++) {
                    double[] centre = g.centre(r, c);
                    for (int a = 0; a < h.anchors(); a++) {
                        int i = g.priorIndex(r, c, a);
                        HeadLayout.Origin o = m.layout().locate(i);
                        assertEquals(List.of(h.index(), r, c, a), List.of(o.head(), o.row(), o.col(), o.anchor()));
                        Box b = g.anchors(r, c).get(a);
                        assertEquals(out.prior(i), b);
                        // every anchor of a cell is centred on the cell's centre
                        assertEquals(centre[0], (b.x1() + b.x2()) / 2, 1e-3);
                        assertEquals(centre[1], (b.y1() + b.y2()) / 2, 1e-3);
                        total++;
                    }
                    HeadCell near = g.nearest(centre[0] + 0.1, centre[1] - 0.1);
                    assertEquals(List.of(r, c), List.of(near.row(), near.col()));
                }
            }
        }
        assertEquals(out.priors(), total, "every prior once");
        // a detection's own prior is the grid's anchor at its cell
        Detection d = fx.onUi(() -> vm.detections().get(0));
        Provenance p = d.provenance();
        fx.onUi(() -> explain.priors().headProperty().set(p.head()));
        PriorsViewModel.Grid g = fx.onUi(() -> explain.priors().gridProperty().get());
        assertEquals(p.prior(), g.anchors(p.row(), p.col()).get(p.anchor()));
        fx.onUi(() -> explain.priors().stepHead(-1));
        assertEquals(Math.floorMod(p.head() - 1, m.layout().heads().size()),
                (int) fx.onUi(() -> explain.priors().headProperty().get()));
        fx.onUi(() -> explain.priors().visibleProperty().set(false));
        assertNull(fx.onUi(() -> explain.priors().gridProperty().get()));
    }

    @Test
    void aBoxIsAnsweredWithTheEnginesBestPriorsAndKeptWhileTheImageStays() throws Exception {
        DetectorOutput out = output();
        Box box = new Box(20, 30, 140, 120);
        assertTrue(fx.onUi(() -> explain.query().ask(box)));
        fx.await(30, "the answer", () -> explain.query().answerProperty().get() != null);
        PriorQuery q = fx.onUi(() -> explain.query().answerProperty().get().query());
        PriorQuery want = out.query(box, 5);
        assertEquals(want.verdict(), q.verdict());
        assertEquals(5, q.best().size());
        List<PriorMatch> all = out.bestPriors(box, out.priors());
        for (int k = 0; k < 5; k++) {
            assertEquals(want.best().get(k).priorIndex(), q.best().get(k).priorIndex());
            // the best five by IoU, recomputed here from the priors themselves
            assertEquals(out.prior(q.best().get(k).priorIndex()).iou(box), q.best().get(k).iou(), 1e-12);
            assertEquals(all.get(k).iou(), q.best().get(k).iou(), 1e-12);
        }
        assertEquals(q.best().get(0).iou() >= vm.modelProperty().get().matchThreshold(), q.matched());
        // a run on the same image asks again; another image forgets the box
        fx.onUi(vm::rerun);
        fx.await(120, "the rerun", () -> !vm.runningProperty().get() && !explain.busy());
        assertEquals(box, fx.onUi(() -> explain.query().boxProperty().get()));
        assertNotNull(fx.onUi(() -> explain.query().answerProperty().get()));
        assertTrue(fx.onUi(() -> explain.query().answerProperty().get().source() == vm.inspectionProperty().get()));
        // outside the image: nothing asked
        int w = fx.onUi(() -> vm.imageProperty().get().originalWidth());
        assertFalse(fx.onUi(() -> explain.query().ask(new Box(w + 5, 0, w + 50, 40))));
        // a box reaching past the image is clipped to it
        assertTrue(fx.onUi(() -> explain.query().ask(new Box(-20, 10, 60, 70))));
        assertEquals(new Box(0, 10, 60, 70), fx.onUi(() -> explain.query().boxProperty().get()));
        fx.onUi(() -> vm.openImage(Fixtures.sample("astronaut.png")));
        fx.await(120, "the new image", () -> !vm.runningProperty().get()
                && vm.imageProperty().get().name().equals("astronaut.png"));
        assertNull(fx.onUi(() -> explain.query().boxProperty().get()));
        assertNull(fx.onUi(() -> explain.query().answerProperty().get()));
    }

    @Test
    void classMapsHoldEachHeadsBestAnchorScoreForTheClass() throws Exception {
        DetectorOutput out = output();
        Model m = out.model();
        for (int k = 1; k < m.classes(); k++) {
            int cls = k;
            fx.onUi(() -> explain.classMaps().classIdProperty().set(cls));
            fx.await(30, "maps of class " + k, () -> !explain.classMaps().busyProperty().get()
                    && explain.classMaps().mapsProperty().get().classId() == cls);
            ClassMapsViewModel.Maps maps = fx.onUi(() -> explain.classMaps().mapsProperty().get());
            assertEquals(m.labels().get(k), maps.label());
            assertEquals(m.layout().heads().size(), maps.heads().size(), "one map per head");
            float[] scores = out.scores();
            for (ClassMapsViewModel.HeadMap hm : maps.heads()) {
                HeadLayout.Head h = m.layout().heads().get(hm.head());
                assertEquals(h.rows() * h.cols(), hm.scores().length);
                float max = Float.NEGATIVE_INFINITY;
                for (int cell = 0; cell < hm.scores().length; cell++) {
                    float best = Float.NEGATIVE_INFINITY; // recomputed from the raw [priors, classes] scores
                    for (int a = 0; a < h.anchors(); a++) {
                        best = Math.max(best, scores[(h.first() + cell * h.anchors() + a) * m.classes() + k]);
                    }
                    assertEquals(best, hm.scores()[cell], 0f);
                    max = Math.max(max, best);
                }
                assertEquals(max, hm.max(), 0f);
                assertEquals(max, hm.scores()[hm.maxRow() * h.cols() + hm.maxCol()], 0f);
                // the picture is the image's shape, fitted into the tile
                assertEquals(ClassMapsViewModel.TILE, Math.max(hm.rgb().width(), hm.rgb().height()));
            }
        }
        // C steps through the classes, BACKGROUND left out
        fx.onUi(() -> explain.classMaps().classIdProperty().set(m.classes() - 1));
        fx.onUi(() -> explain.classMaps().stepClass(1));
        assertEquals(1, (int) fx.onUi(() -> explain.classMaps().classIdProperty().get()));
        fx.onUi(() -> explain.classMaps().stepClass(-1));
        assertEquals(m.classes() - 1, (int) fx.onUi(() -> explain.classMaps().classIdProperty().get()));
    }

    @Test
    void theLayerMapIsTheModulesMeanActivationOrEigenCam() throws Exception {
        fx.onUi(() -> vm.select("base_net.7"));
        fx.await(60, "base_net.7", () -> !vm.layer().busy() && vm.layer().layerProperty().get() != null
                && vm.layer().layerProperty().get().path().equals("base_net.7"));
        LayerData d = fx.onUi(() -> vm.layer().layerProperty().get().data());
        fx.onUi(() -> explain.activation().cycle());
        assertEquals(ActivationMapViewModel.Mode.MEAN, fx.onUi(() -> explain.activation().modeProperty().get()));
        fx.await(60, "the mean", () -> explain.activation().mapProperty().get() != null);
        ActivationMapViewModel.Map mean = fx.onUi(() -> explain.activation().mapProperty().get());
        assertArrayEquals(LayerMaps.meanActivation(d), mean.values());
        assertEquals(d.height, mean.rows());
        checkColours(mean);
        fx.onUi(() -> explain.activation().cycle());
        fx.await(60, "Eigen-CAM", () -> explain.activation().mapProperty().get() != null
                && explain.activation().mapProperty().get().mode() == ActivationMapViewModel.Mode.EIGEN_CAM);
        ActivationMapViewModel.Map cam = fx.onUi(() -> explain.activation().mapProperty().get());
        assertArrayEquals(LayerMaps.eigenCam(d), cam.values());
        assertEquals(0f, cam.lo(), "the negative part is cut");
        checkColours(cam);
        // a module of one value per channel has no map to show
        fx.onUi(() -> vm.select("extras.3"));
        fx.await(60, "extras.3", () -> !vm.layer().busy() && vm.layer().layerProperty().get().path().equals("extras.3")
                && !explain.activation().busyProperty().get());
        assertNull(fx.onUi(() -> explain.activation().mapProperty().get()));
        assertTrue(fx.onUi(() -> explain.activation().noteProperty().get()).contains("no spatial map"));
        fx.onUi(() -> explain.activation().cycle());
        assertEquals(ActivationMapViewModel.Mode.OFF, fx.onUi(() -> explain.activation().modeProperty().get()));
    }

    private static void checkColours(ActivationMapViewModel.Map m) {
        int[] jet = MapColours.jet();
        for (int i = 0; i < m.values().length; i++) {
            float v = Math.max(m.lo(), Math.min(m.hi(), m.values()[i]));
            int level = Math.round((v - m.lo()) / (m.hi() - m.lo()) * 255);
            assertEquals(level, m.argb()[i] >>> 24, "alpha follows the level");
            assertEquals(jet[level], m.argb()[i] & 0xffffff);
        }
        assertTrue((jet[0] >> 16 & 0xff) == 0 && (jet[0] >> 8 & 0xff) == 0 && (jet[0] & 0xff) >= 100,
                "JET starts dark blue: " + Integer.toHexString(jet[0]));
        assertTrue((jet[255] >> 16 & 0xff) >= 100 && (jet[255] & 0xff) == 0, "and ends dark red");
    }
}
