package org.layerlens.viewer.pane;

import java.util.List;
import java.util.Locale;
import java.util.function.Function;

import javafx.beans.property.ReadOnlyStringWrapper;
import javafx.geometry.Insets;
import javafx.geometry.Pos;
import javafx.scene.Node;
import javafx.scene.control.Button;
import javafx.scene.control.Label;
import javafx.scene.control.ScrollPane;
import javafx.scene.control.TableColumn;
import javafx.scene.control.TableView;
import javafx.scene.control.Tooltip;
import javafx.scene.layout.ColumnConstraints;
import javafx.scene.layout.FlowPane;
import javafx.scene.layout.GridPane;
import javafx.scene.layout.HBox;
import javafx.scene.layout.Priority;
import javafx.scene.layout.Region;
import javafx.scene.layout.VBox;
import javafx.scene.paint.Color;
import javafx.scene.shape.Line;
import javafx.scene.shape.Rectangle;
import javafx.scene.text.Font;
import javafx.scene.text.FontWeight;
import org.layerlens.engine.api.Box;
import org.layerlens.engine.api.ClassScores;
import org.layerlens.engine.api.Detection;
import org.layerlens.engine.api.Model;
import org.layerlens.engine.api.PriorMatch;
import org.layerlens.engine.api.PriorQuery;
import org.layerlens.engine.api.Provenance;
import org.layerlens.viewer.ExplainViewModel;
import org.layerlens.viewer.HeadModules;
import org.layerlens.viewer.InspectorViewModel;
import org.layerlens.viewer.QueryViewModel;

/**
 * The Explain tab: for a box the user dragged, "why not here?" (its best priors, whether any
 * reaches the match threshold, each prior's class scores and decoded box, the verdict); for the
 * selected detection, "why this box?" (head, feature map, cell, anchor, prior, offsets, decoded
 * box, receptive field, every class's score at that anchor, and the candidates NMS suppressed).
 * Everything shown is a lookup in what the engine kept with the pass, so the tab follows a new
 * selection at once.
 */
public final class ExplainPane extends ScrollPane {
    private final InspectorViewModel vm;
    private final ExplainViewModel explain;
    private final Label hint = new Label("Click a detection (or press N) to see where it came from. "
            + "Drag a box on the picture (or press B) to ask why an object there was missed.");
    // provenance
    private final VBox provenance = new VBox(6);
    private final Label title = new Label();
    private final GridPane facts = new GridPane();
    private final ScoreBars scores = new ScoreBars();
    private final Label suppressedTitle = new Label();
    private final TableView<Provenance.Suppressed> suppressed = new TableView<>();
    // query
    private final VBox query = new VBox(6);
    private final Label queryBox = new Label();
    private final Label verdict = new Label();
    private final TableView<PriorMatch> best = new TableView<>();
    private final Label bestScoresTitle = new Label();
    private final ScoreBars bestScores = new ScoreBars();
    private final java.util.Map<String, Label> values = new java.util.HashMap<>();

    public ExplainPane(InspectorViewModel vm, ExplainViewModel explain) {
        this.vm = vm;
        this.explain = explain;
        setId("explainPane");
        setFitToWidth(true);
        hint.setWrapText(true);
        hint.setId("explainHint");

        title.setId("provTitle");
        title.setFont(Font.font(null, FontWeight.BOLD, 13));
        title.setWrapText(true);
        facts.setHgap(8);
        facts.setVgap(3);
        ColumnConstraints keys = new ColumnConstraints();
        keys.setMinWidth(Region.USE_PREF_SIZE); // "Receptive field" in full
        keys.setHgrow(Priority.NEVER);
        // values keep 140 px: in a narrow side pane (an 800 px window) they wrapped a few letters a
        // line; the pane scrolls sideways instead
        facts.getColumnConstraints().addAll(keys, new ColumnConstraints(140, 200, Double.MAX_VALUE, Priority.ALWAYS,
                javafx.geometry.HPos.LEFT, true));
        String[][] rows = {{"provHead", "Head"}, {"provCell", "Cell"}, {"provAnchor", "Anchor"},
            {"provPrior", "Prior"}, {"provOffsets", "Offsets"}, {"provDecoded", "Decoded box"},
            {"provField", "Receptive field"}};
        for (int i = 0; i < rows.length; i++) {
            Label k = new Label(rows[i][1]);
            k.setTextFill(Color.web("#555555"));
            Label v = new Label();
            v.setId(rows[i][0]);
            v.setWrapText(true);
            values.put(rows[i][0], v);
            facts.addRow(i, k, v);
        }
        scores.setId("provScores");
        suppressed.setId("provSuppressed");
        suppressed.getColumns().setAll(List.of(
                column("Prior", 52, s -> Integer.toString(s.priorIndex())),
                column("Score", 52, s -> String.format(Locale.ROOT, "%.3f", s.score())),
                column("IoU", 46, s -> String.format(Locale.ROOT, "%.2f", s.iou())),
                column("Box", 170, s -> box(s.box()))));
        suppressed.setColumnResizePolicy(TableView.CONSTRAINED_RESIZE_POLICY_FLEX_LAST_COLUMN);
        suppressed.setPlaceholder(new Label("NMS suppressed nothing in its favour"));
        suppressed.setFixedCellSize(22);
        provenance.getChildren().addAll(title, facts, section("Class scores at this anchor"), scores,
                suppressedTitle, suppressed, legend(List.of(
                        swatch(ProvenanceOverlay.PRIOR, false, "its prior"),
                        swatch(ProvenanceOverlay.FIELD, true, "receptive field"),
                        swatch(Color.GRAY, true, "suppressed (dashed)"))));

        Label qt = new Label("Why not here? (the box asked about)");
        qt.setFont(Font.font(null, FontWeight.BOLD, 13));
        queryBox.setId("queryBox");
        queryBox.setWrapText(true);
        verdict.setId("queryVerdict");
        verdict.setWrapText(true);
        verdict.setMinHeight(Region.USE_PREF_SIZE);
        best.setId("queryPriors");
        best.getColumns().setAll(List.of(
                column("#", 24, m -> Integer.toString(best.getItems().indexOf(m) + 1)),
                column("IoU", 40, m -> String.format(Locale.ROOT, "%.2f", m.iou())),
                column("Prior", 46, m -> Integer.toString(m.priorIndex())),
                where(),
                column("Top class", 150, this::topClass)));
        // fixed widths: a constrained policy spreads the narrow columns and cuts the class name
        best.setFixedCellSize(22);
        best.setPrefHeight(26 + 22 * QueryViewModel.BEST + 4);
        best.setMinHeight(Region.USE_PREF_SIZE);
        best.getSelectionModel().selectedItemProperty().addListener((o, a, m) -> showBestScores(m));
        Button clear = new Button("Clear (Esc)");
        clear.setOnAction(e -> explain.query().clear());
        HBox head = new HBox(8, qt, new Region(), clear);
        HBox.setHgrow(head.getChildren().get(1), Priority.ALWAYS);
        head.setAlignment(Pos.CENTER_LEFT);
        bestScores.setId("queryScores");
        query.getChildren().addAll(head, queryBox, verdict, best, bestScoresTitle, bestScores, legend(List.of(
                swatch(QueryOverlay.MATCHED, false, "prior at or above the match threshold"),
                swatch(QueryOverlay.UNMATCHED, false, "below it"))));
        query.setPadding(new Insets(0, 0, 10, 0));

        VBox content = new VBox(10, hint, query, provenance);
        content.setPadding(new Insets(8));
        setContent(content);

        explain.detectionProperty().addListener((o, a, d) -> showDetection(d));
        explain.query().answerProperty().addListener((o, a, q) -> showQuery());
        explain.query().boxProperty().addListener((o, a, b) -> showQuery());
        showDetection(null);
        showQuery();
    }

    private static Label section(String text) {
        Label l = new Label(text);
        l.setFont(Font.font(null, FontWeight.BOLD, 12));
        return l;
    }

    private static <T> TableColumn<T, String> column(String title, double width, Function<T, String> f) {
        TableColumn<T, String> c = new TableColumn<>(title);
        c.setCellValueFactory(p -> new ReadOnlyStringWrapper(f.apply(p.getValue())));
        c.setPrefWidth(width);
        c.setSortable(false);
        return c;
    }

    /** Head · cell · anchor, under a short header (the panel is narrow) that says it in its tooltip. */
    private static TableColumn<PriorMatch, String> where() {
        TableColumn<PriorMatch, String> c = column("", 80, m -> m.head() + " · " + m.row() + "," + m.col() + " · "
                + m.anchor());
        Label h = new Label("Where");
        h.setTooltip(new Tooltip("head · cell (row, col) · anchor"));
        c.setGraphic(h);
        return c;
    }

    private static Node legend(List<Node> items) {
        FlowPane f = new FlowPane(12, 4);
        f.getChildren().addAll(items);
        return f;
    }

    private static Node swatch(Color c, boolean dashed, String text) {
        Line l = new Line(0, 0, 18, 0);
        l.setStroke(c);
        l.setStrokeWidth(3);
        if (dashed) {
            l.getStrokeDashArray().setAll(4.0, 3.0);
        }
        Rectangle back = new Rectangle(22, 8, Color.BLACK);
        javafx.scene.layout.StackPane s = new javafx.scene.layout.StackPane(back, l);
        Label t = new Label(text, s);
        t.setFont(Font.font(11));
        return t;
    }

    static String box(Box b) {
        return String.format(Locale.ROOT, "%.1f, %.1f, %.1f, %.1f", b.x1(), b.y1(), b.x2(), b.y2());
    }

    private String label(int k) {
        Model m = vm.modelProperty().get();
        return m != null && k < m.labels().size() ? m.labels().get(k) : Integer.toString(k);
    }

    /** The best object class: the background is not one ({@link ClassScores#topText}); the bars show it. */
    private String topClass(PriorMatch m) {
        Model mod = vm.modelProperty().get();
        return ClassScores.of(mod == null ? List.of() : mod.labels(), m.classScores()).topText();
    }

    /** The texts of the provenance rows for a detection, in the rows' order. */
    private static String[] texts(Detection d, Model m) {
        Provenance p = d.provenance();
        String module = m == null ? null : HeadModules.classModule(m, p.head());
        Box pr = p.prior();
        Box rf = p.receptiveField();
        float[] o = p.offsets();
        return new String[] {
            String.format(Locale.ROOT, "%d of %d · %dx%d map%s", p.head(), m == null ? 0 : m.layout().heads().size(),
                    p.rows(), p.cols(), module == null ? "" : " (" + module + ")"),
            String.format(Locale.ROOT, "row %d, col %d", p.row(), p.col()),
            String.format(Locale.ROOT, "%d of %d in the cell", p.anchor(),
                    m == null ? 0 : m.layout().heads().get(p.head()).anchors()),
            String.format(Locale.ROOT, "#%d  [%s]  %.0fx%.0f px", p.priorIndex(), box(pr), pr.width(), pr.height()),
            String.format(Locale.ROOT, "%.3f, %.3f, %.3f, %.3f", o[0], o[1], o[2], o[3]),
            "[" + box(p.decoded()) + "]",
            rf.area() <= 0 ? "only padding beyond the image"
                    : String.format(Locale.ROOT, "[%s]  %.0fx%.0f px", box(rf), rf.width(), rf.height())};
    }

    private void showDetection(Detection d) {
        boolean has = d != null;
        provenance.setVisible(has);
        provenance.setManaged(has);
        hint.setVisible(!has && explain.query().boxProperty().get() == null);
        hint.setManaged(hint.isVisible());
        if (!has) {
            return;
        }
        Provenance p = d.provenance();
        Model m = vm.modelProperty().get();
        title.setText(String.format(Locale.ROOT, "Why this box? %s %.3f  [%s]", d.label(), d.score(), box(d.box())));
        String[] t = texts(d, m);
        String[] ids = {"provHead", "provCell", "provAnchor", "provPrior", "provOffsets", "provDecoded", "provField"};
        for (int i = 0; i < ids.length; i++) {
            values.get(ids[i]).setText(t[i]);
        }
        values.get("provOffsets").setTooltip(new Tooltip("The box head's raw regression outputs (dx, dy, dw, dh) "
                + "at this anchor, before decoding against the prior"));
        scores.show(ClassScores.of(m == null ? List.of() : m.labels(), p.classScores()), d.classId());
        suppressedTitle.setText(p.suppressed().isEmpty() ? "Suppressed candidates: none"
                : "Suppressed candidates: " + p.suppressed().size() + " (NMS removed them in favour of this box)");
        suppressedTitle.setFont(Font.font(null, FontWeight.BOLD, 12));
        suppressedTitle.setWrapText(true);
        suppressed.getItems().setAll(p.suppressed());
        suppressed.setPrefHeight(26 + 22 * Math.max(1, Math.min(8, p.suppressed().size())) + 4);
        suppressed.setMinHeight(Region.USE_PREF_SIZE);
    }

    private void showQuery() {
        Box b = explain.query().boxProperty().get();
        QueryViewModel.Answer a = explain.query().answerProperty().get();
        boolean has = b != null;
        query.setVisible(has);
        query.setManaged(has);
        hint.setVisible(!has && explain.detectionProperty().get() == null);
        hint.setManaged(hint.isVisible());
        if (!has) {
            best.getItems().clear();
            return;
        }
        if (a == null || !a.query().box().equals(b)) {
            queryBox.setText("[" + box(b) + "]: looking…");
            return;
        }
        PriorQuery q = a.query();
        queryBox.setText(String.format(Locale.ROOT, "[%s] in the image: %.0fx%.0f px in the network input", box(b),
                q.networkBox().width(), q.networkBox().height()));
        verdict.setText((q.matched() ? "✔ " : "✘ ") + q.verdict());
        verdict.setTextFill(q.matched() ? Color.web("#1b7f3a") : Color.web("#b34700"));
        best.getItems().setAll(q.best());
        best.getSelectionModel().select(0);
    }

    private void showBestScores(PriorMatch m) {
        if (m == null) {
            bestScoresTitle.setText("");
            bestScores.clear();
            return;
        }
        QueryViewModel.Answer a = explain.query().answerProperty().get();
        // unclipped, with a note where it reaches outside the image: the CLI's and its JSON's text
        String decoded = a == null ? m.decoded().toString()
                : m.decodedText(a.source().output().imageWidth(), a.source().output().imageHeight());
        bestScoresTitle.setText(String.format(Locale.ROOT, "Prior %d (IoU %.2f) decodes to %s; its class scores:",
                m.priorIndex(), m.iou(), decoded));
        bestScoresTitle.setFont(Font.font(null, FontWeight.BOLD, 12));
        bestScoresTitle.setWrapText(true);
        Model mod = vm.modelProperty().get();
        ClassScores cs = ClassScores.of(mod == null ? List.of() : mod.labels(), m.classScores());
        ClassScores.Entry top = cs.top();
        bestScores.show(cs, top == null ? -1 : top.classId());
    }

    /** The value label of a provenance row by id ("provHead", ...; tests). */
    public Label value(String id) {
        return values.get(id);
    }

    public ScoreBars scores() {
        return scores;
    }

    public TableView<Provenance.Suppressed> suppressedTable() {
        return suppressed;
    }

    public TableView<PriorMatch> bestPriorsTable() {
        return best;
    }

    /** The selected best prior's line: its index, IoU and decoded box (tests). */
    public Label bestScoresTitle() {
        return bestScoresTitle;
    }

    public Label verdictLabel() {
        return verdict;
    }
}
