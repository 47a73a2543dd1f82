package org.layerlens.viewer;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.layerlens.engine.TestImages;
import org.layerlens.engine.TestThreads;
import org.layerlens.engine.api.Model;
import org.layerlens.viewer.jobs.Once;

/** Videos the test writes with OpenCV's VideoWriter, played through the real engine. */
class VideoViewModelTest {
    private final Fixtures fx = new Fixtures();
    private InspectorViewModel vm;
    private VideoViewModel video;
    private final List<RunResult> frames = Collections.synchronizedList(new ArrayList<>());
    private volatile CountDownLatch slowModel = new CountDownLatch(0);
    /** Counted down when the slow model's load has begun (and waits for {@link #slowModel}). */
    private final CountDownLatch slowLoading = new CountDownLatch(1);

    @BeforeEach
    void open() throws Exception {
        vm = new InspectorViewModel((ref, labels) -> {
            if (ref.equals(Fixtures.randomModel21().toString())) {
                slowLoading.countDown();
                assertTrue(slowModel.await(60, TimeUnit.SECONDS));
            }
            return Fixtures.load(ref, labels);
        }, fx.services());
        video = vm.video();
        fx.onUi(() -> vm.open(Fixtures.randomModel().toString(), null, Fixtures.sample("coffee.png")));
        fx.await(120, "the first result", () -> vm.inspectionProperty().get() != null);
        fx.onUi(() -> vm.resultProperty().addListener((o, a, r) -> {
            if (r != null && r.frame() >= 0) {
                frames.add(r);
            }
        }));
    }

    @AfterEach
    void close() throws Exception {
        fx.onUi(vm::close);
        fx.close();
    }

    private int lastFrame() {
        return frames.get(frames.size() - 1).frame();
    }

    @Test
    void playStepAndSeekThroughAVideoFile(@TempDir Path dir) throws Exception {
        Path clip = TestImages.video(dir.resolve("clip.avi"), Fixtures.sample("astronaut.png"), 12, 10);
        fx.onUi(() -> vm.openFile(clip));
        fx.await(60, "the first frame", () -> video.openProperty().get() && !frames.isEmpty());
        assertEquals(0, lastFrame());
        assertEquals(12, (int) fx.onUi(() -> video.frameCountProperty().get()));
        assertEquals(10.0, fx.onUi(() -> video.videoFpsProperty().get()), 1e-9);
        assertEquals("clip.avi", fx.onUi(() -> vm.imageProperty().get().name()));
        assertEquals(320, fx.onUi(() -> vm.imageProperty().get().width()));
        // frames counted from 1 in the status bar, as in the video bar ("frame 1 / 12")
        assertTrue(fx.onUi(() -> vm.statusProperty().get()).contains("clip.avi frame 1:"), vm.statusProperty().get());
        assertTrue(fx.onUi(video::describe).contains("frame 1 / 12"), video.describe());

        fx.onUi(video::step);
        fx.await(60, "frame 1", () -> video.positionProperty().get() == 1 && !video.busyProperty().get());
        assertEquals(1, lastFrame());
        assertFalse(Arrays.equals(frames.get(0).preview().bytes(), frames.get(1).preview().bytes()),
                "the picture moves");
        fx.onUi(() -> video.seek(8));
        fx.await(60, "frame 8", () -> video.positionProperty().get() == 8 && !video.busyProperty().get());
        assertEquals(8, lastFrame());
        int before = frames.size();
        fx.onUi(video::play);
        assertTrue(fx.onUi(() -> video.playingProperty().get()));
        fx.await(60, "the end", () -> !video.playingProperty().get());
        assertEquals(11, lastFrame(), "played to the last frame");
        int shown = fx.onUi(() -> video.shownProperty().get());
        int dropped = fx.onUi(() -> video.droppedProperty().get());
        assertEquals(frames.size() - before, shown);
        assertEquals(3, shown + dropped, "frames 9, 10, 11: each shown or dropped");
        for (int i = 1; i < frames.size(); i++) {
            assertTrue(frames.get(i).frame() > frames.get(i - 1).frame(), "frames in order");
        }
        // pause and step at the end: nothing breaks, nothing is shown
        fx.onUi(video::step);
        // the step's job ended and its end was handled on the UI thread (same task as a commit)
        fx.await(30, "the step at the end to end", () -> !video.busyProperty().get());
        fx.awaitIdle(30, "nothing left running");
        assertEquals(11, lastFrame());
        assertEquals(11, (int) fx.onUi(() -> video.positionProperty().get()));
    }

    /** A seek while playing goes on playing from there (it stopped at the frame sought: walkthrough). */
    /**
     * A recording cut short, with a damaged frame before the cut: it opens (OpenCV's reader
     * refused it), plays to its cut, says both once, and every frame shown has its own index.
     */
    @Test
    void aDamagedRecordingCutShortPlaysWhatItHoldsAndSaysSo(@TempDir Path dir) throws Exception {
        Path clip = TestImages.video(dir.resolve("clip.avi"), Fixtures.sample("astronaut.png"), 12, 10);
        byte[] bytes = Files.readAllBytes(clip);
        int movi = new String(bytes, java.nio.charset.StandardCharsets.ISO_8859_1).indexOf("movi");
        int frame = movi + 4; // frame 0's chunk, then frame 1's
        frame += 8 + java.nio.ByteBuffer.wrap(bytes, frame + 4, 4).order(java.nio.ByteOrder.LITTLE_ENDIAN).getInt();
        frame += frame & 1;
        Arrays.fill(bytes, frame + 8, frame + 40, (byte) 0x55); // frame 1 is no JPEG
        Path damaged = Files.write(dir.resolve("damaged.avi"), Arrays.copyOf(bytes, bytes.length / 2));
        fx.onUi(() -> vm.openFile(damaged));
        fx.await(60, "the first frame", () -> video.openProperty().get() && !frames.isEmpty());
        int count = fx.onUi(() -> video.frameCountProperty().get());
        assertTrue(count >= 4 && count < 12, count + " frames");
        fx.onUi(video::step);
        fx.await(60, "frame 2", () -> video.positionProperty().get() == 2 && !video.busyProperty().get());
        assertEquals(2, lastFrame(), "the step went past the damaged frame 1 to frame 2");
        List<String> said = fx.onUi(() -> vm.notices().stream().map(Notice::text).toList());
        assertTrue(said.contains(damaged + ": the video is cut short (an interrupted recording?); its " + count
                + " whole frames are played"), said.toString());
        assertTrue(said.contains(damaged + ": frame 2 of " + count + " could not be decoded (damaged); skipped"),
                said.toString());
    }

    @Test
    void aSeekWhilePlayingGoesOnPlayingFromThere(@TempDir Path dir) throws Exception {
        Path clip = TestImages.video(dir.resolve("clip.avi"), Fixtures.sample("astronaut.png"), 60, 10);
        fx.onUi(() -> vm.openFile(clip));
        fx.await(60, "the first frame", () -> video.openProperty().get() && !frames.isEmpty());
        fx.onUi(video::play);
        fx.await(60, "playing past frame 3", () -> video.positionProperty().get() >= 3);
        fx.onUi(() -> video.seek(30));
        fx.await(60, "frame 30", () -> video.positionProperty().get() >= 30);
        assertTrue(fx.onUi(() -> video.playingProperty().get()), "still playing after the seek");
        fx.await(60, "frames after 30", () -> video.positionProperty().get() >= 33);
        assertTrue(fx.onUi(() -> video.playingProperty().get()));
        fx.onUi(video::pause);
    }

    @Test
    void aNetworkSlowerThanTheVideoDropsFramesInsteadOfQueueingThem(@TempDir Path dir) throws Exception {
        Path clip = TestImages.video(dir.resolve("fast.avi"), Fixtures.sample("astronaut.png"), 30, 25);
        fx.onUi(() -> vm.openFile(clip));
        fx.await(60, "the first frame", () -> video.openProperty().get() && !frames.isEmpty());
        AtomicInteger runs = new AtomicInteger();
        AtomicInteger inFlight = new AtomicInteger();
        AtomicInteger most = new AtomicInteger();
        vm.setRunListener(e -> {
            if (e.path().equals("base_net.0.0")) {
                runs.incrementAndGet();
                most.accumulateAndGet(inFlight.incrementAndGet(), Math::max);
                try {
                    Thread.sleep(250); // ten video frames' time at 25 fps... at least six
                } catch (InterruptedException ex) {
                    Thread.currentThread().interrupt();
                }
            } else if (e.path().equals("base_net")) {
                inFlight.decrementAndGet();
            }
        });
        fx.onUi(video::play);
        fx.await(120, "the end", () -> !video.playingProperty().get());
        int shown = fx.onUi(() -> video.shownProperty().get());
        int dropped = fx.onUi(() -> video.droppedProperty().get());
        assertEquals(29, shown + dropped, "frames 1..29: each shown or dropped");
        assertTrue(dropped >= 15, "at 25 fps and >= 250 ms a frame most are dropped: " + dropped);
        assertEquals(shown, runs.get(), "one pass per frame shown, none for dropped frames");
        assertEquals(1, most.get(), "never more than one frame in the network");
        assertEquals(29, lastFrame());
        assertTrue(fx.onUi(() -> vm.notices().stream().anyMatch(n -> n.text().startsWith("fast.avi: showed "))));
    }

    @Test
    void aFrameStartedBeforeAModelSwitchRunsWithTheNewModel(@TempDir Path dir) throws Exception {
        Path clip = TestImages.video(dir.resolve("clip.avi"), Fixtures.sample("astronaut.png"), 6, 10);
        fx.onUi(() -> vm.openFile(clip));
        fx.await(60, "the first frame", () -> video.openProperty().get() && !frames.isEmpty());
        Model old = fx.onUi(() -> vm.modelProperty().get());
        slowModel = new CountDownLatch(1);
        fx.onUi(() -> vm.openModel(Fixtures.randomModel21().toString(), null));
        assertTrue(slowLoading.await(30, TimeUnit.SECONDS), "the new model is loading");
        fx.onUi(video::step); // waits for the model asked for, not the one on screen
        TestThreads.awaitBlockedOn(Once.class, 30, "the frame's job waiting for the model being loaded");
        assertTrue(frames.stream().noneMatch(r -> r.frame() == 1), "no frame 1 before the model arrived");
        slowModel.countDown();
        fx.await(60, "frame 1 with the new model", () -> !frames.isEmpty() && lastFrame() == 1
                && !vm.runningProperty().get() && !video.busyProperty().get());
        Model now = fx.onUi(() -> vm.modelProperty().get());
        assertEquals(21, now.classes());
        for (RunResult r : frames) {
            if (r.frame() == 1) {
                assertEquals(21, r.model().classes(), "frame 1 ran with the model asked for");
            }
        }
        assertTrue(frames.stream().noneMatch(r -> r.model() == old && r.frame() > 0));
    }

    @Test
    void onlyMotionJpegAviOpensAndSaysSo(@TempDir Path dir) throws Exception {
        Path mp4 = Files.write(dir.resolve("clip.mp4"), new byte[] {0, 0, 0, 24, 'f', 't', 'y', 'p', 'i', 's', 'o', 'm'});
        fx.onUi(() -> vm.openFile(mp4));
        fx.await(30, "the error", () -> vm.errorProperty().get() != null);
        assertEquals(mp4 + ": not a video OpenCV can read here; it reads Motion-JPEG in .avi (this OpenCV build "
                + "has no FFmpeg)", fx.onUi(() -> vm.errorProperty().get()));
        assertFalse(fx.onUi(() -> video.openProperty().get()));
    }

    @Test
    void aMissingCameraIsOneLine() throws Exception {
        Assumptions.assumeFalse(Files.exists(Path.of("/dev/video7")), "this machine has a camera 7");
        fx.onUi(() -> video.openCamera(7));
        fx.await(30, "the error", () -> vm.errorProperty().get() != null);
        assertEquals("camera 7: no camera found (OpenCV could not open /dev/video7)",
                fx.onUi(() -> vm.errorProperty().get()));
        assertTrue(fx.onUi(() -> vm.inspectionProperty().get() != null), "the image stays");
    }

    @Test
    void pauseStopsAfterTheFrameInTheNetworkAndPlayGoesOnFromThere(@TempDir Path dir) throws Exception {
        Path clip = TestImages.video(dir.resolve("clip.avi"), Fixtures.sample("astronaut.png"), 40, 10);
        fx.onUi(() -> vm.openFile(clip));
        fx.await(60, "the first frame", () -> video.openProperty().get() && !frames.isEmpty());
        vm.setRunListener(e -> {
            if (e.path().equals("base_net.0.0")) {
                try {
                    Thread.sleep(150);
                } catch (InterruptedException ex) {
                    Thread.currentThread().interrupt();
                }
            }
        });
        fx.onUi(video::play);
        fx.await(60, "two frames shown", () -> video.shownProperty().get() >= 2);
        fx.onUi(video::pause);
        assertFalse(fx.onUi(() -> video.playingProperty().get()));
        fx.await(30, "the frame in the network to end", () -> !video.busyProperty().get());
        int at = fx.onUi(() -> video.positionProperty().get());
        int shown = frames.size();
        // once nothing runs any more, nothing can be shown later: check then, not after a sleep
        fx.awaitIdle(30, "the workers to be idle while paused");
        assertEquals(shown, frames.size(), "nothing more is shown while paused");
        assertEquals(at, (int) fx.onUi(() -> video.positionProperty().get()));
        assertTrue(at < 39, "paused before the end: " + at);
        fx.onUi(video::play);
        fx.await(60, "more frames", () -> frames.size() > shown);
        assertTrue(lastFrame() > at, "play goes on after the frame shown");
        fx.onUi(video::pause);
    }
}
