package org.layerlens.app;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.Set;

import org.junit.jupiter.api.Test;
import org.layerlens.app.cli.Args;
import org.layerlens.viewer.LayerLensApp;

/** The window's first start is objects-v2 on a real photo; --model default keeps its shapes scene. */
class GuiDefaultsTest {
    @Test
    void firstStartIsObjectsV2OnAPhoto() throws Exception {
        LayerLensApp.Options o = GuiLauncher.options(new Args(new String[0], Set.of()));
        assertEquals("objects-v2", o.modelRef());
        assertEquals("faust_github.jpg", o.image().getFileName().toString());
    }

    @Test
    void theShapesModelKeepsItsScene() throws Exception {
        LayerLensApp.Options o = GuiLauncher.options(new Args(new String[] {"--model", "default"}, Set.of()));
        assertEquals("default", o.modelRef());
        assertEquals("shapes-01.png", o.image().getFileName().toString());
    }
}
