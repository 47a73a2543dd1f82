package org.layerlens.viewer.pane;

import javafx.beans.binding.Bindings;
import javafx.geometry.Pos;
import javafx.scene.control.Button;
import javafx.scene.control.Label;
import javafx.scene.control.Slider;
import javafx.scene.control.Tooltip;
import javafx.scene.layout.HBox;
import javafx.scene.layout.Priority;
import javafx.scene.layout.VBox;
import org.layerlens.viewer.VideoViewModel;

/**
 * Play/pause, one frame forward, the position slider (seek on release, or on each key that moves it) and what is happening:
 * frame, the video's rate, the rate frames are shown at, frames dropped. Shown only while a video
 * or camera is open.
 */
public final class VideoBar extends VBox {
    private boolean dragging;
    /** The slider is being moved to the video's position (not by the user). */
    private boolean following;

    public VideoBar(VideoViewModel video) {
        super(2);
        setId("videoBar");
        Button play = new Button();
        play.setId("playButton");
        play.textProperty().bind(Bindings.when(video.playingProperty()).then("❚❚ Pause").otherwise("▶ Play"));
        play.setOnAction(e -> video.togglePlay());
        play.setMinWidth(Button.USE_PREF_SIZE);
        Button step = new Button("▶| Step");
        step.setId("stepButton");
        step.setTooltip(new Tooltip("Next frame (.)"));
        step.setOnAction(e -> video.step());
        step.setMinWidth(Button.USE_PREF_SIZE);
        Slider seek = new Slider(0, 1, 0);
        seek.setId("seekSlider");
        HBox.setHgrow(seek, Priority.ALWAYS);
        seek.setMinWidth(80);
        seek.setBlockIncrement(1); // an arrow key: one frame (the default 10 jumped ten)
        video.frameCountProperty().addListener((o, a, n) -> {
            seek.setMax(Math.max(1, n.intValue() - 1));
            seek.setDisable(n.intValue() <= 1);
        });
        video.positionProperty().addListener((o, a, p) -> {
            if (!dragging) {
                following = true;
                seek.setValue(Math.max(0, p.intValue()));
                following = false;
            }
        });
        // the keyboard moves the slider too (arrows, Home, End): each move seeks, as a release does
        seek.valueProperty().addListener((o, a, v) -> {
            if (!following && !dragging && seek.isFocused()) {
                video.seek((int) Math.round(v.doubleValue()));
            }
        });
        seek.setOnMousePressed(e -> dragging = true);
        seek.setOnMouseReleased(e -> {
            dragging = false;
            video.seek((int) Math.round(seek.getValue()));
        });
        Label info = new Label();
        info.setId("videoInfo");
        info.setWrapText(true);
        Runnable update = () -> info.setText(video.describe());
        for (var p : java.util.List.of(video.positionProperty(), video.shownFpsProperty(), video.droppedProperty(),
                video.nameProperty())) {
            p.addListener(x -> update.run());
        }
        HBox controls = new HBox(6, play, step, seek);
        controls.setAlignment(Pos.CENTER_LEFT);
        getChildren().addAll(controls, info);
        visibleProperty().bind(video.openProperty());
        managedProperty().bind(video.openProperty());
    }
}
