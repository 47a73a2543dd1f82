package org.layerlens.app.cli;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/** The CLI's commands by name, and the usage text made from them. */
public final class Commands {
    private static final Map<String, Command> ALL = new LinkedHashMap<>();

    static {
        for (Command c : List.of(new TreeCommand(), new SummaryCommand(), new DetectCommand(), new DumpCommand(),
                new BenchCommand(), new EvalCommand(), new ExplainCommand(), new AnchorsCommand(), new CompareCommand(),
                new StatsCommand())) {
            ALL.put(c.name(), c);
        }
    }

    /** Options every command takes. */
    public static final Set<String> GLOBAL = Set.of("verbose", "help", "threads");
    public static final Set<String> FLAGS = Set.of("verbose", "help");

    private Commands() {
    }

    public static Command get(String name) {
        return ALL.get(name);
    }

    public static String usage() {
        List<String> lines = new ArrayList<>();
        lines.add("usage: layerlens [COMMAND] [OPTIONS]");
        lines.add("  (no command)   open the window   [--model M] [--labels L] [--image I] [--video FILE] [--layer P]");
        lines.add("                 [--tab channels|block|explain|class-maps|compare|dataset] [--channel N] [--overlay OPACITY]");
        lines.add("                 [--detection K] [--snapshot OUT.png]");
        lines.add("                 [--priors HEAD] [--box x1,y1,x2,y2] [--class NAME] [--layer-map mean|eigencam] [--coverage DIR]");
        lines.add("                 explain views (--coverage: snapshot of its window)");
        lines.add("                 [--compare B] [--dataset DIR]   B: a model (file or bundled name), mirrored,");
        lines.add("                 darker[:F], jpeg[:Q], image:FILE, int8-per-channel|int8-per-tensor:CAL.json[:minmax|p999|p9999]");
        lines.add("                 --snapshot needs a display: without one, run it under xvfb-run -a");
        lines.add("                 --measure DIR|IMAGE|VIDEO (repeatable)  open each image (or play the video) in the window, print times, exit");
        for (Command c : ALL.values()) {
            lines.add("  " + c.usage());
        }
        lines.add("M is a model file (.pth from torch.save, legacy or zip; .onnx; .tflite; a TF.js weights manifest .json)");
        lines.add("  or a bundled model: 'default' (the shapes model, the commands' default), 'objects-v2' (MediaPipe's");
        lines.add("  23 Open Images objects, the window's first model), 'faces-v1' (face-api's face detector).");
        lines.add("--threads N sets how many threads the engine uses (default: the machine's physical cores).");
        lines.add("--verbose prints stack traces on errors.");
        return String.join("\n", lines);
    }

    public static int run(Args a, Context c) throws Exception {
        Command cmd = ALL.get(a.command);
        if (cmd == null) {
            if (a.command.equals("help")) {
                c.out.println(usage());
                return 0;
            }
            throw new Args.UsageException("unknown command '" + a.command + "'\n" + usage());
        }
        a.allowOnly(union(cmd.options(), GLOBAL), cmd.repeatable());
        OutputFiles.check(a);
        return cmd.run(a, c);
    }

    private static Set<String> union(Set<String> a, Set<String> b) {
        Set<String> s = new java.util.HashSet<>(a);
        s.addAll(b);
        return s;
    }
}
