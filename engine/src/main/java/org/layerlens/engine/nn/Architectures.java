package org.layerlens.engine.nn;

import java.util.ArrayList;
import java.util.List;

import org.layerlens.engine.ssd.PriorSpec;

/** Builders for the networks LayerLens knows, named as pytorch-ssd names them. */
public final class Architectures {
    public static final String MB2_SSD_LITE = "mb2-ssd-lite";

    private Architectures() {
    }

    /** pytorch-ssd's priors for 300x300 MobileNet SSDs (mobilenetv1_ssd_config). */
    public static List<PriorSpec> mobilenetSpecs() {
        int[] ar = {2, 3};
        return List.of(
                new PriorSpec(19, 16, 60, 105, ar),
                new PriorSpec(10, 32, 105, 150, ar),
                new PriorSpec(5, 64, 150, 195, ar),
                new PriorSpec(3, 100, 195, 240, ar),
                new PriorSpec(2, 150, 240, 285, ar),
                new PriorSpec(1, 300, 285, 330, ar));
    }

    /** MobileNetV2 features, width 1.0, as base_net (19 modules). */
    static Sequential mobilenetV2Features() {
        int[][] setting = {{1, 16, 1, 1}, {6, 24, 2, 2}, {6, 32, 3, 2}, {6, 64, 4, 2},
                           {6, 96, 3, 1}, {6, 160, 3, 2}, {6, 320, 1, 1}};
        List<Module> layers = new ArrayList<>();
        layers.add(convBnRelu(3, 32, 3, 2, 1));
        int in = 32;
        for (int[] s : setting) {
            for (int i = 0; i < s[2]; i++) {
                layers.add(new InvertedResidual(in, s[1], i == 0 ? s[3] : 1, s[0]));
                in = s[1];
            }
        }
        layers.add(convBnRelu(in, 1280, 1, 1, 1));
        return new Sequential(layers.toArray(new Module[0]));
    }

    static Sequential convBnRelu(int in, int out, int k, int stride, int groups) {
        return new Sequential(new Conv2d(in, out, k, stride, (k - 1) / 2, groups, false),
                new BatchNorm2d(out), new ReLU6(true));
    }

    /** pytorch-ssd's SeperableConv2d head: depthwise 3x3 (bias), BN, ReLU6, pointwise 1x1. */
    static Sequential separable(int in, int out) {
        return new Sequential(new Conv2d(in, in, 3, 1, 1, in, true), new BatchNorm2d(in),
                new ReLU6(false), new Conv2d(in, out, 1, 1, 0, 1, true));
    }

    /** pytorch-ssd's {@code create_mobilenetv2_ssd_lite(num_classes)}. */
    public static SSD mb2SsdLite(int numClasses) {
        ModuleList extras = new ModuleList(
                new InvertedResidual(1280, 512, 2, 0.2), new InvertedResidual(512, 256, 2, 0.25),
                new InvertedResidual(256, 256, 2, 0.5), new InvertedResidual(256, 64, 2, 0.25));
        int[] chans = {576, 1280, 512, 256, 256};
        Module[] cls = new Module[6];
        Module[] reg = new Module[6];
        for (int i = 0; i < 5; i++) {
            cls[i] = separable(chans[i], 6 * numClasses);
            reg[i] = separable(chans[i], 6 * 4);
        }
        cls[5] = new Conv2d(64, 6 * numClasses, 1, 1, 0, 1, true);
        reg[5] = new Conv2d(64, 6 * 4, 1, 1, 0, 1, true);
        return new SSD(MB2_SSD_LITE, numClasses, 300, mobilenetV2Features(), extras,
                new ModuleList(cls), new ModuleList(reg),
                List.of("base_net.14.conv.2", "base_net", "extras.0", "extras.1", "extras.2", "extras.3"),
                mobilenetSpecs(), 0.1, 0.2);
    }
}
