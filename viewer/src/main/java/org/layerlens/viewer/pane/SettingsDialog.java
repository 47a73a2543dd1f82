package org.layerlens.viewer.pane;

import javafx.beans.binding.Bindings;
import javafx.geometry.Insets;
import javafx.scene.Node;
import javafx.scene.control.ButtonType;
import javafx.scene.control.Dialog;
import javafx.scene.control.Hyperlink;
import javafx.scene.control.Label;
import javafx.scene.control.Spinner;
import javafx.scene.layout.GridPane;
import javafx.scene.layout.Region;
import javafx.util.StringConverter;
import org.layerlens.viewer.Settings;

/**
 * Tools ▸ Settings: the engine's threads, 1 to the logical processors (the default is the
 * physical cores). OK keeps the choice in the user's preferences and hands it to the engine at
 * once; the next start applies it again (unless {@code --threads} says otherwise).
 */
public final class SettingsDialog extends Dialog<Integer> {
    private final Spinner<Integer> threads;

    public SettingsDialog(Node owner, Settings settings) {
        setTitle("LayerLens settings");
        setHeaderText("Settings");
        initOwner(Dialogs.window(owner));
        threads = new Spinner<>(1, Settings.maxThreads(), Math.min(settings.threads(), Settings.maxThreads()));
        threads.setId("settingsThreads");
        threads.setEditable(true);
        threads.setPrefWidth(90);
        Label help = new Label("Threads each engine op uses in a pass. Dataset statistics run this many images at "
                + "once, one thread each. This machine: " + Settings.maxThreads() + " logical processors, default "
                + Settings.defaultThreads() + " (its physical cores). Kept for the next start; --threads N on the "
                + "command line overrides it for one run.");
        help.setWrapText(true);
        help.setPrefWidth(380);
        help.setMinHeight(Region.USE_PREF_SIZE);
        Hyperlink reset = new Hyperlink("default (" + Settings.defaultThreads() + ")");
        reset.setOnAction(e -> threads.getValueFactory().setValue(Settings.defaultThreads()));
        GridPane grid = new GridPane();
        grid.setHgap(8);
        grid.setVgap(8);
        grid.setPadding(new Insets(10));
        grid.addRow(0, new Label("Engine threads"), threads, reset);
        grid.add(help, 0, 1, 3, 1);
        getDialogPane().setContent(grid);
        getDialogPane().setId("settingsDialog");
        getDialogPane().getButtonTypes().setAll(ButtonType.OK, ButtonType.CANCEL);
        // typed text that is no whole number: OK waits for one (the spinner's own converter threw
        // NumberFormatException on the JavaFX thread, and the dialog closed keeping the old value unsaid)
        threads.getValueFactory().setConverter(new StringConverter<>() {
            @Override
            public String toString(Integer v) {
                return v == null ? "" : v.toString();
            }

            @Override
            public Integer fromString(String s) {
                return wholeNumber(s) ? Integer.valueOf(s.strip()) : threads.getValue();
            }
        });
        Node ok = getDialogPane().lookupButton(ButtonType.OK);
        ok.disableProperty().bind(Bindings.createBooleanBinding(() -> !wholeNumber(threads.getEditor().getText()),
                threads.getEditor().textProperty()));
        setResultConverter(b -> b == ButtonType.OK ? threads.getValue() : null);
        resultProperty().addListener((o, a, n) -> {
            if (n != null) {
                settings.setThreads(n);
            }
        });
    }

    /** 1 to 9 digits: what the threads field may hold (out of range is clamped by the spinner). */
    static boolean wholeNumber(String s) {
        return s != null && s.strip().matches("[0-9]{1,9}");
    }

    public Spinner<Integer> threadsSpinner() {
        return threads;
    }
}
