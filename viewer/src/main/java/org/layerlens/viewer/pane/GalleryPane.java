package org.layerlens.viewer.pane;

import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.IntFunction;

import javafx.beans.property.ObjectProperty;
import javafx.beans.property.SimpleObjectProperty;
import javafx.geometry.Insets;
import javafx.geometry.Pos;
import javafx.geometry.Rectangle2D;
import javafx.scene.control.ChoiceBox;
import javafx.scene.control.Label;
import javafx.scene.control.Tooltip;
import javafx.scene.image.Image;
import javafx.scene.image.ImageView;
import javafx.scene.layout.FlowPane;
import javafx.scene.layout.Pane;
import javafx.scene.layout.Priority;
import javafx.scene.layout.Region;
import javafx.scene.layout.VBox;
import javafx.scene.paint.Color;
import javafx.scene.shape.Rectangle;
import javafx.scene.text.Font;
import javafx.scene.text.FontWeight;
import javafx.util.StringConverter;
import org.controlsfx.control.GridCell;
import org.controlsfx.control.GridView;
import org.layerlens.engine.api.LayerData;
import org.layerlens.engine.image.Heatmaps;
import org.layerlens.viewer.InspectorViewModel;
import org.layerlens.viewer.LayerViewModel;
import org.layerlens.viewer.Rgb;

/**
 * Every channel of the selected module as a heatmap thumbnail (built on a worker when its cell
 * first shows, then kept until the module, the result or the colours change), with a two-line
 * header and the colour map, normalisation and order choices. Maps of one value per channel
 * (1x1) would be flat tiles under per-channel normalisation, so their cells show the value,
 * coloured across the layer. Clicking a cell selects the channel and opens it large.
 * {@link #markProperty()} outlines one region (a detection's cell) on every thumbnail.
 */
public final class GalleryPane extends VBox {
    public static final int THUMB = 64;
    private final InspectorViewModel vm;
    private final LayerViewModel layer;
    private final GridView<Integer> grid = new GridView<>();
    private final Label title = new Label("No module selected");
    /** The title as the module names it, before it is broken into lines that fit ({@link #fitTitle}). */
    private String rawTitle = "No module selected";
    private final Label subtitle = new Label();
    private final Map<Integer, Image> thumbs = new HashMap<>();
    private final Map<Integer, Rgb> colours = new HashMap<>();
    private final java.util.Set<Integer> requested = new java.util.HashSet<>();
    private final AtomicInteger pending = new AtomicInteger();
    private final java.util.Set<ChannelCell> cells = java.util.Collections.newSetFromMap(new java.util.WeakHashMap<>());
    private int generation;
    private Runnable onOpenChannel = () -> { };
    /** Why a channel is marked (dead, saturated over a dataset), or null: a red frame and a tooltip. */
    private final ObjectProperty<IntFunction<String>> marks =
            new SimpleObjectProperty<>(c -> null);
    private final ObjectProperty<Rectangle2D> mark = new SimpleObjectProperty<>();

    public GalleryPane(InspectorViewModel vm) {
        super(6);
        this.vm = vm;
        this.layer = vm.layer();
        setPadding(new Insets(6));
        title.setId("galleryTitle");
        title.setFont(Font.font(null, FontWeight.BOLD, 13));
        subtitle.setId("gallerySubtitle");
        for (Label l : List.of(title, subtitle)) {
            l.setWrapText(true);
            l.setMinHeight(Region.USE_PREF_SIZE);
        }
        ChoiceBox<Heatmaps.ColorMap> colorMap = new ChoiceBox<>();
        colorMap.getItems().setAll(Heatmaps.ColorMap.values());
        colorMap.valueProperty().bindBidirectional(layer.colorMapProperty());
        ChoiceBox<Heatmaps.Normalise> normalise = new ChoiceBox<>();
        normalise.getItems().setAll(Heatmaps.Normalise.values());
        normalise.setConverter(new StringConverter<>() {
            @Override
            public String toString(Heatmaps.Normalise n) {
                return n == null ? "" : n == Heatmaps.Normalise.CHANNEL ? "per channel" : "across layer";
            }

            @Override
            public Heatmaps.Normalise fromString(String s) {
                return s.startsWith("per") ? Heatmaps.Normalise.CHANNEL : Heatmaps.Normalise.LAYER;
            }
        });
        normalise.valueProperty().bindBidirectional(layer.normaliseProperty());
        ChoiceBox<LayerViewModel.Order> order = new ChoiceBox<>();
        order.getItems().setAll(LayerViewModel.Order.values());
        order.valueProperty().bindBidirectional(layer.orderProperty());
        FlowPane tools = new FlowPane(6, 4, colorMap, normalise, order);

        grid.setId("gallery");
        grid.setItems(layer.channels());
        grid.setCellWidth(THUMB);
        grid.setCellHeight(THUMB + 14);
        grid.setHorizontalCellSpacing(3);
        grid.setVerticalCellSpacing(3);
        grid.setCellFactory(g -> new ChannelCell());
        VBox.setVgrow(grid, Priority.ALWAYS);
        getChildren().addAll(title, subtitle, tools, grid);

        layer.layerProperty().addListener((o, a, r) -> {
            rawTitle = r == null ? "No module selected" : r.title();
            fitTitle();
            subtitle.setText(r == null ? "" : r.subtitle());
            forget();
        });
        widthProperty().addListener((o, a, b) -> fitTitle());
        layer.colorMapProperty().addListener((o, a, b) -> forget());
        layer.normaliseProperty().addListener((o, a, b) -> forget());
        layer.selectedChannelProperty().addListener((o, a, b) -> cells.forEach(ChannelCell::restyle));
        marks.addListener((o, a, b) -> cells.forEach(ChannelCell::restyle));
        mark.addListener((o, a, b) -> cells.forEach(ChannelCell::placeMark));
    }

    /**
     * Marks on channels of the shown module: a function from a channel to why it is marked, or
     * null for an unmarked one (dataset statistics bind their dead and saturated channels here).
     */
    public ObjectProperty<IntFunction<String>> channelMarksProperty() {
        return marks;
    }

    /**
     * A region outlined on every thumbnail, in fractions of the map ({@code 0..1} of its width
     * and height, so one region fits maps of any size), or null for none.
     */
    public ObjectProperty<Rectangle2D> markProperty() {
        return mark;
    }

    /** The grid (tests, snapshots). */
    public GridView<Integer> grid() {
        return grid;
    }

    /** What to do when a cell is clicked, after selecting its channel (open the channel window). */
    public void setOnOpenChannel(Runnable r) {
        onOpenChannel = r;
    }

    /** Whether thumbnails are still being built. */
    public boolean busy() {
        return pending.get() > 0;
    }

    /** The title in lines that break after the path's separators, to the pane's width less its padding. */
    private void fitTitle() {
        title.setText(org.layerlens.viewer.Format.wrapPath(rawTitle, getWidth() - getPadding().getLeft()
                - getPadding().getRight() - 4, title.getFont()));
    }

    private void forget() {
        generation++;
        thumbs.clear();
        colours.clear();
        requested.clear();
        cells.forEach(ChannelCell::refresh);
    }

    private record Thumb(Rgb rgb, Image image) {
    }

    private void request(int c, LayerData d, boolean value) {
        if (!requested.add(c)) {
            return;
        }
        int gen = generation;
        double s = (double) THUMB / Math.max(d.width, d.height);
        int tw = value ? 1 : Math.max(1, (int) Math.round(d.width * s));
        int th = value ? 1 : Math.max(1, (int) Math.round(d.height * s));
        pending.incrementAndGet();
        var pictures = vm.services().pictures();
        (value ? layer.heatmap(d, c, 1, 1, Heatmaps.Normalise.LAYER) : layer.heatmap(d, c, tw, th))
                .thenApply(rgb -> new Thumb(rgb, pictures.apply(rgb))) // the image too is made on the worker
                .whenComplete((thumb, t) -> vm.services().ui().execute(() -> {
                    pending.decrementAndGet();
                    if (t != null || gen != generation) {
                        return;
                    }
                    thumbs.put(c, thumb.image());
                    colours.put(c, thumb.rgb());
                    cells.forEach(cell -> cell.arrived(c));
                }));
    }


    private final class ChannelCell extends GridCell<Integer> {
        private final ImageView view = new ImageView();
        private final Rectangle markBox = new Rectangle();
        private final Pane picture = new Pane(view, markBox);
        private final Label value = new Label();
        private final Label label = new Label();
        private final VBox box = new VBox(1);
        private int shows = -1;

        ChannelCell() {
            cells.add(this);
            box.setAlignment(Pos.CENTER);
            label.setFont(Font.font(10));
            value.setFont(Font.font("Monospaced", 11));
            value.setMinSize(THUMB, THUMB - 8);
            value.setAlignment(Pos.CENTER);
            markBox.setId("galleryMark");
            markBox.setFill(Color.TRANSPARENT);
            markBox.setStroke(Color.web("#ff2d2d"));
            markBox.setStrokeWidth(2);
            markBox.setMouseTransparent(true);
            markBox.setManaged(false);
            setOnMouseClicked(e -> {
                if (getItem() != null) {
                    layer.selectChannel(getItem());
                    onOpenChannel.run();
                }
            });
        }

        @Override
        protected void updateItem(Integer c, boolean empty) {
            super.updateItem(c, empty);
            refresh();
        }

        void refresh() {
            Integer c = getItem();
            LayerViewModel.LayerResult r = layer.layerProperty().get();
            if (isEmpty() || c == null || r == null || r.data() == null || c >= r.data().channels) {
                setGraphic(null);
                return;
            }
            label.setText("#" + c);
            if (r.pointLike()) {
                value.setText(String.format(Locale.ROOT, "%.4g", r.data().values[c]));
                Rgb rgb = colours.get(c);
                value.setStyle(rgb == null ? "" : String.format(Locale.ROOT,
                        "-fx-background-color: rgb(%d,%d,%d); -fx-text-fill: %s;", rgb.bytes()[0] & 0xff,
                        rgb.bytes()[1] & 0xff, rgb.bytes()[2] & 0xff, bright(rgb) ? "black" : "white"));
                box.getChildren().setAll(value, label);
                if (rgb == null) {
                    request(c, r.data(), true);
                }
            } else {
                Image img = thumbs.get(c);
                if (img != null || shows != c) {
                    // a new frame of the same channel keeps its old picture until the new one is built
                    view.setImage(img);
                    shows = c;
                }
                double s = (double) THUMB / Math.max(r.data().width, r.data().height);
                picture.setPrefSize(Math.round(r.data().width * s), Math.round(r.data().height * s));
                picture.setMaxSize(Region.USE_PREF_SIZE, Region.USE_PREF_SIZE);
                placeMark();
                box.getChildren().setAll(picture, label);
                if (img == null) {
                    request(c, r.data(), false);
                }
            }
            restyle();
            setGraphic(box);
        }

        void arrived(int c) {
            Integer mine = getItem();
            if (mine != null && mine == c) {
                refresh();
            }
        }

        /** The marked region over this thumbnail (the picture's size is the map's, scaled to THUMB). */
        void placeMark() {
            Rectangle2D m = mark.get();
            double w = picture.getPrefWidth();
            double h = picture.getPrefHeight();
            markBox.setVisible(m != null && w > 0);
            if (m != null) {
                markBox.setX(m.getMinX() * w);
                markBox.setY(m.getMinY() * h);
                markBox.setWidth(Math.max(2, m.getWidth() * w));
                markBox.setHeight(Math.max(2, m.getHeight() * h));
            }
        }

        /** The mark as drawn on this cell, or null when none shows (tests). */
        Rectangle shownMark() {
            return getGraphic() == box && box.getChildren().contains(picture) && markBox.isVisible() ? markBox : null;
        }

        void restyle() {
            Integer c = getItem();
            IntFunction<String> m = marks.get();
            String mark = c == null || m == null ? null : m.apply(c);
            boolean selected = c != null && c == layer.selectedChannelProperty().get();
            setStyle(selected ? "-fx-border-color: #ff9900; -fx-border-width: 2;"
                    : mark != null ? "-fx-border-color: #e00000; -fx-border-width: 2;" : "");
            setTooltip(mark == null ? null : new Tooltip("#" + c + " " + mark));
        }
    }

    /** The marks drawn on the thumbnails showing now, in thumbnail pixels (tests). */
    public List<Rectangle2D> shownMarks() {
        List<Rectangle2D> out = new java.util.ArrayList<>();
        for (ChannelCell c : cells) {
            Rectangle r = c.isVisible() && c.getItem() != null ? c.shownMark() : null;
            if (r != null) {
                out.add(new Rectangle2D(r.getX(), r.getY(), r.getWidth(), r.getHeight()));
            }
        }
        return out;
    }

    private static boolean bright(Rgb rgb) {
        int r = rgb.bytes()[0] & 0xff;
        int g = rgb.bytes()[1] & 0xff;
        int b = rgb.bytes()[2] & 0xff;
        return 0.299 * r + 0.587 * g + 0.114 * b > 140;
    }
}
