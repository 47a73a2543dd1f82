package org.layerlens.app;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.layerlens.app.Cli.run;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Set;
import java.util.stream.Stream;

import com.google.gson.JsonArray;
import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.layerlens.app.Cli.Result;

/** The compare and stats commands end to end: JSON shapes, bad input (one line, nothing written). */
class CompareStatsCliTest {
    private static final String MODEL = Repo.randomModel().toString();
    private static final String COFFEE = Repo.sample("coffee.png").toString();

    private static void oneLine(Result r, int code, String... parts) {
        assertEquals(code, r.code(), r.out() + r.err());
        assertEquals(1, r.err().strip().lines().count(), r.err());
        assertTrue(r.err().startsWith("layerlens: "), r.err());
        for (String p : parts) {
            assertTrue(r.err().contains(p), r.err());
        }
        assertFalse(r.err().contains("\tat "), r.err());
    }

    @Test
    void twoModelsWriteTheIssuesJsonShape(@TempDir Path dir) throws Exception {
        Path json = dir.resolve("cmp.json");
        Result r = run("compare", "--model", MODEL, "--with", MODEL, "--image", COFFEE, "--json", json.toString());
        assertEquals(0, r.code(), r.err());
        assertTrue(r.out().contains("no module diverges"), r.out());
        JsonObject o = JsonParser.parseString(Files.readString(json)).getAsJsonObject();
        assertEquals(Set.of("a", "b", "image", "tolerance", "modules", "firstDivergent", "onlyInA", "onlyInB",
                "detections"), o.keySet());
        assertEquals(1e-3, o.get("tolerance").getAsDouble());
        assertTrue(o.get("firstDivergent").isJsonNull());
        JsonObject m = o.getAsJsonArray("modules").get(0).getAsJsonObject();
        assertEquals(Set.of("path", "shape", "comparable", "maxAbs", "meanAbs", "relErr", "cosine", "sqnrDb"), m.keySet());
        assertEquals("base_net.0.0", m.get("path").getAsString());
        assertEquals("[32,150,150]", m.get("shape").toString());
        assertTrue(m.get("sqnrDb").isJsonNull(), "equal tensors: infinite SQNR written as null");
        assertEquals(Set.of("a", "b"), o.getAsJsonObject("detections").keySet());
        for (var d : o.getAsJsonObject("detections").getAsJsonArray("a")) {
            assertTrue(d.getAsJsonObject().has("match") && !d.getAsJsonObject().get("match").isJsonNull());
        }
    }

    /**
     * The window's changed copies of the image on the command line too (--with-image mirrored,
     * darker[:F], jpeg[:Q]); they were "no such file" there, and --with mirrored "unknown model".
     * The trained model on a scene and its mirror image: every detection pairs in A's frame.
     */
    @Test
    void aChangedCopyOfTheImageAsTheWindowMakesIt() {
        String scene = Repo.sample("shapes-01.png").toString();
        Result mirrored = run("compare", "--model", "default", "--image", scene, "--with-image", "mirrored", "--json", "-");
        assertEquals(0, mirrored.code(), mirrored.err());
        JsonObject o = JsonParser.parseString(mirrored.out()).getAsJsonObject();
        assertEquals(scene + " mirrored", o.get("imageB").getAsString());
        JsonArray da = o.getAsJsonObject("detections").getAsJsonArray("a");
        assertFalse(da.isEmpty());
        for (var d : da) {
            assertFalse(d.getAsJsonObject().get("match").isJsonNull(), "paired with B's reflected box: " + d);
        }
        Result darker = run("compare", "--model", MODEL, "--image", COFFEE, "--with-image", "darker:0.25");
        assertEquals(0, darker.code(), darker.err());
        assertTrue(darker.out().contains(" on " + COFFEE + " darker (x0.25)"), darker.out());
        oneLine(run("compare", "--model", MODEL, "--image", COFFEE, "--with", "mirrored"), 2,
                "--with takes a second model", "--with-image mirrored");
        oneLine(run("compare", "--model", MODEL, "--image", COFFEE, "--with", "image:" + COFFEE), 2,
                "--with-image " + COFFEE);
        oneLine(run("compare", "--model", MODEL, "--image", COFFEE, "--with-image", "jpeg:0"), 2,
                "--with-image jpeg:0: jpeg[:Q] with a quality Q from 1 to 100");
        oneLine(run("compare", "--model", MODEL, "--image", COFFEE, "--with-image", "mirrored:3"), 2,
                "--with-image mirrored:3: mirrored (no amount)");
        oneLine(run("compare", "--model", MODEL, "--image", COFFEE, "--with-image", "Darker:2"), 2,
                "--with-image Darker:2: darker[:F] with 0 < F <= 1");
    }

    @Test
    void twoImagesOfDifferentSizesAndTheDifferenceImage(@TempDir Path dir) throws Exception {
        Path json = dir.resolve("cmp.json");
        Path png = dir.resolve("diff.png");
        Result r = run("compare", "--model", MODEL, "--image", COFFEE, "--with-image",
                Repo.sample("shapes-01.png").toString(), "--json", json.toString(), "--diff-out", png.toString());
        assertEquals(0, r.code(), r.err());
        JsonObject o = JsonParser.parseString(Files.readString(json)).getAsJsonObject();
        assertTrue(o.get("imageB").getAsString().endsWith("shapes-01.png"));
        assertEquals("base_net.0.0", o.get("firstDivergent").getAsString());
        // two different scenes: detections found in one only, with "match" and "iou" null, as every
        // detection has both keys
        int unmatched = 0;
        for (String side : List.of("a", "b")) {
            for (var d : o.getAsJsonObject("detections").getAsJsonArray(side)) {
                JsonObject det = d.getAsJsonObject();
                assertEquals(Set.of("label", "classId", "score", "box", "match", "iou"), det.keySet());
                assertEquals(det.get("match").isJsonNull(), det.get("iou").isJsonNull(), det.toString());
                unmatched += det.get("match").isJsonNull() ? 1 : 0;
            }
        }
        assertTrue(unmatched > 0, o.getAsJsonObject("detections").toString());
        // the difference grid under a caption: light text on the dark strip above the tiles
        java.awt.image.BufferedImage diff = javax.imageio.ImageIO.read(png.toFile());
        int light = 0;
        for (int y = 0; y < 36; y++) {
            for (int x = 0; x < diff.getWidth(); x++) {
                light += (diff.getRGB(x, y) & 0xff) > 200 ? 1 : 0;
            }
        }
        assertTrue(diff.getWidth() >= 560 && light > 200, diff.getWidth() + " wide, " + light + " light pixels");
        try (Stream<Path> s = Files.list(dir)) {
            assertEquals(2, s.count(), "no temporary files left");
        }
        // nothing diverges (the model with itself): the image is still written, of the module that
        // parts most, so that the one from the run before is not taken for this one's (walkthrough)
        byte[] before = Files.readAllBytes(png);
        r = run("compare", "--model", MODEL, "--with", MODEL, "--image", COFFEE, "--diff-out", png.toString());
        assertEquals(0, r.code(), r.err());
        assertTrue(r.err().contains("no divergent module; --diff-out shows ") && r.err().contains("(all zero: no module "
                + "differs at all)"), r.err());
        assertTrue(!java.util.Arrays.equals(before, Files.readAllBytes(png)), "the old difference image is replaced");
    }

    @Test
    void int8WhatIfWithAStatsFileAndTheExportedTable(@TempDir Path dir) throws Exception {
        Path data = Files.createDirectory(dir.resolve("data"));
        Files.copy(Repo.sample("coffee.png"), data.resolve("a.png"));
        Files.copy(Repo.sample("shapes-02.png"), data.resolve("b.png"));
        Files.writeString(data.resolve("c.jpg"), "not a jpeg");
        Path stats = dir.resolve("stats.json");
        Path csv = dir.resolve("stats.csv");
        Result s = run("stats", "--model", MODEL, "--dataset", data.toString(), "--json", stats.toString(), "--csv",
                csv.toString(), "--threads", "2");
        assertEquals(0, s.code(), s.err());
        assertTrue(s.err().contains("c.jpg") && s.err().contains("skipped"), s.err());
        JsonObject st = JsonParser.parseString(Files.readString(stats)).getAsJsonObject();
        assertEquals(2, st.get("images").getAsInt());
        assertEquals(List.of(data.resolve("c.jpg").toString()),
                st.getAsJsonArray("skipped").asList().stream().map(e -> e.getAsString()).toList());
        JsonObject mod = st.getAsJsonArray("modules").get(0).getAsJsonObject();
        assertTrue(mod.keySet().containsAll(Set.of("path", "shape", "channels", "dead", "saturated", "histogram")));
        assertEquals(Set.of("min", "max", "mean", "std", "zeros", "atCeiling", "p999", "p9999"),
                mod.getAsJsonArray("channels").get(0).getAsJsonObject().keySet());
        int channels = 0;
        for (var e : st.getAsJsonArray("modules")) {
            channels += e.getAsJsonObject().getAsJsonArray("channels").size();
        }
        assertEquals(1 + channels, Files.readAllLines(csv).size(), "a header and a CSV row per module and channel");

        Path table = dir.resolve("table.json");
        Path json = dir.resolve("int8.json");
        Result r = run("compare", "--model", MODEL, "--with", "int8-per-tensor", "--calibration", stats.toString(),
                "--range", "p9999", "--image", COFFEE, "--json", json.toString(), "--export-calibration",
                table.toString());
        assertEquals(0, r.code(), r.err());
        JsonObject o = JsonParser.parseString(Files.readString(json)).getAsJsonObject();
        assertTrue(o.get("b").getAsString().endsWith("(int8-per-tensor)"));
        JsonArray mods = o.getAsJsonArray("modules");
        JsonObject conv = mods.get(0).getAsJsonObject();
        assertEquals("base_net.0.0", conv.get("path").getAsString());
        assertFalse(conv.get("comparable").getAsBoolean(), "folded into the int8 op");
        JsonObject relu = mods.get(2).getAsJsonObject();
        assertEquals("base_net.0.2", relu.get("path").getAsString());
        assertTrue(relu.get("sqnrDb").getAsDouble() > 20);
        JsonObject t = JsonParser.parseString(Files.readString(table)).getAsJsonObject();
        assertEquals("p9999", t.get("range").getAsString());
        JsonObject first = t.getAsJsonObject("modules").getAsJsonObject("base_net.0.2");
        assertTrue(first.get("scale").getAsDouble() > 0 && first.get("zeroPoint").getAsInt() == 0, first.toString());
        // the table itself is a calibration file
        Result again = run("compare", "--model", MODEL, "--with", "int8-per-channel", "--calibration", table.toString(),
                "--image", COFFEE);
        assertEquals(0, again.code(), again.err());
    }

    @Test
    void badInputGetsOneLineAndWritesNothing(@TempDir Path dir) throws Exception {
        Path json = dir.resolve("out.json");
        Path broken = Files.writeString(dir.resolve("cal.json"), "{\"modules\": [ {\"path\": ");
        oneLine(run("compare", "--model", MODEL, "--with", "int8-per-channel", "--calibration", broken.toString(),
                "--image", COFFEE, "--json", json.toString()), 1, "cal.json", "not valid JSON");
        oneLine(run("compare", "--model", MODEL, "--with", "int8-per-channel", "--image", COFFEE), 2,
                "--calibration");
        oneLine(run("compare", "--model", MODEL, "--with", "int8-sometimes", "--image", COFFEE), 2, "int8-per-channel");
        oneLine(run("compare", "--model", MODEL, "--image", COFFEE), 2, "--with");
        oneLine(run("compare", "--model", MODEL, "--with", MODEL, "--with-image", COFFEE, "--image", COFFEE), 2, "both");
        oneLine(run("compare", "--model", MODEL, "--with", "int8-per-channel", "--calibration", broken.toString(),
                "--range", "p50", "--image", COFFEE), 2, "minmax, p999 or p9999");
        oneLine(run("compare", "--model", MODEL, "--with", MODEL, "--image", dir.resolve("none.png").toString(),
                "--json", json.toString()), 1, "none.png");
        // an image out without an extension OpenCV writes: refused before any work, nothing written
        oneLine(run("compare", "--model", MODEL, "--with", MODEL, "--image", COFFEE, "--diff-out",
                dir.resolve("diff").toString()), 2, "--diff-out needs an image file name ending in .png");
        oneLine(run("stats", "--model", MODEL, "--dataset", dir.toString(), "--json", "-", "--csv", "-"), 2,
                "not both");
        Path empty = Files.createDirectory(dir.resolve("empty"));
        oneLine(run("stats", "--model", MODEL, "--dataset", empty.toString(), "--json", json.toString()), 1, "empty");
        Path junk = Files.createDirectory(dir.resolve("junk"));
        Files.writeString(junk.resolve("a.png"), "x");
        Result r = run("stats", "--model", MODEL, "--dataset", junk.toString(), "--json", json.toString());
        assertEquals(1, r.code());
        assertTrue(r.err().contains("none of its 1 file(s) is a readable image"), r.err());
        assertFalse(Files.exists(json), "nothing written");
        try (Stream<Path> s = Files.list(dir)) {
            assertEquals(Set.of("cal.json", "empty", "junk"), Set.copyOf(s.map(p -> p.getFileName().toString()).toList()));
        }
    }

    /** {@code --json -} puts the JSON alone on standard output, as detect and explain do; the report goes to stderr. */
    @Test
    void jsonToStandardOutput(@TempDir Path dir) throws Exception {
        Result r = run("compare", "--model", MODEL, "--image", COFFEE, "--with-image", Repo.sample("shapes-01.png")
                .toString(), "--json", "-");
        assertEquals(0, r.code(), r.err());
        JsonObject o = JsonParser.parseString(r.out()).getAsJsonObject();
        assertTrue(o.getAsJsonArray("modules").size() > 200);
        assertTrue(r.err().contains("modules compared"), r.err());
        Path folder = Files.createDirectory(dir.resolve("images"));
        Files.copy(Repo.sample("coffee.png"), folder.resolve("coffee.png"));
        Result csv = run("stats", "--model", MODEL, "--dataset", folder.toString(), "--csv", "-");
        assertEquals(0, csv.code(), csv.err());
        assertTrue(csv.out().startsWith("path,type,channel,min,max,mean,std,"), csv.out().substring(0, 80));
        assertTrue(csv.err().contains("1 image(s), 0 skipped"), csv.err());
        try (Stream<Path> s = Files.list(Path.of("."))) {
            assertFalse(s.anyMatch(p -> p.getFileName().toString().equals("-")), "no file named '-'");
        }
    }

    @Test
    void modelsThatShareNoModuleAreRefused() {
        Result r = run("compare", "--model", MODEL, "--with", "faces-v1", "--image", COFFEE);
        oneLine(r, 1, "share no module");
    }
}
