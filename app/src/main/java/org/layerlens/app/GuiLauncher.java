package org.layerlens.app;

/** Starts the JavaFX window (see the viewer module). */
final class GuiLauncher {
    private GuiLauncher() {
    }

    static int launch(Args a) throws Exception {
        throw new Args.UsageException("the window is not built yet; use a command:\n" + Cli.USAGE);
    }
}
