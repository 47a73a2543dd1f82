package org.layerlens.viewer;

import java.io.IOException;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.prefs.Preferences;

import javafx.application.Platform;
import javafx.collections.ListChangeListener;
import javafx.geometry.Insets;
import javafx.geometry.Pos;
import javafx.scene.Node;
import javafx.scene.Scene;
import javafx.scene.canvas.Canvas;
import javafx.scene.canvas.GraphicsContext;
import javafx.scene.control.Alert;
import javafx.scene.control.Button;
import javafx.scene.control.ChoiceBox;
import javafx.scene.control.ComboBox;
import javafx.scene.control.ComboBoxBase;
import javafx.scene.control.Label;
import javafx.scene.control.Menu;
import javafx.scene.control.MenuBar;
import javafx.scene.control.MenuItem;
import javafx.scene.control.ScrollPane;
import javafx.scene.control.SeparatorMenuItem;
import javafx.scene.control.Slider;
import javafx.scene.control.SplitPane;
import javafx.scene.control.TextInputControl;
import javafx.scene.control.ToggleButton;
import javafx.scene.control.ToggleGroup;
import javafx.scene.control.Tooltip;
import javafx.scene.control.TreeItem;
import javafx.scene.control.TreeTableColumn;
import javafx.scene.control.TreeTableView;
import javafx.scene.image.Image;
import javafx.scene.image.ImageView;
import javafx.scene.input.KeyCode;
import javafx.scene.input.KeyCombination;
import javafx.scene.input.KeyEvent;
import javafx.scene.input.TransferMode;
import javafx.scene.layout.BorderPane;
import javafx.scene.layout.HBox;
import javafx.scene.layout.Pane;
import javafx.scene.layout.Priority;
import javafx.scene.layout.VBox;
import javafx.scene.paint.Color;
import javafx.scene.text.Font;
import javafx.stage.FileChooser;
import javafx.stage.Window;
import org.controlsfx.control.CheckComboBox;
import org.controlsfx.control.GridCell;
import org.controlsfx.control.GridView;
import org.controlsfx.control.SegmentedButton;
import org.controlsfx.control.StatusBar;
import org.layerlens.engine.api.Inspection;
import org.layerlens.engine.api.LayerData;
import org.layerlens.engine.api.Model;
import org.layerlens.engine.ShapeTrail;
import org.layerlens.engine.api.ModuleEvent;
import org.layerlens.engine.image.Heatmaps;
import org.layerlens.engine.image.LoadedImage;
import org.layerlens.engine.io.Npy;
import org.layerlens.engine.nn.Module;
import org.layerlens.engine.api.Detection;
import org.layerlens.engine.api.DetectionsJson;

/**
 * The inspection window: module tree (left), image with detections (centre), feature maps and
 * statistics of the selected module (right), shape trail (top), status bar (bottom).
 */
public final class InspectorView extends BorderPane {
    static final int THUMB = 64;
    private static final Color[] PALETTE = {Color.web("#e6194b"), Color.web("#3cb44b"), Color.web("#4363d8"),
        Color.web("#f58231"), Color.web("#911eb4"), Color.web("#42d4f4"), Color.web("#f032e6"),
        Color.web("#bfef45"), Color.web("#fabed4"), Color.web("#469990"), Color.web("#dcbeff"),
        Color.web("#9a6324"), Color.web("#800000"), Color.web("#aaffc3"), Color.web("#808000"),
        Color.web("#000075"), Color.web("#a9a9a9"), Color.web("#ffe119"), Color.web("#ffd8b1"),
        Color.web("#000000")};

    private final InspectorViewModel vm;
    private final TreeTableView<Module> tree = new TreeTableView<>();
    private final Map<String, TreeItem<Module>> items = new HashMap<>();
    private final SegmentedButton trail = new SegmentedButton();
    private final ImageView imageView = new ImageView();
    private final Canvas overlay = new Canvas();
    private final Pane imagePane = new Pane(imageView, overlay);
    private final Slider threshold = new Slider(0.01, 1.0, 0.5);
    private final Slider iou = new Slider(0.05, 1.0, 0.45);
    private final CheckComboBox<String> classFilter = new CheckComboBox<>();
    private final Label detectionCount = new Label();
    private final GridView<Integer> gallery = new GridView<>();
    private final ChoiceBox<Heatmaps.ColorMap> colorMap = new ChoiceBox<>();
    private final ChoiceBox<Heatmaps.Normalise> normalise = new ChoiceBox<>();
    private final ChoiceBox<String> order = new ChoiceBox<>();
    private final Label layerTitle = new Label("No module selected");
    private final Label statsLabel = new Label();
    private final Canvas histogram = new Canvas(260, 70);
    private final StatusBar statusBar = new StatusBar();
    private final Button cancel = new Button("Cancel");
    private final Label modelInfo = new Label();
    /** The bundled models by the name --model takes, with what the chooser shows. */
    static final Map<String, String> BUNDLED = new java.util.LinkedHashMap<>();
    static {
        BUNDLED.put("default", "default · shapes (mb2-ssd-lite, V2)");
        BUNDLED.put("faces-v1", "faces-v1 · faces (SSD MobileNetV1)");
        BUNDLED.put("objects-v2", "objects-v2 · 23 objects (SSD MobileNetV2, TFLite)");
    }
    private final ComboBox<String> modelChooser = new ComboBox<>();
    private final Menu recentMenu = new Menu("Open Recent");
    private final Map<Integer, Image> thumbs = new HashMap<>();
    private final java.util.Set<ChannelCell> liveCells =
            java.util.Collections.newSetFromMap(new java.util.WeakHashMap<>());
    private LayerData layer;
    private int selectedChannel = -1;
    private boolean syncing;
    private ChannelWindow channelWindow;
    private Image inputImage;

    public InspectorView(InspectorViewModel vm) {
        this.vm = vm;
        setTop(new VBox(menuBar(), topBar()));
        SplitPane split = new SplitPane(treePane(), imageArea(), featurePane());
        split.setDividerPositions(0.38, 0.69);
        setCenter(split);
        setBottom(statusBar());
        bind();
    }

    // ---------------------------------------------------------------- layout

    private MenuBar menuBar() {
        MenuItem openImage = new MenuItem("Open Image…");
        openImage.setAccelerator(KeyCombination.keyCombination("Shortcut+O"));
        openImage.setOnAction(e -> chooseImage());
        MenuItem openModel = new MenuItem("Open Checkpoint…");
        openModel.setAccelerator(KeyCombination.keyCombination("Shortcut+Shift+O"));
        openModel.setOnAction(e -> chooseModel());
        MenuItem openLabels = new MenuItem("Open Labels File for This Model…");
        openLabels.setOnAction(e -> chooseLabels());
        MenuItem openDefault = new MenuItem("Open Default Model");
        openDefault.setOnAction(e -> vm.openModel("default", null));
        MenuItem openFaces = new MenuItem("Open Face Detector (faces-v1, MobileNetV1)");
        openFaces.setOnAction(e -> vm.openModel("faces-v1", null));
        MenuItem newWindow = new MenuItem("New Window (same model and image)");
        newWindow.setAccelerator(KeyCombination.keyCombination("Shortcut+N"));
        newWindow.setOnAction(e -> openNewWindow());
        MenuItem rerun = new MenuItem("Run Again");
        rerun.setAccelerator(KeyCombination.keyCombination("F5"));
        rerun.setOnAction(e -> vm.rerun());
        MenuItem quit = new MenuItem("Quit");
        quit.setAccelerator(KeyCombination.keyCombination("Shortcut+Q"));
        quit.setOnAction(e -> Platform.exit());
        Menu file = new Menu("File", null, newWindow, openImage, openModel, openLabels, openDefault, openFaces, recentMenu, new SeparatorMenuItem(),
                rerun, new SeparatorMenuItem(), quit);
        MenuItem npy = new MenuItem("Selected Tensor as .npy…");
        npy.setOnAction(e -> exportNpy());
        MenuItem heat = new MenuItem("Selected Channel Heatmap as PNG…");
        heat.setOnAction(e -> exportHeatmap());
        MenuItem grid = new MenuItem("Whole Gallery as PNG…");
        grid.setOnAction(e -> exportGallery());
        MenuItem json = new MenuItem("Detections as JSON…");
        json.setOnAction(e -> exportDetections());
        MenuItem csv = new MenuItem("Summary Table as CSV…");
        csv.setOnAction(e -> exportCsv());
        Menu export = new Menu("Export", null, npy, heat, grid, json, csv);
        rebuildRecent();
        return new MenuBar(file, export);
    }

    /** The model chooser (bundled models and the open checkpoint), then the shape trail. */
    private Node topBar() {
        modelChooser.setId("modelChooser");
        modelChooser.getItems().setAll(BUNDLED.keySet());
        modelChooser.setConverter(new javafx.util.StringConverter<>() {
            @Override
            public String toString(String ref) {
                if (ref == null) {
                    return "";
                }
                String b = BUNDLED.get(ref);
                return b != null ? b : java.nio.file.Paths.get(ref).getFileName().toString();
            }

            @Override
            public String fromString(String s) {
                return s;
            }
        });
        modelChooser.setTooltip(new Tooltip("Model: the bundled ones, or the checkpoint opened with File ▸ Open"));
        modelChooser.setPrefWidth(250);
        modelChooser.setMinWidth(250);
        modelChooser.setOnAction(e -> {
            String ref = modelChooser.getValue();
            Model cur = vm.modelProperty().get();
            if (!syncing && ref != null && (cur == null || !ref.equals(refOf(cur)))) {
                vm.openModel(ref, null);
            }
        });
        Label l = new Label("Model");
        l.setMinWidth(Label.USE_PREF_SIZE);
        Node t = trailBar();
        HBox.setHgrow(t, Priority.ALWAYS);
        HBox box = new HBox(6, l, modelChooser, t);
        box.setAlignment(javafx.geometry.Pos.CENTER_LEFT);
        box.setPadding(new javafx.geometry.Insets(0, 0, 0, 6));
        return box;
    }

    /** The reference the chooser uses for a loaded model: a bundled name, or the file's path. */
    static String refOf(Model m) {
        for (String b : BUNDLED.keySet()) {
            if (m.name().startsWith(b + " (")) {
                return b;
            }
        }
        return m.source().toString();
    }

    private Node trailBar() {
        ScrollPane sp = new ScrollPane(trail);
        sp.setFitToHeight(true);
        sp.setVbarPolicy(ScrollPane.ScrollBarPolicy.NEVER);
        sp.setPrefHeight(44);
        trail.getStyleClass().add(SegmentedButton.STYLE_CLASS_DARK);
        return sp;
    }

    private Node treePane() {
        TreeTableColumn<Module, String> name = column("Module", 140, m -> m.path().isEmpty() && m instanceof org.layerlens.engine.nn.Detector d ? d.rootName() : m.name());
        TreeTableColumn<Module, String> type = column("Type", 118, Module::typeName);
        TreeTableColumn<Module, String> shape = column("Output", 116, m -> {
            ModuleEvent e = event(m);
            String s = e == null ? "" : ShapeTrail.hwc(e.outputShape());
            return isSource(m) ? s + " ◆" : s;
        });
        TreeTableColumn<Module, String> params = column("Params", 90,
                m -> String.format(Locale.ROOT, "%,d", m.parameterCount()));
        TreeTableColumn<Module, String> time = column("ms", 46, m -> {
            ModuleEvent e = event(m);
            return e == null ? "" : String.format(Locale.ROOT, "%.2f", e.nanos() / 1e6);
        });
        params.setStyle("-fx-alignment: CENTER-RIGHT;");
        time.setStyle("-fx-alignment: CENTER-RIGHT;");
        tree.getColumns().setAll(List.of(name, type, shape, params, time));
        tree.setShowRoot(true);
        tree.setId("moduleTree");
        tree.setRowFactory(t -> new javafx.scene.control.TreeTableRow<>() {
            @Override
            protected void updateItem(Module m, boolean empty) {
                super.updateItem(m, empty);
                setStyle(!empty && m != null && isSource(m) ? "-fx-font-weight: bold;" : "");
            }
        });
        VBox.setVgrow(tree, Priority.ALWAYS);
        return tree;
    }

    private static TreeTableColumn<Module, String> column(String title, double width,
                                                          java.util.function.Function<Module, String> f) {
        TreeTableColumn<Module, String> c = new TreeTableColumn<>(title);
        c.setPrefWidth(width);
        c.setCellValueFactory(p -> new javafx.beans.property.ReadOnlyStringWrapper(
                p.getValue().getValue() == null ? "" : f.apply(p.getValue().getValue())));
        return c;
    }

    private Node imageArea() {
        imageView.setPreserveRatio(true);
        imageView.setSmooth(true);
        imagePane.setMinSize(200, 200);
        imagePane.widthProperty().addListener((o, a, b) -> layoutImage());
        imagePane.heightProperty().addListener((o, a, b) -> layoutImage());
        VBox.setVgrow(imagePane, Priority.ALWAYS);
        threshold.setId("scoreSlider");
        iou.setId("iouSlider");
        threshold.setShowTickMarks(true);
        threshold.setMajorTickUnit(0.25);
        iou.setMajorTickUnit(0.25);
        iou.setShowTickMarks(true);
        Label tl = new Label();
        tl.textProperty().bind(threshold.valueProperty().asString(Locale.ROOT, "score ≥ %.2f"));
        Label il = new Label();
        il.textProperty().bind(iou.valueProperty().asString(Locale.ROOT, "NMS IoU %.2f"));
        tl.setMinWidth(90);
        il.setMinWidth(90);
        classFilter.setTitle("Classes");
        detectionCount.setId("detectionCount");
        HBox row1 = new HBox(8, tl, threshold, il, iou);
        HBox row2 = new HBox(8, classFilter, detectionCount);
        HBox.setHgrow(threshold, Priority.ALWAYS);
        HBox.setHgrow(iou, Priority.ALWAYS);
        row1.setAlignment(Pos.CENTER_LEFT);
        row2.setAlignment(Pos.CENTER_LEFT);
        VBox box = new VBox(6, imagePane, row1, row2);
        box.setPadding(new Insets(6));
        return box;
    }

    private Node featurePane() {
        colorMap.getItems().setAll(Heatmaps.ColorMap.values());
        colorMap.setValue(Heatmaps.ColorMap.VIRIDIS);
        normalise.getItems().setAll(Heatmaps.Normalise.values());
        normalise.setValue(Heatmaps.Normalise.CHANNEL);
        normalise.setConverter(new javafx.util.StringConverter<>() {
            @Override
            public String toString(Heatmaps.Normalise n) {
                return n == null ? "" : n == Heatmaps.Normalise.CHANNEL ? "per channel" : "across layer";
            }

            @Override
            public Heatmaps.Normalise fromString(String s) {
                return s.startsWith("per") ? Heatmaps.Normalise.CHANNEL : Heatmaps.Normalise.LAYER;
            }
        });
        order.getItems().setAll("by index", "by activation");
        order.setValue("by index");
        for (ChoiceBox<?> c : List.of(colorMap, normalise, order)) {
            c.valueProperty().addListener((o, a, b) -> refreshGallery());
        }
        gallery.setId("gallery");
        gallery.setCellWidth(THUMB);
        gallery.setCellHeight(THUMB + 14);
        gallery.setHorizontalCellSpacing(3);
        gallery.setVerticalCellSpacing(3);
        gallery.setCellFactory(g -> new ChannelCell());
        VBox.setVgrow(gallery, Priority.ALWAYS);
        layerTitle.setFont(Font.font(null, javafx.scene.text.FontWeight.BOLD, 13));
        layerTitle.setWrapText(true);
        statsLabel.setId("stats");
        statsLabel.setFont(Font.font("Monospaced", 11));
        statsLabel.setMinHeight(javafx.scene.layout.Region.USE_PREF_SIZE);
        statsLabel.setWrapText(true);
        HBox tools = new HBox(6, colorMap, normalise, order);
        VBox box = new VBox(6, layerTitle, tools, gallery, statsLabel, histogram);
        box.setPadding(new Insets(6));
        return box;
    }

    private Node statusBar() {
        cancel.setId("cancelButton");
        cancel.setOnAction(e -> vm.cancel());
        cancel.disableProperty().bind(vm.runningProperty().not());
        statusBar.textProperty().bind(vm.statusProperty());
        statusBar.progressProperty().bind(javafx.beans.binding.Bindings.when(vm.runningProperty())
                .then(vm.progressProperty()).otherwise(0.0));
        statusBar.getRightItems().setAll(modelInfo, cancel);
        return statusBar;
    }

    // ---------------------------------------------------------------- behaviour

    private void bind() {
        vm.modelProperty().addListener((o, a, m) -> buildTree(m));
        vm.inspectionProperty().addListener((o, a, ins) -> showInspection(ins));
        vm.detections().addListener((ListChangeListener<Detection>) c -> drawDetections());
        threshold.valueProperty().bindBidirectional(vm.thresholdProperty());
        iou.valueProperty().bindBidirectional(vm.iouProperty());
        classFilter.getCheckModel().getCheckedItems().addListener((ListChangeListener<String>) c -> {
            if (syncing) {
                return;
            }
            List<String> hidden = new ArrayList<>(classFilter.getItems());
            hidden.removeAll(classFilter.getCheckModel().getCheckedItems());
            vm.hiddenClasses().setAll(hidden);
        });
        tree.getSelectionModel().selectedItemProperty().addListener((o, a, item) -> {
            if (!syncing && item != null && item.getValue() != null) {
                vm.selectedPathProperty().set(item.getValue().path());
            }
        });
        vm.selectedPathProperty().addListener((o, a, p) -> select(p));
        vm.errorProperty().addListener((o, a, msg) -> {
            if (msg != null) {
                showError(msg);
            }
        });
        setOnDragOver(e -> {
            if (e.getDragboard().hasFiles()) {
                e.acceptTransferModes(TransferMode.COPY);
            }
            e.consume();
        });
        setOnDragDropped(e -> {
            List<java.io.File> files = e.getDragboard().getFiles();
            if (files != null && !files.isEmpty()) {
                open(files.get(0).toPath());
            }
            e.setDropCompleted(true);
            e.consume();
        });
        addEventFilter(KeyEvent.KEY_PRESSED, this::navigate);
    }

    /** Opens a dropped or recent file: a checkpoint if it looks like one, else an image. */
    public void open(Path p) {
        String n = p.getFileName().toString().toLowerCase(Locale.ROOT);
        remember(p);
        if (n.endsWith(".pth") || n.endsWith(".pt") || n.endsWith(".ckpt") || n.endsWith(".onnx")) {
            vm.openModel(p.toString(), labelsNextTo(p));
        } else {
            vm.openImage(p);
        }
    }

    private void navigate(KeyEvent e) {
        Node focus = getScene() == null ? null : getScene().getFocusOwner();
        if (focus instanceof TextInputControl || focus instanceof Slider || focus instanceof ComboBoxBase) {
            return;
        }
        if (e.getCode() == KeyCode.UP || e.getCode() == KeyCode.DOWN) {
            int i = tree.getSelectionModel().getSelectedIndex();
            int n = tree.getExpandedItemCount();
            int next = Math.max(0, Math.min(n - 1, i + (e.getCode() == KeyCode.UP ? -1 : 1)));
            tree.getSelectionModel().select(next);
            tree.scrollTo(Math.max(0, next - 5));
            e.consume();
        } else if (e.getCode() == KeyCode.LEFT || e.getCode() == KeyCode.RIGHT) {
            if (layer != null && !gallery.getItems().isEmpty()) {
                List<Integer> list = gallery.getItems();
                int pos = Math.max(0, list.indexOf(selectedChannel));
                pos = Math.max(0, Math.min(list.size() - 1, pos + (e.getCode() == KeyCode.LEFT ? -1 : 1)));
                selectChannel(list.get(pos), channelWindow != null && channelWindow.isShowing());
            }
            e.consume();
        }
    }

    private void buildTree(Model m) {
        items.clear();
        if (m == null) {
            tree.setRoot(null);
            return;
        }
        TreeItem<Module> root = item(m.tree());
        root.setExpanded(true);
        for (TreeItem<Module> c : root.getChildren()) {
            c.setExpanded(true);
        }
        syncing = true;
        tree.setRoot(root);
        syncing = false;
        syncing = true;
        classFilter.getItems().setAll(m.labels().subList(1, m.labels().size()));
        classFilter.getCheckModel().checkAll();
        syncing = false;
        modelInfo.setText(m.name() + " · " + m.spec().name() + " · input " + m.inputSize() + "×"
                + m.inputSize());
        syncing = true;
        String ref = refOf(m);
        modelChooser.getItems().removeIf(r -> !BUNDLED.containsKey(r));
        if (!BUNDLED.containsKey(ref)) {
            modelChooser.getItems().add(ref);
        }
        modelChooser.setValue(ref);
        syncing = false;
        iou.setValue(m.defaultIou());
        modelInfo.setTooltip(new Tooltip(m.source() + "\n" + String.join("\n", m.notes())));
    }

    private TreeItem<Module> item(Module m) {
        TreeItem<Module> it = new TreeItem<>(m);
        items.put(m.path(), it);
        for (Module c : m.childList()) {
            it.getChildren().add(item(c));
        }
        return it;
    }

    private ModuleEvent event(Module m) {
        Inspection ins = vm.inspectionProperty().get();
        return ins == null ? null : ins.event(m.path());
    }

    private boolean isSource(Module m) {
        Model model = vm.modelProperty().get();
        return model != null && model.tree().sourcePaths().contains(m.path());
    }

    private void showInspection(Inspection ins) {
        LayerLensApp.timed(() -> "showInspection", () -> showInspection0(ins));
    }

    private void showInspection0(Inspection ins) {
        tree.refresh();
        if (ins == null) {
            return;
        }
        LoadedImage img = ins.image();
        inputImage = FxImages.fromRgb(img.rgb(), img.width(), img.height());
        imageView.setImage(inputImage);
        layoutImage();
        buildTrail(ins);
        String p = vm.selectedPathProperty().get();
        if (p == null || p.isEmpty() || ins.event(p) == null) {
            vm.selectedPathProperty().set(ins.model().tree().sourcePaths().get(0));
        } else {
            select(p);
        }
        Model m = ins.model();
        modelInfo.setText(String.format(Locale.ROOT, "%s · %s · input %d×%d · %.0f ms", m.name(),
                m.spec().name(), m.inputSize(), m.inputSize(), ins.totalMillis()));
    }

    private void buildTrail(Inspection ins) {
        ToggleGroup g = trail.getToggleGroup();
        List<ToggleButton> buttons = new ArrayList<>();
        for (ShapeTrail.Step s : ShapeTrail.of(ins.model().tree(), ins.model().inputSize(), ins.events())) {
            ToggleButton b = new ToggleButton(s.label() + (s.source() ? " ◆" : ""));
            b.setUserData(s.path());
            b.setTooltip(new Tooltip(s.path().isEmpty() ? "input image" : s.path()
                    + (s.source() ? " (read by the SSD heads)" : "")));
            b.setOnAction(e -> {
                if (!s.path().isEmpty()) {
                    vm.selectedPathProperty().set(s.path());
                }
                highlightTrail(vm.selectedPathProperty().get());
            });
            buttons.add(b);
        }
        trail.getButtons().setAll(buttons);
        if (g != null) {
            buttons.forEach(b -> b.setToggleGroup(g));
        }
    }

    private void highlightTrail(String path) {
        ToggleButton best = null;
        Model model = vm.modelProperty().get();
        for (ToggleButton b : trail.getButtons()) {
            String p = (String) b.getUserData();
            if (!p.isEmpty() && (path.equals(p) || model != null && model.tree().pathStyle().within(path, p))) {
                best = b;
            }
        }
        for (ToggleButton b : trail.getButtons()) {
            b.setSelected(b == best);
        }
    }

    private void select(String path) {
        TreeItem<Module> it = items.get(path);
        if (it != null) {
            for (TreeItem<Module> p = it.getParent(); p != null; p = p.getParent()) {
                p.setExpanded(true);
            }
            syncing = true;
            tree.getSelectionModel().select(it);
            syncing = false;
            int row = tree.getRow(it);
            if (row >= 0) {
                tree.scrollTo(Math.max(0, row - 5));
            }
        }
        highlightTrail(path);
        Inspection ins = vm.inspectionProperty().get();
        ModuleEvent e = ins == null ? null : ins.event(path);
        if (e == null) {
            layer = null;
            layerTitle.setText(path.isEmpty() ? "SSD (outputs: scores, boxes)" : path + ": no output of its own");
            gallery.getItems().clear();
            statsLabel.setText("");
            histogram.getGraphicsContext2D().clearRect(0, 0, histogram.getWidth(), histogram.getHeight());
            return;
        }
        layer = ins.layer(path);
        selectedChannel = -1;
        layerTitle.setText(path + "  ·  " + e.type() + "  ·  " + ShapeTrail.hwc(e.outputShape()) + "  ·  "
                + layer.channels + " channels");
        refreshGallery();
        showStats();
    }

    private void refreshGallery() {
        thumbs.clear();
        if (layer == null) {
            gallery.getItems().clear();
            return;
        }
        Integer[] idx;
        if ("by activation".equals(order.getValue())) {
            idx = layer.channelsByActivation();
        } else {
            idx = new Integer[layer.channels];
            for (int i = 0; i < idx.length; i++) {
                idx[i] = i;
            }
        }
        gallery.getItems().setAll(idx);
    }

    private Image thumb(int c) {
        return thumbs.computeIfAbsent(c, k -> {
            int w = Math.max(layer.width, 1);
            int h = Math.max(layer.height, 1);
            double s = (double) THUMB / Math.max(w, h);
            int tw = Math.max(1, (int) Math.round(w * s));
            int th = Math.max(1, (int) Math.round(h * s));
            return FxImages.fromRgb(Heatmaps.rgb(layer, k, colorMap.getValue(), normalise.getValue(), tw, th), tw, th);
        });
    }

    private final class ChannelCell extends GridCell<Integer> {
        private final ImageView view = new ImageView();
        private final Label label = new Label();
        private final VBox box = new VBox(1, view, label);

        ChannelCell() {
            liveCells.add(this);
            box.setAlignment(Pos.CENTER);
            label.setFont(Font.font(10));
            setOnMouseClicked(e -> {
                if (getItem() != null) {
                    selectChannel(getItem(), true);
                }
            });
        }

        @Override
        protected void updateItem(Integer c, boolean empty) {
            super.updateItem(c, empty);
            if (empty || c == null || layer == null || c >= layer.channels) {
                setGraphic(null);
                return;
            }
            view.setImage(thumb(c));
            label.setText("#" + c);
            restyle();
            setGraphic(box);
        }

        void restyle() {
            Integer c = getItem();
            setStyle(c != null && c == selectedChannel ? "-fx-border-color: #ff9900; -fx-border-width: 2;" : "");
        }
    }

    private void selectChannel(int c, boolean open) {
        selectedChannel = c;
        liveCells.forEach(ChannelCell::restyle);
        if (open && layer != null) {
            if (channelWindow == null) {
                channelWindow = new ChannelWindow(getScene().getWindow());
            }
            channelWindow.show(layer, c, colorMap.getValue(), normalise.getValue(), inputImage);
        }
    }

    private void showStats() {
        LayerData.Stats s = layer.stats();
        statsLabel.setText(String.format(Locale.ROOT,
                "min %.4g  max %.4g  mean %.4g  std %.4g%nzeros %.1f%%  at ReLU6 ceiling (6.0) %.1f%%  values %,d",
                s.min(), s.max(), s.mean(), s.std(), 100 * s.zeroFraction(), 100 * s.ceilingFraction(), s.count()));
        long[] h = layer.histogram(48);
        long max = 1;
        for (long v : h) {
            max = Math.max(max, v);
        }
        GraphicsContext g = histogram.getGraphicsContext2D();
        double w = histogram.getWidth();
        double ht = histogram.getHeight();
        g.clearRect(0, 0, w, ht);
        g.setFill(Color.web("#4363d8"));
        double bw = w / h.length;
        for (int i = 0; i < h.length; i++) {
            double bh = (ht - 12) * Math.log1p(h[i]) / Math.log1p(max);
            g.fillRect(i * bw, ht - 12 - bh, Math.max(1, bw - 1), bh);
        }
        g.setFill(Color.GRAY);
        g.setFont(Font.font(9));
        g.fillText(String.format(Locale.ROOT, "%.3g", s.min()), 0, ht - 1);
        g.fillText(String.format(Locale.ROOT, "%.3g  (log count)", s.max()), w - 90, ht - 1);
    }

    private void layoutImage() {
        Image img = imageView.getImage();
        if (img == null) {
            return;
        }
        double pw = imagePane.getWidth();
        double ph = imagePane.getHeight();
        double s = Math.min(pw / img.getWidth(), ph / img.getHeight());
        double w = img.getWidth() * s;
        double h = img.getHeight() * s;
        imageView.setFitWidth(w);
        imageView.setFitHeight(h);
        imageView.relocate((pw - w) / 2, (ph - h) / 2);
        overlay.setWidth(w);
        overlay.setHeight(h);
        overlay.relocate((pw - w) / 2, (ph - h) / 2);
        drawDetections();
    }

    private void drawDetections() {
        LayerLensApp.timed(() -> "drawDetections (" + vm.detections().size() + ")", this::drawDetections0);
    }

    private void drawDetections0() {
        GraphicsContext g = overlay.getGraphicsContext2D();
        g.clearRect(0, 0, overlay.getWidth(), overlay.getHeight());
        Inspection ins = vm.inspectionProperty().get();
        detectionCount.setText(vm.detections().size() + " detection(s)");
        if (ins == null) {
            return;
        }
        double s = overlay.getWidth() / ins.image().originalWidth();
        g.setLineWidth(2);
        g.setFont(Font.font(null, javafx.scene.text.FontWeight.BOLD, 12));
        for (Detection d : vm.detections()) {
            Color c = PALETTE[(d.classId() - 1 + PALETTE.length) % PALETTE.length];
            double x = d.x1() * s;
            double y = d.y1() * s;
            g.setStroke(c);
            g.strokeRect(x, y, (d.x2() - d.x1()) * s, (d.y2() - d.y1()) * s);
            String t = String.format(Locale.ROOT, "%s %.2f", d.label(), d.score());
            double tw = t.length() * 7 + 6;
            double ty = Math.max(0, y - 16);
            g.setFill(c);
            g.fillRect(x, ty, tw, 16);
            g.setFill(c.getBrightness() > 0.7 && c.getSaturation() < 0.5 ? Color.BLACK : Color.WHITE);
            g.fillText(t, x + 3, ty + 12);
        }
    }

    private void showError(String msg) {
        Model kept = vm.modelProperty().get();
        if (kept != null) { // the chooser goes back to the model that is still loaded
            syncing = true;
            modelChooser.setValue(refOf(kept));
            syncing = false;
        }
        Alert a = new Alert(Alert.AlertType.ERROR);
        a.initOwner(getScene() == null ? null : getScene().getWindow());
        a.setTitle("LayerLens");
        a.setHeaderText(msg.lines().findFirst().orElse(msg));
        String rest = msg.contains("\n") ? msg.substring(msg.indexOf('\n') + 1) : "";
        a.setContentText(rest.isEmpty() ? "The previous model and image are still loaded." : rest);
        a.getDialogPane().setId("errorDialog");
        a.show();
    }

    // ---------------------------------------------------------------- files

    private Window window() {
        return getScene().getWindow();
    }

    private void chooseImage() {
        FileChooser fc = new FileChooser();
        fc.setTitle("Open Image");
        fc.getExtensionFilters().add(new FileChooser.ExtensionFilter("Images",
                "*.png", "*.jpg", "*.jpeg", "*.bmp", "*.tif", "*.tiff", "*.webp"));
        java.io.File f = fc.showOpenDialog(window());
        if (f != null) {
            open(f.toPath());
        }
    }

    private void chooseModel() {
        FileChooser fc = new FileChooser();
        fc.setTitle("Open Checkpoint (labels file next to it is picked up)");
        fc.getExtensionFilters().add(new FileChooser.ExtensionFilter("Checkpoints (PyTorch, ONNX)", "*.pth", "*.pt",
                "*.onnx"));
        java.io.File f = fc.showOpenDialog(window());
        if (f != null) {
            open(f.toPath());
        }
    }

    private void chooseLabels() {
        Model m = vm.modelProperty().get();
        if (m == null) {
            return;
        }
        FileChooser fc = new FileChooser();
        fc.setTitle("Labels file: one class a line, BACKGROUND first");
        fc.getExtensionFilters().add(new FileChooser.ExtensionFilter("Text", "*.txt"));
        java.io.File f = fc.showOpenDialog(window());
        if (f != null) {
            vm.openModel(m.source().toString(), f.toPath());
        }
    }

    /** pytorch-ssd keeps labels in a text file beside the model; use it when there is exactly one. */
    static Path labelsNextTo(Path model) {
        Path dir = model.toAbsolutePath().getParent();
        String base = model.getFileName().toString().replaceFirst("\\.[^.]+$", "");
        for (String n : new String[] {base + "-labels.txt", base + ".txt", "labels.txt", "voc-model-labels.txt"}) {
            if (dir != null && Files.isRegularFile(dir.resolve(n))) {
                return dir.resolve(n);
            }
        }
        return null;
    }

    private void remember(Path p) {
        Preferences prefs = Preferences.userRoot().node("org/layerlens");
        List<String> recent = new ArrayList<>(List.of(prefs.get("recent", "").split("\n")));
        recent.removeIf(s -> s.isBlank() || s.equals(p.toAbsolutePath().toString()));
        recent.add(0, p.toAbsolutePath().toString());
        prefs.put("recent", String.join("\n", recent.subList(0, Math.min(8, recent.size()))));
        rebuildRecent();
    }

    private void rebuildRecent() {
        recentMenu.getItems().clear();
        String all = Preferences.userRoot().node("org/layerlens").get("recent", "");
        for (String s : all.split("\n")) {
            if (!s.isBlank()) {
                MenuItem mi = new MenuItem(s);
                mi.setOnAction(e -> open(Path.of(s)));
                recentMenu.getItems().add(mi);
            }
        }
        recentMenu.setDisable(recentMenu.getItems().isEmpty());
    }

    private Path saveAs(String title, String name, String ext) {
        FileChooser fc = new FileChooser();
        fc.setTitle(title);
        fc.setInitialFileName(name.replace('/', '.')); // TF scope paths hold slashes
        fc.getExtensionFilters().add(new FileChooser.ExtensionFilter(ext, "*." + ext));
        java.io.File f = fc.showSaveDialog(window());
        return f == null ? null : f.toPath();
    }

    private interface IoAction {
        void run() throws IOException;
    }

    private void guarded(IoAction a) {
        try {
            a.run();
        } catch (IOException ex) {
            showError(ex.getMessage());
        }
    }

    private void exportNpy() {
        Inspection ins = vm.inspectionProperty().get();
        String p = vm.selectedPathProperty().get();
        if (ins == null || ins.event(p) == null) {
            return;
        }
        Path f = saveAs("Export tensor", p + ".npy", "npy");
        if (f != null) {
            guarded(() -> {
                LayerData d = ins.layer(p);
                Npy.write(f, d.chw(), new long[] {1, d.channels, d.height, d.width});
            });
        }
    }

    private void exportHeatmap() {
        if (layer == null) {
            return;
        }
        int c = Math.max(0, selectedChannel);
        Path f = saveAs("Export heatmap", layer.path + "-ch" + c + ".png", "png");
        if (f != null) {
            guarded(() -> Heatmaps.write(f, Heatmaps.rgb(layer, c, colorMap.getValue(), normalise.getValue(),
                    layer.width, layer.height), layer.width, layer.height));
        }
    }

    private void exportGallery() {
        if (layer == null) {
            return;
        }
        Path f = saveAs("Export gallery", layer.path + "-gallery.png", "png");
        if (f != null) {
            guarded(() -> writeGallery(f));
        }
    }

    /** All channels of the selected module as one PNG grid, in the gallery's order. */
    void writeGallery(Path f) throws IOException {
        List<Integer> order = new ArrayList<>(gallery.getItems());
        int cols = (int) Math.ceil(Math.sqrt(order.size()));
        int rows = (int) Math.ceil(order.size() / (double) cols);
        int cw = layer.width + 2;
        int ch = layer.height + 2;
        int w = cols * cw;
        int h = rows * ch;
        byte[] out = new byte[w * h * 3];
        for (int k = 0; k < order.size(); k++) {
            byte[] rgb = Heatmaps.rgb(layer, order.get(k), colorMap.getValue(), normalise.getValue(),
                    layer.width, layer.height);
            int ox = (k % cols) * cw + 1;
            int oy = (k / cols) * ch + 1;
            for (int y = 0; y < layer.height; y++) {
                System.arraycopy(rgb, y * layer.width * 3, out, ((oy + y) * w + ox) * 3, layer.width * 3);
            }
        }
        Heatmaps.write(f, out, w, h);
    }

    private void exportDetections() {
        Inspection ins = vm.inspectionProperty().get();
        if (ins == null) {
            return;
        }
        Path f = saveAs("Export detections", "detections.json", "json");
        if (f != null) {
            guarded(() -> Files.writeString(f, DetectionsJson.toJson(ins.image(), vm.detections()),
                    StandardCharsets.UTF_8));
        }
    }

    private void exportCsv() {
        Model m = vm.modelProperty().get();
        if (m == null) {
            return;
        }
        Path f = saveAs("Export summary", "summary.csv", "csv");
        if (f != null) {
            guarded(() -> {
                try (Writer w = Files.newBufferedWriter(f, StandardCharsets.UTF_8)) {
                    w.write("path,type,output_hwc,parameters,ms,head_source\n");
                    for (Module mod : m.tree().modules()) {
                        ModuleEvent e = event(mod);
                        w.write(String.format(Locale.ROOT, "%s,%s,%s,%d,%s,%s%n", mod.path(), mod.typeName(),
                                e == null ? "" : ShapeTrail.hwc(e.outputShape()), mod.parameterCount(),
                                e == null ? "" : String.format(Locale.ROOT, "%.3f", e.nanos() / 1e6), isSource(mod)));
                    }
                }
            });
        }
    }

    /** For tests and the snapshot: the gallery's items. */
    public GridView<Integer> gallery() {
        return gallery;
    }

    public TreeTableView<Module> tree() {
        return tree;
    }

    /** The window title follows the model and image. */
    public static void bindTitle(javafx.stage.Stage stage, InspectorViewModel vm) {
        stage.setTitle("LayerLens");
        stage.titleProperty().bind(javafx.beans.binding.Bindings.createStringBinding(() -> {
            var m = vm.modelProperty().get();
            var i = vm.imageProperty().get();
            return "LayerLens" + (m == null ? "" : " — " + m.name())
                    + (i == null || i.source() == null ? "" : " — " + i.source().getFileName());
        }, vm.modelProperty(), vm.imageProperty()));
    }

    /**
     * A second window on the same model and image, with its own run, selection and chooser: put
     * it beside the first and switch one to the other model to compare V1's layers with V2's.
     */
    public InspectorView openNewWindow() {
        InspectorViewModel vm2 = new InspectorViewModel(vm.loader());
        InspectorView v2 = new InspectorView(vm2);
        javafx.stage.Stage st = new javafx.stage.Stage();
        st.setScene(scene(v2));
        bindTitle(st, vm2);
        st.setOnHidden(e -> vm2.shutdown());
        Window w = getScene() == null ? null : getScene().getWindow();
        if (w != null) {
            st.setX(w.getX() + 40);
            st.setY(w.getY() + 40);
        }
        st.show();
        Model m = vm.modelProperty().get();
        if (m != null) {
            vm2.show(m, vm.imageProperty().get());
        }
        return v2;
    }

    /** This window's view model (for a second window's tests). */
    public InspectorViewModel viewModel() {
        return vm;
    }

    public static Scene scene(InspectorView v) {
        Scene s = new Scene(v, 1500, 900);
        return s;
    }
}
