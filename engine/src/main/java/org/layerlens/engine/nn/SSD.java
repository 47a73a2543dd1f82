package org.layerlens.engine.nn;

import java.util.ArrayList;
import java.util.List;

import org.layerlens.engine.exec.Execution;
import org.layerlens.engine.exec.Tensors;
import org.layerlens.engine.image.LoadedImage;
import org.layerlens.engine.image.Preprocess;
import org.layerlens.engine.ssd.BoxCodec;
import org.layerlens.engine.ssd.PriorSpec;
import org.layerlens.engine.ssd.Priors;
import org.layerlens.engine.ssd.SsdOutput;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/**
 * pytorch-ssd's {@code SSD}: a backbone ({@code base_net}), extra layers, and per-source
 * classification and regression heads. The heads read the outputs at {@link #sourcePaths()}
 * (for mb2-ssd-lite: {@code base_net.14.conv.2}, {@code base_net}, {@code extras.0..3}).
 */
public final class SSD extends Detector {
    private final String architecture;
    private final int numClasses;
    private final int imageSize;
    private final List<String> sourcePaths;
    private final List<PriorSpec> specs;
    private final BoxCodec codec;
    private final INDArray priors;

    public SSD(String architecture, int numClasses, int imageSize, Sequential baseNet, ModuleList extras,
               ModuleList classificationHeaders, ModuleList regressionHeaders,
               List<String> sourcePaths, List<PriorSpec> specs, double centerVariance, double sizeVariance) {
        this.architecture = architecture;
        this.numClasses = numClasses;
        this.imageSize = imageSize;
        add("base_net", baseNet);
        add("extras", extras);
        add("classification_headers", classificationHeaders);
        add("regression_headers", regressionHeaders);
        add("source_layer_add_ons", new ModuleList());
        this.sourcePaths = List.copyOf(sourcePaths);
        this.specs = List.copyOf(specs);
        this.codec = new BoxCodec(centerVariance, sizeVariance);
        float[] p = Priors.generate(specs, imageSize, true);
        this.priors = Nd4j.create(p, new long[] {p.length / 4, 4}, 'c');
        assignPaths("");
    }

    @Override
    public String architecture() {
        return architecture;
    }

    @Override
    public int numClasses() {
        return numClasses;
    }

    @Override
    public int imageSize() {
        return imageSize;
    }

    @Override
    public List<String> sourcePaths() {
        return sourcePaths;
    }

    public List<PriorSpec> specs() {
        return specs;
    }

    public INDArray priors() {
        return priors;
    }

    public Sequential baseNet() {
        return (Sequential) child("base_net");
    }

    public ModuleList extras() {
        return (ModuleList) child("extras");
    }

    @Override
    public Sequential trunk() {
        return baseNet();
    }

    @Override
    public List<Module> afterTrunk() {
        return extras().childList();
    }

    @Override
    public INDArray toInput(LoadedImage img) {
        return Preprocess.toTensor(img, imageSize);
    }

    @Override
    public String rootName() {
        return "SSD";
    }

    @Override
    protected SsdOutput predictIn(INDArray x, Execution ex, int imageWidth, int imageHeight) {
        runTrunkAndAfter(x, ex);
        ModuleList cls = (ModuleList) child("classification_headers");
        ModuleList reg = (ModuleList) child("regression_headers");
        List<INDArray> confs = new ArrayList<>();
        List<INDArray> locs = new ArrayList<>();
        List<INDArray> owned = new ArrayList<>();
        for (int i = 0; i < sourcePaths.size(); i++) {
            INDArray source = ex.tap(sourcePaths.get(i));
            confs.add(flatten(ex, ex.call(cls.get(i), source), numClasses, owned));
            locs.add(flatten(ex, ex.call(reg.get(i), source), 4, owned));
        }
        ex.releaseTaps();
        INDArray conf = Nd4j.concat(0, confs.toArray(new INDArray[0]));
        INDArray loc = Nd4j.concat(0, locs.toArray(new INDArray[0]));
        owned.forEach(Tensors::close);
        INDArray scores = Nd4j.nn().softmax(conf, 1);
        INDArray boxes = codec.decode(loc, priors);
        SsdOutput out = new SsdOutput(Tensors.toFloats(scores), Tensors.toFloats(boxes), (int) conf.size(0),
                numClasses, imageWidth, imageHeight);
        conf.close();
        loc.close();
        scores.close();
        boxes.close();
        return out;
    }

    /**
     * [1, A*k, H, W] -> [H*W*A, k] as {@code permute(0, 2, 3, 1).view(-1, k)}. The copy it makes
     * goes into {@code owned} (the result may be a view of it) for the caller to close.
     */
    private static INDArray flatten(Execution ex, INDArray head, int k, List<INDArray> owned) {
        INDArray copy = nhwcCopy(ex, head);
        owned.add(copy);
        return copy.reshape('c', -1, k);
    }

}
