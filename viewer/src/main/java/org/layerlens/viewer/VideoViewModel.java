package org.layerlens.viewer;

import java.nio.file.Path;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.Locale;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.Executor;

import javafx.beans.property.ReadOnlyBooleanProperty;
import javafx.beans.property.ReadOnlyBooleanWrapper;
import javafx.beans.property.ReadOnlyDoubleProperty;
import javafx.beans.property.ReadOnlyDoubleWrapper;
import javafx.beans.property.ReadOnlyIntegerProperty;
import javafx.beans.property.ReadOnlyIntegerWrapper;
import javafx.beans.property.ReadOnlyStringProperty;
import javafx.beans.property.ReadOnlyStringWrapper;
import org.layerlens.engine.image.LoadedImage;
import org.layerlens.engine.image.Video;
import org.layerlens.viewer.jobs.JobLane;

/**
 * A video file or a camera played through the network: each frame shown gets a full inspect
 * pass, so the detections and the selected module's gallery follow the video. The network may
 * be slower than the video: then frames are dropped (skipped without decoding), never queued;
 * at most one frame is being run and at most one result waits for the JavaFX thread. Pause,
 * step one frame and seek run as jobs of their own; each replaces the one before (a seek while
 * playing goes on playing from there).
 */
public final class VideoViewModel {
    private final InspectorViewModel vm;
    private final Executor ui;
    private final JobLane lane;
    private final ReadOnlyBooleanWrapper open = new ReadOnlyBooleanWrapper(false);
    private final ReadOnlyBooleanWrapper playing = new ReadOnlyBooleanWrapper(false);
    private final ReadOnlyStringWrapper name = new ReadOnlyStringWrapper("");
    private final ReadOnlyIntegerWrapper position = new ReadOnlyIntegerWrapper(-1);
    private final ReadOnlyIntegerWrapper frameCount = new ReadOnlyIntegerWrapper(-1);
    private final ReadOnlyDoubleWrapper videoFps = new ReadOnlyDoubleWrapper(0);
    private final ReadOnlyDoubleWrapper shownFps = new ReadOnlyDoubleWrapper(0);
    private final ReadOnlyIntegerWrapper dropped = new ReadOnlyIntegerWrapper(0);
    private final ReadOnlyIntegerWrapper shown = new ReadOnlyIntegerWrapper(0);
    private final Deque<Long> shownAt = new ArrayDeque<>();
    private Video video;

    VideoViewModel(InspectorViewModel vm, InspectorViewModel.Services services) {
        this.vm = vm;
        this.ui = services.ui();
        this.lane = new JobLane("video", services.worker(), services.ui());
    }

    public ReadOnlyBooleanProperty openProperty() {
        return open.getReadOnlyProperty();
    }

    public ReadOnlyBooleanProperty playingProperty() {
        return playing.getReadOnlyProperty();
    }

    public ReadOnlyStringProperty nameProperty() {
        return name.getReadOnlyProperty();
    }

    /** Index of the frame shown. */
    public ReadOnlyIntegerProperty positionProperty() {
        return position.getReadOnlyProperty();
    }

    /** Frames in the file; -1 for a camera. */
    public ReadOnlyIntegerProperty frameCountProperty() {
        return frameCount.getReadOnlyProperty();
    }

    public ReadOnlyDoubleProperty videoFpsProperty() {
        return videoFps.getReadOnlyProperty();
    }

    /** Frames shown per second while playing (network pass, picture, gallery), over the last 2 seconds. */
    public ReadOnlyDoubleProperty shownFpsProperty() {
        return shownFps.getReadOnlyProperty();
    }

    /** Frames skipped since playing started because the network was behind the video's clock. */
    public ReadOnlyIntegerProperty droppedProperty() {
        return dropped.getReadOnlyProperty();
    }

    /** Frames shown since playing started. */
    public ReadOnlyIntegerProperty shownProperty() {
        return shown.getReadOnlyProperty();
    }

    /** Whether a frame is being read or run. */
    public ReadOnlyBooleanProperty busyProperty() {
        return lane.runningProperty();
    }

    // ---------------------------------------------------------------- commands (UI thread)

    public void openFile(Path file) {
        openWith("Opening " + file.getFileName(), () -> Video.open(file));
    }

    public void openCamera(int index) {
        openWith("Opening camera " + index, () -> Video.camera(index));
    }

    private interface Opener {
        Video open() throws Exception;
    }

    private record Opened(Video video, RunResult first) {
    }

    private void openWith(String what, Opener opener) {
        pause();
        vm.setStatus(what + "…");
        var model = vm.modelTarget();
        lane.submit(job -> {
            Video v = opener.open();
            try {
                LoadedImage f = v.read();
                if (f == null) {
                    throw new java.io.IOException(v.name() + ": no frame could be read");
                }
                return new Opened(v, runFrame(job, model, f, v.position() - 1)); // frame 0, unless damaged
            } catch (Exception | Error e) {
                v.close();
                throw e;
            }
        }, o -> {
            close();
            video = o.video();
            open.set(true);
            name.set(o.video().name());
            frameCount.set(o.video().frameCount());
            videoFps.set(o.video().fps());
            position.set(0);
            vm.commitFrame(o.first());
        }, o -> {
            o.video().close();
            o.first().dispose();
        }, () -> vm.setStatus("Cancelled"), t -> vm.fail(what, t));
    }

    public void play() {
        if (video == null || playing.get()) {
            return;
        }
        Video v = video;
        if (v.frameCount() > 0 && position.get() >= v.frameCount() - 1) {
            seekThenPlay(0); // at the end: from the start again, as players do
            return;
        }
        startLoop(v, false, 0);
    }

    public void pause() {
        if (playing.get()) {
            lane.cancel();
            playing.set(false);
        }
    }

    public void togglePlay() {
        if (playing.get()) {
            pause();
        } else {
            play();
        }
    }

    /** Shows the next frame and stays paused. */
    public void step() {
        if (video == null) {
            return;
        }
        pause();
        Video v = video;
        var model = vm.modelTarget();
        lane.submit(job -> {
            int index;
            LoadedImage f;
            synchronized (v) { // the frame and its index together, whatever a cancelled job still does
                f = v.read();
                index = v.position() - 1; // past any damaged frame read skipped
            }
            return f == null ? null : runFrame(job, model, f, index);
        }, this::showStill, RunResult::dispose, () -> { }, t -> vm.fail("Stepping " + v.name(), t));
    }

    /** Shows frame {@code index}; playing goes on from there. */
    public void seek(int index) {
        if (video == null || video.camera()) {
            return;
        }
        if (playing.get()) {
            seekThenPlay(index);
            return;
        }
        Video v = video;
        var model = vm.modelTarget();
        lane.submit(job -> {
            int at;
            LoadedImage f;
            synchronized (v) {
                v.seek(index);
                f = v.read();
                at = v.position() - 1;
            }
            return f == null ? null : runFrame(job, model, f, at);
        }, this::showStill, RunResult::dispose, () -> { }, t -> vm.fail("Seeking in " + v.name(), t));
    }

    private void seekThenPlay(int index) {
        startLoop(video, true, index);
    }

    private void showStill(RunResult r) {
        if (r == null) {
            return; // past the end
        }
        position.set(r.frame());
        vm.commitFrame(r);
    }

    /** Stops and forgets the video (opening an image, another video, closing). */
    public void close() {
        lane.cancel();
        playing.set(false);
        if (video != null) {
            video.close();
            video = null;
        }
        open.set(false);
        name.set("");
        position.set(-1);
        frameCount.set(-1);
    }

    /** The window is closing: no more jobs. */
    void dispose() {
        close();
        lane.close();
    }

    // ---------------------------------------------------------------- playing

    private void startLoop(Video v, boolean seekFirst, int seekTo) {
        playing.set(true);
        dropped.set(0);
        shown.set(0);
        shownAt.clear();
        shownFps.set(0);
        lane.submit(job -> {
            if (seekFirst) {
                // the loop this one replaces may still be reading: OpenCV's capture is not for two
                // threads at once (a seek while playing, run beside that read, ended the playing)
                synchronized (v) {
                    v.seek(seekTo);
                }
            }
            loop(job, v);
            return Boolean.TRUE;
        }, done -> ended(v), x -> { }, () -> playing.set(false), t -> {
            playing.set(false);
            vm.fail("Playing " + v.name(), t);
        });
    }

    /**
     * Runs frames until the end, a pause, or a failure. The video's clock decides which frame is
     * next: frames it has passed while the network ran are skipped (dropped).
     */
    private void loop(JobLane.Job job, Video v) throws Exception {
        long t0 = System.nanoTime();
        int f0 = v.position();
        double fps = v.fps();
        while (!job.cancelled()) {
            int skipped = 0;
            int index;
            LoadedImage f;
            synchronized (v) {
                if (job.cancelled()) {
                    return;
                }
                if (!v.camera()) {
                    int due = f0 + (int) ((System.nanoTime() - t0) / 1e9 * fps);
                    while (v.position() < due && v.position() < v.frameCount() - 1 && v.skip()) {
                        skipped++;
                    }
                }
                f = v.read();
                index = v.position() - 1;
            }
            if (f == null) {
                return; // the end
            }
            RunResult r = runFrame(job, vm.modelTarget(), f, index);
            int drop = skipped;
            CountDownLatch committed = new CountDownLatch(1);
            Runnable show = () -> {
                try {
                    if (job.cancelled()) {
                        r.dispose();
                        return;
                    }
                    dropped.set(dropped.get() + drop);
                    position.set(index);
                    vm.commitFrame(r);
                    countShown();
                } finally {
                    committed.countDown();
                }
            };
            try {
                ui.execute(show);
            } catch (RuntimeException gone) { // the application is exiting
                r.dispose();
                return;
            }
            committed.await(); // no queue of frames for the JavaFX thread
            if (!v.camera()) { // ahead of the clock: wait for the next frame's time
                long next = t0 + (long) ((index + 1 - f0) / fps * 1e9);
                long wait = next - System.nanoTime();
                if (wait > 0) {
                    Thread.sleep(wait / 1_000_000, (int) (wait % 1_000_000));
                }
            }
        }
    }

    private RunResult runFrame(JobLane.Job job, org.layerlens.viewer.jobs.Once<InspectorViewModel.Opened> model, LoadedImage f, int index)
            throws Exception {
        InspectorViewModel.Opened o = model.get();
        job.check();
        return vm.run(job, o.model(), o.ref(), ModelFacts.of(o.model()), f, index);
    }

    private void countShown() {
        long now = System.nanoTime();
        shown.set(shown.get() + 1);
        shownAt.addLast(now);
        while (shownAt.size() > 2 && now - shownAt.peekFirst() > 2_000_000_000L) {
            shownAt.removeFirst();
        }
        if (shownAt.size() >= 2) {
            shownFps.set((shownAt.size() - 1) / ((now - shownAt.peekFirst()) / 1e9));
        }
    }

    private void ended(Video v) {
        playing.set(false);
        if (dropped.get() > 0) {
            vm.notice(Notice.info(String.format(Locale.ROOT, "%s: showed %d frames at %.1f per second; %d dropped "
                    + "because the network is slower than the video (%.0f fps)", v.name(), shown.get(), shownFps.get(),
                    dropped.get(), v.fps())));
        }
    }

    /** A one-line description for the video bar. */
    public String describe() {
        if (!open.get()) {
            return "";
        }
        String pos = frameCount.get() > 0 ? String.format(Locale.ROOT, "frame %d / %d", position.get() + 1,
                frameCount.get()) : "frame " + (position.get() + 1);
        return String.format(Locale.ROOT, "%s · %s · video %.0f fps · shown %.1f fps · %d dropped", name.get(), pos,
                videoFps.get(), shownFps.get(), dropped.get());
    }
}
