package org.layerlens.app.cli;

import java.util.Set;

/** {@code tree}: the module tree as PyTorch's {@code print(model)} prints it. */
final class TreeCommand implements Command {
    @Override
    public String name() {
        return "tree";
    }

    @Override
    public String usage() {
        return "tree     --model M                 print the module tree (PyTorch repr)";
    }

    @Override
    public Set<String> options() {
        return Set.of("model", "labels");
    }

    @Override
    public int run(Args a, Context c) throws Exception {
        c.out.println(c.model(a).tree());
        return 0;
    }
}
