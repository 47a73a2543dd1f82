package org.layerlens.viewer.pane;

import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Function;

import javafx.beans.binding.Bindings;
import javafx.beans.property.ReadOnlyStringWrapper;
import javafx.scene.control.Label;
import javafx.scene.control.TreeItem;
import javafx.scene.control.TreeTableColumn;
import javafx.scene.control.TreeTableRow;
import javafx.scene.control.TreeTableView;
import javafx.scene.control.Tooltip;
import javafx.scene.text.Font;
import javafx.scene.text.Text;
import org.layerlens.engine.ShapeTrail;
import org.layerlens.engine.api.Inspection;
import org.layerlens.engine.api.Model;
import org.layerlens.engine.api.ModuleEvent;
import org.layerlens.engine.api.ModuleInfo;
import org.layerlens.engine.nn.Detector;
import org.layerlens.engine.nn.Module;
import org.layerlens.viewer.Format;
import org.layerlens.viewer.InspectorViewModel;
import org.layerlens.viewer.ModelFacts;

/**
 * The module tree as a table: name, type, output shape (◆ and bold: read by an SSD head),
 * parameters, multiply-adds and receptive field (torchinfo's columns, from the traced graph;
 * totals at the root) and the last run's time. Columns are sized to their contents after every
 * result; when that is wider than the pane, Type and Module give way first (share()),
 * so no number is cut. {@link #addColumn} adds a column (a comparison, say).
 */
public final class ModuleTreePane extends TreeTableView<Module> {
    private static final double FONT_SIZE = 12;
    private final InspectorViewModel vm;
    private final Map<String, TreeItem<Module>> items = new HashMap<>();
    private boolean syncing;
    private Model fittedFor;
    private double widestTime;
    /** Each column's content width from the last fit; the text columns give way when the table is narrower. */
    private final Map<TreeTableColumn<Module, ?>, Double> fitted = new HashMap<>();

    public ModuleTreePane(InspectorViewModel vm) {
        this.vm = vm;
        setId("moduleTree");
        setStyle("-fx-font-size: " + FONT_SIZE + "px;"); // seven columns beside the picture: a compact table
        setShowRoot(true);
        setTableMenuButtonVisible(true); // columns can be hidden from the header's menu
        addColumn("Module", "The module's name in PyTorch's dotted path", m -> m.path().isEmpty()
                && m instanceof Detector d ? d.rootName() : m.name(), false);
        addColumn("Type", "The module's class", Module::typeName, false);
        addColumn("Output", "Output shape, height x width x channels; ◆: read by an SSD head", m -> {
            ModuleEvent e = event(m);
            String s = e == null ? "" : ShapeTrail.hwc(e.outputShape());
            return isSource(m) ? s + " ◆" : s;
        }, false);
        addColumn("Params", "Trainable parameters (the root: the whole network)",
                m -> Format.count(m.parameterCount()), true);
        addColumn("Mult-Adds", "Multiply-adds of one pass, children included (torchinfo's Mult-Adds; the root: total)",
                m -> info(m) == null ? "" : Format.macs(info(m).multiplyAdds()), true);
        addColumn("RF", "Receptive field: input pixels one output cell can see (rows, or rows x cols)",
                m -> info(m) == null ? "" : Format.field(info(m)), true);
        addColumn("ms", "Time of the last run, children included (the root: the whole pass); fused: folded or fused into the op before it, whose time includes it", m -> {
            Inspection ins = vm.inspectionProperty().get();
            if (ins == null) {
                return "";
            }
            ModuleEvent e = ins.event(m.path());
            return e != null ? e.millis(2) : m.path().isEmpty()
                    ? Format.millis((long) (ins.totalMillis() * 1e6)) : "";
        }, true);
        setRowFactory(t -> new TreeTableRow<>() {
            @Override
            protected void updateItem(Module m, boolean empty) {
                super.updateItem(m, empty);
                setStyle(!empty && m != null && isSource(m) ? "-fx-font-weight: bold;" : "");
            }
        });
        vm.modelProperty().addListener((o, a, m) -> build(m));
        vm.resultProperty().addListener((o, a, r) -> {
            // cells follow the result through their bindings (no refresh: that rebuilds every cell, per video frame)
            // sized once per model (measuring every row takes a while); later runs only change times
            if (r != null && r.inspection() != null && (fittedFor != r.model() || timesGrew(r))) {
                fittedFor = r.model();
                fitColumns();
            }
        });
        vm.selectedPathProperty().addListener((o, a, p) -> show(p));
        widthProperty().addListener((o, a, w) -> share());
        getVisibleLeafColumns().addListener((javafx.collections.ListChangeListener<TreeTableColumn<Module, ?>>) ch -> share());
        getSelectionModel().selectedItemProperty().addListener((o, a, item) -> {
            if (!syncing && item != null && item.getValue() != null) {
                vm.select(item.getValue().path());
            }
        });
    }

    /**
     * Adds a column computed from the module, again whenever the result changes (on the JavaFX
     * thread: keep it to a lookup).
     */
    public TreeTableColumn<Module, String> addColumn(String title, String tooltip, Function<Module, String> value,
                                                     boolean numeric) {
        TreeTableColumn<Module, String> c = new TreeTableColumn<>();
        Label header = new Label(title);
        header.setTooltip(new Tooltip(tooltip));
        c.setGraphic(header);
        c.setUserData(title);
        c.setCellValueFactory(p -> {
            Module m = p.getValue().getValue();
            // recomputed when the result changes (shapes, times); bindings hold their dependencies weakly
            return m == null ? new ReadOnlyStringWrapper("") : Bindings.createStringBinding(() -> value.apply(m),
                    vm.resultProperty());
        });
        if (numeric) {
            c.setStyle("-fx-alignment: CENTER-RIGHT;");
        }
        getColumns().add(c);
        return c;
    }

    /** The column whose header says {@code title}. */
    @SuppressWarnings("unchecked")
    public TreeTableColumn<Module, String> column(String title) {
        return (TreeTableColumn<Module, String>) getColumns().stream().filter(c -> title.equals(c.getUserData()))
                .findFirst().orElseThrow();
    }

    /** The row of the module at {@code path}, or null. */
    public TreeItem<Module> item(String path) {
        return items.get(path);
    }

    private ModuleEvent event(Module m) {
        Inspection ins = vm.inspectionProperty().get();
        return ins == null ? null : ins.event(m.path());
    }

    private ModuleInfo info(Module m) {
        ModelFacts f = vm.factsProperty().get();
        return f == null ? null : f.get(m.path());
    }

    private boolean isSource(Module m) {
        Model model = vm.modelProperty().get();
        return model != null && model.tree().sourcePaths().contains(m.path());
    }

    private void build(Model m) {
        items.clear();
        syncing = true;
        try {
            if (m == null) {
                setRoot(null);
                return;
            }
            TreeItem<Module> root = item(m.tree());
            root.setExpanded(true);
            root.getChildren().forEach(c -> c.setExpanded(true));
            setRoot(root);
        } finally {
            syncing = false;
        }
        show(vm.selectedPathProperty().get());
    }

    private TreeItem<Module> item(Module m) {
        TreeItem<Module> it = new TreeItem<>(m);
        items.put(m.path(), it);
        for (Module c : m.childList()) {
            it.getChildren().add(item(c));
        }
        return it;
    }

    private void show(String path) {
        TreeItem<Module> it = items.get(path);
        if (it == null) {
            return;
        }
        // expanding rows above the selection moves the selection model's index, which would
        // select another module on the way; none of that is the user's choice
        syncing = true;
        try {
            for (TreeItem<Module> p = it.getParent(); p != null; p = p.getParent()) {
                p.setExpanded(true);
            }
            getSelectionModel().select(it);
        } finally {
            syncing = false;
        }
        int row = getRow(it);
        if (row >= 0) {
            scrollTo(Math.max(0, row - 5));
        }
    }

    /** Sizes every column to its widest cell or header, over all rows (expanded or not); head sources are bold. */
    private void fitColumns() {
        if (getRoot() == null) {
            return;
        }
        Font font = Font.font(Font.getDefault().getFamily(), FONT_SIZE);
        Font bold = Font.font(font.getFamily(), javafx.scene.text.FontWeight.BOLD, FONT_SIZE);
        Model m = vm.modelProperty().get();
        for (int i = 0; i < getColumns().size(); i++) {
            TreeTableColumn<Module, ?> c = getColumns().get(i);
            double widest = width(((Label) c.getGraphic()).getText(), font) + 22;
            for (Map.Entry<String, TreeItem<Module>> e : items.entrySet()) {
                Object v = c.getCellData(e.getValue());
                boolean source = m != null && m.tree().sourcePaths().contains(e.getKey());
                double w = width(v == null ? "" : v.toString(), source ? bold : font) + 14;
                if (i == 0) {
                    w += depth(e.getKey()) * 12 + 30; // indentation and the disclosure arrow
                }
                widest = Math.max(widest, w);
            }
            c.setPrefWidth(Math.ceil(widest));
            fitted.put(c, Math.ceil(widest));
            if ("ms".equals(c.getUserData())) {
                widestTime = widest;
            }
        }
        share();
    }

    /**
     * Keeps the numbers in view: when the columns' content widths add up to more than the table
     * has, Type and then Module (text, which ellipsizes) narrow to what is left, not below a floor;
     * the numeric columns keep their full widths. A table too narrow even then keeps every column
     * whole and scrolls sideways.
     */
    private void share() {
        if (fitted.isEmpty() || getWidth() <= 0) {
            return;
        }
        TreeTableColumn<Module, String> module = column("Module");
        TreeTableColumn<Module, String> type = column("Type");
        double room = getWidth() - snappedLeftInset() - snappedRightInset() - 18; // the vertical scroll bar
        double others = 0;
        for (TreeTableColumn<Module, ?> c : getVisibleLeafColumns()) {
            if (c != module && c != type) {
                others += fitted.getOrDefault(c, c.getPrefWidth());
            }
        }
        double left = room - others;
        double typeWant = type.isVisible() ? fitted.getOrDefault(type, type.getPrefWidth()) : 0;
        double moduleWant = module.isVisible() ? fitted.getOrDefault(module, module.getPrefWidth()) : 0;
        if (left < Math.min(moduleWant, 140) + Math.min(typeWant, 80)) {
            left = moduleWant + typeWant; // it would not fit even so: keep the names whole and scroll sideways
        }
        double moduleWidth = Math.max(Math.min(moduleWant, 140), Math.min(moduleWant, left - Math.min(typeWant, 80)));
        double typeWidth = Math.max(Math.min(typeWant, 80), Math.min(typeWant, left - moduleWidth));
        module.setPrefWidth(Math.floor(moduleWidth));
        type.setPrefWidth(Math.floor(typeWidth));
    }

    /** Whether this run's longest time needs more room than the ms column has (a slow first run). */
    private boolean timesGrew(org.layerlens.viewer.RunResult r) {
        double w = width(Format.millis((long) (r.inspection().totalMillis() * 1e6)), Font.font(FONT_SIZE));
        return w + 12 > widestTime;
    }

    private static int depth(String path) {
        return path.isEmpty() ? 0 : path.split("[./]").length; // PyTorch's dots or TF's scope slashes
    }

    private static double width(String s, Font f) {
        Text t = new Text(s);
        t.setFont(f);
        return t.getLayoutBounds().getWidth();
    }

    /** The columns in order (tests). */
    public List<TreeTableColumn<Module, ?>> columnsInOrder() {
        return List.copyOf(getColumns());
    }
}
