package org.layerlens.app;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.layerlens.app.Cli.run;

import java.awt.image.BufferedImage;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.Stream;

import javax.imageio.ImageIO;

import com.google.gson.JsonArray;
import com.google.gson.JsonElement;
import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import com.google.gson.JsonPrimitive;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.layerlens.app.Cli.Result;

/** {@code explain} and {@code anchors} on the command line: the JSON shape, parity with detect, files, errors. */
class ExplainCliTest {
    private static final String MODEL = Repo.randomModel().toString();
    private static final String COFFEE = Repo.sample("coffee.png").toString();

    private static final Set<String> DETECTION_KEYS = Set.of("label", "classId", "score", "box", "head", "featureMap",
            "cell", "anchor", "priorIndex", "prior", "offsets", "classScores", "receptiveField", "suppressed");
    private static final Set<String> PRIOR_KEYS = Set.of("priorIndex", "head", "cell", "anchor", "prior", "iou",
            "classScores", "box");

    @Test
    void theJsonHasExactlyTheDocumentedShape(@TempDir Path dir) throws Exception {
        Path json = dir.resolve("explain.json");
        Result r = run("explain", "--model", MODEL, "--image", COFFEE, "--threshold", "0.9", "--box", "100,80,260,200",
                "--json", json.toString());
        assertEquals(0, r.code(), r.err());
        JsonObject o = JsonParser.parseString(Files.readString(json)).getAsJsonObject();
        assertEquals(Set.of("image", "width", "height", "detections", "query"), o.keySet());
        assertEquals(COFFEE, string(o.get("image")));
        assertEquals(600, integer(o.get("width")));
        assertEquals(400, integer(o.get("height")));
        JsonArray dets = o.getAsJsonArray("detections");
        assertTrue(dets.size() > 0);
        List<String> labels = List.of("0", "1", "2", "3"); // every class, the background (0) included
        for (JsonElement e : dets) {
            JsonObject d = e.getAsJsonObject();
            assertEquals(DETECTION_KEYS, d.keySet());
            assertTrue(labels.contains(string(d.get("label"))));
            assertEquals(string(d.get("label")), String.valueOf(integer(d.get("classId"))));
            double score = number(d.get("score"));
            assertTrue(score > 0.9 && score <= 1);
            box(d.get("box"), 600, 400, true);
            int head = integer(d.get("head"));
            assertTrue(head >= 0 && head < 6);
            int[] fm = ints(d.get("featureMap"), 2);
            int[] cell = ints(d.get("cell"), 2);
            assertTrue(cell[0] >= 0 && cell[0] < fm[0] && cell[1] >= 0 && cell[1] < fm[1]);
            int anchor = integer(d.get("anchor"));
            assertTrue(anchor >= 0 && anchor < 6);
            int prior = integer(d.get("priorIndex"));
            assertTrue(prior >= 0 && prior < 3000);
            box(d.get("prior"), 600, 400, false);
            assertEquals(4, d.getAsJsonArray("offsets").size());
            d.getAsJsonArray("offsets").forEach(ExplainCliTest::number);
            JsonObject cs = d.getAsJsonObject("classScores");
            assertEquals(labels, new ArrayList<>(cs.keySet()));
            double sum = 0;
            for (String k : cs.keySet()) {
                sum += number(cs.get(k));
            }
            assertEquals(1.0, sum, 1e-5, "softmax over the classes");
            assertEquals(score, number(cs.get(string(d.get("label")))), 1e-7);
            box(d.get("receptiveField"), 600, 400, true);
            for (JsonElement s : d.getAsJsonArray("suppressed")) {
                JsonObject so = s.getAsJsonObject();
                assertEquals(Set.of("score", "box", "iou"), so.keySet());
                assertTrue(number(so.get("score")) <= score);
                box(so.get("box"), 600, 400, true);
                assertTrue(number(so.get("iou")) > 0.45);
            }
        }
        JsonObject q = o.getAsJsonObject("query");
        assertEquals(Set.of("box", "matchThreshold", "bestPriors"), q.keySet());
        assertEquals("[100.0,80.0,260.0,200.0]", q.get("box").toString());
        assertEquals(0.5, number(q.get("matchThreshold")));
        JsonArray best = q.getAsJsonArray("bestPriors");
        assertEquals(5, best.size());
        double last = 2;
        for (JsonElement e : best) {
            JsonObject b = e.getAsJsonObject();
            assertEquals(PRIOR_KEYS, b.keySet());
            integer(b.get("priorIndex"));
            integer(b.get("head"));
            ints(b.get("cell"), 2);
            integer(b.get("anchor"));
            box(b.get("prior"), 600, 400, false);
            double iou = number(b.get("iou"));
            assertTrue(iou <= last && iou >= 0 && iou <= 1, "best first");
            last = iou;
            assertEquals(labels, new ArrayList<>(b.getAsJsonObject("classScores").keySet()));
            box(b.get("box"), 600, 400, false); // decoded, unclipped like the prior
        }
        assertTrue(r.out().contains("query [100.0, 80.0, 260.0, 200.0]"), r.out());

        Result noBox = run("explain", "--model", MODEL, "--image", COFFEE, "--threshold", "0.9", "--json", "-");
        assertEquals(0, noBox.code(), noBox.err());
        JsonObject plain = JsonParser.parseString(noBox.out()).getAsJsonObject();
        assertEquals(Set.of("image", "width", "height", "detections"), plain.keySet(), "no query without --box");
        assertEquals(dets, plain.getAsJsonArray("detections"));
    }

    @Test
    void detectionsAndTheirOrderAreDetects() {
        for (String[] opts : List.of(new String[] {"--threshold", "0.9"}, new String[] {"--threshold", "0.6", "--iou", "0.3"},
                new String[] {})) {
            List<String> base = List.of("--model", MODEL, "--image", COFFEE, "--json", "-");
            List<String> d = new ArrayList<>(List.of("detect"));
            d.addAll(base);
            d.addAll(List.of(opts));
            List<String> x = new ArrayList<>(List.of("explain"));
            x.addAll(base);
            x.addAll(List.of(opts));
            Result detect = run(d.toArray(new String[0]));
            Result explain = run(x.toArray(new String[0]));
            assertEquals(0, detect.code(), detect.err());
            assertEquals(0, explain.code(), explain.err());
            JsonArray want = JsonParser.parseString(detect.out()).getAsJsonArray().get(0).getAsJsonObject()
                    .getAsJsonArray("detections");
            JsonArray got = JsonParser.parseString(explain.out()).getAsJsonObject().getAsJsonArray("detections");
            assertEquals(want.size(), got.size(), String.join(" ", opts));
            assertTrue(want.size() > 0);
            for (int i = 0; i < want.size(); i++) {
                JsonObject w = want.get(i).getAsJsonObject();
                JsonObject g = got.get(i).getAsJsonObject();
                for (String k : w.keySet()) {
                    assertEquals(w.get(k), g.get(k), "detection " + i + " " + k + " with " + String.join(" ", opts));
                }
            }
        }
    }

    @Test
    void classMapsAndCamArePngsOfTheImage(@TempDir Path dir) throws Exception {
        Path maps = dir.resolve("maps");
        Path cam = dir.resolve("cam.png");
        Result r = run("explain", "--model", "default", "--image", Repo.sample("shapes-01.png").toString(),
                "--class-maps", maps.toString(), "--cam", "base_net.14.conv.2", "--cam-out", cam.toString());
        assertEquals(0, r.code(), r.err());
        List<String> names;
        try (Stream<Path> s = Files.list(maps)) {
            names = s.map(p -> p.getFileName().toString()).sorted().toList();
        }
        // the top detection on shapes-01 is a square or a triangle; every head gets a map
        String cls = names.get(0).replaceAll("head0-19x19-(.*)\\.png", "$1");
        assertEquals(List.of("head0-19x19-" + cls + ".png", "head1-10x10-" + cls + ".png", "head2-5x5-" + cls + ".png",
                "head3-3x3-" + cls + ".png", "head4-2x2-" + cls + ".png", "head5-1x1-" + cls + ".png"), names);
        for (String n : names) {
            BufferedImage img = ImageIO.read(maps.resolve(n).toFile());
            assertEquals(512, img.getWidth());
            assertEquals(512, img.getHeight());
        }
        BufferedImage c = ImageIO.read(cam.toFile());
        assertEquals(512, c.getWidth());
        assertTrue(colours(c) > 50, "a heatmap, not a flat picture");
        assertTrue(Files.isRegularFile(dir.resolve("cam-mean.png")));
        Result named = run("explain", "--model", "default", "--image", Repo.sample("shapes-01.png").toString(),
                "--class-maps", maps.toString(), "--class", "circle", "--json", "-");
        assertEquals(0, named.code(), named.err());
        assertTrue(Files.isRegularFile(maps.resolve("head0-19x19-circle.png")));
    }

    private static int colours(BufferedImage img) {
        Set<Integer> c = new TreeSet<>();
        for (int y = 0; y < img.getHeight(); y += 4) {
            for (int x = 0; x < img.getWidth(); x += 4) {
                c.add(img.getRGB(x, y));
            }
        }
        return c.size();
    }

    /**
     * objects-v2's background column is named "???" in its label map: the CLI printed "class scores:
     * ??? 0.593, Bicycle 0.026, ..." as if it were a class. The text lists the object classes and
     * the background apart, named so; the JSON keeps the shape issue #12 fixes (every class by its
     * label, the background first). The default model's BACKGROUND the same way.
     */
    @Test
    void theBackgroundIsNotListedAsAClass(@TempDir Path dir) throws Exception {
        for (String[] c : new String[][] {{"objects-v2", "faust_github.jpg"}, {"default", "shapes-01.png"}}) {
            Path json = dir.resolve(c[0] + ".json");
            Result r = run("explain", "--model", c[0], "--image", Repo.sample(c[1]).toString(), "--json",
                    json.toString());
            assertEquals(0, r.code(), r.err());
            assertFalse(r.out().contains("???") || r.out().contains("BACKGROUND"), r.out());
            JsonArray dets = JsonParser.parseString(Files.readString(json)).getAsJsonObject()
                    .getAsJsonArray("detections");
            assertTrue(dets.size() > 0, c[0]);
            List<String> lines = r.out().lines().filter(l -> l.startsWith("   class scores: ")).toList();
            assertEquals(dets.size(), lines.size(), r.out());
            for (int i = 0; i < dets.size(); i++) {
                JsonObject d = dets.get(i).getAsJsonObject();
                JsonObject cs = d.getAsJsonObject("classScores");
                List<String> keys = new ArrayList<>(cs.keySet());
                assertEquals(c[0].equals("default") ? "BACKGROUND" : "???", keys.get(0), "class 0 first, by its label");
                assertTrue(cs.has(string(d.get("label"))), cs.toString());
                StringBuilder want = new StringBuilder("   class scores: ");
                boolean first = true;
                for (String k : keys.subList(1, keys.size())) {
                    want.append(first ? "" : ", ").append(k)
                            .append(String.format(java.util.Locale.ROOT, " %.3f", number(cs.get(k))));
                    first = false;
                }
                want.append(String.format(java.util.Locale.ROOT, "; background %.3f (not a class that can be "
                        + "detected)", number(cs.get(keys.get(0)))));
                assertEquals(want.toString(), lines.get(i));
            }
        }
    }

    /**
     * A best prior's decoded box is printed and written unclipped, as the window shows it, with a
     * note where it reaches outside the image (the walkthrough's 5000x40 strip: the CLI printed it
     * clipped to x1 = 0, the window at x1 = -144.7).
     */
    @Test
    void aBestPriorsDecodedBoxIsUnclippedInTextAndJsonAlike(@TempDir Path dir) throws Exception {
        Path strip = dir.resolve("strip.png");
        BufferedImage white = new BufferedImage(5000, 40, BufferedImage.TYPE_INT_RGB);
        java.awt.Graphics2D g = white.createGraphics();
        g.setColor(java.awt.Color.WHITE);
        g.fillRect(0, 0, 5000, 40);
        g.dispose();
        ImageIO.write(white, "png", strip.toFile());
        Path json = dir.resolve("q.json");
        Result r = run("explain", "--model", MODEL, "--image", strip.toString(), "--box", "10,5,100,30", "--json",
                json.toString());
        assertEquals(0, r.code(), r.err());
        JsonArray best = JsonParser.parseString(Files.readString(json)).getAsJsonObject().getAsJsonObject("query")
                .getAsJsonArray("bestPriors");
        List<String> lines = r.out().lines().filter(l -> l.startsWith("   prior ")).toList();
        assertEquals(best.size(), lines.size(), r.out());
        int outside = 0;
        for (int k = 0; k < best.size(); k++) {
            JsonArray b = best.get(k).getAsJsonObject().getAsJsonArray("box");
            String printed = String.format(java.util.Locale.ROOT, "[%.1f, %.1f, %.1f, %.1f]", number(b.get(0)),
                    number(b.get(1)), number(b.get(2)), number(b.get(3)));
            boolean out = number(b.get(0)) < 0 || number(b.get(1)) < 0 || number(b.get(2)) > 5000
                    || number(b.get(3)) > 40;
            String tail = "decodes to " + printed + (out ? " (unclipped: reaches outside the 5000x40 image)" : "");
            assertTrue(lines.get(k).endsWith(tail), lines.get(k) + " vs " + tail);
            outside += out ? 1 : 0;
        }
        assertTrue(outside > 0, "the strip's best priors reach beyond its left edge: " + r.out());
    }

    /** A box over the image's edge is clipped to it, as the window clips a box drawn there. */
    @Test
    void aBoxOverTheEdgeIsClippedWithAWarning() {
        Result r = run("explain", "--model", MODEL, "--image", COFFEE, "--box", "500,300,700,350");
        assertEquals(0, r.code(), r.err());
        assertEquals("layerlens: warning: --box 500,300,700,350 clipped to coffee.png, which is 600x400 "
                + "pixels: [500.0, 300.0, 600.0, 350.0]", r.err().strip());
        // quoted as given, not rounded: 599.9999 was "600.0", 1e40 a 41-digit number
        r = run("explain", "--model", MODEL, "--image", COFFEE, "--box", "0,0,1e40,399.99");
        assertEquals("layerlens: warning: --box 0,0,1e40,399.99 clipped to coffee.png, which is 600x400 "
                + "pixels: [0.0, 0.0, 600.0, 400.0]", r.err().strip());
        assertTrue(r.out().contains("500"), r.out());
    }

    @Test
    void badInputIsOneLine(@TempDir Path dir) throws Exception {
        Map<String, String[]> cases = new java.util.LinkedHashMap<>();
        cases.put("1:--box 700,300,800,350 lies outside coffee.png, which is 600x400 pixels",
                new String[] {"--box", "700,300,800,350"});
        // clipped to less than a pixel: a box with no area, explained as a 0x6 px object before
        cases.put("1:--box 599.9999,0,700,10 lies outside coffee.png, which is 600x400 pixels (less than a pixel of "
                + "it is inside)", new String[] {"--box=599.9999,0,700,10"});
        cases.put("1:--box 100,100,100.5,200 is less than a pixel wide or high", new String[] {"--box=100,100,100.5,200"});
        // --class alone was ignored unsaid; a misspelt one was said after the whole pass
        cases.put("2:explain: --class NAME goes with --class-maps DIR", new String[] {"--class", "circle"});
        cases.put("2:explain: --box: box 10,10,10,50 has zero or negative area",
                new String[] {"--box", "10,10,10,50"});
        cases.put("2:explain: --box: a box is x1,y1,x2,y2 (four numbers), not '10,10,50'",
                new String[] {"--box", "10,10,50"});
        cases.put("2:explain: --box: a box is x1,y1,x2,y2 (four numbers), not '1,2,three,4'",
                new String[] {"--box", "1,2,three,4"});
        cases.put("1:--cam: no module 'nope' with an output", new String[] {"--cam", "nope", "--cam-out",
            dir.resolve("x.png").toString()});
        cases.put("2:explain: --cam MODULE and --cam-out OUT.png go together", new String[] {"--cam", "base_net"});
        cases.put("1:--cam: extras.3 gives a 1x1 map, one value per channel: no map to draw", new String[] {"--cam",
            "extras.3", "--cam-out", dir.resolve("one.png").toString()});
        cases.put("1:--class dog: ", new String[] {"--class-maps", dir.toString(), "--class", "dog"});
        for (Map.Entry<String, String[]> e : cases.entrySet()) {
            List<String> args = new ArrayList<>(List.of("explain", "--model", MODEL, "--image", COFFEE));
            args.addAll(List.of(e.getValue()));
            Result r = run(args.toArray(new String[0]));
            int code = Integer.parseInt(e.getKey().substring(0, 1));
            String msg = e.getKey().substring(2);
            assertEquals(code, r.code(), String.join(" ", e.getValue()) + ": " + r.err());
            assertTrue(r.err().contains(msg), r.err());
            assertEquals(1, r.err().strip().lines().count(), "one line: " + r.err());
            assertFalse(r.err().contains("\tat "), "no stack trace");
        }
    }

    @Test
    void anchorsPrintsTheShareByBinAndWritesChartAndJson(@TempDir Path dir) throws Exception {
        Path data = Files.createDirectories(dir.resolve("data"));
        // the same hand-computed boxes as the engine's AnchorCoverageTest: IoU 1, 0.111, 0.75
        Files.writeString(data.resolve("a.xml"), "<annotation><size><width>300</width><height>300</height></size>"
                + obj("square", 123, 123, 183, 183) + obj("circle", 143, 143, 163, 163) + "</annotation>");
        Files.writeString(data.resolve("c.xml"), "<annotation><size><width>300</width><height>300</height></size>"
                + obj("triangle", 93, 133, 213, 173) + "</annotation>");
        Files.writeString(data.resolve("bad.xml"), "<annotation><size><width>300</width><height>300</height></size>"
                + obj("circle", 50, 50, 50, 90) + "</annotation>");
        Path chart = dir.resolve("chart.png");
        Path json = dir.resolve("cov.json");
        Result r = run("anchors", "--model", "default", "--dataset", data.toString(), "--chart", chart.toString(),
                "--json", json.toString());
        assertEquals(0, r.code(), r.err());
        assertTrue(r.out().contains("boxes with a prior at IoU >= 0.50: 2 of 3 (66.7%)"), r.out());
        assertTrue(r.out().matches("(?s).*\\n16-24px +1 +0 +0\\.0% +0\\.111\\n.*"), r.out());
        assertTrue(r.out().matches("(?s).*\\n>= 3 +1 +1 +100\\.0% +0\\.750\\n.*"), r.out());
        assertTrue(r.err().contains("bad.xml: the circle box 50,50,50,90 has no area; skipped"), r.err()); // as in the file
        assertTrue(r.err().contains("1 of 3 annotation file(s) skipped"), r.err());
        BufferedImage img = ImageIO.read(chart.toFile());
        assertEquals(1000, img.getWidth());
        assertEquals(620, img.getHeight());
        assertTrue(colours(img) > 5, "a drawn chart");
        JsonObject o = JsonParser.parseString(Files.readString(json)).getAsJsonObject();
        assertEquals(3, o.get("boxes").getAsInt());
        assertEquals(2, o.get("matched").getAsInt());
        assertEquals(3, o.getAsJsonArray("objects").size());
        assertEquals(9, o.getAsJsonArray("bySize").size());

        Path empty = Files.createDirectories(dir.resolve("empty"));
        Result none = run("anchors", "--model", "default", "--dataset", empty.toString());
        assertEquals(1, none.code());
        assertEquals("layerlens: " + empty + ": no Pascal VOC .xml annotations in this folder", none.err().strip());
        Path other = Files.createDirectories(dir.resolve("other"));
        Files.writeString(other.resolve("a.xml"), "<annotation><size><width>300</width><height>300</height></size>"
                + obj("face", 10, 10, 90, 90) + "</annotation>");
        Result wrong = run("anchors", "--model", "default", "--dataset", other.toString());
        assertEquals(1, wrong.code());
        assertEquals(1, wrong.err().strip().lines().count(), wrong.err());
        assertTrue(wrong.err().contains("the annotations name face but default"), wrong.err());
        Result usage = run("anchors", "--model", "default");
        assertEquals(2, usage.code());
        assertEquals("layerlens: anchors: --dataset is required", usage.err().strip());
    }

    private static String obj(String name, int x1, int y1, int x2, int y2) {
        return "<object><name>" + name + "</name><bndbox><xmin>" + x1 + "</xmin><ymin>" + y1 + "</ymin><xmax>" + x2
                + "</xmax><ymax>" + y2 + "</ymax></bndbox></object>";
    }

    private static String string(JsonElement e) {
        assertTrue(e.isJsonPrimitive() && e.getAsJsonPrimitive().isString(), e + " is a string");
        return e.getAsString();
    }

    private static double number(JsonElement e) {
        assertTrue(e.isJsonPrimitive() && e.getAsJsonPrimitive().isNumber(), e + " is a number");
        return e.getAsDouble();
    }

    private static int integer(JsonElement e) {
        double v = number(e);
        assertEquals(Math.rint(v), v, e + " is a whole number");
        assertFalse(((JsonPrimitive) e).getAsString().contains("."), e + " is written as an integer");
        return (int) v;
    }

    private static int[] ints(JsonElement e, int n) {
        JsonArray a = e.getAsJsonArray();
        assertEquals(n, a.size());
        int[] out = new int[n];
        for (int i = 0; i < n; i++) {
            out[i] = integer(a.get(i));
        }
        return out;
    }

    /** Four numbers x1 < x2, y1 < y2 (within the image where {@code inside}). */
    private static void box(JsonElement e, int w, int h, boolean inside) {
        JsonArray a = e.getAsJsonArray();
        assertEquals(4, a.size(), e.toString());
        double[] v = new double[4];
        for (int i = 0; i < 4; i++) {
            v[i] = number(a.get(i));
        }
        assertTrue(v[2] >= v[0] && v[3] >= v[1], e.toString());
        if (inside) {
            assertTrue(v[0] >= 0 && v[1] >= 0 && v[2] <= w && v[3] <= h, e + " inside " + w + "x" + h);
        }
    }
}
