package org.layerlens.viewer.pane;

import javafx.scene.Node;
import javafx.scene.control.Menu;
import javafx.scene.control.MenuItem;
import javafx.scene.control.SeparatorMenuItem;
import javafx.scene.input.KeyCombination;
import org.layerlens.viewer.InspectorViewModel;
import org.layerlens.viewer.Notice;
import org.layerlens.viewer.Settings;

/**
 * Tools: the Compare and Dataset tabs, the first divergent module (D), and Settings (the
 * engine's threads).
 */
public final class ToolsMenu extends Menu {
    /**
     * @param showTab shows the side tab of that title
     */
    public ToolsMenu(InspectorViewModel vm, Node owner, Settings settings, java.util.function.Consumer<String> showTab) {
        super("_Tools"); // Alt+T, as every menu has its mnemonic (F10 alone reached them)
        setId("toolsMenu");
        MenuItem compare = new MenuItem("Compare With Another Model or Image…");
        compare.setOnAction(e -> showTab.accept("Compare"));
        MenuItem stats = new MenuItem("Dataset Statistics…");
        stats.setOnAction(e -> showTab.accept("Dataset"));
        MenuItem first = new MenuItem("Go to First Divergent Module");
        first.setId("menuFirstDivergent");
        first.setAccelerator(KeyCombination.keyCombination("D"));
        first.setOnAction(e -> vm.compare().goToFirstDivergent());
        first.disableProperty().bind(vm.compare().firstDivergentProperty().isEmpty());
        MenuItem prefs = new MenuItem("Settings…");
        prefs.setId("menuSettings");
        prefs.setOnAction(e -> {
            int before = settings.threads();
            new SettingsDialog(owner, settings).showAndWait().ifPresent(n -> {
                if (n != before) {
                    vm.notices().add(Notice.info("The engine now uses " + n + " thread(s) per op; kept for the "
                            + "next start"));
                }
            });
        });
        getItems().setAll(compare, stats, first, new SeparatorMenuItem(), prefs);
    }
}
