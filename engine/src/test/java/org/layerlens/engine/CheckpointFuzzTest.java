package org.layerlens.engine;

import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Enumeration;
import java.util.List;
import java.util.Random;
import java.util.zip.CRC32;
import java.util.zip.ZipEntry;
import java.util.zip.ZipFile;
import java.util.zip.ZipOutputStream;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.layerlens.engine.io.CheckpointException;
import org.layerlens.engine.io.Checkpoints;
import org.layerlens.engine.io.ModelFormats;

/**
 * A seeded mutation fuzzer over the checkpoint readers. Inputs: small valid files in the zip and
 * legacy formats written by torch.save, an ONNX export, and two .tflite files (an SSD with
 * objects-v2's layout that opens fully, and a few-operator graph that is refused as no SSD), mutated (bit flips, overwritten integers, truncation,
 * inserted and duplicated chunks), both as raw files and as well-formed zips around a mutated
 * pickle. Every input must either load or fail with a {@link CheckpointException} naming the
 * file, within a second; anything else (another exception, an OutOfMemoryError, a hang) fails.
 * Iterations and seed: {@code LAYERLENS_FUZZ_ITERATIONS} (default 5000, a few seconds here) and
 * {@code LAYERLENS_FUZZ_SEED}; CI runs more.
 */
class CheckpointFuzzTest {
    private static final String[] SEEDS = {"hostile/small-zip.pth", "hostile/small-legacy.pth",
        "hostile/small-wrapped.pth", "hostile/reduce-payload.pth", "hostile/reduce-payload-legacy.pth",
        "hostile/small.onnx", "tflite/tiny-ssd.tflite",
        "tflite/ops/inverted-residual--add-of-two-computed-maps-with-relu6.tflite"};

    @Test
    void mutatedCheckpointsFailCleanly(@TempDir Path dir) throws IOException {
        int iterations = Integer.parseInt(System.getenv().getOrDefault("LAYERLENS_FUZZ_ITERATIONS",
                System.getProperty("layerlens.fuzz.iterations", "5000")));
        long seed = Long.parseLong(System.getenv().getOrDefault("LAYERLENS_FUZZ_SEED",
                System.getProperty("layerlens.fuzz.seed", "20261127")));
        Random rnd = new Random(seed);
        List<byte[]> seeds = new ArrayList<>();
        for (String s : SEEDS) {
            seeds.add(Files.readAllBytes(TestData.resource(s)));
        }
        Path f = dir.resolve("fuzz.pth");
        int loaded = 0;
        int refused = 0;
        long slowest = 0;
        for (int i = 0; i < iterations; i++) {
            byte[] base = seeds.get(rnd.nextInt(seeds.size()));
            byte[] input = base[0] == 'P' && rnd.nextBoolean() ? mutateInsideZip(base, rnd) : mutate(base, rnd);
            Files.write(f, input);
            long t0 = System.nanoTime();
            try {
                ModelFormats.open(f);
                loaded++;
            } catch (CheckpointException e) {
                assertTrue(e.getMessage().startsWith(f + ": "), "message must name the file: " + e.getMessage());
                refused++;
            } catch (Throwable t) {
                Path keep = Path.of("target", "fuzz-failure-" + seed + "-" + i + ".pth");
                Files.createDirectories(keep.getParent());
                Files.write(keep, input);
                fail("iteration " + i + " (seed " + seed + "): " + t + " — input kept as " + keep, t);
            }
            // a hang or an unbounded loop over a mutated length, not a speed check: 30 s is far
            // above any load here (slowest printed below), so a GC pause or a busy machine cannot trip it
            long ms = (System.nanoTime() - t0) / 1_000_000;
            slowest = Math.max(slowest, ms);
            assertTrue(ms < 30_000, "iteration " + i + " (seed " + seed + ") took " + ms + " ms: a hang?");
        }
        System.out.printf("fuzz: %d inputs, %d loaded, %d refused cleanly, slowest %d ms%n", iterations, loaded,
                refused, slowest);
        assertTrue(refused > iterations / 4, "mutations should break most files");
    }

    static byte[] mutate(byte[] in, Random rnd) {
        byte[] b = in.clone();
        int kind = rnd.nextInt(6);
        switch (kind) {
            case 0 -> { // flip a few bits
                for (int k = 1 + rnd.nextInt(4); k > 0; k--) {
                    b[rnd.nextInt(b.length)] ^= (byte) (1 << rnd.nextInt(8));
                }
            }
            case 1 -> { // overwrite an integer with an extreme value
                int p = rnd.nextInt(Math.max(1, b.length - 8));
                long[] v = {0, -1, Integer.MAX_VALUE, 0x7fffffffffffffffL, 1L << 40, 255, 65536};
                long x = v[rnd.nextInt(v.length)];
                for (int k = 0; k < 4 + 4 * rnd.nextInt(2) && p + k < b.length; k++) {
                    b[p + k] = (byte) (x >>> (8 * k));
                }
            }
            case 2 -> b = java.util.Arrays.copyOf(b, rnd.nextInt(b.length)); // truncate
            case 3 -> { // insert random bytes
                int p = rnd.nextInt(b.length);
                byte[] ins = new byte[1 + rnd.nextInt(16)];
                rnd.nextBytes(ins);
                byte[] o = new byte[b.length + ins.length];
                System.arraycopy(b, 0, o, 0, p);
                System.arraycopy(ins, 0, o, p, ins.length);
                System.arraycopy(b, p, o, p + ins.length, b.length - p);
                b = o;
            }
            case 4 -> { // duplicate a chunk
                int p = rnd.nextInt(b.length);
                int n = Math.min(b.length - p, 1 + rnd.nextInt(64));
                byte[] o = new byte[b.length + n];
                System.arraycopy(b, 0, o, 0, p + n);
                System.arraycopy(b, p, o, p + n, b.length - p);
                b = o;
            }
            default -> { // replace a byte with a pickle opcode
                byte[] ops = {'c', 'R', 'b', 'Q', '(', 't', 'u', '.', (byte) 0x8a, 'X', 'h', 'j', 'q', (byte) 0x93};
                b[rnd.nextInt(b.length)] = ops[rnd.nextInt(ops.length)];
            }
        }
        return b;
    }

    /** A valid zip whose data.pkl (or a storage) is mutated, so the reader gets past the container. */
    static byte[] mutateInsideZip(byte[] zip, Random rnd) throws IOException {
        Path tmp = Files.createTempFile("fuzz", ".zip");
        try {
            Files.write(tmp, zip);
            ByteArrayOutputStream out = new ByteArrayOutputStream();
            try (ZipFile z = new ZipFile(tmp.toFile()); ZipOutputStream zo = new ZipOutputStream(out)) {
                List<? extends ZipEntry> entries = java.util.Collections.list((Enumeration<? extends ZipEntry>) z.entries());
                int target = rnd.nextInt(entries.size());
                for (int i = 0; i < entries.size(); i++) {
                    ZipEntry e = entries.get(i);
                    byte[] data = z.getInputStream(e).readAllBytes();
                    if (i == target || (e.getName().endsWith("data.pkl") && rnd.nextInt(3) == 0)) {
                        data = data.length == 0 ? data : mutate(data, rnd);
                    }
                    if (rnd.nextInt(40) == 0) {
                        continue; // drop an entry
                    }
                    ZipEntry n = new ZipEntry(e.getName());
                    n.setMethod(ZipEntry.STORED);
                    n.setSize(data.length);
                    CRC32 crc = new CRC32();
                    crc.update(data);
                    n.setCrc(crc.getValue());
                    zo.putNextEntry(n);
                    zo.write(data);
                    zo.closeEntry();
                }
            }
            return out.toByteArray();
        } finally {
            Files.deleteIfExists(tmp);
        }
    }
}
