package org.layerlens.viewer.pane;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

import javafx.collections.FXCollections;
import javafx.collections.ObservableList;
import javafx.geometry.Insets;
import javafx.geometry.Pos;
import javafx.geometry.Rectangle2D;
import javafx.scene.control.Label;
import javafx.scene.image.ImageView;
import javafx.scene.layout.HBox;
import javafx.scene.layout.Priority;
import javafx.scene.layout.Region;
import javafx.scene.layout.VBox;
import javafx.scene.text.Font;
import javafx.scene.text.FontWeight;
import org.controlsfx.control.GridCell;
import org.controlsfx.control.GridView;
import org.layerlens.engine.analysis.LayerMetrics;
import org.layerlens.engine.analysis.ModuleComparison;
import org.layerlens.viewer.DifferenceViewModel;
import org.layerlens.viewer.InspectorViewModel;

/**
 * The selected module in both runs: the selected channel as A, B and |A−B| (A and B on one
 * colour scale), the module's figures, and the gallery of |A−B| over every channel on one
 * inferno scale (0 to the layer's largest difference); clicking a tile selects that channel
 * everywhere. B's image is shown when B saw another image.
 */
public final class DifferencePane extends VBox {
    private final InspectorViewModel vm;
    private final DifferenceViewModel diff;
    private final Label title = new Label();
    private final Label figures = new Label();
    private final ImageView a = tile();
    private final ImageView b = tile();
    private final ImageView d = tile();
    private final HBox tiles;
    private final Label caption = new Label();
    private final GridView<Integer> grid = new GridView<>();
    private final ObservableList<Integer> channels = FXCollections.observableArrayList();
    private final List<DiffCell> cells = new ArrayList<>();

    public DifferencePane(InspectorViewModel vm) {
        super(4);
        this.vm = vm;
        this.diff = vm.compare().difference();
        setId("differencePane");
        setPadding(new Insets(6));
        title.setId("differenceTitle");
        title.setFont(Font.font(null, FontWeight.BOLD, 12));
        for (Label l : List.of(title, figures, caption)) {
            l.setWrapText(true);
            l.setMinHeight(Region.USE_PREF_SIZE);
        }
        figures.setId("differenceFigures");
        figures.setFont(Font.font("Monospaced", 11));
        caption.setId("differenceCaption");
        caption.setFont(Font.font(11));
        tiles = new HBox(6, labelled(a, "A"), labelled(b, "B"), labelled(d, "|A−B|"));
        tiles.setAlignment(Pos.CENTER_LEFT);

        grid.setId("differenceGallery");
        grid.setItems(channels);
        grid.setCellWidth(DifferenceViewModel.THUMB);
        grid.setCellHeight(DifferenceViewModel.THUMB + 14);
        grid.setHorizontalCellSpacing(3);
        grid.setVerticalCellSpacing(3);
        grid.setCellFactory(g -> new DiffCell());
        grid.setMinHeight(90);
        VBox.setVgrow(grid, Priority.ALWAYS);
        Label galleryTitle = new Label("|A−B| of every channel (one scale: 0 to the layer's largest)");
        galleryTitle.setWrapText(true);
        galleryTitle.setMinHeight(Region.USE_PREF_SIZE);
        getChildren().addAll(title, tiles, caption, figures, galleryTitle, grid);

        diff.layerProperty().addListener((o, x, l) -> showLayer(l));
        diff.tilesProperty().addListener((o, x, t) -> showTiles(t));
        vm.layer().selectedChannelProperty().addListener((o, x, c) -> cells.forEach(DiffCell::restyle));
        showLayer(null);
    }

    /** The difference gallery (tests). */
    public GridView<Integer> grid() {
        return grid;
    }

    private static ImageView tile() {
        ImageView v = new ImageView();
        v.setSmooth(false);
        return v;
    }

    private static VBox labelled(ImageView v, String text) {
        VBox box = new VBox(2, v, new Label(text));
        box.setAlignment(Pos.CENTER);
        box.setMinWidth(DifferenceViewModel.TILE);
        return box;
    }

    private void showLayer(DifferenceViewModel.Layer l) {
        if (l == null) {
            title.setText(vm.compare().resultProperty().get() == null
                    ? "Choose what to compare with; the selected module shows here in both runs" : "");
            figures.setText("");
            channels.clear();
            tiles.setVisible(false);
            return;
        }
        title.setText(l.path().isEmpty() ? "(the whole network)" : l.path());
        ModuleComparison m = l.source().comparison().module(l.path());
        if (l.why() != null) {
            figures.setText(l.why());
            channels.clear();
            tiles.setVisible(false);
            caption.setText("");
            return;
        }
        LayerMetrics x = m.metrics();
        figures.setText(String.format(Locale.ROOT, "max|a−b| %.4g  mean|a−b| %.4g%nrel. error %.4g  cosine %.6f  "
                + "SQNR %s", x.maxAbs(), x.meanAbs(), x.relErr(), x.cosine(), Double.isInfinite(x.sqnrDb())
                ? "∞ (identical)" : String.format(Locale.ROOT, "%.2f dB", x.sqnrDb())));
        cells.forEach(DiffCell::forget);
        List<Integer> idx = new ArrayList<>();
        for (int c = 0; c < l.channels(); c++) {
            idx.add(c);
        }
        channels.setAll(idx);
        cells.forEach(DiffCell::refresh);
    }

    private void showTiles(DifferenceViewModel.Tiles t) {
        tiles.setVisible(t != null);
        if (t == null) {
            caption.setText("");
            return;
        }
        a.setImage(t.imageA());
        b.setImage(t.imageB());
        d.setImage(t.imageDiff());
        caption.setText(t.caption());
    }

    private final class DiffCell extends GridCell<Integer> {
        private final ImageView view = new ImageView();
        private final Label label = new Label();
        private final VBox box = new VBox(1, view, label);

        DiffCell() {
            cells.add(this);
            view.setSmooth(false);
            label.setFont(Font.font(10));
            box.setAlignment(Pos.CENTER);
            setOnMouseClicked(e -> {
                if (getItem() != null) {
                    vm.layer().selectChannel(getItem());
                }
            });
        }

        @Override
        protected void updateItem(Integer c, boolean empty) {
            super.updateItem(c, empty);
            refresh();
        }

        void forget() {
            view.setImage(null);
        }

        void refresh() {
            DifferenceViewModel.Layer l = diff.layerProperty().get();
            Integer c = getItem();
            if (isEmpty() || c == null || l == null || l.mosaicImage() == null || c >= l.channels()) {
                setGraphic(null);
                return;
            }
            view.setImage(l.mosaicImage());
            view.setViewport(new Rectangle2D(l.tileX(c), l.tileY(c), l.tileW(), l.tileH()));
            label.setText("#" + c);
            restyle();
            setGraphic(box);
        }

        void restyle() {
            Integer c = getItem();
            setStyle(c != null && c == vm.layer().selectedChannelProperty().get()
                    ? "-fx-border-color: #ff9900; -fx-border-width: 2;" : "");
        }
    }
}
