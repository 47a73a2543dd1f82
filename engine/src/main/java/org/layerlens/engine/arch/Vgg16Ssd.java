package org.layerlens.engine.arch;

import java.util.ArrayList;
import java.util.List;

import org.layerlens.engine.image.Stretch;
import org.layerlens.engine.nn.Act;
import org.layerlens.engine.nn.BatchNorm2d;
import org.layerlens.engine.nn.Conv2d;
import org.layerlens.engine.nn.MaxPool2d;
import org.layerlens.engine.nn.Module;
import org.layerlens.engine.nn.ModuleList;
import org.layerlens.engine.nn.SSD;
import org.layerlens.engine.nn.Sequential;
import org.layerlens.engine.ssd.PriorSpec;

/**
 * pytorch-ssd's {@code create_vgg_ssd} ({@code vision/ssd/vgg_ssd.py}, {@code vision/nn/vgg.py}):
 * VGG16's conv layers as a {@code ModuleList} base_net (pool3 in ceil mode, 75 -> 38; pool5 3x3
 * stride 1; conv6 dilated 6; conv7 1x1), a {@code BatchNorm2d(512)} in {@code source_layer_add_ons}
 * applied to conv4_3's ReLU ({@code base_net.22}) before the first heads read it, four extras,
 * 3x3 heads with 4 or 6 anchors; {@code vgg_ssd_config}: 8732 priors, input minus the per-channel
 * mean (123, 117, 104) and not scaled (its predictor passes no std, so 1.0).
 */
final class Vgg16Ssd {
    static final String NAME = "vgg16-ssd";

    private Vgg16Ssd() {
    }

    static List<PriorSpec> priors() {
        return List.of(
                new PriorSpec(38, 8, 30, 60, new int[] {2}),
                new PriorSpec(19, 16, 60, 111, new int[] {2, 3}),
                new PriorSpec(10, 32, 111, 162, new int[] {2, 3}),
                new PriorSpec(5, 64, 162, 213, new int[] {2, 3}),
                new PriorSpec(3, 100, 213, 264, new int[] {2}),
                new PriorSpec(1, 300, 264, 315, new int[] {2}));
    }

    static final ArchitectureSpec SPEC = PytorchSsd.spec(NAME, "VGG16 SSD", Vgg16Ssd::build,
            "classification_headers.0.weight", 4, priors(),
            new Stretch(300, new float[] {123f, 117f, 104f}, new float[] {1f, 1f, 1f}));

    /** {@code vgg(cfg)}: 'M' a 2x2 pool, 'C' a 2x2 ceil-mode pool (0 here), else a 3x3 conv and ReLU. */
    static ModuleList layers() {
        int[] cfg = {64, 64, -1, 128, 128, -1, 256, 256, 256, 0, 512, 512, 512, -1, 512, 512, 512};
        List<Module> layers = new ArrayList<>();
        int in = 3;
        for (int v : cfg) {
            if (v <= 0) {
                layers.add(new MaxPool2d(2, 2, 0, v == 0));
            } else {
                layers.add(new Conv2d(in, v, 3, 1, 1, 1, true));
                layers.add(Act.relu(true));
                in = v;
            }
        }
        layers.add(new MaxPool2d(3, 1, 1, false));
        layers.add(new Conv2d(512, 1024, 3, 1, 6, 6, 1, true));
        layers.add(Act.relu(true));
        layers.add(new Conv2d(1024, 1024, 1, 1, 0, 1, true));
        layers.add(Act.relu(true));
        return new ModuleList(layers.toArray(new Module[0]));
    }

    static SSD build(int numClasses) {
        int[][] ex = {{1024, 256, 512, 2, 1}, {512, 128, 256, 2, 1}, {256, 128, 256, 1, 0}, {256, 128, 256, 1, 0}};
        Module[] extras = new Module[ex.length];
        for (int i = 0; i < ex.length; i++) {
            extras[i] = new Sequential(new Conv2d(ex[i][0], ex[i][1], 1, 1, 0, 1, true), Act.relu(false),
                    new Conv2d(ex[i][1], ex[i][2], 3, ex[i][3], ex[i][4], 1, true), Act.relu(false));
        }
        int[] chans = {512, 1024, 512, 256, 256, 256};
        int[] anchors = {4, 6, 6, 6, 4, 4};
        Module[] cls = new Module[6];
        Module[] reg = new Module[6];
        for (int i = 0; i < 6; i++) {
            reg[i] = new Conv2d(chans[i], anchors[i] * 4, 3, 1, 1, 1, true);
            cls[i] = new Conv2d(chans[i], anchors[i] * numClasses, 3, 1, 1, 1, true);
        }
        // source_layer_indexes [(23, BatchNorm2d(512)), len(base_net)]
        return new SSD(layers(), new ModuleList(extras), new ModuleList(cls), new ModuleList(reg),
                new ModuleList(new BatchNorm2d(512)),
                List.of("base_net.22", "base_net.34", "extras.0", "extras.1", "extras.2", "extras.3"),
                new int[] {0, -1, -1, -1, -1, -1});
    }
}
