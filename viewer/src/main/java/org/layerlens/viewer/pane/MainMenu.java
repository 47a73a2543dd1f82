package org.layerlens.viewer.pane;

import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.function.Function;

import javafx.application.Platform;
import javafx.collections.ListChangeListener;
import javafx.scene.Node;
import javafx.scene.control.Menu;
import javafx.scene.control.MenuBar;
import javafx.scene.control.MenuItem;
import javafx.scene.control.SeparatorMenuItem;
import javafx.scene.input.KeyCombination;
import javafx.stage.FileChooser;
import org.layerlens.engine.api.Model;
import org.layerlens.viewer.InspectorViewModel;
import org.layerlens.viewer.LayerViewModel;
import org.layerlens.viewer.Notice;

/**
 * The menus: File (windows, opening models, images, videos, a camera, labels, recent files),
 * Detections (next, previous), Video, Export. Every file the user picks goes the same way as a
 * dropped or recent file ({@link InspectorViewModel#openFile}): a model format's file is a model
 * whichever menu picked it.
 */
public final class MainMenu extends MenuBar {
    private final InspectorViewModel vm;
    private final Node owner;
    private final Menu recent = new Menu("Open Recent");
    private final Menu view;
    private FilePicker picker = FilePicker.DIALOGS;

    /**
     * @param newWindow opens a second window on the same model and image
     * @param openChannel shows the selected channel large
     */
    public MainMenu(InspectorViewModel vm, Node owner, Runnable newWindow, Runnable openChannel) {
        this.vm = vm;
        this.owner = owner;
        setId("mainMenu");
        MenuItem window = item("New Window (same model and image)", "Shortcut+N", newWindow);
        MenuItem image = item("Open Image…", "Shortcut+O", () -> pick("Open Image", Dialogs.imageFilters()));
        MenuItem model = item("Open Model…", "Shortcut+Shift+O", () -> pick("Open Model (a labels file next to it "
                + "is picked up)", Dialogs.modelFilters()));
        MenuItem video = item("Open Video…", null, () -> pick("Open Video", Dialogs.videoFilters()));
        MenuItem camera = item("Open Camera", null, () -> vm.video().openCamera(0));
        MenuItem labels = item("Open Labels File for This Model…", null, this::pickLabels);
        MenuItem def = item("Open Default Model", null, () -> vm.openModel("default", null));
        MenuItem faces = item("Open Face Detector (faces-v1, MobileNetV1)", null, () -> vm.openModel("faces-v1",
                null));
        MenuItem rerun = item("Run Again", "F5", vm::rerun);
        MenuItem close = item("Close Window", "Shortcut+W", () -> owner.getScene().getWindow().hide());
        MenuItem quit = item("Quit", "Shortcut+Q", Platform::exit);
        Menu file = new Menu("_File", null, window, image, model, video, camera, labels, def, faces, recent,
                new SeparatorMenuItem(), rerun, new SeparatorMenuItem(), close, quit);

        Menu detections = new Menu("_Detections", null,
                item("Next Detection", "N", () -> vm.stepDetection(1)),
                item("Previous Detection", "Shift+N", () -> vm.stepDetection(-1)),
                item("Clear Selection", null, () -> vm.selectedDetectionProperty().set(null)));
        LayerViewModel layer = vm.layer();
        MenuItem overlay = item("Channel Over Image", "H", () -> layer.overlayProperty().set(
                !layer.overlayProperty().get()));
        Menu view = new Menu("_View", null, overlay, item("Selected Channel Large", null, openChannel));
        MenuItem play = item("Play / Pause", "K", () -> vm.video().togglePlay());
        MenuItem step = item("Next Frame", "Period", () -> vm.video().step());
        play.disableProperty().bind(vm.video().openProperty().not());
        step.disableProperty().bind(vm.video().openProperty().not());
        Menu videoMenu = new Menu("V_ideo", null, play, step);

        java.util.function.Supplier<String> noTensor = () -> layer.layerProperty().get() != null
                && layer.layerProperty().get().data() != null ? null
                : "Nothing to export: " + (vm.selectedPathProperty().get().isEmpty() ? "the network's root"
                : vm.selectedPathProperty().get()) + " has no output of its own; choose a module with a shape in the tree";
        java.util.function.Supplier<String> noRun = () -> vm.inspectionProperty().get() != null ? null
                : "Nothing to export yet: no pass has finished";
        Menu export = new Menu("E_xport", null,
                save("Selected Tensor as .npy…", "Export tensor", () -> sel() + ".npy", "npy", noTensor,
                        f -> vm.exports().npy(f)),
                save("Selected Channel Heatmap as PNG…", "Export heatmap", () -> sel() + "-ch"
                        + Math.max(0, layer.selectedChannelProperty().get()) + ".png", "png", noTensor,
                        f -> vm.exports().heatmap(f)),
                save("Whole Gallery as PNG…", "Export gallery", () -> sel() + "-gallery.png", "png", noTensor,
                        f -> vm.exports().gallery(f)),
                save("Detections as JSON…", "Export detections", () -> "detections.json", "json", noRun,
                        f -> vm.exports().detections(f)),
                save("Summary Table as CSV…", "Export summary", () -> "summary.csv", "csv",
                        () -> vm.modelProperty().get() != null ? null : "Nothing to export yet: no model is open",
                        f -> vm.exports().summary(f)));
        getMenus().setAll(file, view, detections, videoMenu, export);
        this.view = view;
        vm.recent().files().addListener((ListChangeListener<Path>) c -> rebuildRecent());
        rebuildRecent();
    }

    /** Adds an item to the File menu, after Open Recent. */
    public void addFileItem(MenuItem item) {
        Menu file = getMenus().get(0);
        file.getItems().add(file.getItems().indexOf(recent) + 1, item);
    }

    /** Replaces the file dialogs (tests). */
    public void setPicker(FilePicker p) {
        picker = p;
    }

    private String sel() {
        String p = vm.selectedPathProperty().get();
        return p.isEmpty() ? "network" : p;
    }

    private static MenuItem item(String text, String keys, Runnable action) {
        MenuItem mi = new MenuItem(text);
        if (keys != null) {
            mi.setAccelerator(KeyCombination.keyCombination(keys));
        }
        mi.setOnAction(e -> action.run());
        return mi;
    }

    /**
     * An export item: {@code unavailable} says why there is nothing to write (null when there is):
     * said in a notification before any file dialog, where the dialog opened and then nothing was
     * written, unsaid (the tree's root row selected).
     */
    private MenuItem save(String text, String title, java.util.function.Supplier<String> name, String ext,
                          java.util.function.Supplier<String> unavailable, Function<Path, CompletableFuture<Path>> write) {
        return item(text, null, () -> {
            String why = unavailable.get();
            if (why != null) {
                vm.notices().add(Notice.warning(why));
                return;
            }
            Path f = picker.save(owner, title, name.get(), ext);
            if (f != null) {
                write.apply(f);
            }
        });
    }

    private void pick(String what, List<FileChooser.ExtensionFilter> filters) {
        Path p = picker.open(owner, what, filters);
        if (p != null) {
            vm.openFile(p);
        }
    }

    private void pickLabels() {
        Model m = vm.modelProperty().get();
        if (m == null) {
            return;
        }
        Path p = picker.open(owner, "Labels file: one class a line, BACKGROUND first",
                List.of(new FileChooser.ExtensionFilter("Text", "*.txt")));
        if (p != null) {
            vm.openModel(vm.modelRefProperty().get(), p);
        }
    }

    private void rebuildRecent() {
        recent.getItems().clear();
        for (Path p : vm.recent().files()) {
            MenuItem mi = new MenuItem(p.toString());
            mi.setOnAction(e -> vm.openFile(p));
            recent.getItems().add(mi);
        }
        recent.setDisable(recent.getItems().isEmpty());
    }

    /** The Open Recent menu (tests). */
    /** The View menu (the window adds its side tabs' items). */
    public Menu viewMenu() {
        return view;
    }

    public Menu recentMenu() {
        return recent;
    }
}
