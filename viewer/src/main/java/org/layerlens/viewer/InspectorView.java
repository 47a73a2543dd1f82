package org.layerlens.viewer;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import javafx.beans.binding.Bindings;
import javafx.geometry.Insets;
import javafx.geometry.Pos;
import javafx.scene.Node;
import javafx.scene.Scene;
import javafx.scene.control.ComboBoxBase;
import javafx.scene.control.MenuItem;
import javafx.scene.control.SeparatorMenuItem;
import javafx.scene.control.Slider;
import javafx.scene.control.SplitPane;
import javafx.scene.control.Tab;
import javafx.scene.control.TabPane;
import javafx.scene.control.TextInputControl;
import javafx.scene.control.TreeTableView;
import javafx.scene.input.KeyCode;
import javafx.scene.input.KeyCombination;
import javafx.scene.input.KeyEvent;
import javafx.scene.input.TransferMode;
import javafx.scene.layout.BorderPane;
import javafx.scene.layout.HBox;
import javafx.scene.layout.Priority;
import javafx.scene.layout.VBox;
import javafx.stage.Stage;
import javafx.stage.Window;
import org.controlsfx.control.GridView;
import org.layerlens.engine.api.Model;
import org.layerlens.engine.nn.Module;
import org.layerlens.viewer.pane.BlockPane;
import org.layerlens.viewer.pane.CompareBoxes;
import org.layerlens.viewer.pane.CompareColumn;
import org.layerlens.viewer.pane.ComparePane;
import org.layerlens.viewer.pane.DatasetStatsPane;
import org.layerlens.viewer.pane.DetectionBoxes;
import org.layerlens.viewer.pane.DetectionControls;
import org.layerlens.viewer.pane.DetectionsTable;
import org.layerlens.viewer.pane.Dialogs;
import org.layerlens.viewer.pane.DividerMemory;
import org.layerlens.viewer.pane.FilePicker;
import org.layerlens.viewer.pane.GalleryPane;
import org.layerlens.viewer.pane.HeatmapOverlay;
import org.layerlens.viewer.pane.ImagePane;
import org.layerlens.viewer.pane.MainMenu;
import org.layerlens.viewer.pane.ModelChooserPane;
import org.layerlens.viewer.pane.ModuleTreePane;
import org.layerlens.viewer.pane.Notifier;
import org.layerlens.viewer.pane.ShapeTrailPane;
import org.layerlens.viewer.pane.StatisticsPane;
import org.layerlens.viewer.pane.StatusPane;
import org.layerlens.viewer.pane.ToolsMenu;
import org.layerlens.viewer.pane.VideoBar;

/**
 * The inspection window, put together from panes that each bind to the view models and nothing
 * else: menu and model chooser with the shape trail (top); module tree (left); picture with
 * overlays, its controls, the video bar and the detections table (centre); the selected module's
 * channels and statistics, and its block diagram, as tabs (right); status bar (bottom).
 * <p>
 * Adding to it: an overlay on the picture is an {@link org.layerlens.viewer.pane.ImageOverlay}
 * given to {@code imagePane().addOverlay}; a panel is a tab given to {@link #addSideTab}; a tree
 * column is {@code treePane().addColumn}. Each binds to {@link InspectorViewModel} properties
 * (the committed {@code resultProperty()}, {@code selectedDetectionProperty()},
 * {@code selectedPathProperty()}) and computes anything heavy on {@code services().worker()}.
 */
public final class InspectorView extends BorderPane {
    /** The bundled models by the name --model takes, with what the chooser shows. */
    static final Map<String, String> BUNDLED = new java.util.LinkedHashMap<>();
    static {
        BUNDLED.put("default", "default · shapes (mb2-ssd-lite, V2)");
        BUNDLED.put("faces-v1", "faces-v1 · faces (SSD MobileNetV1)");
        BUNDLED.put("objects-v2", "objects-v2 · 23 objects (SSD MobileNetV2, TFLite)");
    }

    private final InspectorViewModel vm;
    private final ModuleTreePane tree;
    private final ImagePane imagePane;
    private final GalleryPane gallery;
    private final BlockPane block;
    private final DetectionsTable table;
    private final TabPane side = new TabPane();
    private final MainMenu menu;
    private final ComparePane comparePane;
    private final DatasetStatsPane statsPane;
    private final VBox picture;
    private final ExplainView explain;
    private ChannelWindow channelWindow;

    public InspectorView(InspectorViewModel vm) {
        this.vm = vm;
        this.tree = new ModuleTreePane(vm);
        this.imagePane = new ImagePane(vm);
        this.gallery = new GalleryPane(vm);
        this.block = new BlockPane(vm);
        this.table = new DetectionsTable(vm);
        this.menu = new MainMenu(vm, this, this::openNewWindow, this::openChannel);
        imagePane.addOverlay(new HeatmapOverlay(vm.layer()));
        imagePane.addOverlay(new DetectionBoxes(vm));
        gallery.setOnOpenChannel(this::openChannel);

        ShapeTrailPane trail = new ShapeTrailPane(vm);
        HBox.setHgrow(trail, Priority.ALWAYS);
        HBox top = new HBox(8, new ModelChooserPane(vm, BUNDLED), trail);
        top.setAlignment(Pos.CENTER_LEFT);
        top.setPadding(new Insets(2, 0, 2, 6));
        setTop(new VBox(menu, top));

        VBox.setVgrow(imagePane, Priority.ALWAYS);
        picture = new VBox(6, imagePane, new VideoBar(vm.video()), new DetectionControls(vm));
        picture.setPadding(new Insets(6));
        SplitPane centre = new SplitPane(picture, table);
        centre.setOrientation(javafx.geometry.Orientation.VERTICAL);
        centre.setDividerPositions(0.74);
        centre.setId("centreSplit");
        DividerMemory.attach(centre);

        VBox channels = new VBox(gallery, new StatisticsPane(vm.layer()));
        VBox.setVgrow(gallery, Priority.ALWAYS);
        addSideTab("Channels", channels);
        addSideTab("Block", block);
        // compare mode and dataset statistics: a tab each, a tree column, an overlay, gallery marks, a menu
        this.comparePane = new ComparePane(vm, BUNDLED);
        this.statsPane = new DatasetStatsPane(vm);
        statsPane.setOnShowCompare(() -> showSideTab("Compare"));
        addSideTab("Compare", comparePane);
        addSideTab("Dataset", statsPane);
        CompareColumn.install(tree, vm.compare());
        imagePane.addOverlay(new CompareBoxes(vm.compare()));
        gallery.channelMarksProperty().bind(vm.datasetStats().channelMarksProperty());
        menu.getMenus().add(new ToolsMenu(vm, this, Settings.shared(), this::showSideTab));
        side.setTabClosingPolicy(TabPane.TabClosingPolicy.UNAVAILABLE);
        side.setId("sideTabs");

        // the tree scrolls sideways rather than hold ~300 px (its columns' widths) in a small window
        tree.setMinWidth(120);
        SplitPane split = new SplitPane(tree, centre, side);
        split.setDividerPositions(0.46, 0.74);
        split.setId("mainSplit");
        DividerMemory.attach(split, 280); // the side tabs: Explain's table of label and value needs ~280 px
        setCenter(split);
        setBottom(new StatusPane(vm));

        vm.errorProperty().addListener((o, a, msg) -> {
            if (msg != null) {
                Dialogs.error(this, msg);
            }
        });
        Notifier.attach(vm, this);
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
        explain = new ExplainView(this, vm);
        addSideTabKeys();
    }

    /**
     * View ▸ Show the ... Tab for every side tab, Ctrl+1 to Ctrl+6 in their order (Cmd on macOS):
     * only Explain and Class Maps had a key. (Ctrl+Tab cycles them from anywhere: navigate.)
     */
    private void addSideTabKeys() {
        List<MenuItem> items = new ArrayList<>();
        for (int i = 0; i < side.getTabs().size() && i < 9; i++) {
            String title = side.getTabs().get(i).getText();
            MenuItem mi = new MenuItem("Show the " + title + " Tab");
            mi.setAccelerator(KeyCombination.keyCombination("Shortcut+" + (i + 1)));
            mi.setOnAction(e -> showSideTab(title));
            items.add(mi);
        }
        menu.viewMenu().getItems().add(new SeparatorMenuItem());
        menu.viewMenu().getItems().addAll(items);
    }

    /** Adds a row of controls under the picture (below the detection controls). */
    public void addPictureControls(Node controls) {
        picture.getChildren().add(controls);
    }

    /** The explain tabs, overlays and menu of this window. */
    public ExplainView explain() {
        return explain;
    }

    /** Adds a panel as a tab beside Channels and Block. */
    public Tab addSideTab(String title, Node content) {
        Tab t = new Tab(title, content);
        t.setId("tab-" + title.toLowerCase(java.util.Locale.ROOT).replace(' ', '-'));
        // six titles in a side pane of ~400 px (1600 px screens): tighter headers so that all show
        t.setStyle("-fx-padding: 1 4 1 4;");
        side.getTabs().add(t);
        return t;
    }

    /** Shows the side tab with this title (or this id without "tab-": "class-maps"). */
    public void showSideTab(String title) {
        side.getTabs().stream().filter(t -> t.getText().equalsIgnoreCase(title)
                || t.getId().equals("tab-" + title.toLowerCase(java.util.Locale.ROOT))).findFirst()
                .ifPresent(t -> side.getSelectionModel().select(t));
    }

    /** The title of the side tab shown. */
    public String sideTab() {
        Tab t = side.getSelectionModel().getSelectedItem();
        return t == null ? null : t.getText();
    }

    /** The side tabs' titles, in their order. */
    public List<String> sideTabTitles() {
        return side.getTabs().stream().map(Tab::getText).toList();
    }

    /** Opens a dropped or recent file by what it is (a model format's file is a model). */
    public void open(Path p) {
        vm.openFile(p);
    }

    /** Keys: Up/Down move through modules, Left/Right through channels (not while a control needs them). */
    private void navigate(KeyEvent e) {
        Node focus = getScene() == null ? null : getScene().getFocusOwner();
        if (cyclesSideTabs(e) && !inside(focus, side) && !(focus instanceof javafx.scene.control.TextArea)) {
            // Ctrl+Tab (Ctrl+PageDown) as in browsers: the side tabs from anywhere in the window; the
            // tab pane does it itself only where the focus is inside it
            var tabs = side.getSelectionModel();
            int n = side.getTabs().size();
            tabs.select((tabs.getSelectedIndex() + (backwards(e) ? n - 1 : 1)) % n);
            e.consume();
            return;
        }
        if (focus instanceof TextInputControl || focus instanceof Slider || focus instanceof ComboBoxBase
                || focus instanceof javafx.scene.control.TableView) {
            return;
        }
        if (e.getCode() == KeyCode.UP || e.getCode() == KeyCode.DOWN) {
            int i = tree.getSelectionModel().getSelectedIndex();
            int n = tree.getExpandedItemCount();
            int next = Math.max(0, Math.min(n - 1, i + (e.getCode() == KeyCode.UP ? -1 : 1)));
            tree.getSelectionModel().select(next);
            e.consume();
        } else if (e.getCode() == KeyCode.LEFT || e.getCode() == KeyCode.RIGHT) {
            vm.layer().stepChannel(e.getCode() == KeyCode.LEFT ? -1 : 1);
            e.consume();
        }
    }

    private static boolean cyclesSideTabs(KeyEvent e) {
        return e.isShortcutDown() && (e.getCode() == KeyCode.TAB || e.getCode() == KeyCode.PAGE_DOWN
                || e.getCode() == KeyCode.PAGE_UP);
    }

    private static boolean backwards(KeyEvent e) {
        return e.getCode() == KeyCode.PAGE_UP || e.getCode() == KeyCode.TAB && e.isShiftDown();
    }

    private static boolean inside(Node n, Node ancestor) {
        for (Node p = n; p != null; p = p.getParent()) {
            if (p == ancestor) {
                return true;
            }
        }
        return false;
    }

    private void openChannel() {
        if (channelWindow == null) {
            channelWindow = new ChannelWindow(getScene().getWindow(), vm);
        }
        channelWindow.open();
    }

    /** The gallery's grid (tests, the snapshot). */
    public GridView<Integer> gallery() {
        return gallery.grid();
    }

    public GalleryPane galleryPane() {
        return gallery;
    }

    public TreeTableView<Module> tree() {
        return tree;
    }

    public ModuleTreePane treePane() {
        return tree;
    }

    public ImagePane imagePane() {
        return imagePane;
    }

    public DetectionsTable detectionsTable() {
        return table;
    }

    public BlockPane blockPane() {
        return block;
    }

    public MainMenu menu() {
        return menu;
    }

    /** Replaces the file dialogs (tests drive the menus with a picker that answers). */
    public void setFilePicker(FilePicker p) {
        menu.setPicker(p);
        comparePane.setPicker(p);
        statsPane.setPicker(p);
        explain.setPicker(p);
    }

    public ComparePane comparePane() {
        return comparePane;
    }

    public DatasetStatsPane datasetStatsPane() {
        return statsPane;
    }

    /** Whether anything the window shows is still being computed (the snapshot waits for this). */
    public boolean busy() {
        return vm.runningProperty().get() || vm.layer().busy() || vm.block().busy() || gallery.busy()
                || vm.compare().busy() || vm.datasetStats().busy() || explain.busy();
    }

    /** The window title follows the model and image. */
    public static void bindTitle(Stage stage, InspectorViewModel vm) {
        stage.titleProperty().bind(Bindings.createStringBinding(() -> {
            Model m = vm.modelProperty().get();
            var i = vm.imageProperty().get();
            return "LayerLens" + (m == null ? "" : " — " + m.name())
                    + (i == null || i.source() == null ? "" : " — " + i.source().getFileName());
        }, vm.modelProperty(), vm.imageProperty()));
    }

    /**
     * A second window on the same model and image, with its own runs, selection and chooser: put
     * it beside the first and switch one to the other model to compare V1's layers with V2's.
     */
    public InspectorView openNewWindow() {
        InspectorViewModel vm2 = new InspectorViewModel(vm.loader(), vm.services());
        InspectorView v2 = new InspectorView(vm2);
        Stage st = new Stage();
        Window w = getScene() == null ? null : getScene().getWindow();
        if (w == null) {
            st.setScene(scene(v2));
        } else {
            // 40 px below and right of this one, and as much smaller as that takes to stay on its
            // screen (at the first window's size it ran off a screen of that size)
            javafx.geometry.Rectangle2D screen = javafx.stage.Screen.getScreensForRectangle(w.getX(), w.getY(), 1, 1)
                    .stream().findFirst().orElse(javafx.stage.Screen.getPrimary()).getVisualBounds();
            double x = Math.max(screen.getMinX(), Math.min(w.getX() + 40, screen.getMaxX() - 640));
            double y = Math.max(screen.getMinY(), Math.min(w.getY() + 40, screen.getMaxY() - 480));
            st.setScene(new Scene(v2, Math.min(1600, screen.getMaxX() - x), Math.min(960, screen.getMaxY() - y)));
            st.setX(x);
            st.setY(y);
        }
        bindTitle(st, vm2);
        st.setOnHidden(e -> vm2.close());
        st.show();
        Model m = vm.modelProperty().get();
        if (m != null) {
            vm2.show(m, vm.modelRefProperty().get(), vm.imageProperty().get());
        }
        return v2;
    }

    /** This window's view model. */
    public InspectorViewModel viewModel() {
        return vm;
    }

    /** 1600x960 (the tree's seven columns, the picture and the gallery side by side), less on a smaller screen. */
    public static Scene scene(InspectorView v) {
        javafx.geometry.Rectangle2D screen = javafx.stage.Screen.getPrimary().getVisualBounds();
        return new Scene(v, Math.min(1600, screen.getWidth()), Math.min(960, screen.getHeight()));
    }
}
