package org.layerlens.viewer.pane;

import java.util.List;
import java.util.Locale;
import java.util.function.Function;

import javafx.beans.property.ReadOnlyStringWrapper;
import javafx.geometry.Insets;
import javafx.geometry.Pos;
import javafx.scene.Scene;
import javafx.scene.control.Button;
import javafx.scene.control.Label;
import javafx.scene.control.ListView;
import javafx.scene.control.ProgressBar;
import javafx.scene.control.TableColumn;
import javafx.scene.control.TableView;
import javafx.scene.control.TitledPane;
import javafx.scene.image.ImageView;
import javafx.scene.layout.BorderPane;
import javafx.scene.layout.HBox;
import javafx.scene.layout.Priority;
import javafx.scene.layout.Region;
import javafx.scene.layout.VBox;
import javafx.scene.text.Font;
import javafx.scene.text.FontWeight;
import javafx.stage.Stage;
import javafx.stage.Window;
import org.layerlens.engine.explain.AnchorCoverage;
import org.layerlens.viewer.CoverageViewModel;
import org.layerlens.viewer.FxImages;

/**
 * Anchor coverage of a dataset folder in a window of its own: while the annotations are read,
 * a progress bar and Cancel; then the chart (best prior IoU against object size, the match
 * threshold and each head's smallest prior) and the share of boxes covered by size and by
 * aspect ratio, with the files that were skipped.
 */
public final class CoverageWindow {
    private final Stage stage = new Stage();
    private final CoverageViewModel coverage;
    private final ImageView chart = new ImageView();
    private final TableView<AnchorCoverage.Bin> bySize = table("Size sqrt(w*h), px");
    private final TableView<AnchorCoverage.Bin> byAspect = table("Aspect w/h");
    private final ListView<String> skipped = new ListView<>();
    private final TitledPane skippedPane = new TitledPane("Skipped files", skipped);

    public CoverageWindow(Window owner, CoverageViewModel coverage, Runnable another) {
        this.coverage = coverage;
        stage.initOwner(owner);
        stage.setTitle("Anchor coverage");
        Label status = new Label();
        status.setId("coverageStatus");
        status.setWrapText(true);
        status.setFont(Font.font(null, FontWeight.BOLD, 12));
        status.textProperty().bind(coverage.statusProperty());
        ProgressBar progress = new ProgressBar();
        progress.setId("coverageProgress");
        progress.setPrefWidth(240);
        progress.progressProperty().bind(coverage.progressProperty());
        Button cancel = new Button("Cancel");
        cancel.setId("coverageCancel");
        cancel.setOnAction(e -> coverage.cancel());
        for (var n : List.of(progress, cancel)) {
            n.visibleProperty().bind(coverage.runningProperty());
            n.managedProperty().bind(coverage.runningProperty());
        }
        Button other = new Button("Another Folder…");
        other.setOnAction(e -> another.run());
        other.disableProperty().bind(coverage.runningProperty());
        Region gap = new Region();
        HBox.setHgrow(gap, Priority.ALWAYS);
        HBox top = new HBox(10, progress, cancel, gap, other);
        top.setAlignment(Pos.CENTER_LEFT);
        VBox head = new VBox(6, status, top);
        head.setPadding(new Insets(8));

        chart.setId("coverageChart");
        chart.setPreserveRatio(true);
        chart.setSmooth(true);
        chart.setFitWidth(CoverageViewModel.CHART_WIDTH);
        skipped.setPrefHeight(90);
        skippedPane.setExpanded(false);
        HBox tables = new HBox(10, bySize, byAspect);
        HBox.setHgrow(bySize, Priority.ALWAYS);
        HBox.setHgrow(byAspect, Priority.ALWAYS);
        VBox bottom = new VBox(6, tables, skippedPane);
        bottom.setPadding(new Insets(6, 8, 8, 8));
        BorderPane root = new BorderPane(chart, head, null, bottom, null);
        root.setId("coverageWindow");
        stage.setScene(new Scene(root, CoverageViewModel.CHART_WIDTH + 20, 980));
        chart.fitWidthProperty().bind(stage.getScene().widthProperty().subtract(20));
        chart.fitHeightProperty().bind(stage.getScene().heightProperty().subtract(370));
        coverage.coverageProperty().addListener((o, a, c) -> show(c));
        show(coverage.coverageProperty().get());
    }

    private static TableView<AnchorCoverage.Bin> table(String title) {
        TableView<AnchorCoverage.Bin> t = new TableView<>();
        t.getColumns().setAll(List.of(column(title, 120, AnchorCoverage.Bin::name),
                column("Boxes", 60, b -> Integer.toString(b.boxes())),
                column("Matched", 64, b -> b.boxes() == 0 ? "-" : Integer.toString(b.matched())),
                column("Share", 60, b -> b.boxes() == 0 ? "-" : String.format(Locale.ROOT, "%.1f%%", 100 * b.share())),
                column("Mean best IoU", 100, b -> b.boxes() == 0 ? "-"
                        : String.format(Locale.ROOT, "%.3f", b.meanBestIou()))));
        t.setColumnResizePolicy(TableView.CONSTRAINED_RESIZE_POLICY_FLEX_LAST_COLUMN);
        t.setFixedCellSize(22);
        t.setPrefHeight(26 + 22 * 10 + 4);
        t.setMinHeight(Region.USE_PREF_SIZE);
        return t;
    }

    private static <T> TableColumn<T, String> column(String title, double w, Function<T, String> f) {
        TableColumn<T, String> c = new TableColumn<>(title);
        c.setCellValueFactory(p -> new ReadOnlyStringWrapper(f.apply(p.getValue())));
        c.setPrefWidth(w);
        c.setSortable(false);
        if (!title.startsWith("Size") && !title.startsWith("Aspect")) {
            c.setStyle("-fx-alignment: CENTER-RIGHT;");
        }
        return c;
    }

    private void show(CoverageViewModel.Coverage c) {
        if (c == null) {
            chart.setImage(null);
            bySize.getItems().clear();
            byAspect.getItems().clear();
            skipped.getItems().clear();
            return;
        }
        chart.setImage(c.picture() != null ? c.picture() : FxImages.fromRgb(c.chart()));
        bySize.getItems().setAll(c.result().bySize());
        byAspect.getItems().setAll(c.result().byAspect());
        skipped.getItems().setAll(c.result().skipped());
        skipped.getItems().addAll(c.result().skippedBoxes());
        skippedPane.setText("Skipped files: " + c.result().skipped().size()
                + (c.result().skippedBoxes().isEmpty() ? "" : ", box warnings: " + c.result().skippedBoxes().size()));
        skippedPane.setDisable(skipped.getItems().isEmpty());
    }

    public void show() {
        if (!stage.isShowing()) {
            stage.show();
        }
        stage.toFront();
    }

    public Stage stage() {
        return stage;
    }

    public TableView<AnchorCoverage.Bin> sizeTable() {
        return bySize;
    }

    public TableView<AnchorCoverage.Bin> aspectTable() {
        return byAspect;
    }

    public ImageView chart() {
        return chart;
    }
}
