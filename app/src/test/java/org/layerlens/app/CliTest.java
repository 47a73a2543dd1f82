package org.layerlens.app;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.layerlens.app.Cli.run;

import java.nio.file.Files;
import java.nio.file.Path;

import com.google.gson.JsonArray;
import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.layerlens.app.Cli.Result;
import org.layerlens.engine.io.Npy;

class CliTest {
    private static final String MODEL = Repo.randomModel().toString();

    @Test
    void treePrintsTheRepr() {
        Result r = run("tree", "--model", MODEL);
        assertEquals(0, r.code(), r.err());
        assertTrue(r.out().startsWith("SSD(\n  (base_net): Sequential(\n"), r.out());
        assertTrue(r.out().contains("(5): Conv2d(64, 24, kernel_size=(1, 1), stride=(1, 1))"));
    }

    @Test
    void summaryHasRowsTotalsAndTheShapeTrail() {
        Result r = run("summary", "--model", MODEL);
        assertEquals(0, r.code(), r.err());
        // the relu6 runs inside the convolution before it: its time is that convolution's
        assertTrue(r.out().matches("(?s).*\\nbase_net\\.14\\.conv\\.2 +ReLU6 +19x19x576 +0 +0 +fused\\n.*"), r.out());
        // 1x1 expansion 96 -> 576 on 19x19: 96 * 576 * 361 multiply-adds
        assertTrue(r.out().matches("(?s).*\\nbase_net\\.14\\.conv\\.0 +Conv2d +19x19x576 +55,296 +19,961,856 +[0-9]+\\.[0-9]{3}\\n.*"),
                r.out());
        assertTrue(r.out().contains("total parameters: 3,087,328"));
        assertTrue(r.out().contains("shape trail (* = read by the heads): 300x300x3 -> 150x150x32 -> "));
        assertTrue(r.out().contains("-> 19x19x576* -> 10x10x160 -> 10x10x320 -> 10x10x1280* -> 5x5x512* -> "
                + "3x3x256* -> 2x2x256* -> 1x1x64*"), r.out());
    }

    @Test
    void detectWritesJsonForFilesAndFolders(@TempDir Path dir) throws Exception {
        Path img = Files.copy(Repo.sample("coffee.png"), dir.resolve("a.png"));
        Files.copy(Repo.sample("shapes-01.png"), dir.resolve("b.png"));
        Path json = dir.resolve("out.json");
        Result r = run("detect", "--model", MODEL, "--image", dir.toString(), "--image", img.toString(),
                "--threshold", "0.9", "--json", json.toString());
        assertEquals(0, r.code(), r.err());
        JsonArray arr = JsonParser.parseString(Files.readString(json)).getAsJsonArray();
        assertEquals(3, arr.size());
        JsonObject first = arr.get(0).getAsJsonObject();
        assertEquals(img.toString(), first.get("image").getAsString());
        assertEquals(600, first.get("width").getAsInt());
        assertEquals(400, first.get("height").getAsInt());
        JsonObject d = first.getAsJsonArray("detections").get(0).getAsJsonObject();
        assertTrue(d.get("score").getAsDouble() > 0.9);
        assertEquals(String.valueOf(d.get("classId").getAsInt()), d.get("label").getAsString());
        assertEquals(4, d.getAsJsonArray("box").size());
        // the same image twice gives the same detections
        assertEquals(first.getAsJsonArray("detections"), arr.get(2).getAsJsonObject().getAsJsonArray("detections"));
        // a folder with no readable image: one line, exit 1, nothing written (it wrote [] as stats does not)
        Path broken = Files.createDirectories(dir.resolve("broken"));
        Files.writeString(broken.resolve("x.jpg"), "not a picture");
        Files.writeString(broken.resolve("y.png"), "nor this");
        Path none = dir.resolve("none.json");
        Result r2 = run("detect", "--model", MODEL, "--image", broken.toString(), "--json", none.toString());
        assertEquals(1, r2.code(), r2.err());
        assertTrue(r2.err().strip().endsWith("layerlens: none of the 2 file(s) is a readable image; nothing written"),
                r2.err());
        assertTrue(!Files.exists(none), "nothing written");
    }

    /** A JPEG cut short is run, with one warning line naming it (libjpeg's own line aside). */
    @Test
    void aTruncatedJpegRunsWithOneWarningNamingIt(@TempDir Path dir) throws Exception {
        Path cut = dir.resolve("trunc.jpg");
        Files.write(cut, java.util.Arrays.copyOf(Files.readAllBytes(Repo.sample("faust_github.jpg")), 100_000));
        Result r = run("detect", "--model", MODEL, "--image", cut.toString(), "--json", dir.resolve("o.json").toString());
        assertEquals(0, r.code(), r.err());
        String line = "layerlens: warning: " + cut + ": the JPEG ends before its end marker (truncated?); only the part "
                + "that is there was decoded";
        assertEquals(1, r.err().lines().filter(line::equals).count(), r.err());
        assertEquals(1, r.err().lines().filter(l -> l.startsWith("layerlens:")).count(), r.err());
    }

    /**
     * A dataset's root with its images one folder down: one line saying so, exit 1, from
     * {@code detect} and {@code stats}; a subfolder beside images is a warning and the images run.
     */
    @Test
    void foldersWithImagesOnlyInSubfoldersAreToldSo(@TempDir Path dir) throws Exception {
        Path root = Files.createDirectories(dir.resolve("voc"));
        Files.createDirectories(root.resolve("JPEGImages"));
        Files.copy(Repo.sample("coffee.png"), root.resolve("JPEGImages").resolve("a.png"));
        String told = root + ": no images (bmp, jpeg, jpg, png, tif, tiff, webp) in the folder itself; subfolders are "
                + "not read (JPEGImages/): give the folder that holds the images";
        Result detect = run("detect", "--model", MODEL, "--image", root.toString());
        assertEquals(1, detect.code());
        assertEquals("layerlens: " + told, detect.err().strip());
        Result stats = run("stats", "--model", MODEL, "--dataset", root.toString());
        assertEquals(1, stats.code());
        assertEquals(1, stats.err().strip().lines().count(), stats.err());
        assertTrue(stats.err().contains("subfolders are not read (JPEGImages/)"), stats.err());

        Files.copy(Repo.sample("shapes-01.png"), root.resolve("b.png"));
        Path json = dir.resolve("out.json");
        Result both = run("detect", "--model", MODEL, "--image", root.toString(), "--json", json.toString());
        assertEquals(0, both.code(), both.err());
        assertTrue(both.err().contains("layerlens: warning: " + root + ": 1 subfolder(s) not read (JPEGImages/)"),
                both.err());
        assertEquals(1, JsonParser.parseString(Files.readString(json)).getAsJsonArray().size());
    }

    /** eval says what it cannot score: a class the model does not have, a box no detection can match. */
    @Test
    void evalNamesMisspeltClassesAndBoxesOutsideTheImage(@TempDir Path dir) throws Exception {
        for (String n : new String[] {"shapes-01", "shapes-02", "shapes-03"}) {
            Files.copy(Repo.sample(n + ".png"), dir.resolve(n + ".png"));
            Files.copy(Repo.sample(n + ".xml"), dir.resolve(n + ".xml"));
        }
        Path xml = dir.resolve("shapes-02.xml");
        Files.writeString(xml, Files.readString(xml).replace("<name>circle</name>", "<name>Circle</name>"));
        Path out = dir.resolve("shapes-03.xml");
        Files.writeString(out, Files.readString(out).replaceFirst("<xmin>\\d+</xmin>", "<xmin>600</xmin>")
                .replaceFirst("<xmax>\\d+</xmax>", "<xmax>700</xmax>"));
        Result r = run("eval", "--model", "default", "--dataset", dir.toString());
        assertEquals(0, r.code(), r.err());
        assertTrue(r.err().contains("layerlens: warning: 1 box(es) of class 'Circle' not counted: not one of the "
                + "model's classes (circle, square, triangle)"), r.err());
        assertTrue(r.err().contains(out + ": box circle 600,"), r.err());
        assertTrue(r.err().contains("lies outside the 300x400 image"), r.err());
        assertTrue(r.out().contains("mAP@0.5 "), r.out());
    }

    /**
     * An annotation without objects is a negative image, not an annotation of other classes; a
     * dataset with nothing to score (every box difficult) is one line and exit 1, not "mAP NaN".
     */
    @Test
    void evalCountsImagesWithoutObjectsAndRefusesADatasetWithNothingToScore(@TempDir Path dir) throws Exception {
        Path mixed = Files.createDirectories(dir.resolve("mixed"));
        Files.copy(Repo.sample("shapes-01.png"), mixed.resolve("shapes-01.png"));
        Files.copy(Repo.sample("shapes-01.xml"), mixed.resolve("shapes-01.xml"));
        Files.copy(Repo.sample("coffee.png"), mixed.resolve("empty.png"));
        // its <size> given the wrong way round (coffee.png is 600x400): said once
        Files.writeString(mixed.resolve("empty.xml"), "<annotation><size><width>400</width><height>600</height>"
                + "<depth>3</depth></size></annotation>");
        Result ok = run("eval", "--model", "default", "--dataset", mixed.toString());
        assertEquals(0, ok.code(), ok.err());
        assertTrue(ok.out().contains("over 2 images"), ok.out());
        assertTrue(ok.err().contains("empty.xml: <size> says 400x600 but empty.png is 600x400"), ok.err());
        assertFalse(ok.err().contains("shapes-01.xml: <size>"), ok.err());

        Path difficult = Files.createDirectories(dir.resolve("difficult"));
        Files.copy(Repo.sample("shapes-01.png"), difficult.resolve("shapes-01.png"));
        Files.writeString(difficult.resolve("shapes-01.xml"), Files.readString(Repo.sample("shapes-01.xml"))
                .replaceAll("<difficult>0</difficult>", "<difficult>1</difficult>"));
        Result none = run("eval", "--model", "default", "--dataset", difficult.toString());
        assertEquals(1, none.code(), none.out());
        assertEquals("layerlens: " + difficult + ": no ground-truth box to score in 1 image(s) (none annotated, or all "
                + "marked difficult, which VOC's evaluation does not score): mAP is undefined", none.err().strip());
    }

    /**
     * The files hold PyTorch's values in PyTorch's layout: the module's output at the reference's
     * sampled NCHW indices (reference/make_references.py, float64 PyTorch on the same checkpoint and
     * photo), and the whole scores and boxes, each within 1e-4 * max(1, max|ref|) as
     * ReferenceParityTest. Channels-last values under an NCHW header would miss the samples.
     */
    @Test
    void dumpWritesNpyInNchw(@TempDir Path dir) throws Exception {
        Result r = run("dump", "--model", MODEL, "--image", Repo.sample("coffee.png").toString(),
                "--layer", "base_net.14.conv.2,scores,boxes,scores", "--out", dir.toString());
        assertEquals(0, r.code(), r.err());
        assertEquals(3, r.out().lines().filter(l -> l.startsWith("wrote ")).count(), "scores named twice, written once");
        Path file = Files.writeString(dir.resolve("export.py"), "");
        Result notFolder = run("dump", "--model", MODEL, "--image", Repo.sample("coffee.png").toString(),
                "--layer", "scores", "--out", file.toString());
        assertEquals(1, notFolder.code(), notFolder.err());
        assertEquals("layerlens: " + file + ": a file, not a folder to write the .npy files into",
                notFolder.err().strip());
        Path refs = Repo.root().resolve("engine/src/test/resources/reference");
        JsonObject module = JsonParser.parseString(Files.readString(refs.resolve("random-4-coffee-modules.json")))
                .getAsJsonObject().getAsJsonObject("base_net.14.conv.2");
        Npy.Array layer = Npy.read(dir.resolve("base_net.14.conv.2.npy"));
        assertArrayEquals(new long[] {1, 576, 19, 19}, layer.shape());
        double tol = 1e-4 * Math.max(1, module.get("maxabs").getAsDouble());
        JsonArray idx = module.getAsJsonArray("idx");
        JsonArray val = module.getAsJsonArray("val");
        for (int i = 0; i < idx.size(); i++) {
            int k = idx.get(i).getAsInt();
            assertEquals(val.get(i).getAsDouble(), layer.data()[k], tol, "base_net.14.conv.2 at NCHW index " + k);
        }
        for (String name : new String[] {"scores", "boxes"}) {
            Npy.Array want = Npy.read(refs.resolve("random-4-coffee-" + name + ".npy"));
            Npy.Array got = Npy.read(dir.resolve(name + ".npy"));
            assertArrayEquals(new long[] {1, 3000, 4}, got.shape());
            float maxAbs = 0;
            for (float v : want.data()) {
                maxAbs = Math.max(maxAbs, Math.abs(v));
            }
            for (int i = 0; i < want.data().length; i++) {
                assertEquals(want.data()[i], got.data()[i], 1e-4 * Math.max(1, maxAbs), name + " at " + i);
            }
        }
    }

    @Test
    void errorsAreOneLineNamingTheFileWithANonZeroExit(@TempDir Path dir) throws Exception {
        Path bad = dir.resolve("photo.pth");
        Files.copy(Repo.sample("coffee.png"), bad);
        Result r = run("tree", "--model", bad.toString());
        assertEquals(1, r.code());
        assertEquals("layerlens: " + bad + ": not a PyTorch checkpoint (it is a PNG image)", r.err().strip());
        Result missing = run("detect", "--model", MODEL, "--image", dir.resolve("nope.jpg").toString());
        assertEquals(1, missing.code());
        assertEquals("layerlens: " + dir.resolve("nope.jpg") + ": no such file", missing.err().strip());
        Result layer = run("dump", "--model", MODEL, "--image", Repo.sample("coffee.png").toString(),
                "--layer", "base_net.99", "--out", dir.toString());
        assertEquals(1, layer.code());
        assertTrue(layer.err().contains("no module 'base_net.99'"), layer.err());
        assertEquals(1, layer.err().strip().lines().count());
        Result usage = run("frobnicate");
        assertEquals(2, usage.code());
        Path nowhere = dir.resolve("nodir").resolve("out.json");
        Result json = run("detect", "--model", MODEL, "--image", Repo.sample("coffee.png").toString(),
                "--json", nowhere.toString());
        assertEquals(1, json.code());
        assertEquals("layerlens: " + nowhere + ": no such folder " + dir.resolve("nodir"), json.err().strip());
        Result threads = run("detect", "--model", MODEL, "--image", Repo.sample("coffee.png").toString(),
                "--threads", "1000");
        assertEquals(2, threads.code());
        assertEquals("layerlens: --threads must be from 1 to 256, not 1000", threads.err().strip());
    }

    /**
     * Outputs checked before any work: none may replace a file the command reads (the photo given
     * to --image, an image in the --dataset folder), two outputs may not share a name, and a chart
     * into a missing folder or under another extension is one line, not a stack trace at the end.
     */
    @Test
    void outputsThatWouldReplaceInputsOrCannotBeWrittenAreRefusedFirst(@TempDir Path dir) throws Exception {
        Path photo = dir.resolve("photo.png");
        Files.copy(Repo.sample("coffee.png"), photo);
        byte[] before = Files.readAllBytes(photo);
        Result same = run("detect", "--model", MODEL, "--image", photo.toString(), "--json", photo.toString());
        assertEquals(2, same.code(), same.err());
        assertEquals("layerlens: --json " + photo + " would replace a file that --image reads: give the output "
                + "another name", same.err().strip());
        Result cam = run("explain", "--model", MODEL, "--image", photo.toString(), "--cam", "base_net.5",
                "--cam-out", photo.toString());
        assertEquals(2, cam.code(), cam.err());
        assertTrue(java.util.Arrays.equals(before, Files.readAllBytes(photo)), "the photo is untouched");

        Path data = Files.createDirectories(dir.resolve("data"));
        Files.copy(Repo.sample("coffee.png"), data.resolve("a.png"));
        Result inFolder = run("stats", "--model", MODEL, "--dataset", data.toString(), "--json",
                data.resolve("a.png").toString());
        assertEquals(2, inFolder.code(), inFolder.err());
        assertTrue(inFolder.err().contains("would replace a file that --dataset reads"), inFolder.err());
        // an annotation of the folder too, by a command that reads only its images (walkthrough:
        // stats --csv over shapes-01.xml replaced it with 11 MB of CSV)
        Path xml = Files.copy(Repo.sample("shapes-01.xml"), data.resolve("a.xml"));
        Result overXml = run("stats", "--model", MODEL, "--dataset", data.toString(), "--csv", xml.toString());
        assertEquals(2, overXml.code(), overXml.err());
        assertTrue(java.util.Arrays.equals(Files.readAllBytes(Repo.sample("shapes-01.xml")), Files.readAllBytes(xml)),
                "the annotation is untouched");
        Result twice = run("stats", "--model", MODEL, "--dataset", data.toString(), "--json",
                dir.resolve("s.out").toString(), "--csv", dir.resolve("s.out").toString());
        assertEquals(2, twice.code(), twice.err());
        assertTrue(twice.err().contains("--json and --csv name the same file"), twice.err());

        Path nowhere = dir.resolve("nodir").resolve("c.png");
        Result chart = run("anchors", "--model", MODEL, "--dataset", data.toString(), "--chart", nowhere.toString());
        assertEquals(1, chart.code(), chart.err());
        assertEquals("layerlens: " + nowhere + ": no such folder " + dir.resolve("nodir"), chart.err().strip());
        Result txt = run("anchors", "--model", MODEL, "--dataset", data.toString(), "--chart",
                dir.resolve("c.txt").toString());
        assertEquals(2, txt.code(), txt.err());
        assertTrue(txt.err().contains("--chart needs a file name ending in .png"), txt.err());
        try (var s = Files.list(dir)) {
            assertEquals(java.util.List.of("data", "photo.png"), s.map(p -> p.getFileName().toString()).sorted().toList(),
                    "nothing written");
        }
        Result blank = run("detect", "--model", MODEL, "--image", photo.toString(), "--json", "");
        assertEquals(2, blank.code(), blank.err());
        assertEquals("layerlens: --json needs a value, not an empty one", blank.err().strip());
        Result noModel = run("detect", "--model", "", "--image", photo.toString());
        assertEquals("layerlens: --model needs a value, not an empty one\n", noModel.err());
        Result folder = run("explain", "--model", MODEL, "--image", dir.toString());
        assertEquals("layerlens: " + dir + ": a folder, not an image\n", folder.err());
    }

    /** A device is written into (not refused for its folder, not replaced); a symbolic link's file is replaced, the link kept. */
    @Test
    void outputsToADeviceOrThroughALinkAreWrittenWhereTheyPoint(@TempDir Path dir) throws Exception {
        org.junit.jupiter.api.Assumptions.assumeTrue(Files.exists(Path.of("/dev/null")), "no /dev/null here");
        Result devNull = run("detect", "--model", MODEL, "--image", Repo.sample("coffee.png").toString(), "--json",
                "/dev/null");
        assertEquals(0, devNull.code(), devNull.err());
        assertTrue(Files.exists(Path.of("/dev/null")) && !Files.isRegularFile(Path.of("/dev/null")));
        if (Files.exists(Path.of("/dev/full"))) { // Linux: a device that is always full; the line names it
            Result full = run("detect", "--model", MODEL, "--image", Repo.sample("coffee.png").toString(), "--json",
                    "/dev/full");
            assertEquals(1, full.code());
            assertEquals("layerlens: /dev/full: No space left on device\n", full.err());
        }
        Path real = Files.writeString(dir.resolve("real.json"), "old");
        Path link = Files.createSymbolicLink(dir.resolve("link.json"), real);
        Result viaLink = run("detect", "--model", MODEL, "--image", Repo.sample("shapes-01.png").toString(), "--json",
                link.toString());
        assertEquals(0, viaLink.code(), viaLink.err());
        assertTrue(Files.isSymbolicLink(link), "the link is kept");
        JsonParser.parseString(Files.readString(real)); // its file has the detections, as JSON
        assertFalse(Files.readString(real).equals("old"));
    }

    @Test
    void anOptionWithoutValueAtTheEndIsNamedAsUnknownWhenItIs() throws Exception {
        Result typo = run("detect", "--model", MODEL, "--image", Repo.sample("coffee.png").toString(), "--treshold");
        assertEquals(2, typo.code());
        assertEquals("layerlens: unknown option --treshold for detect", typo.err().strip().lines().findFirst().orElse(""));
        Result bare = run("detect", "--model", MODEL, "--image", Repo.sample("coffee.png").toString(), "--json");
        assertEquals(2, bare.code());
        assertEquals("layerlens: option --json needs a value", bare.err().strip().lines().findFirst().orElse(""));
        // before another option: the unknown one is named, not the next option's value as 'unexpected'
        Result before = run("detect", "--bogus", "--image", Repo.sample("coffee.png").toString());
        assertEquals(2, before.code());
        assertEquals("layerlens: unknown option --bogus for detect\n", before.err());
        Result stats = run("stats", "--model", MODEL, "--dataset", "somewhere", "--bogus", "--threads", "1");
        assertEquals("layerlens: unknown option --bogus for stats\n", stats.err());
        Result middle = run("detect", "--model", MODEL, "--json", "--image", Repo.sample("coffee.png").toString());
        assertEquals("layerlens: option --json needs a value\n", middle.err());
        Result extra = run("detect", "--model", MODEL, "--image", Repo.sample("coffee.png").toString(), "more.png");
        assertEquals("layerlens: unexpected argument 'more.png'\n", extra.err());
        Result eq = run("detect", "--model", MODEL, "--image=" + Repo.sample("coffee.png"));
        assertEquals(0, eq.code(), eq.err());
        Result twice = run("detect", "--model", MODEL, "--image", Repo.sample("coffee.png").toString(), "--threshold",
                "0.9", "--threshold", "0.1");
        assertEquals("layerlens: --threshold given 2 times (0.9, 0.1): give it once\n", twice.err());
        Result images = run("detect", "--model", MODEL, "--image", Repo.sample("coffee.png").toString(), "--image",
                Repo.sample("shapes-01.png").toString());
        assertEquals(0, images.code(), images.err());
        // only detect takes several images: summary used the last one, unsaid
        Result summary = run("summary", "--model", MODEL, "--image", Repo.sample("coffee.png").toString(), "--image",
                Repo.sample("shapes-01.png").toString());
        assertEquals(2, summary.code());
        assertTrue(summary.err().startsWith("layerlens: --image given 2 times ("), summary.err());
    }

    /** Every checkpoint variant through {@code dump --layer scores,boxes} against PyTorch (1e-4). */
    @Test
    void dumpOfEveryCheckpointVariantMatchesPyTorch(@TempDir Path dir) throws Exception {
        String v = System.getenv().getOrDefault("LAYERLENS_VARIANTS_DIR", "");
        org.junit.jupiter.api.Assumptions.assumeFalse(v.isBlank(), "LAYERLENS_VARIANTS_DIR not set");
        Path vd = Path.of(v);
        for (var e : JsonParser.parseString(Files.readString(vd.resolve("manifest.json"))).getAsJsonArray()) {
            JsonObject o = e.getAsJsonObject();
            Path out = dir.resolve(o.get("file").getAsString());
            Result r = run("dump", "--model", vd.resolve(o.get("file").getAsString()).toString(), "--image",
                    Repo.sample("coffee.png").toString(), "--layer", "scores,boxes", "--out", out.toString());
            assertEquals(0, r.code(), r.err());
            for (String name : new String[] {"scores", "boxes"}) {
                float[] got = Npy.read(out.resolve(name + ".npy")).data();
                float[] want = Npy.read(vd.resolve(o.get("ref").getAsString()).resolve(name + ".npy")).data();
                assertEquals(want.length, got.length);
                double d = 0;
                for (int i = 0; i < got.length; i++) {
                    d = Math.max(d, Math.abs(got[i] - want[i]));
                }
                assertTrue(d <= 1e-4, o.get("file").getAsString() + " " + name + ": " + d);
            }
        }
    }

    @Test
    void facesV1PrintsItsTreeAndFindsTheFacesInTheSamplePhotos() {
        Result tree = run("tree", "--model", "faces-v1");
        assertEquals(0, tree.code(), tree.err());
        assertTrue(tree.out().contains("(conv_11): Sequential("), tree.out());
        assertTrue(tree.out().contains("Conv2d(512, 512, kernel_size=(3, 3), stride=(1, 1), padding=same, groups=512, bias=False)"),
                tree.out());
        assertTrue(tree.out().contains("BatchNorm2d(512, eps=0.001"), tree.out());
        Result r = run("detect", "--model", "faces-v1", "--image", Repo.sample("messi5.jpg").toString(),
                "--image", Repo.sample("astronaut.png").toString());
        assertEquals(0, r.code(), r.err());
        assertEquals(2, r.out().lines().filter(l -> l.contains("face")).count(), r.out());
        Result s = run("summary", "--model", "faces-v1");
        assertEquals(0, s.code(), s.err());
        assertTrue(s.out().contains("32x32x512"), s.out());
    }
}
