package org.layerlens.engine.nn;

import java.util.HashSet;
import java.util.List;
import java.util.Set;

import org.layerlens.engine.exec.Execution;
import org.layerlens.engine.image.LoadedImage;
import org.layerlens.engine.ssd.SsdOutput;
import org.nd4j.linalg.api.memory.MemoryWorkspace;
import org.nd4j.linalg.api.memory.conf.WorkspaceConfiguration;
import org.nd4j.linalg.api.memory.enums.AllocationPolicy;
import org.nd4j.linalg.api.memory.enums.LearningPolicy;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/**
 * The root of a detector's module tree: a backbone ({@link #trunk()}), the layers after it, and
 * heads that read the outputs at {@link #sourcePaths()}. pytorch-ssd's networks ({@link SSD}) and
 * face-api's SSD MobileNetV1 ({@link FaceSsd}) are both detectors; the viewer and the CLI only
 * see this class.
 */
public abstract class Detector extends Module {
    private static final WorkspaceConfiguration FAST_WORKSPACE = WorkspaceConfiguration.builder()
            .policyAllocation(AllocationPolicy.STRICT).policyLearning(LearningPolicy.FIRST_LOOP).build();

    private boolean prepared;

    /** The architecture's name ({@code mb2-ssd-lite}, {@code faces-v1}). */
    public abstract String architecture();

    /** Classes including BACKGROUND. */
    public abstract int numClasses();

    /** The square input size the network sees (300 or 512). */
    public abstract int imageSize();

    /** Paths whose outputs the heads read, largest feature map first. */
    public abstract List<String> sourcePaths();

    /** The backbone: its stages are the steps of the shape trail. */
    public abstract Sequential trunk();

    /** The modules that run after the backbone, in order (extras / prediction convolutions). */
    public abstract List<Module> afterTrunk();

    /** The network input for an image, as this model's own preprocessing makes it: [1, 3, S, S]. */
    public abstract INDArray toInput(LoadedImage img);

    /** What the root is called in the module tree ({@code SSD}). */
    public String rootName() {
        return typeName();
    }

    /** The IoU threshold the model's own code uses for NMS (pytorch-ssd 0.45, face-api 0.5). */
    public double defaultIou() {
        return 0.45;
    }

    /** Class names when no labels file is given: BACKGROUND first (pytorch-ssd: the class indices). */
    public List<String> defaultLabels() {
        return org.layerlens.engine.Labels.indices(numClasses());
    }

    /**
     * A head's [1, A*k, H, W] output as a fresh float32 c-order copy in NHWC order ([H, W, A, k]
     * flattened: the anchor order both pytorch-ssd and TF use); the head output is released. The
     * caller closes the copy.
     */
    protected static INDArray nhwcCopy(Execution ex, INDArray head) {
        INDArray copy = head.permute(0, 2, 3, 1).castTo(org.nd4j.linalg.api.buffer.DataType.FLOAT).dup('c');
        ex.release(head);
        return copy;
    }

    /** Paths whose outputs the execution keeps for the heads. */
    public Set<String> tapPaths() {
        return new HashSet<>(sourcePaths());
    }

    @Override
    public INDArray forward(INDArray x, Execution ex) {
        throw new UnsupportedOperationException("use predict(): a detector returns scores and boxes");
    }

    /**
     * Runs the whole network on a [1, 3, S, S] input. The fast pass runs inside a workspace that
     * is reused from pass to pass, so its temporaries never wait for the garbage collector.
     */
    public final SsdOutput predict(INDArray x, Execution ex, int imageWidth, int imageHeight) {
        if (!ex.fast()) {
            return predictIn(x, ex, imageWidth, imageHeight);
        }
        prepareFast();
        try (MemoryWorkspace ws = Nd4j.getWorkspaceManager().getAndActivateWorkspace(FAST_WORKSPACE, "layerlens-fast")) {
            return predictIn(x, ex, imageWidth, imageHeight);
        }
    }

    /**
     * Runs the backbone, then each module after it on the previous one's output, releasing what
     * the heads do not read; the heads find their inputs among the execution's taps.
     */
    protected final void runTrunkAndAfter(INDArray x, Execution ex) {
        ex.protect(x);
        INDArray cur = ex.call(trunk(), x);
        for (Module m : afterTrunk()) {
            INDArray next = ex.call(m, cur);
            ex.release(cur);
            cur = next;
        }
        ex.release(cur);
    }

    protected abstract SsdOutput predictIn(INDArray x, Execution ex, int imageWidth, int imageHeight);

    /** Folds every conv + batch norm pair now, outside any workspace (the folds outlive the pass). */
    private synchronized void prepareFast() {
        if (prepared) {
            return;
        }
        for (Module m : modules()) {
            List<Module> kids = m.childList();
            for (int i = 0; i + 1 < kids.size(); i++) {
                if (kids.get(i) instanceof Conv2d c && kids.get(i + 1) instanceof BatchNorm2d bn) {
                    c.prepareFold(bn);
                }
            }
        }
        prepared = true;
    }
}
