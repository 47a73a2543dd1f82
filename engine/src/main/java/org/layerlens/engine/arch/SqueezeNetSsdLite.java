package org.layerlens.engine.arch;

import java.util.List;

import org.layerlens.engine.image.Stretch;
import org.layerlens.engine.nn.Act;
import org.layerlens.engine.nn.Conv2d;
import org.layerlens.engine.nn.Fire;
import org.layerlens.engine.nn.MaxPool2d;
import org.layerlens.engine.nn.Module;
import org.layerlens.engine.nn.ModuleList;
import org.layerlens.engine.nn.SSD;
import org.layerlens.engine.nn.Sequential;
import org.layerlens.engine.ssd.PriorSpec;

/**
 * pytorch-ssd's {@code create_squeezenet_ssd_lite} ({@code vision/ssd/squeezenet_ssd_lite.py}):
 * SqueezeNet 1.1's features (no padding, no ceil mode: 300 -> 149 -> 74 -> 36 -> 17) as base_net,
 * five extras of a 1x1 conv and a stride-2 separable conv, SSD-Lite heads without batch norm;
 * {@code squeezenet_ssd_config}'s priors (first map 17x17) and the MobileNet preprocessing.
 * The first source is {@code base_net.11} ({@code source_layer_indexes = [12]}); the last Fire,
 * {@code base_net.12}, runs and feeds the extras but no head reads it.
 */
final class SqueezeNetSsdLite {
    static final String NAME = "sq-ssd-lite";

    private SqueezeNetSsdLite() {
    }

    static List<PriorSpec> priors() {
        int[] ar = {2, 3};
        return List.of(
                new PriorSpec(17, 16, 60, 105, ar),
                new PriorSpec(10, 32, 105, 150, ar),
                new PriorSpec(5, 64, 150, 195, ar),
                new PriorSpec(3, 100, 195, 240, ar),
                new PriorSpec(2, 150, 240, 285, ar),
                new PriorSpec(1, 300, 285, 330, ar));
    }

    static final ArchitectureSpec SPEC = PytorchSsd.spec(NAME, "SqueezeNet SSD-Lite", SqueezeNetSsdLite::build,
            "classification_headers.0.2.weight", 6, priors(), Stretch.mobilenet(300));

    /** torchvision's {@code squeezenet1_1().features}. */
    static Sequential features() {
        return new Sequential(new Conv2d(3, 64, 3, 2, 0, 1, true), Act.relu(true), pool(),
                new Fire(64, 16, 64, 64), new Fire(128, 16, 64, 64), pool(),
                new Fire(128, 32, 128, 128), new Fire(256, 32, 128, 128), pool(),
                new Fire(256, 48, 192, 192), new Fire(384, 48, 192, 192), new Fire(384, 64, 256, 256),
                new Fire(512, 64, 256, 256));
    }

    private static MaxPool2d pool() {
        return new MaxPool2d(3, 2, 0, false);
    }

    static SSD build(int numClasses) {
        int[][] ex = {{512, 256, 512, 2}, {512, 256, 512, 1}, {512, 128, 256, 1}, {256, 128, 256, 1},
                      {256, 128, 256, 1}};
        Module[] extras = new Module[ex.length];
        for (int i = 0; i < ex.length; i++) {
            extras[i] = new Sequential(new Conv2d(ex[i][0], ex[i][1], 1, 1, 0, 1, true), Act.relu(false),
                    PytorchSsd.separableV1(ex[i][1], ex[i][2], 3, 2, ex[i][3]));
        }
        int[] chans = {512, 512, 512, 256, 256};
        Module[] cls = new Module[6];
        Module[] reg = new Module[6];
        for (int i = 0; i < 5; i++) {
            cls[i] = PytorchSsd.separableV1(chans[i], 6 * numClasses, 3, 1, 1);
            reg[i] = PytorchSsd.separableV1(chans[i], 6 * 4, 3, 1, 1);
        }
        cls[5] = new Conv2d(256, 6 * numClasses, 1, 1, 0, 1, true);
        reg[5] = new Conv2d(256, 6 * 4, 1, 1, 0, 1, true);
        return new SSD(features(), new ModuleList(extras), new ModuleList(cls), new ModuleList(reg),
                List.of("base_net.11", "extras.0", "extras.1", "extras.2", "extras.3", "extras.4"));
    }
}
