package org.layerlens.viewer.pane;

import java.util.Locale;

import javafx.beans.property.ReadOnlyStringWrapper;
import javafx.scene.control.TableColumn;
import javafx.scene.control.TableRow;
import javafx.scene.control.TableView;
import javafx.scene.control.Label;
import org.layerlens.engine.analysis.DetectionPair;
import org.layerlens.engine.api.Detection;
import org.layerlens.viewer.CompareViewModel;
import org.layerlens.viewer.InspectorViewModel;

/**
 * Both runs' detections side by side, paired by class and IoU (at least 0.5, best first; boxes as
 * decoded): one row per pair, and one per detection that only one run has, on a red ground.
 * Choosing a row with an A detection selects it in the window.
 */
public final class CompareDetections extends TableView<DetectionPair> {
    public CompareDetections(InspectorViewModel vm) {
        setId("compareDetections");
        setColumnResizePolicy(CONSTRAINED_RESIZE_POLICY);
        Label placeholder = new Label();
        placeholder.setWrapText(true);
        setPlaceholder(placeholder);
        TableColumn<DetectionPair, String> a = column("A", p -> text(p.a()));
        TableColumn<DetectionPair, String> b = column("B", p -> text(p.b()));
        TableColumn<DetectionPair, String> iou = column("match", p -> p.a() != null && p.b() != null
                ? String.format(Locale.ROOT, "IoU %.2f", p.iou()) : p.a() == null ? "only in B" : "only in A");
        iou.setMaxWidth(90);
        iou.setMinWidth(76);
        getColumns().setAll(java.util.List.of(a, b, iou));
        setRowFactory(t -> new TableRow<>() {
            @Override
            protected void updateItem(DetectionPair p, boolean empty) {
                super.updateItem(p, empty);
                setStyle(!empty && p != null && (p.a() == null || p.b() == null) ? "-fx-background-color: #ffd6d6;"
                        : "");
            }
        });
        CompareViewModel cmp = vm.compare();
        cmp.resultProperty().addListener((o, x, r) -> getItems().setAll(r == null ? java.util.List.of()
                : r.comparison().pairs()));
        // what the empty table means: it said "no detections in either run" while the first
        // comparison was still running and A had four (walkthrough)
        Runnable say = () -> placeholder.setText(cmp.runningProperty().get() ? "Comparing…"
                : cmp.resultProperty().get() == null ? "No comparison yet: choose what to compare with above"
                : "No detections in either run (score threshold as in the window)");
        cmp.runningProperty().addListener((o, x, y) -> say.run());
        cmp.resultProperty().addListener((o, x, y) -> say.run());
        say.run();
        getSelectionModel().selectedItemProperty().addListener((o, x, p) -> {
            if (p != null && p.a() != null) {
                vm.detections().stream().filter(d -> same(d, p.a())).findFirst()
                        .ifPresent(d -> vm.selectedDetectionProperty().set(d));
            }
        });
    }

    private static boolean same(Detection x, Detection y) {
        return x.classId() == y.classId() && x.provenance() != null && y.provenance() != null
                && x.provenance().priorIndex() == y.provenance().priorIndex();
    }

    private static String text(Detection d) {
        return d == null ? "—" : String.format(Locale.ROOT, "%s %.2f", d.label(), d.score());
    }

    private static TableColumn<DetectionPair, String> column(String title,
                                                             java.util.function.Function<DetectionPair, String> f) {
        TableColumn<DetectionPair, String> c = new TableColumn<>(title);
        c.setCellValueFactory(p -> new ReadOnlyStringWrapper(f.apply(p.getValue())));
        c.setSortable(false);
        return c;
    }
}
