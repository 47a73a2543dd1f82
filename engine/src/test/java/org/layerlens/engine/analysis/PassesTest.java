package org.layerlens.engine.analysis;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.io.IOException;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicReference;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.layerlens.engine.TestData;
import org.layerlens.engine.api.EngineThreads;
import org.layerlens.engine.api.Inspection;
import org.layerlens.engine.api.Model;
import org.layerlens.engine.exec.CancelledException;
import org.layerlens.engine.image.Images;
import org.layerlens.engine.image.LoadedImage;

/** A comparison's two passes side by side: the values of passes one after the other, on two threads, and nothing left open. */
class PassesTest {
    static Model four;
    static LoadedImage coffee;
    static LoadedImage shapes;
    final int before = EngineThreads.get();

    @BeforeAll
    static void load() throws IOException {
        four = Model.open(TestData.reference("mb2-ssd-lite-random-4.pth"), null);
        coffee = Images.read(TestData.sampleImage("coffee.png"));
        shapes = Images.read(TestData.sampleImage("shapes-01.png"));
    }

    @AfterEach
    void restore() {
        EngineThreads.set(before);
    }

    @Test
    void sideBySideOnTwoThreadsTheyHoldWhatOnePassAfterTheOtherHolds() {
        EngineThreads.set(2);
        Set<Thread> ranOn = ConcurrentHashMap.newKeySet();
        try (Passes p = Passes.run(() -> four.inspectAll(coffee, e -> ranOn.add(Thread.currentThread()), null),
                () -> four.inspectAll(shapes, e -> ranOn.add(Thread.currentThread()), null), null);
             Inspection a = four.inspectAll(coffee, null, null);
             Inspection b = four.inspectAll(shapes, null, null)) {
            assertEquals(2, ranOn.size(), "A and B on two threads");
            for (String path : a.events().keySet()) {
                if (a.layer(path) == null) {
                    continue;
                }
                // one engine thread each against two: oneDNN may sum in another order
                TestData.close("A " + path, a.layer(path).values, p.a().layer(path).values, TestData.OTHER_PASS);
                TestData.close("B " + path, b.layer(path).values, p.b().layer(path).values, TestData.OTHER_PASS);
            }
            assertNotEquals(p.a().layer("base_net.0.0").values[0], p.b().layer("base_net.0.0").values[0],
                    "A saw coffee.png, B the shapes");
        }
    }

    @Test
    void whenOnePassFailsTheOtherIsClosedAndTheFailureComesBack() {
        for (int threads : new int[] {1, 2}) {
            EngineThreads.set(threads);
            AtomicReference<Inspection> made = new AtomicReference<>();
            IllegalStateException broken = new IllegalStateException("B broke");
            IllegalStateException thrown = assertThrows(IllegalStateException.class, () -> Passes.run(() -> {
                Inspection x = four.inspectAll(coffee, null, null);
                made.set(x);
                return x;
            }, () -> {
                throw broken;
            }, null));
            assertSame(broken, thrown, threads + " thread(s)");
            assertNotNull(made.get(), "A ran");
            assertThrows(IllegalStateException.class, () -> made.get().layer("base_net.0.0"), "A was closed");
        }
        EngineThreads.set(2);
        assertThrows(CancelledException.class, () -> Passes.run(() -> four.inspectAll(coffee, null, () -> true),
                () -> four.inspectAll(shapes, null, () -> true), () -> true));
    }
}
