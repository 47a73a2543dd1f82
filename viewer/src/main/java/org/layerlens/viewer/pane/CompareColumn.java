package org.layerlens.viewer.pane;

import javafx.beans.InvalidationListener;
import javafx.beans.WeakInvalidationListener;
import javafx.beans.binding.Bindings;
import javafx.beans.property.ReadOnlyStringWrapper;
import javafx.geometry.Pos;
import javafx.scene.control.Label;
import javafx.scene.control.TreeTableCell;
import javafx.scene.control.TreeTableColumn;
import javafx.scene.control.Tooltip;
import javafx.scene.layout.HBox;
import javafx.scene.paint.Color;
import javafx.scene.shape.Rectangle;
import javafx.scene.text.Font;
import org.layerlens.engine.nn.Module;
import org.layerlens.viewer.CompareViewModel;

/**
 * The module tree's comparison column, there only in compare mode (beside the module's name): per module the relative
 * error (or SQNR) between the two runs and a bar (longer: further apart; red past the
 * tolerance), the first divergent module on an orange ground, "—" where there is nothing to
 * compare, with the reason in the tooltip (no counterpart: folded batch norm, fused op; only in A;
 * other shapes).
 */
public final class CompareColumn {
    public static final String TITLE = "A vs B";
    static final double BAR = 44;

    private CompareColumn() {
    }

    /** Adds the column to {@code tree} while compare mode is on. */
    public static TreeTableColumn<Module, String> install(ModuleTreePane tree, CompareViewModel cmp) {
        TreeTableColumn<Module, String> c = tree.addColumn(TITLE, "How far run B is from run A at each module: "
                + "relative error max|a−b| / max(1, max|a|), or SQNR, as the Compare tab chooses. Bar: longer is "
                + "further apart (red: past the tolerance). Orange: the first module past the tolerance (D goes "
                + "there). —: nothing to compare (hover for why)", m -> "", true);
        tree.getColumns().remove(c);
        c.setId("compareColumn");
        c.setMinWidth(128);
        c.setCellValueFactory(p -> {
            Module m = p.getValue().getValue();
            return m == null ? new ReadOnlyStringWrapper("") : Bindings.createStringBinding(() -> cmp.cell(m.path())
                    .text(), cmp.resultProperty(), cmp.metricProperty(), cmp.toleranceProperty());
        });
        c.setCellFactory(col -> new Cell(cmp));
        Label header = (Label) c.getGraphic();
        header.textProperty().bind(Bindings.createStringBinding(() -> cmp.metricProperty().get()
                == CompareViewModel.Metric.SQNR ? "A vs B (SQNR)" : "A vs B (rel. err.)", cmp.metricProperty()));
        cmp.sourceProperty().addListener((o, a, s) -> {
            if (s != null && !tree.getColumns().contains(c)) {
                tree.getColumns().add(Math.min(1, tree.getColumns().size()), c); // beside the module's name
            } else if (s == null) {
                tree.getColumns().remove(c);
            }
        });
        return c;
    }

    /** A figure and a bar; restyled from the view model's {@link CompareViewModel.Cell} for its row's module. */
    static final class Cell extends TreeTableCell<Module, String> {
        private final CompareViewModel cmp;
        private final Label text = new Label();
        private final Rectangle bar = new Rectangle(0, 8);
        private final HBox box = new HBox(4, text, bar);
        /** A new tolerance restyles rows whose text stays the same; held here, listened to weakly. */
        private final InvalidationListener restyle = o -> updateItem(getItem(), isEmpty());

        Cell(CompareViewModel cmp) {
            this.cmp = cmp;
            text.setFont(Font.font("Monospaced", 11));
            text.setMinWidth(Label.USE_PREF_SIZE);
            box.setAlignment(Pos.CENTER_RIGHT);
            cmp.toleranceProperty().addListener(new WeakInvalidationListener(restyle));
        }

        @Override
        protected void updateItem(String item, boolean empty) {
            super.updateItem(item, empty);
            Module m = getTableRow() == null ? null : getTableRow().getItem();
            if (empty || item == null || item.isEmpty() || m == null) {
                setGraphic(null);
                setText(null);
                setTooltip(null);
                setStyle("");
                return;
            }
            CompareViewModel.Cell c = cmp.cell(m.path());
            text.setText(c.text());
            bar.setWidth(Math.max(c.bar() > 0 ? 1 : 0, c.bar() * BAR));
            bar.setFill(switch (c.level()) {
                case FIRST, DIVERGES -> Color.web("#d62728");
                default -> Color.web("#7f9fbf");
            });
            text.setTextFill(c.level() == CompareViewModel.Level.DIVERGES || c.level() == CompareViewModel.Level.FIRST
                    ? Color.web("#b00000") : c.level() == CompareViewModel.Level.MISSING ? Color.GRAY : Color.BLACK);
            setStyle(c.level() == CompareViewModel.Level.FIRST ? "-fx-background-color: #ffc46b; -fx-font-weight: bold;"
                    : "");
            setTooltip(c.tooltip() == null ? null : new Tooltip(c.tooltip()));
            setText(null);
            setGraphic(box);
        }
    }
}
