package org.layerlens.engine.arch;

import java.util.ArrayList;
import java.util.List;

import org.layerlens.engine.image.Stretch;
import org.layerlens.engine.nn.Act;
import org.layerlens.engine.nn.BatchNorm2d;
import org.layerlens.engine.nn.Conv2d;
import org.layerlens.engine.nn.InvertedResidual;
import org.layerlens.engine.nn.Module;
import org.layerlens.engine.nn.ModuleList;
import org.layerlens.engine.nn.SSD;
import org.layerlens.engine.nn.Sequential;
import org.layerlens.engine.ssd.Nms;
import org.layerlens.engine.ssd.PriorSpec;
import org.layerlens.engine.ssd.Priors;
import org.layerlens.engine.ssd.PytorchSsdDecoder;

/**
 * pytorch-ssd's MobileNet architectures (github qfgaohao/pytorch-ssd), named and nested as its
 * code builds them so that state_dict keys and {@code print(model)} match: {@code mb2-ssd-lite}
 * (the seed network), {@code mb1-ssd}, {@code mb1-ssd-lite}; and what pytorch-ssd's other
 * architectures share with them (priors, post-processing, separable heads). Those are in
 * {@link MobileNetV3SsdLite}, {@link Vgg16Ssd} and {@link SqueezeNetSsdLite}.
 */
public final class PytorchSsd {
    public static final String MB2_SSD_LITE = "mb2-ssd-lite";
    public static final String MB1_SSD = "mb1-ssd";
    public static final String MB1_SSD_LITE = "mb1-ssd-lite";

    private PytorchSsd() {
    }

    /** pytorch-ssd's priors for 300x300 MobileNet SSDs ({@code mobilenetv1_ssd_config}). */
    public static List<PriorSpec> mobilenetPriors() {
        int[] ar = {2, 3};
        return List.of(
                new PriorSpec(19, 16, 60, 105, ar),
                new PriorSpec(10, 32, 105, 150, ar),
                new PriorSpec(5, 64, 150, 195, ar),
                new PriorSpec(3, 100, 195, 240, ar),
                new PriorSpec(2, 150, 240, 285, ar),
                new PriorSpec(1, 300, 285, 330, ar));
    }

    /** pytorch-ssd's post-processing for priors {@code specs}: variances 0.1 / 0.2, softmax, per-class hard NMS. */
    public static PostProcessing post(List<PriorSpec> specs, int size) {
        float[] priors = Priors.generate(specs, size, true);
        return new PostProcessing((tree, layout, factors) -> new PytorchSsdDecoder(priors, 0.1, 0.2),
                Nms.PYTORCH_SSD, 0.45, 200, 0.5, List.copyOf(specs));
    }

    static ArchitectureSpec spec(String name, String title, java.util.function.IntFunction<org.layerlens.engine.nn.Detector> b,
                                 String classKey, int anchors, List<PriorSpec> priors, Stretch input) {
        return new ArchitectureSpec(name, title, "pytorch-ssd", b, classKey, anchors, 0, input,
                post(priors, input.size()), ArchitectureSpec::indexLabels);
    }

    static final ArchitectureSpec MB2 = spec(MB2_SSD_LITE, "MobileNetV2 SSD-Lite", PytorchSsd::mb2SsdLite,
            "classification_headers.0.3.weight", 6, mobilenetPriors(), Stretch.mobilenet(300));
    static final ArchitectureSpec MB1 = spec(MB1_SSD, "MobileNetV1 SSD", c -> mb1Ssd(c, false),
            "classification_headers.0.weight", 6, mobilenetPriors(), Stretch.mobilenet(300));
    static final ArchitectureSpec MB1_LITE = spec(MB1_SSD_LITE, "MobileNetV1 SSD-Lite", c -> mb1Ssd(c, true),
            "classification_headers.0.2.weight", 6, mobilenetPriors(), Stretch.mobilenet(300));

    // ---------------------------------------------------------------- MobileNetV2 SSD-Lite

    /** MobileNetV2 features, width 1.0, as base_net (19 modules). */
    static Sequential mobilenetV2Features() {
        int[][] setting = {{1, 16, 1, 1}, {6, 24, 2, 2}, {6, 32, 3, 2}, {6, 64, 4, 2},
                           {6, 96, 3, 1}, {6, 160, 3, 2}, {6, 320, 1, 1}};
        List<Module> layers = new ArrayList<>();
        layers.add(convBnRelu6(3, 32, 3, 2, 1));
        int in = 32;
        for (int[] s : setting) {
            for (int i = 0; i < s[2]; i++) {
                layers.add(new InvertedResidual(in, s[1], i == 0 ? s[3] : 1, s[0]));
                in = s[1];
            }
        }
        layers.add(convBnRelu6(in, 1280, 1, 1, 1));
        return new Sequential(layers.toArray(new Module[0]));
    }

    static Sequential convBnRelu6(int in, int out, int k, int stride, int groups) {
        return new Sequential(new Conv2d(in, out, k, stride, (k - 1) / 2, groups, false),
                new BatchNorm2d(out), Act.relu6(true));
    }

    /** pytorch-ssd's SeperableConv2d head: depthwise 3x3 (bias), BN, ReLU6, pointwise 1x1. */
    static Sequential separable(int in, int out) {
        return new Sequential(new Conv2d(in, in, 3, 1, 1, in, true), new BatchNorm2d(in),
                Act.relu6(false), new Conv2d(in, out, 1, 1, 0, 1, true));
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
        return new SSD(mobilenetV2Features(), extras, new ModuleList(cls), new ModuleList(reg),
                List.of("base_net.14.conv.2", "base_net", "extras.0", "extras.1", "extras.2", "extras.3"));
    }

    // ---------------------------------------------------------------- MobileNetV1 SSD and SSD-Lite

    /** MobileNetV1 features as pytorch-ssd's {@code MobileNetV1(1001).model}: 14 stages, ReLU. */
    static Sequential mobilenetV1Features() {
        int[][] plan = {{32, 64, 1}, {64, 128, 2}, {128, 128, 1}, {128, 256, 2}, {256, 256, 1}, {256, 512, 2},
                        {512, 512, 1}, {512, 512, 1}, {512, 512, 1}, {512, 512, 1}, {512, 512, 1},
                        {512, 1024, 2}, {1024, 1024, 1}};
        List<Module> layers = new ArrayList<>();
        layers.add(new Sequential(new Conv2d(3, 32, 3, 2, 1, 1, false), new BatchNorm2d(32), Act.relu(true)));
        for (int[] p : plan) {
            layers.add(new Sequential(new Conv2d(p[0], p[0], 3, p[2], 1, p[0], false), new BatchNorm2d(p[0]),
                    Act.relu(true), new Conv2d(p[0], p[1], 1, 1, 0, 1, false), new BatchNorm2d(p[1]),
                    Act.relu(true)));
        }
        return new Sequential(layers.toArray(new Module[0]));
    }

    /** mb1-ssd-lite's SeperableConv2d: depthwise (bias), ReLU, pointwise; no batch norm. */
    static Sequential separableV1(int in, int out, int k, int stride, int padding) {
        return new Sequential(new Conv2d(in, in, k, stride, padding, in, true), Act.relu(false),
                new Conv2d(in, out, 1, 1, 0, 1, true));
    }

    /** pytorch-ssd's {@code create_mobilenetv1_ssd} ({@code lite=false}) or {@code _ssd_lite}. */
    public static SSD mb1Ssd(int numClasses, boolean lite) {
        int[][] ex = {{1024, 256, 512}, {512, 128, 256}, {256, 128, 256}, {256, 128, 256}};
        Module[] extras = new Module[4];
        for (int i = 0; i < 4; i++) {
            extras[i] = lite
                    ? new Sequential(new Conv2d(ex[i][0], ex[i][1], 1, 1, 0, 1, true), Act.relu(false),
                            separableV1(ex[i][1], ex[i][2], 3, 2, 1))
                    : new Sequential(new Conv2d(ex[i][0], ex[i][1], 1, 1, 0, 1, true), Act.relu(false),
                            new Conv2d(ex[i][1], ex[i][2], 3, 2, 1, 1, true), Act.relu(false));
        }
        int[] chans = {512, 1024, 512, 256, 256, 256};
        Module[] cls = new Module[6];
        Module[] reg = new Module[6];
        for (int i = 0; i < 6; i++) {
            int c = chans[i];
            if (!lite) {
                cls[i] = new Conv2d(c, 6 * numClasses, 3, 1, 1, 1, true);
                reg[i] = new Conv2d(c, 6 * 4, 3, 1, 1, 1, true);
            } else if (i < 5) {
                cls[i] = separableV1(c, 6 * numClasses, 3, 1, 1);
                reg[i] = separableV1(c, 6 * 4, 3, 1, 1);
            } else {
                cls[i] = new Conv2d(c, 6 * numClasses, 1, 1, 0, 1, true);
                reg[i] = new Conv2d(c, 6 * 4, 1, 1, 0, 1, true);
            }
        }
        return new SSD(mobilenetV1Features(), new ModuleList(extras), new ModuleList(cls), new ModuleList(reg),
                List.of("base_net.11", "base_net", "extras.0", "extras.1", "extras.2", "extras.3"));
    }
}
