package org.layerlens.engine.io;

import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import java.util.Set;

/** {@code torch.save} files, zip or legacy: read by {@link Checkpoints} without running any code. */
final class PthFormat implements ModelFormat {
    @Override
    public String name() {
        return "PyTorch checkpoint";
    }

    @Override
    public List<String> patterns() {
        return List.of("*.pth", "*.pt", "*.pth.tar", "*.ckpt");
    }

    @Override
    public boolean probe(Path file, byte[] head) {
        boolean zip = head.length >= 4 && head[0] == 'P' && head[1] == 'K' && head[2] == 3 && head[3] == 4;
        boolean pickle = head.length >= 2 && (head[0] & 0xff) == 0x80 && head[1] == 2;
        return zip || pickle;
    }

    @Override
    public Opened open(Path file) throws IOException {
        StateDict sd = Checkpoints.read(file);
        return new Opened(sd, null, Set.of(), sd.notes());
    }
}
