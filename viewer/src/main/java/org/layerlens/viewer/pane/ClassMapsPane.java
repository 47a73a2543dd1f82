package org.layerlens.viewer.pane;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

import javafx.geometry.Insets;
import javafx.geometry.Pos;
import javafx.scene.canvas.Canvas;
import javafx.scene.canvas.GraphicsContext;
import javafx.scene.control.ChoiceBox;
import javafx.scene.control.Label;
import javafx.scene.control.ScrollPane;
import javafx.scene.image.Image;
import javafx.scene.layout.HBox;
import javafx.scene.layout.TilePane;
import javafx.scene.layout.VBox;
import javafx.scene.paint.Color;
import javafx.scene.text.Font;
import javafx.scene.text.FontWeight;
import javafx.util.StringConverter;
import org.layerlens.engine.api.Model;
import org.layerlens.viewer.ClassMapsViewModel;
import org.layerlens.viewer.ExplainViewModel;
import org.layerlens.viewer.FxImages;
import org.layerlens.viewer.HeadCell;
import org.layerlens.viewer.InspectorViewModel;
import org.layerlens.viewer.MapColours;

/**
 * The Class Maps tab: for the chosen class, every head's per-cell score (the best of the cell's
 * anchors) over the image, side by side from the largest map to the smallest, each with its
 * size and its highest score, on one 0..1 scale; the selected detection's cell is outlined on its
 * head's map.
 */
public final class ClassMapsPane extends VBox {
    static final double TILE = 180;
    private final ExplainViewModel explain;
    private final ChoiceBox<Integer> cls = new ChoiceBox<>();
    private final TilePane tiles = new TilePane(8, 8);
    private final Label caption = new Label();
    private final List<Tile> shown = new ArrayList<>();
    private boolean syncing;

    /** One head's tile: its map and the canvas it is drawn on (tests read both). */
    public record Tile(ClassMapsViewModel.HeadMap map, Canvas canvas, Label title) {
    }

    public ClassMapsPane(InspectorViewModel vm, ExplainViewModel explain) {
        super(6);
        this.explain = explain;
        setId("classMapsPane");
        setPadding(new Insets(8));
        Label l = new Label("Where the heads look for");
        l.setFont(Font.font(null, FontWeight.BOLD, 12));
        cls.setId("classMapsClass");
        HBox top = new HBox(8, l, cls);
        top.setAlignment(Pos.CENTER_LEFT);
        caption.setWrapText(true);
        caption.setFont(Font.font(11));
        caption.setText("Each cell: the class's best score over the cell's anchors (C / Shift+C: next / previous "
                + "class). Heads from the largest map (smallest priors) to the smallest.");
        tiles.setId("classMapTiles");
        tiles.setPrefColumns(2);
        ScrollPane scroll = new ScrollPane(tiles);
        scroll.setFitToWidth(true);
        VBox.setVgrow(scroll, javafx.scene.layout.Priority.ALWAYS);
        getChildren().addAll(top, caption, scale(), scroll);

        vm.modelProperty().addListener((o, a, m) -> classes(m));
        classes(vm.modelProperty().get());
        cls.valueProperty().addListener((o, a, k) -> {
            if (!syncing && k != null) {
                explain.classMaps().classIdProperty().set(k);
            }
        });
        explain.classMaps().classIdProperty().addListener((o, a, k) -> {
            syncing = true;
            cls.setValue(k.intValue() < 1 ? null : k.intValue());
            syncing = false;
        });
        explain.classMaps().mapsProperty().addListener((o, a, m) -> show(m));
        explain.cellProperty().addListener((o, a, c) -> shown.forEach(this::draw));
    }

    private void classes(Model m) {
        syncing = true;
        // the converter first: the choice box names every item as it is added
        List<String> labels = m == null ? List.of() : m.labels();
        cls.setConverter(new StringConverter<>() {
            @Override
            public String toString(Integer k) {
                return k == null || k >= labels.size() ? "" : labels.get(k);
            }

            @Override
            public Integer fromString(String s) {
                return labels.indexOf(s);
            }
        });
        List<Integer> ids = new ArrayList<>();
        for (int k = 1; k < labels.size(); k++) {
            ids.add(k);
        }
        cls.getItems().setAll(ids);
        int k = explain.classMaps().classIdProperty().get();
        cls.setValue(k >= 1 && k < labels.size() ? k : null);
        syncing = false;
    }

    /** The JET scale from 0 to 1 that every tile shares. */
    private static HBox scale() {
        int[] jet = MapColours.argb(ramp(), 0, 255);
        Canvas c = new Canvas(160, 10);
        GraphicsContext g = c.getGraphicsContext2D();
        for (int x = 0; x < 160; x++) {
            int rgb = jet[Math.round(x * 255f / 159)];
            g.setFill(Color.rgb(rgb >> 16 & 0xff, rgb >> 8 & 0xff, rgb & 0xff));
            g.fillRect(x, 0, 1, 10);
        }
        HBox h = new HBox(4, small("score 0"), c, small("1"));
        h.setAlignment(Pos.CENTER_LEFT);
        return h;
    }

    private static float[] ramp() {
        float[] r = new float[256];
        for (int i = 0; i < 256; i++) {
            r[i] = i;
        }
        return r;
    }

    private static Label small(String t) {
        Label l = new Label(t);
        l.setFont(Font.font(11));
        return l;
    }

    private void show(ClassMapsViewModel.Maps maps) {
        tiles.getChildren().clear();
        shown.clear();
        if (maps == null) {
            return;
        }
        for (ClassMapsViewModel.HeadMap h : maps.heads()) {
            Image pic = h.picture() != null ? h.picture() : FxImages.fromRgb(h.rgb());
            double s = TILE / Math.max(pic.getWidth(), pic.getHeight());
            Canvas c = new Canvas(Math.round(pic.getWidth() * s), Math.round(pic.getHeight() * s));
            c.setUserData(pic);
            Label t = new Label(String.format(Locale.ROOT, "head %d · %dx%d map%nmax %.3f at row %d, col %d", h.head(),
                    h.rows(), h.cols(), h.max(), h.maxRow(), h.maxCol()));
            t.setFont(Font.font(11));
            t.setMaxWidth(TILE);
            t.setWrapText(true);
            Tile tile = new Tile(h, c, t);
            shown.add(tile);
            draw(tile);
            VBox v = new VBox(2, t, c);
            v.setId("classMap-" + h.head());
            tiles.getChildren().add(v);
        }
    }

    private void draw(Tile t) {
        Canvas c = t.canvas();
        GraphicsContext g = c.getGraphicsContext2D();
        g.drawImage((Image) c.getUserData(), 0, 0, c.getWidth(), c.getHeight());
        HeadCell cell = explain.cellProperty().get();
        ClassMapsViewModel.Maps maps = explain.classMaps().mapsProperty().get();
        if (cell == null || maps == null || cell.head() != t.map().head()) {
            return;
        }
        // the map covers the network's input square: the picture, or more where the model pads it
        double[] f = maps.source().model().spec().input().factors(maps.source().image().width(),
                maps.source().image().height());
        double sw = c.getWidth() * f[0];
        double sh = c.getHeight() * f[1];
        var r = cell.fraction();
        g.setLineWidth(4);
        g.setStroke(Color.BLACK);
        g.strokeRect(r.getMinX() * sw, r.getMinY() * sh, r.getWidth() * sw, r.getHeight() * sh);
        g.setLineWidth(2);
        g.setStroke(Color.WHITE);
        g.strokeRect(r.getMinX() * sw, r.getMinY() * sh, r.getWidth() * sw, r.getHeight() * sh);
    }

    /** The tiles shown, one per head (tests). */
    public List<Tile> tiles() {
        return List.copyOf(shown);
    }
}
