package org.layerlens.app.cli;

import java.nio.file.Paths;
import java.util.Locale;
import java.util.Set;

import org.layerlens.engine.ShapeTrail;
import org.layerlens.engine.api.Inspection;
import org.layerlens.engine.api.Model;
import org.layerlens.engine.api.ModuleEvent;
import org.layerlens.engine.image.LoadedImage;
import org.layerlens.engine.nn.Module;

/** {@code summary}: one row per module (type, output shape, parameters, multiply-adds, ms) and the shape trail. */
final class SummaryCommand implements Command {
    @Override
    public String name() {
        return "summary";
    }

    @Override
    public String usage() {
        return "summary  --model M [--image I]     one row per module: type, output, parameters, mult-adds, ms; shape trail";
    }

    @Override
    public Set<String> options() {
        return Set.of("model", "labels", "image");
    }

    @Override
    public int run(Args a, Context c) throws Exception {
        Model m = c.model(a);
        int s = m.inputSize();
        LoadedImage img = a.get("image") != null ? c.read(Paths.get(a.get("image")))
                : new LoadedImage(null, s, s, new byte[s * s * 3]);
        m.inspect(img, null, null).close(); // warm-up, so the ms column is steady-state
        // columns as wide as the longest path and type (TFLite scope paths run to 60 characters)
        int pathWidth = Math.max(40, m.tree().modules().stream().mapToInt(x -> x.path().length()).max().orElse(0));
        int typeWidth = Math.max(17, m.tree().modules().stream().mapToInt(x -> x.typeName().length()).max().orElse(0));
        String row = "%-" + pathWidth + "s %-" + typeWidth + "s %-14s ";
        try (Inspection ins = m.inspect(img, null, null)) {
            c.out.printf(Locale.ROOT, row + "%12s %14s %9s%n", "module", "type", "output", "parameters",
                    "mult-adds", "ms");
            for (Module mod : m.tree().modules()) {
                ModuleEvent e = ins.event(mod.path());
                String shape = e == null ? "-" : ShapeTrail.hwc(e.outputShape());
                c.out.printf(Locale.ROOT, row + "%,12d %,14d %9s%n",
                        mod.path().isEmpty() ? "(model)" : mod.path(), mod.typeName(), shape, mod.parameterCount(),
                        m.info(mod.path()).multiplyAdds(), // a holder (ModuleList) counts its children's, as in the window
                        e == null ? "" : e.millis(3));
            }
            c.out.printf(Locale.ROOT, "total parameters: %,d; total mult-adds: %,d%n", m.tree().parameterCount(),
                    m.graph().totalMacs());
            c.out.println("shape trail (* = read by the heads): "
                    + ShapeTrail.format(ShapeTrail.of(m.tree(), s, ins.events())));
        }
        return 0;
    }
}
