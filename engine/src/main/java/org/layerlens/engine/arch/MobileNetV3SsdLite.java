package org.layerlens.engine.arch;

import java.util.ArrayList;
import java.util.List;
import java.util.function.Supplier;

import org.layerlens.engine.image.Stretch;
import org.layerlens.engine.nn.Act;
import org.layerlens.engine.nn.BatchNorm2d;
import org.layerlens.engine.nn.Block;
import org.layerlens.engine.nn.Conv2d;
import org.layerlens.engine.nn.Module;
import org.layerlens.engine.nn.ModuleList;
import org.layerlens.engine.nn.SSD;
import org.layerlens.engine.nn.SeModule;
import org.layerlens.engine.nn.Sequential;

/**
 * pytorch-ssd's {@code create_mobilenetv3_large_ssd_lite} and {@code _small_ssd_lite}
 * ({@code vision/ssd/mobilenetv3_ssd_lite.py}): {@code MobileNetV3_Large().features} (or Small's) as
 * base_net, four stride-2 hswish {@link Block}s as extras, SSD-Lite heads with batch norm and
 * ReLU6; MobileNet priors and preprocessing ({@code mobilenetv1_ssd_config}).
 */
final class MobileNetV3SsdLite {
    static final String LARGE = "mb3-large-ssd-lite";
    static final String SMALL = "mb3-small-ssd-lite";

    /** One bottleneck: kernel, in, expansion, out, hswish (else ReLU), squeeze-excite, stride. */
    private record Bneck(int k, int in, int expand, int out, boolean hswish, boolean se, int stride) {
    }

    /** {@code MobileNetV3_Large.bneck}. */
    private static final List<Bneck> LARGE_BNECK = List.of(
            new Bneck(3, 16, 16, 16, false, false, 1), new Bneck(3, 16, 64, 24, false, false, 2),
            new Bneck(3, 24, 72, 24, false, false, 1), new Bneck(5, 24, 72, 40, false, true, 2),
            new Bneck(5, 40, 120, 40, false, true, 1), new Bneck(5, 40, 120, 40, false, true, 1),
            new Bneck(3, 40, 240, 80, true, false, 2), new Bneck(3, 80, 200, 80, true, false, 1),
            new Bneck(3, 80, 184, 80, true, false, 1), new Bneck(3, 80, 184, 80, true, false, 1),
            new Bneck(3, 80, 480, 112, true, true, 1), new Bneck(3, 112, 672, 112, true, true, 1),
            new Bneck(5, 112, 672, 160, true, true, 1), new Bneck(5, 160, 672, 160, true, true, 2),
            new Bneck(5, 160, 960, 160, true, true, 1));

    /** {@code MobileNetV3_Small.bneck}. */
    private static final List<Bneck> SMALL_BNECK = List.of(
            new Bneck(3, 16, 16, 16, false, true, 2), new Bneck(3, 16, 72, 24, false, false, 2),
            new Bneck(3, 24, 88, 24, false, false, 1), new Bneck(5, 24, 96, 40, true, true, 2),
            new Bneck(5, 40, 240, 40, true, true, 1), new Bneck(5, 40, 240, 40, true, true, 1),
            new Bneck(5, 40, 120, 48, true, true, 1), new Bneck(5, 48, 144, 48, true, true, 1),
            new Bneck(5, 48, 288, 96, true, true, 2), new Bneck(5, 96, 576, 96, true, true, 1),
            new Bneck(5, 96, 576, 96, true, true, 1));

    private MobileNetV3SsdLite() {
    }

    static final ArchitectureSpec LARGE_SPEC = PytorchSsd.spec(LARGE, "MobileNetV3-Large SSD-Lite", c -> build(c, true),
            "classification_headers.0.3.weight", 6, PytorchSsd.mobilenetPriors(), Stretch.mobilenet(300));
    static final ArchitectureSpec SMALL_SPEC = PytorchSsd.spec(SMALL, "MobileNetV3-Small SSD-Lite",
            c -> build(c, false), "classification_headers.0.3.weight", 6, PytorchSsd.mobilenetPriors(),
            Stretch.mobilenet(300));

    /**
     * {@code features}: conv-bn-hswish stem, the bottlenecks, 1x1 conv-bn-hswish to {@code last}
     * channels (upstream collects these into one Sequential, so they are numbered flat).
     */
    static Sequential features(List<Bneck> plan, int last) {
        List<Module> layers = new ArrayList<>(List.of(new Conv2d(3, 16, 3, 2, 1, 1, false), new BatchNorm2d(16),
                Act.hswish()));
        for (Bneck b : plan) {
            Supplier<Act> act = b.hswish() ? Act::hswish : () -> Act.relu(true);
            layers.add(new Block(b.k(), b.in(), b.expand(), b.out(), act, b.se() ? new SeModule(b.out()) : null,
                    b.stride()));
        }
        int in = plan.get(plan.size() - 1).out();
        layers.addAll(List.of(new Conv2d(in, last, 1, 1, 0, 1, false), new BatchNorm2d(last), Act.hswish()));
        return new Sequential(layers.toArray(new Module[0]));
    }

    static SSD build(int numClasses, boolean large) {
        List<Bneck> plan = large ? LARGE_BNECK : SMALL_BNECK;
        int last = large ? 960 : 576;
        int first = large ? 112 : 48;
        ModuleList extras = new ModuleList(
                new Block(3, last, 256, 512, Act::hswish, null, 2), new Block(3, 512, 128, 256, Act::hswish, null, 2),
                new Block(3, 256, 128, 256, Act::hswish, null, 2), new Block(3, 256, 64, 64, Act::hswish, null, 2));
        int[] chans = {first, last, 512, 256, 256};
        Module[] cls = new Module[6];
        Module[] reg = new Module[6];
        for (int i = 0; i < 5; i++) {
            cls[i] = PytorchSsd.separable(chans[i], 6 * numClasses);
            reg[i] = PytorchSsd.separable(chans[i], 6 * 4);
        }
        cls[5] = new Conv2d(64, 6 * numClasses, 1, 1, 0, 1, true);
        reg[5] = new Conv2d(64, 6 * 4, 1, 1, 0, 1, true);
        // source_layer_indexes [15, 21] (Large) / [11, 17] (Small): after base_net[:i]
        int tap = large ? 14 : 10;
        int end = large ? 20 : 16;
        return new SSD(features(plan, last), extras, new ModuleList(cls), new ModuleList(reg),
                List.of("base_net." + tap, "base_net." + end, "extras.0", "extras.1", "extras.2", "extras.3"));
    }
}
