package org.layerlens.viewer.pane;

import java.nio.file.Path;
import java.util.List;

import javafx.beans.binding.Bindings;
import javafx.beans.property.ReadOnlyObjectWrapper;
import javafx.beans.property.ReadOnlyStringWrapper;
import javafx.geometry.Insets;
import javafx.geometry.Orientation;
import javafx.geometry.Pos;
import javafx.scene.control.Button;
import javafx.scene.control.ChoiceBox;
import javafx.scene.control.Label;
import javafx.scene.control.SplitPane;
import javafx.scene.control.TableColumn;
import javafx.scene.control.TableView;
import javafx.scene.control.Tooltip;
import javafx.scene.layout.FlowPane;
import javafx.scene.layout.HBox;
import javafx.scene.layout.Priority;
import javafx.scene.layout.Region;
import javafx.scene.layout.VBox;
import javafx.scene.text.Font;
import javafx.scene.text.FontWeight;
import javafx.util.StringConverter;
import org.layerlens.engine.analysis.Calibration;
import org.layerlens.engine.analysis.Int8Simulation;
import org.layerlens.viewer.CompareSource;
import org.layerlens.viewer.DatasetStatsViewModel;
import org.layerlens.viewer.InspectorViewModel;

/**
 * The Dataset tab: a folder of images run through the window's model for per-channel statistics
 * (progress, Cancel), the modules with dead or saturated channels (choosing one selects it; the
 * gallery frames those channels in red), the selected module's channel ranges
 * ({@link ChannelRangeChart}), and exports: the statistics JSON ({@code stats --json}'s shape) and
 * an int8 calibration table, or straight to the int8 what-if in the Compare tab.
 */
public final class DatasetStatsPane extends SplitPane {
    private final InspectorViewModel vm;
    private final DatasetStatsViewModel stats;
    private final Label folder = new Label("no folder yet");
    private final ChoiceBox<Calibration.Choice> range = new ChoiceBox<>();
    private final TableView<DatasetStatsViewModel.Problem> table = new TableView<>();
    private final Label chartTitle = new Label();
    private FilePicker picker = FilePicker.DIALOGS;
    private Runnable showCompare = () -> { };

    public DatasetStatsPane(InspectorViewModel vm) {
        this.vm = vm;
        this.stats = vm.datasetStats();
        setId("datasetStatsPane");
        setOrientation(Orientation.VERTICAL);

        Button choose = new Button("Choose folder…");
        choose.setId("statsChooseFolder");
        choose.setMinWidth(Button.USE_PREF_SIZE);
        choose.setOnAction(e -> pickFolder());
        Button again = new Button("Run again");
        again.setId("statsRunAgain");
        again.setMinWidth(Button.USE_PREF_SIZE);
        again.disableProperty().bind(stats.runProperty().isNull().or(stats.runningProperty()));
        again.setOnAction(e -> stats.start(stats.runProperty().get().folder()));
        folder.setId("statsFolder");
        folder.setMinWidth(0);
        HBox.setHgrow(folder, Priority.ALWAYS);
        HBox pick = new HBox(6, choose, again, folder);
        pick.setAlignment(Pos.CENTER_LEFT);

        HBox run = JobControls.row("stats", 140, stats.runningProperty(), stats.progressProperty(), stats::cancel);
        Label status = new Label();
        status.setId("statsStatus");
        status.setWrapText(true);
        status.setMinHeight(Region.USE_PREF_SIZE);
        status.textProperty().bind(stats.statusProperty());
        Label threads = new Label();
        threads.setFont(Font.font(11));
        threads.setWrapText(true);
        threads.setMinHeight(Region.USE_PREF_SIZE);
        threads.setText("Images run on as many workers as the engine's threads (Tools ▸ Settings), one thread each.");

        table.setId("statsProblems");
        table.setPlaceholder(new Label("No dead or saturated channels (or no run yet)"));
        table.setColumnResizePolicy(TableView.CONSTRAINED_RESIZE_POLICY);
        TableColumn<DatasetStatsViewModel.Problem, String> module = new TableColumn<>("Module");
        module.setCellValueFactory(p -> new ReadOnlyStringWrapper(p.getValue().path()));
        TableColumn<DatasetStatsViewModel.Problem, Integer> count = new TableColumn<>("of");
        count.setCellValueFactory(p -> new ReadOnlyObjectWrapper<>(p.getValue().channels()));
        count.setMaxWidth(60);
        TableColumn<DatasetStatsViewModel.Problem, String> which = new TableColumn<>("Dead / saturated");
        which.setCellValueFactory(p -> new ReadOnlyStringWrapper(p.getValue().channelsText()));
        which.setCellFactory(c -> new WrappingCell());
        module.setPrefWidth(180); // "classification_headers.4.2" whole; longer TFLite paths in the row tooltip
        count.setPrefWidth(40);
        which.setPrefWidth(170); // wraps
        table.getColumns().setAll(List.of(module, count, which));
        table.setItems(stats.problems());
        table.setRowFactory(t -> {
            var row = new javafx.scene.control.TableRow<DatasetStatsViewModel.Problem>() {
                @Override
                protected void updateItem(DatasetStatsViewModel.Problem p, boolean empty) {
                    super.updateItem(p, empty);
                    setTooltip(empty || p == null ? null : new Tooltip(p.path() + " (" + p.type() + "): "
                            + p.channelsText()));
                }
            };
            return row;
        });
        table.getSelectionModel().selectedItemProperty().addListener((o, a, p) -> {
            if (p != null) {
                vm.select(p.path());
            }
        });

        VBox top = new VBox(6, pick, run, status, threads, heading("Modules with channels that never moved"));
        top.setPadding(new Insets(6));
        top.setMinHeight(Region.USE_PREF_SIZE);
        VBox upper = new VBox(top, table);
        VBox.setVgrow(table, Priority.ALWAYS);

        chartTitle.setId("statsChartTitle");
        chartTitle.setFont(Font.font(null, FontWeight.BOLD, 12));
        chartTitle.setWrapText(true);
        chartTitle.setMinHeight(Region.USE_PREF_SIZE);
        ChannelRangeChart chart = new ChannelRangeChart(vm);
        VBox.setVgrow(chart, Priority.ALWAYS);

        range.getItems().setAll(Calibration.Choice.values());
        range.setValue(Calibration.Choice.MINMAX);
        range.setTooltip(new Tooltip("Ranges of the calibration table: minmax, or clipped to the 99.9th / 99.99th "
                + "percentile of |x|"));
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
        Button json = new Button("Export statistics JSON…");
        json.setId("statsExportJson");
        json.setOnAction(e -> save("Statistics (stats --json)", "stats.json", f -> stats.exportJson(f)));
        Button table8 = new Button("Export calibration table…");
        table8.setId("statsExportCalibration");
        table8.setOnAction(e -> save("int8 calibration table", "calibration-" + range.getValue().key() + ".json",
                f -> stats.exportCalibration(f, range.getValue())));
        Button what = new Button("int8 what-if");
        what.setId("statsInt8");
        what.setTooltip(new Tooltip("Compare the model with its int8 simulation (per channel) on these ranges"));
        what.setOnAction(e -> {
            DatasetStatsViewModel.Run r = stats.runProperty().get();
            vm.compare().start(new CompareSource.Int8Stats(r.model(), r.stats(), r.folder().toString(), range.getValue(),
                    Int8Simulation.Weights.PER_CHANNEL));
            showCompare.run();
        });
        for (Button b : List.of(json, table8, what)) {
            b.disableProperty().bind(stats.runProperty().isNull());
            b.setMinWidth(Button.USE_PREF_SIZE);
        }
        what.disableProperty().unbind();
        what.disableProperty().bind(Bindings.createBooleanBinding(() -> stats.runProperty().get() == null
                || stats.runProperty().get().model() != vm.modelProperty().get(), stats.runProperty(),
                vm.modelProperty()));
        FlowPane exports = new FlowPane(6, 4, json, new Label("Ranges"), range, table8, what);
        exports.setAlignment(Pos.CENTER_LEFT);
        exports.setMinHeight(Region.USE_PREF_SIZE);
        // the buttons above the chart, which gives way where the tab is low: below it, at 1280x720
        // "int8 what-if" was cut off with no way to reach it (walkthrough)
        VBox lower = new VBox(4, exports, chartTitle, chart);
        lower.setPadding(new Insets(6));
        getItems().setAll(upper, lower);
        setDividerPositions(0.5);

        // the folder being read, from the start of its run (a --dataset start said "no folder yet" until the end)
        stats.folderProperty().addListener((o, a, f) -> {
            folder.setText(f == null ? "no folder yet" : f.toString());
            folder.setTooltip(f == null ? null : new Tooltip(f.toString()));
        });
        stats.selectedProperty().addListener((o, a, s) -> title());
        vm.selectedPathProperty().addListener((o, a, p) -> title());
        title();
    }

    /** A cell whose text wraps (long channel lists make the row taller instead of ending in "..."). */
    private static final class WrappingCell extends javafx.scene.control.TableCell<DatasetStatsViewModel.Problem, String> {
        private final javafx.scene.text.Text text = new javafx.scene.text.Text();

        WrappingCell() {
            text.wrappingWidthProperty().bind(widthProperty().subtract(10));
            setPrefHeight(Region.USE_COMPUTED_SIZE);
        }

        @Override
        protected void updateItem(String item, boolean empty) {
            super.updateItem(item, empty);
            text.setText(empty || item == null ? "" : item);
            setGraphic(empty ? null : text);
        }
    }

    /** Replaces the file dialogs (tests). */
    public void setPicker(FilePicker p) {
        picker = p;
    }

    /** What to do after handing the int8 what-if to the Compare tab (show that tab). */
    public void setOnShowCompare(Runnable r) {
        showCompare = r;
    }

    /** The modules with dead or saturated channels (tests). */
    public TableView<DatasetStatsViewModel.Problem> problemsTable() {
        return table;
    }

    private static Label heading(String s) {
        Label l = new Label(s);
        l.setFont(Font.font(null, FontWeight.BOLD, 12));
        return l;
    }

    private void title() {
        var s = stats.selectedProperty().get();
        chartTitle.setText(s == null ? "Channel ranges: run the statistics, then select a module"
                : "Channel ranges of " + s.path() + " (" + s.channels().size() + " channels, "
                + stats.runProperty().get().stats().images() + " images)");
    }

    private void pickFolder() {
        Path p = picker.folder(this, "Folder of images for statistics");
        if (p != null) {
            stats.start(p);
        }
    }

    private void save(String title, String name, java.util.function.Function<Path, ?> write) {
        Path f = picker.save(this, title, name, "json");
        if (f != null) {
            write.apply(f);
        }
    }
}
