package org.layerlens.viewer.pane;

import java.util.Locale;
import java.util.function.Function;

import javafx.beans.property.ReadOnlyObjectWrapper;
import javafx.beans.property.ReadOnlyStringWrapper;
import javafx.scene.control.Label;
import javafx.scene.control.TableCell;
import javafx.scene.control.TableColumn;
import javafx.scene.control.TableView;
import javafx.scene.control.Tooltip;
import javafx.scene.shape.Rectangle;
import org.layerlens.engine.api.Detection;
import org.layerlens.engine.api.Provenance;
import org.layerlens.viewer.InspectorViewModel;

/**
 * The detections shown, one row each: class, score, box (original-image pixels) and the head
 * that found it (source index and its map size). Selecting a row selects the detection (its box
 * is highlighted on the image); clicking a box selects its row.
 */
public final class DetectionsTable extends TableView<Detection> {
    private boolean syncing;

    public DetectionsTable(InspectorViewModel vm) {
        setId("detectionsTable");
        setItems(vm.detections());
        setPlaceholder(new Label("No detections at this threshold"));
        TableColumn<Detection, Number> index = new TableColumn<>("#");
        index.setCellValueFactory(p -> new ReadOnlyObjectWrapper<>(getItems().indexOf(p.getValue()) + 1));
        index.setSortable(false);
        index.setPrefWidth(34);
        TableColumn<Detection, String> label = text("Class", 110, Detection::label);
        label.setCellFactory(c -> new TableCell<>() {
            @Override
            protected void updateItem(String s, boolean empty) {
                super.updateItem(s, empty);
                Detection d = empty || getTableRow() == null ? null : getTableRow().getItem();
                setText(empty ? null : s);
                setGraphic(d == null ? null : new Rectangle(10, 10, DetectionBoxes.colour(d.classId())));
            }
        });
        TableColumn<Detection, Number> score = new TableColumn<>("Score");
        score.setCellValueFactory(p -> new ReadOnlyObjectWrapper<>(p.getValue().score()));
        score.setCellFactory(c -> new TableCell<>() {
            @Override
            protected void updateItem(Number v, boolean empty) {
                super.updateItem(v, empty);
                setText(empty || v == null ? null : String.format(Locale.ROOT, "%.3f", v.doubleValue()));
            }
        });
        score.setStyle("-fx-alignment: CENTER-RIGHT;");
        score.setPrefWidth(60);
        TableColumn<Detection, String> box = text("Box (x1, y1, x2, y2)", 170, d -> String.format(Locale.ROOT,
                "%.0f, %.0f, %.0f, %.0f", d.x1(), d.y1(), d.x2(), d.y2()));
        TableColumn<Detection, String> head = text("Head", 80, d -> {
            Provenance p = d.provenance();
            return p.head() + " · " + p.rows() + "x" + p.cols();
        });
        head.setId("headColumn");
        Label headTitle = new Label("Head");
        headTitle.setTooltip(new Tooltip("The SSD head (source, 0 = largest map) that produced the box, and its "
                + "map size"));
        head.setText(null);
        head.setGraphic(headTitle);
        getColumns().setAll(java.util.List.of(index, label, score, box, head));
        setColumnResizePolicy(TableView.CONSTRAINED_RESIZE_POLICY_FLEX_LAST_COLUMN);

        getSelectionModel().selectedItemProperty().addListener((o, a, d) -> {
            if (!syncing) {
                syncing = true;
                vm.selectedDetectionProperty().set(d);
                syncing = false;
            }
        });
        vm.selectedDetectionProperty().addListener((o, a, d) -> {
            if (syncing) {
                return;
            }
            syncing = true;
            if (d == null) {
                getSelectionModel().clearSelection();
            } else {
                getSelectionModel().select(d);
                scrollTo(d);
            }
            syncing = false;
        });
        setFixedCellSize(22);
    }

    private static TableColumn<Detection, String> text(String title, double width, Function<Detection, String> f) {
        TableColumn<Detection, String> c = new TableColumn<>(title);
        c.setCellValueFactory(p -> new ReadOnlyStringWrapper(f.apply(p.getValue())));
        c.setPrefWidth(width);
        return c;
    }
}
