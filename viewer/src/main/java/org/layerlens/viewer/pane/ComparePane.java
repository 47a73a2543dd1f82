package org.layerlens.viewer.pane;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;

import javafx.beans.binding.Bindings;
import javafx.geometry.Insets;
import javafx.geometry.Orientation;
import javafx.geometry.Pos;
import javafx.scene.Node;
import javafx.scene.control.Button;
import javafx.scene.control.ChoiceBox;
import javafx.scene.control.ComboBox;
import javafx.scene.control.Label;
import javafx.scene.control.ScrollPane;
import javafx.scene.control.Slider;
import javafx.scene.control.SplitPane;
import javafx.scene.control.Tooltip;
import javafx.scene.image.ImageView;
import javafx.scene.layout.FlowPane;
import javafx.scene.layout.HBox;
import javafx.scene.layout.Priority;
import javafx.scene.layout.Region;
import javafx.scene.layout.VBox;
import javafx.scene.text.Font;
import javafx.scene.text.FontWeight;
import javafx.stage.FileChooser;
import javafx.util.StringConverter;
import org.layerlens.engine.analysis.Calibration;
import org.layerlens.engine.analysis.Comparison;
import org.layerlens.engine.analysis.Int8Simulation;
import org.layerlens.viewer.CompareSource;
import org.layerlens.viewer.CompareViewModel;
import org.layerlens.viewer.DatasetStatsViewModel;
import org.layerlens.viewer.ImageVariants;
import org.layerlens.viewer.InspectorViewModel;

/**
 * The Compare tab: what to compare the window's run with (a model file, a bundled model, the
 * int8 what-if with a calibration file or the dataset statistics, an image file, the image
 * mirrored, darker or as a JPEG), the tolerance and the figure the tree's column shows, progress
 * and Cancel, the first divergent module with a button to go there, then the selected module in
 * both runs ({@link DifferencePane}) and the detections of both side by side
 * ({@link CompareDetections}).
 */
public final class ComparePane extends SplitPane {
    /** One entry of the "Compare with" list. */
    record Choice(String label, Kind kind, String ref) {
        @Override
        public String toString() {
            return label;
        }
    }

    enum Kind { MODEL_FILE, BUNDLED, INT8_CHANNEL, INT8_TENSOR, IMAGE_FILE, MIRRORED, DARKER, JPEG }

    private final InspectorViewModel vm;
    private final CompareViewModel cmp;
    private final ComboBox<Choice> kind = new ComboBox<>();
    /** The chosen B's own controls; they wrap (int8's four ran past the tab's edge at 1366x768: walkthrough). */
    private final FlowPane detail = new FlowPane(6, 4);
    private final ChoiceBox<Calibration.Choice> range = new ChoiceBox<>();
    private final Slider darker = new Slider(0.1, 1, 0.5);
    private final Slider quality = new Slider(1, 100, 20);
    private final Label summary = new Label();
    private final Label first = new Label();
    private final HBox imageB = new HBox();
    private FilePicker picker = FilePicker.DIALOGS;

    public ComparePane(InspectorViewModel vm, Map<String, String> bundled) {
        this.vm = vm;
        this.cmp = vm.compare();
        setId("comparePane");
        setOrientation(Orientation.VERTICAL);

        List<Choice> choices = new ArrayList<>();
        choices.add(new Choice("a model file…", Kind.MODEL_FILE, null));
        bundled.forEach((ref, label) -> choices.add(new Choice("bundled: " + label, Kind.BUNDLED, ref)));
        choices.add(new Choice("this model, int8 per channel (what-if)", Kind.INT8_CHANNEL, null));
        choices.add(new Choice("this model, int8 per tensor (what-if)", Kind.INT8_TENSOR, null));
        choices.add(new Choice("an image file…", Kind.IMAGE_FILE, null));
        choices.add(new Choice("this image, mirrored", Kind.MIRRORED, null));
        choices.add(new Choice("this image, darker", Kind.DARKER, null));
        choices.add(new Choice("this image as a JPEG", Kind.JPEG, null));
        kind.setId("compareKind");
        kind.getItems().setAll(choices);
        kind.setMaxWidth(Double.MAX_VALUE);
        kind.valueProperty().addListener((o, a, c) -> showDetail(c));
        HBox.setHgrow(kind, Priority.ALWAYS);
        Label with = new Label("Compare with");
        with.setMinWidth(Label.USE_PREF_SIZE);
        HBox chooser = new HBox(6, with, kind);
        chooser.setAlignment(Pos.CENTER_LEFT);

        range.getItems().setAll(Calibration.Choice.values());
        range.setValue(Calibration.Choice.MINMAX);
        range.setTooltip(new Tooltip("Activation ranges: minmax, or clipped to the 99.9th / 99.99th percentile of |x|"));
        range.setConverter(new StringConverter<>() {
            @Override
            public String toString(Calibration.Choice c) {
                return c == null ? "" : c.key();
            }

            @Override
            public Calibration.Choice fromString(String s) {
                return Calibration.Choice.parse(s);
            }
        });
        detail.setAlignment(Pos.CENTER_LEFT);
        detail.setMinHeight(28);

        ComboBox<String> tolerance = new ComboBox<>();
        tolerance.setId("compareTolerance");
        tolerance.setEditable(true);
        tolerance.getItems().setAll("1e-4", "1e-3", "1e-2", "1e-1");
        tolerance.setValue(number(cmp.toleranceProperty().get()));
        tolerance.setPrefWidth(86);
        tolerance.setTooltip(new Tooltip("Relative error above which a module has parted ways (the project's parity "
                + "measure: max|a−b| / max(1, max|a|))"));
        tolerance.valueProperty().addListener((o, a, t) -> {
            try {
                double v = Double.parseDouble(t.strip());
                if (v >= 0) {
                    cmp.toleranceProperty().set(v);
                    return;
                }
            } catch (NumberFormatException | NullPointerException e) {
                // not a number: back to the tolerance in force, said (it went back unsaid: walkthrough)
            }
            String kept = number(cmp.toleranceProperty().get());
            if (t != null && !t.isBlank()) {
                cmp.say("Tolerance '" + t.strip() + "' is not a number >= 0: kept " + kept);
            }
            tolerance.setValue(kept);
        });
        ChoiceBox<CompareViewModel.Metric> metric = new ChoiceBox<>();
        metric.setId("compareMetric");
        metric.getItems().setAll(CompareViewModel.Metric.values());
        metric.valueProperty().bindBidirectional(cmp.metricProperty());
        FlowPane settings = new FlowPane(6, 4, label("Tolerance"), tolerance, label("Column"), metric);
        settings.setAlignment(Pos.CENTER_LEFT);

        Button off = new Button("Stop comparing");
        off.setId("compareStop");
        off.disableProperty().bind(cmp.sourceProperty().isNull());
        off.setOnAction(e -> cmp.stop());
        off.setMinWidth(Button.USE_PREF_SIZE);
        HBox run = JobControls.row("compare", 110, cmp.runningProperty(), cmp.progressProperty(), cmp::cancel, off);
        Label status = wrapping(new Label());
        status.setId("compareStatus");
        status.textProperty().bind(cmp.statusProperty());

        summary.setId("compareSummary");
        wrapping(summary);
        first.setId("compareFirst");
        first.setFont(Font.font(null, FontWeight.BOLD, 12));
        wrapping(first);
        Button go = new Button("Go there (D)");
        go.setTooltip(new Tooltip("Select the first divergent module and its channel of largest difference"));
        go.setId("compareGoFirst");
        go.disableProperty().bind(cmp.firstDivergentProperty().isEmpty());
        go.setOnAction(e -> cmp.goToFirstDivergent());
        cmp.resultProperty().addListener((o, a, r) -> {
            describe();
            ImageView v = pictureB(r);
            imageB.getChildren().setAll(v == null ? List.of() : List.of(v));
        });
        cmp.firstDivergentProperty().addListener((o, a, r) -> describe());

        HBox.setHgrow(summary, Priority.ALWAYS);
        summary.setMaxWidth(Double.MAX_VALUE);
        HBox described = new HBox(6, summary, imageB);
        described.setAlignment(Pos.CENTER_LEFT);
        HBox.setHgrow(first, Priority.ALWAYS);
        first.setMaxWidth(Double.MAX_VALUE);
        go.setMinWidth(Button.USE_PREF_SIZE);
        HBox divergent = new HBox(6, first, go);
        divergent.setAlignment(Pos.CENTER_LEFT);
        // the first divergent module right under the run's controls: at 1280x720 the section is ~220 px high
        VBox top = new VBox(6, chooser, detail, settings, run, divergent, status, described);
        top.setPadding(new Insets(6));
        ScrollPane controls = new ScrollPane(top);
        controls.setId("compareControls");
        controls.setFitToWidth(true);
        controls.setHbarPolicy(ScrollPane.ScrollBarPolicy.NEVER);
        DifferencePane diff = new DifferencePane(vm);
        // the tiles and gallery need ~360x350 px: scroll there rather than hold the tab (and this split) open
        ScrollPane diffScroll = new ScrollPane(diff);
        diffScroll.setFitToWidth(true);
        diffScroll.setFitToHeight(true);
        CompareDetections dets = new CompareDetections(vm);
        getItems().setAll(controls, diffScroll, dets);
        setDividerPositions(0.37, 0.8);
        kind.setValue(choices.get(choices.size() - 3)); // mirrored: runs without choosing a file
        cmp.sourceProperty().addListener((o, a, src) -> follow(src));
    }

    /** Shows the entry of a comparison started elsewhere (the menu, the Dataset tab, --compare). */
    private void follow(CompareSource src) {
        Kind k = null;
        String ref = null;
        if (src instanceof CompareSource.ModelRef m) {
            ref = m.ref();
            k = kind.getItems().stream().anyMatch(c -> m.ref().equals(c.ref())) ? Kind.BUNDLED : Kind.MODEL_FILE;
        } else if (src instanceof CompareSource.Int8File i) {
            k = i.weights() == Int8Simulation.Weights.PER_CHANNEL ? Kind.INT8_CHANNEL : Kind.INT8_TENSOR;
            range.setValue(i.range());
        } else if (src instanceof CompareSource.Int8Stats i) {
            k = i.weights() == Int8Simulation.Weights.PER_CHANNEL ? Kind.INT8_CHANNEL : Kind.INT8_TENSOR;
            range.setValue(i.range());
        } else if (src instanceof CompareSource.ImageFile) {
            k = Kind.IMAGE_FILE;
        } else if (src instanceof CompareSource.Variant v) {
            k = switch (v.kind()) {
                case MIRRORED -> Kind.MIRRORED;
                case DARKER -> Kind.DARKER;
                case JPEG -> Kind.JPEG;
            };
            if (v.kind() != ImageVariants.Kind.MIRRORED) {
                (v.kind() == ImageVariants.Kind.DARKER ? darker : quality).setValue(v.amount());
            }
        }
        for (Choice c : kind.getItems()) {
            if (c.kind() == k && (k != Kind.BUNDLED || c.ref().equals(ref))) {
                kind.setValue(c);
                return;
            }
        }
    }

    /** Replaces the file dialogs (tests). */
    public void setPicker(FilePicker p) {
        picker = p;
    }

    private static String number(double v) {
        return String.format(Locale.ROOT, "%.0e", v).replace("e-0", "e-").replace("e+00", "");
    }

    private static Label label(String s) {
        Label l = new Label(s);
        l.setMinWidth(Label.USE_PREF_SIZE);
        return l;
    }

    private static Label wrapping(Label l) {
        l.setWrapText(true);
        l.setMinHeight(Region.USE_PREF_SIZE);
        return l;
    }

    /** The controls the chosen kind of B needs, and the button that starts it. */
    private void showDetail(Choice c) {
        List<Node> nodes = new ArrayList<>();
        switch (c.kind()) {
            case MODEL_FILE -> nodes.add(button("Choose model…", "compareChooseModel", this::pickModel));
            case BUNDLED -> nodes.add(button("Compare", "compareRun",
                    () -> cmp.start(new CompareSource.ModelRef(c.ref()))));
            case INT8_CHANNEL, INT8_TENSOR -> {
                nodes.add(label("Ranges"));
                nodes.add(range);
                nodes.add(button("Calibration file…", "compareChooseCalibration", () -> pickCalibration(weights(c))));
                Button fromStats = button("Dataset statistics", "compareInt8Stats", () -> int8FromStats(weights(c)));
                fromStats.setTooltip(new Tooltip("Ranges from the Dataset tab's last run on this model"));
                DatasetStatsViewModel stats = vm.datasetStats();
                fromStats.disableProperty().bind(Bindings.createBooleanBinding(() -> stats.runProperty().get() == null
                        || stats.runProperty().get().model() != vm.modelProperty().get(), stats.runProperty(),
                        vm.modelProperty()));
                nodes.add(fromStats);
            }
            case IMAGE_FILE -> nodes.add(button("Choose image…", "compareChooseImage", this::pickImage));
            case MIRRORED -> nodes.add(button("Compare", "compareRun",
                    () -> cmp.start(new CompareSource.Variant(ImageVariants.Kind.MIRRORED, 0))));
            case DARKER -> {
                nodes.add(slider(darker, "brightness x%.2f"));
                nodes.add(button("Compare", "compareRun",
                        () -> cmp.start(new CompareSource.Variant(ImageVariants.Kind.DARKER, darker.getValue()))));
            }
            case JPEG -> {
                nodes.add(slider(quality, "quality %.0f"));
                nodes.add(button("Compare", "compareRun", () -> cmp.start(new CompareSource.Variant(
                        ImageVariants.Kind.JPEG, Math.round(quality.getValue())))));
            }
        }
        detail.getChildren().setAll(nodes);
    }

    private static Int8Simulation.Weights weights(Choice c) {
        return c.kind() == Kind.INT8_CHANNEL ? Int8Simulation.Weights.PER_CHANNEL : Int8Simulation.Weights.PER_TENSOR;
    }

    private Node slider(Slider s, String format) {
        s.setPrefWidth(120);
        Label v = new Label();
        v.setMinWidth(Label.USE_PREF_SIZE);
        v.textProperty().bind(Bindings.createStringBinding(() -> String.format(Locale.ROOT, format, s.getValue()),
                s.valueProperty()));
        HBox box = new HBox(4, s, v);
        box.setAlignment(Pos.CENTER_LEFT);
        return box;
    }

    private static Button button(String text, String id, Runnable action) {
        Button b = new Button(text);
        b.setId(id);
        b.setMinWidth(Button.USE_PREF_SIZE);
        b.setOnAction(e -> action.run());
        return b;
    }

    private void pickModel() {
        Path p = picker.open(this, "Model to compare with", Dialogs.modelFilters());
        if (p != null) {
            cmp.start(new CompareSource.ModelRef(p.toString()));
        }
    }

    private void pickImage() {
        Path p = picker.open(this, "Image to compare with", Dialogs.imageFilters());
        if (p != null) {
            cmp.start(new CompareSource.ImageFile(p));
        }
    }

    private void pickCalibration(Int8Simulation.Weights w) {
        Path p = picker.open(this, "Calibration: a stats --json file or a calibration table",
                List.of(new FileChooser.ExtensionFilter("JSON", "*.json"), new FileChooser.ExtensionFilter("All files",
                        "*")));
        if (p != null) {
            cmp.start(new CompareSource.Int8File(p, range.getValue(), w));
        }
    }

    private void int8FromStats(Int8Simulation.Weights w) {
        DatasetStatsViewModel.Run r = vm.datasetStats().runProperty().get();
        if (r != null) {
            cmp.start(new CompareSource.Int8Stats(r.model(), r.stats(), r.folder().toString(), range.getValue(), w));
        }
    }

    private void describe() {
        CompareViewModel.Result r = cmp.resultProperty().get();
        if (r == null) {
            summary.setText("");
            first.setText("");
            return;
        }
        Comparison c = r.comparison();
        String a = c.a() + " on " + c.image();
        String b = r.source().otherImage() ? c.b() + " on " + c.imageB() : c.b();
        summary.setText("A: " + a + "\nB: " + b + (r.mirrored() ? " (maps flipped back, boxes reflected)" : ""));
        String f = cmp.firstDivergentProperty().get();
        first.setText(f.isEmpty() ? "No module past the tolerance" : "First divergent: " + f + String.format(Locale.ROOT,
                " (rel. error %.3g)", cmp.figures(f).metrics().relErr()));
    }

    /** The image B saw (null when B saw A's image). */
    private static ImageView pictureB(CompareViewModel.Result r) {
        if (r == null || r.pictureB() == null) {
            return null;
        }
        ImageView v = new ImageView(r.pictureB());
        v.setPreserveRatio(true);
        // within a box, not only a height: a 3000x8 panorama at 56 px high was 18,000 px wide and
        // squeezed the description beside it to one letter a line
        v.setFitHeight(56);
        v.setFitWidth(112);
        Tooltip.install(v, new Tooltip("B's image"));
        return v;
    }
}
