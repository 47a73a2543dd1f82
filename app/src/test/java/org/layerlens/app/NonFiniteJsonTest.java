package org.layerlens.app;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.StringReader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;

import com.google.gson.stream.JsonReader;
import com.google.gson.stream.JsonToken;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.layerlens.app.Cli.Result;

/**
 * The JSON files of a model with a NaN weight (reference/make_variants.py's nan-weight checkpoint,
 * written by torch.save) parse as strict JSON: explain, stats and compare wrote bare NaN tokens
 * (walkthrough: 148 in a stats file), which jq, JavaScript and strict parsers refuse, and explain
 * wrote an infinite box as 9.2e16. Non-finite numbers are null now.
 */
class NonFiniteJsonTest {
    @Test
    void explainStatsAndCompareWriteStrictJsonForANanModel(@TempDir Path dir) throws IOException {
        String variants = System.getenv().getOrDefault("LAYERLENS_VARIANTS_DIR", "");
        Path model = variants.isBlank() ? null : Paths.get(variants, "nan-weight", "mb2-nan-weight.pth");
        Assumptions.assumeTrue(model != null && Files.exists(model), "set LAYERLENS_VARIANTS_DIR (reference/make_variants.py)");
        Path shapes = Repo.sample("shapes-01.png");
        Path explain = dir.resolve("explain.json");
        Result r = Cli.run("explain", "--threads", "1", "--model", model.toString(), "--image", shapes.toString(),
                "--box=0,0,300,300", "--json", explain.toString());
        assertEquals(0, r.code(), r.err());
        String text = Files.readString(explain);
        assertStrict(text, "explain");
        assertTrue(text.contains("null"), "NaN scores are null");
        assertTrue(!text.contains("9.223372036854776E16") && !text.contains("9.223372036854776e+16"), "no rounded infinity");

        Path images = Files.createDirectories(dir.resolve("images"));
        Files.copy(shapes, images.resolve("a.png"));
        Files.copy(Repo.sample("shapes-02.png"), images.resolve("b.png"));
        Path stats = dir.resolve("stats.json");
        r = Cli.run("stats", "--threads", "1", "--model", model.toString(), "--dataset", images.toString(), "--json",
                stats.toString());
        assertEquals(0, r.code(), r.err());
        assertStrict(Files.readString(stats), "stats");

        Path compare = dir.resolve("compare.json");
        r = Cli.run("compare", "--threads", "1", "--model", "default", "--with", model.toString(), "--image",
                shapes.toString(), "--json", compare.toString());
        assertEquals(0, r.code(), r.err());
        assertStrict(Files.readString(compare), "compare");
        // the terminal's table puts the NaN modules first (a plain sort put them last, unshown)
        String table = r.out().substring(r.out().indexOf("lowest SQNR"));
        assertTrue(table.lines().skip(1).findFirst().orElse("").startsWith("extras.1.conv.0 "), table);
    }

    /** Parses {@code text} with Gson's reader in strict mode: a bare NaN or Infinity throws. */
    static void assertStrict(String text, String what) throws IOException {
        try (JsonReader in = new JsonReader(new StringReader(text))) {
            in.setLenient(false);
            in.skipValue();
            assertEquals(JsonToken.END_DOCUMENT, in.peek(), what);
        } catch (com.google.gson.stream.MalformedJsonException e) {
            throw new AssertionError(what + ": not strict JSON: " + e.getMessage());
        }
    }
}
