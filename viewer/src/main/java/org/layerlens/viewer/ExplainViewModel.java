package org.layerlens.viewer;

import javafx.beans.property.ReadOnlyObjectProperty;
import javafx.beans.property.ReadOnlyObjectWrapper;
import org.layerlens.engine.api.Detection;
import org.layerlens.engine.api.Model;
import org.layerlens.engine.api.Provenance;

/**
 * The window's "why" answers, following {@link InspectorViewModel}: the selected detection's
 * provenance and cell; the priors of a head ({@link PriorsViewModel}); a dragged box's best
 * priors ({@link QueryViewModel}); each head's map for a class ({@link ClassMapsViewModel});
 * where the selected module looks ({@link ActivationMapViewModel}); a dataset's anchor coverage
 * ({@link CoverageViewModel}).
 * <p>
 * Selecting another detection (a click, a table row, N) selects the module that computed its
 * head's class scores, so the gallery shows that head's maps with the cell marked, and shows
 * that head's priors and that class's maps. The provenance itself is a lookup (the engine keeps
 * it with each detection), so the panel and the overlays follow the selection at once; what takes
 * longer (the module's data, maps) is computed on workers.
 */
public final class ExplainViewModel {
    private final InspectorViewModel vm;
    private final PriorsViewModel priors;
    private final QueryViewModel query;
    private final ClassMapsViewModel classMaps;
    private final ActivationMapViewModel activation;
    private final CoverageViewModel coverage;
    private final ReadOnlyObjectWrapper<Detection> explained = new ReadOnlyObjectWrapper<>();
    private final ReadOnlyObjectWrapper<HeadCell> cell = new ReadOnlyObjectWrapper<>();
    private java.util.function.Consumer<String> selectModule;

    public ExplainViewModel(InspectorViewModel vm) {
        this.vm = vm;
        InspectorViewModel.Services s = vm.services();
        this.priors = new PriorsViewModel(vm);
        this.query = new QueryViewModel(vm, s);
        this.classMaps = new ClassMapsViewModel(vm, s);
        this.activation = new ActivationMapViewModel(vm, s);
        this.coverage = new CoverageViewModel(vm, s);
        this.selectModule = vm::select;
        vm.selectedDetectionProperty().addListener((o, a, d) -> follow(a, d));
        vm.selectedPathProperty().addListener((o, a, p) -> {
            Model m = vm.modelProperty().get();
            int h = m == null || p == null ? -1 : HeadModules.headOf(m, p);
            if (h >= 0) {
                priors.headProperty().set(h);
            }
        });
        vm.resultProperty().addListener((o, a, r) -> {
            if (r == null && vm.closed()) {
                close();
            }
        });
    }

    /** The detection explained (the selected one), whose provenance the panel shows. */
    public ReadOnlyObjectProperty<Detection> detectionProperty() {
        return explained.getReadOnlyProperty();
    }

    /** The selected detection's head cell (null for none): marked on the gallery's maps. */
    public ReadOnlyObjectProperty<HeadCell> cellProperty() {
        return cell.getReadOnlyProperty();
    }

    public PriorsViewModel priors() {
        return priors;
    }

    public QueryViewModel query() {
        return query;
    }

    public ClassMapsViewModel classMaps() {
        return classMaps;
    }

    public ActivationMapViewModel activation() {
        return activation;
    }

    public CoverageViewModel coverage() {
        return coverage;
    }

    /**
     * How the head's module is selected when a detection is (default: at once). The window
     * selects it after the pulse that shows the explanation: the tree, the gallery and the block
     * diagram follow a frame later instead of delaying what the user asked to see.
     */
    public void setModuleSelector(java.util.function.Consumer<String> s) {
        selectModule = s;
    }

    /** Whether a map or an answer is still being computed (snapshots wait for it). */
    public boolean busy() {
        return query.busyProperty().get() || classMaps.busyProperty().get() || activation.busyProperty().get()
                || coverage.runningProperty().get();
    }

    private void follow(Detection was, Detection d) {
        explained.set(d);
        if (d == null) {
            cell.set(null);
            return;
        }
        Provenance p = d.provenance();
        cell.set(new HeadCell(p.head(), p.rows(), p.cols(), p.row(), p.col()));
        if (was != null && was.classId() == d.classId() && was.provenance().priorIndex() == p.priorIndex()) {
            return; // the same detection again (a new threshold, a video frame): leave the user's module alone
        }
        priors.headProperty().set(p.head());
        classMaps.classIdProperty().set(d.classId());
        Model m = vm.modelProperty().get();
        String module = m == null ? null : HeadModules.classModule(m, p.head());
        if (module != null) {
            selectModule.accept(module);
        }
    }

    void close() {
        query.close();
        classMaps.close();
        activation.close();
        coverage.close();
    }
}
