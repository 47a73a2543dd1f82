package org.layerlens.viewer.pane;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

import javafx.geometry.Bounds;
import javafx.geometry.Insets;
import javafx.geometry.Pos;
import javafx.scene.Node;
import javafx.scene.canvas.Canvas;
import javafx.scene.canvas.GraphicsContext;
import javafx.scene.control.Label;
import javafx.scene.control.ScrollPane;
import javafx.scene.control.Tooltip;
import javafx.scene.image.ImageView;
import javafx.scene.layout.HBox;
import javafx.scene.layout.Region;
import javafx.scene.layout.VBox;
import javafx.scene.paint.Color;
import javafx.scene.text.Font;
import javafx.scene.text.FontWeight;
import org.layerlens.engine.ShapeTrail;
import org.layerlens.viewer.BlockSteps;
import org.layerlens.viewer.BlockViewModel;
import org.layerlens.viewer.Format;
import org.layerlens.viewer.FxImages;
import org.layerlens.viewer.InspectorViewModel;
import org.layerlens.viewer.Rgb;

/**
 * The block around the selected module as a small diagram, top to bottom: each tensor (a
 * thumbnail of its mean over channels, and its shape), each step (what it does, channels, what
 * follows it, its multiply-adds), and the residual connection drawn from the input to the add.
 * The step holding the selected module is outlined; clicking a step or a tensor selects its
 * module.
 */
public final class BlockPane extends ScrollPane {
    private final InspectorViewModel vm;
    private final Label title = new Label();
    private final Label note = new Label();
    private final Diagram diagram = new Diagram();

    public BlockPane(InspectorViewModel vm) {
        this.vm = vm;
        setId("blockPane");
        title.setId("blockTitle");
        title.setFont(Font.font(null, FontWeight.BOLD, 13));
        title.setWrapText(true);
        note.setWrapText(true);
        note.setId("blockNote");
        VBox box = new VBox(8, title, note, diagram);
        box.setPadding(new Insets(8));
        setContent(box);
        setFitToWidth(true);
        vm.block().viewProperty().addListener((o, a, v) -> show(v));
        vm.selectedPathProperty().addListener((o, a, p) -> show(vm.block().viewProperty().get()));
    }

    private void show(BlockViewModel.BlockView v) {
        if (v == null) {
            title.setText("");
            note.setText("");
            diagram.clear();
            return;
        }
        BlockSteps.Block b = v.block();
        if (b.steps().isEmpty()) {
            title.setText(b.path().isEmpty() ? "The network" : b.path());
            note.setText(b.note());
            diagram.clear();
            return;
        }
        title.setText(String.format(Locale.ROOT, "%s · %s", b.path(), b.type()));
        note.setText(String.format(Locale.ROOT, "%d step%s%s · %s mult-adds in all", b.steps().size(),
                b.steps().size() == 1 ? "" : "s", b.residual() ? " and a residual connection" : "",
                Format.macs(b.macs())));
        diagram.show(v, vm.selectedPathProperty().get());
    }

    /** The diagram: one column of tensors and steps, with a canvas behind it for the residual line. */
    private final class Diagram extends Region {
        private final Canvas lines = new Canvas();
        private final VBox column = new VBox(2);
        private Node skipFrom;
        private Node skipTo;

        Diagram() {
            column.setPadding(new Insets(0, 0, 0, 28)); // room on the left for the residual line
            getChildren().addAll(lines, column);
        }

        void clear() {
            column.getChildren().clear();
            skipFrom = null;
            skipTo = null;
            requestLayout();
        }

        void show(BlockViewModel.BlockView v, String selected) {
            BlockSteps.Block b = v.block();
            List<Node> rows = new ArrayList<>();
            Node[] tensorRows = new Node[b.tensors().size()];
            tensorRows[0] = tensor(b, 0, v.thumbs().get(0), "input");
            rows.add(tensorRows[0]);
            skipFrom = null;
            skipTo = null;
            for (BlockSteps.Step s : b.steps()) {
                rows.add(arrow());
                Node step = step(s, selected, b.path());
                rows.add(step);
                if (s.kind().equals("add") && s.inputs().contains(0)) {
                    skipFrom = tensorRows[0];
                    skipTo = step;
                }
                rows.add(arrow());
                boolean last = s == b.steps().get(b.steps().size() - 1);
                tensorRows[s.output()] = tensor(b, s.output(), v.thumbs().get(s.output()), last ? "output" : null);
                rows.add(tensorRows[s.output()]);
            }
            column.getChildren().setAll(rows);
            requestLayout();
        }

        private Node arrow() {
            Label a = new Label("↓");
            a.setTextFill(Color.GRAY);
            a.setPadding(new Insets(0, 0, 0, 22));
            return a;
        }

        private Node tensor(BlockSteps.Block b, int i, Rgb thumb, String role) {
            BlockSteps.Tensor t = b.tensors().get(i);
            ImageView iv = new ImageView(thumb == null ? null : FxImages.fromRgb(thumb));
            iv.setSmooth(false);
            Region frame = new Region();
            frame.setMinSize(BlockViewModel.THUMB, BlockViewModel.THUMB);
            Node pic = thumb == null ? frame : iv;
            Label shape = new Label(ShapeTrail.hwc(t.chw()) + (role == null ? "" : "  (" + role + ")"));
            shape.setFont(Font.font("Monospaced", 12));
            shape.setMinWidth(Region.USE_PREF_SIZE);
            HBox row = new HBox(8, pic, shape);
            row.getStyleClass().add("block-tensor");
            row.setAlignment(Pos.CENTER_LEFT);
            if (t.module() != null && !t.module().equals("input")) {
                Tooltip.install(row, new Tooltip(t.module() + " (mean over channels)"));
                row.setOnMouseClicked(e -> vm.select(t.module()));
            }
            return row;
        }

        private Node step(BlockSteps.Step s, String selected, String block) {
            Label kind = new Label(s.kind());
            kind.setFont(Font.font(null, FontWeight.BOLD, 12));
            Label detail = new Label(s.detail());
            detail.setWrapText(true);
            Label cost = new Label(s.macs() > 0 ? Format.macs(s.macs()) + " mult-adds" + (s.denseMacs() > 0
                    ? " (an ordinary " + s.kind().substring("depthwise ".length()) + " convolution: "
                    + Format.macs(s.denseMacs()) + ")" : "") : "no multiply-adds");
            cost.setWrapText(true);
            cost.setTextFill(Color.web("#555"));
            VBox box = new VBox(1, kind, detail, cost);
            box.getStyleClass().add("block-step");
            // the step that holds the selected module (the block's own ops, its residual add, hold everything)
            boolean here = s.modules().stream().anyMatch(m -> m.equals(selected)
                    || !m.equals(block) && (selected.startsWith(m + ".") || selected.startsWith(m + "/")));
            box.setStyle("-fx-background-color: " + (s.kind().equals("add") ? "#eef6ee" : "#eef2fb")
                    + "; -fx-background-radius: 6; -fx-border-radius: 6; -fx-padding: 4 8 4 8; -fx-border-color: "
                    + (here ? "#ff9900; -fx-border-width: 2;" : "#9db0d8; -fx-border-width: 1;"));
            box.setMaxWidth(360);
            Tooltip.install(box, new Tooltip(String.join("\n", s.modules())));
            String target = s.modules().get(s.modules().size() - 1);
            box.setOnMouseClicked(e -> vm.select(target));
            return box;
        }

        @Override
        protected double computePrefWidth(double h) {
            return column.prefWidth(-1);
        }

        @Override
        protected double computePrefHeight(double w) {
            return column.prefHeight(-1);
        }

        @Override
        protected void layoutChildren() {
            double w = getWidth();
            double h = column.prefHeight(w);
            column.resizeRelocate(0, 0, w, h);
            column.layout();
            lines.setWidth(w);
            lines.setHeight(h);
            GraphicsContext g = lines.getGraphicsContext2D();
            g.clearRect(0, 0, w, h);
            if (skipFrom == null || skipTo == null) {
                return;
            }
            Bounds a = skipFrom.getBoundsInParent();
            Bounds b = skipTo.getBoundsInParent();
            double y1 = (a.getMinY() + a.getMaxY()) / 2;
            double y2 = (b.getMinY() + b.getMaxY()) / 2;
            double x = 10;
            double xa = a.getMinX();
            double xb = b.getMinX();
            g.setStroke(Color.web("#3cb44b"));
            g.setLineWidth(2);
            g.strokeLine(xa, y1, x, y1);
            g.strokeLine(x, y1, x, y2);
            g.strokeLine(x, y2, xb - 2, y2);
            g.setFill(Color.web("#3cb44b"));
            g.fillPolygon(new double[] {xb - 2, xb - 9, xb - 9}, new double[] {y2, y2 - 4, y2 + 4}, 3);
            g.setFont(Font.font(10));
            g.save();
            g.translate(x - 3, (y1 + y2) / 2);
            g.rotate(-90);
            g.fillText("+ input", -18, 0);
            g.restore();
        }
    }
}
