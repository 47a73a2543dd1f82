package org.layerlens.viewer;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.layerlens.engine.api.LayerData;
import org.layerlens.engine.image.Heatmaps;
import org.layerlens.engine.image.OpenCv;
import org.opencv.core.CvType;
import org.opencv.core.Mat;
import org.opencv.imgproc.Imgproc;

/** The selected module's data, channel order and heatmap, computed off the UI thread. */
class LayerViewModelTest {
    private final Fixtures fx = new Fixtures();
    private InspectorViewModel vm;
    private LayerViewModel layer;

    @BeforeEach
    void open() throws Exception {
        vm = new InspectorViewModel(Fixtures::load, fx.services());
        layer = vm.layer();
        fx.onUi(() -> vm.open(Fixtures.randomModel().toString(), null, Fixtures.sample("coffee.png")));
        fx.await(120, "the first result", () -> vm.inspectionProperty().get() != null);
    }

    @AfterEach
    void close() throws Exception {
        fx.onUi(vm::close);
        fx.close();
    }

    private LayerViewModel.LayerResult shown(String path) throws Exception {
        fx.onUi(() -> vm.select(path));
        fx.await(60, path + " shown", () -> layer.layerProperty().get() != null
                && layer.layerProperty().get().path().equals(path) && layer.heatProperty().get() != null
                && layer.heatProperty().get().path().equals(path));
        return fx.onUi(() -> layer.layerProperty().get());
    }

    @Test
    void aModuleIsReadWithItsStatisticsAndStartsOnItsStrongestChannel() throws Exception {
        LayerViewModel.LayerResult r = shown("base_net.14.conv.2");
        assertEquals(576, r.data().channels);
        assertEquals("ReLU6  ·  19x19x576  ·  576 channels", r.subtitle());
        LayerData direct = vm.inspectionProperty().get().layer("base_net.14.conv.2");
        assertArrayEquals(direct.values, r.data().values, 0f, "the module's own output");
        assertEquals(direct.stats(), r.stats());
        int strongest = r.byActivation()[0];
        assertEquals(strongest, (int) fx.onUi(() -> layer.selectedChannelProperty().get()));
        LayerViewModel.Heat h = fx.onUi(() -> layer.heatProperty().get());
        assertEquals(strongest, h.channel());
        assertEquals(19, h.rgb().width());
        assertViridisByChannelRange(r.data(), strongest, h.rgb().bytes());
        // the gallery's order, and moving through it
        assertEquals(0, (int) fx.onUi(() -> layer.channels().get(0)));
        fx.onUi(() -> layer.orderProperty().set(LayerViewModel.Order.ACTIVATION));
        assertEquals(strongest, (int) fx.onUi(() -> layer.channels().get(0)));
        fx.onUi(() -> layer.stepChannel(1));
        assertEquals(r.byActivation()[1], fx.onUi(() -> layer.selectedChannelProperty().get()));
        // a colour map change recomputes the heatmap
        fx.onUi(() -> layer.colorMapProperty().set(Heatmaps.ColorMap.GRAY));
        fx.await(30, "the gray heatmap", () -> layer.heatProperty().get().rgb().bytes()[0]
                == layer.heatProperty().get().rgb().bytes()[1]);
    }

    /**
     * The heatmap is the channel scaled by its own min-max to 0..255 and coloured by OpenCV's viridis,
     * worked out here from the module's values without Heatmaps (whose scaling HeatmapsTest checks
     * on hand-computed levels). A level within 0.01 of a rounding tie may go either way (float there,
     * double here): either neighbour's colour is accepted.
     */
    private static void assertViridisByChannelRange(LayerData d, int channel, byte[] rgb) {
        OpenCv.load();
        Mat ramp = new Mat(1, 256, CvType.CV_8UC1);
        Mat lut = new Mat();
        byte[] bgr = new byte[256 * 3];
        byte[] levels = new byte[256];
        for (int i = 0; i < 256; i++) {
            levels[i] = (byte) i;
        }
        ramp.put(0, 0, levels);
        Imgproc.applyColorMap(ramp, lut, Imgproc.COLORMAP_VIRIDIS);
        lut.get(0, 0, bgr);
        ramp.release();
        lut.release();
        int n = d.height * d.width;
        double lo = Double.MAX_VALUE;
        double hi = -Double.MAX_VALUE;
        for (int i = 0; i < n; i++) {
            lo = Math.min(lo, d.values[i * d.channels + channel]);
            hi = Math.max(hi, d.values[i * d.channels + channel]);
        }
        assertTrue(hi > lo, "the strongest channel is not flat");
        assertEquals(n * 3, rgb.length);
        for (int i = 0; i < n; i++) {
            double level = (d.values[i * d.channels + channel] - lo) * 255 / (hi - lo);
            boolean ok = false;
            for (long g : new long[] {Math.round(level - 0.01), Math.round(level + 0.01)}) {
                ok |= rgb[i * 3] == bgr[(int) g * 3 + 2] && rgb[i * 3 + 1] == bgr[(int) g * 3 + 1]
                        && rgb[i * 3 + 2] == bgr[(int) g * 3];
            }
            assertTrue(ok, "pixel " + i + ": not viridis at level " + level);
        }
    }

    @Test
    void oneByOneMapsAreValuesNotPictures() throws Exception {
        LayerViewModel.LayerResult r = shown("extras.3");
        assertTrue(r.pointLike());
        assertEquals(64, r.data().channels);
        assertTrue(r.subtitle().endsWith("64 channels of one value each"), r.subtitle());
        // the per-channel picture of a single value is flat; across the layer the values differ
        var flat = layer.heatmap(r.data(), 0, 1, 1, Heatmaps.Normalise.CHANNEL).get(30, TimeUnit.SECONDS);
        int distinct = 0;
        byte[] first = layer.heatmap(r.data(), 0, 1, 1, Heatmaps.Normalise.LAYER).get(30, TimeUnit.SECONDS).bytes();
        for (int c = 1; c < r.data().channels; c++) {
            byte[] b = layer.heatmap(r.data(), c, 1, 1, Heatmaps.Normalise.LAYER).get(30, TimeUnit.SECONDS).bytes();
            distinct += java.util.Arrays.equals(first, b) ? 0 : 1;
        }
        assertTrue(distinct > 10, "layer-normalised colours tell the values apart: " + distinct);
        assertEquals(3, flat.bytes().length);
    }

    @Test
    void aModuleWithoutAnOutputOfItsOwnSaysSo() throws Exception {
        fx.onUi(() -> vm.select("extras"));
        fx.await(60, "extras shown", () -> layer.layerProperty().get() != null
                && layer.layerProperty().get().path().equals("extras"));
        LayerViewModel.LayerResult r = fx.onUi(() -> layer.layerProperty().get());
        assertNull(r.data());
        assertEquals("no output of its own", r.subtitle());
        assertTrue(fx.onUi(() -> layer.channels().isEmpty()));
        // a heatmap job of the module shown before (still running) must not land over this one
        fx.await(30, "idle", () -> !layer.busy());
        assertNull(fx.onUi(() -> layer.heatProperty().get()));
    }
}
